"""load_demo builds a realistic company and a second run changes nothing."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from kesu.accounts.models import User
from kesu.accounts.roles import Role
from kesu.organisation.demo import DEMO_PASSWORD
from kesu.organisation.models import Company, DepartmentKind, Level


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.mark.django_db
def test_the_demo_company_loads_once_and_a_second_run_changes_nothing():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    first = row_counts()
    call_command("load_demo", stdout=io.StringIO())
    assert row_counts() == first
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text and "zhoujianguo" in text

    assert Company.objects.filter(level=Level.PROVINCE).count() == 3
    assert Company.objects.get(code="GD").centralised == ["underwriting", "claims"]
    assert Company.objects.get(code="JS").centralised == []
    for company in Company.objects.all():
        assert company.departments.count() == len(DepartmentKind.values)
    assert (
        Company.objects.get(code="GDGZ").departments.get(kind="customer_service").name
        == "客户服务中心"
    )
    assert (
        Company.objects.get(code="HO").departments.get(kind="management_office").name
        == "总裁室"
    )
    held = set(User.objects.values_list("roles__role", flat=True))
    assert held >= set(Role.values)
    assert User.objects.count() >= 30
    assert User.objects.get(username="wangfang").check_password(DEMO_PASSWORD)
