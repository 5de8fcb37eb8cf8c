"""Issue 8 (dashboard at a million complaints): the figures are computed at
most once a minute per scope, shared only by users who see exactly the same
cases, and the page says when they were computed."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kesu.accounts.roles import Role
from kesu.accounts.tests.factories import make_user
from kesu.complaints.tests.factories import ComplaintFactory
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.tests.factories import department

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC)  # 10:00 in Shanghai


def _manager(username, company):
    return make_user(username, company, [Role.MANAGEMENT],
                     department=department(company, K.MANAGEMENT_OFFICE))


def _open_count(client, user) -> int:
    client.force_login(user)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    return response.context["totals"]["open"]


@time_machine.travel(NOW, tick=False)
def test_two_managers_of_one_company_share_the_figures_of_the_minute(client, org):
    ComplaintFactory(owning_company=org["gz"])
    first, second = _manager("gd_m1", org["gd"]), _manager("gd_m2", org["gd"])

    assert _open_count(client, first) == 1
    ComplaintFactory(owning_company=org["sz"])  # registered within the minute
    client.force_login(second)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("web:dashboard"))

    assert page.context["totals"]["open"] == 1  # the minute's figures
    assert not [q for q in ctx.captured_queries if "complaints_" in q["sql"]]
    assert "数据统计于 10:00:00（每分钟更新一次）" in page.content.decode()
    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        assert _open_count(client, second) == 2


@time_machine.travel(NOW, tick=False)
def test_figures_are_never_shared_between_different_scopes(
    client, org, management
):
    """A city's manager never sees the province's cached figures, nor a
    department head the company's (DESIGN §5)."""
    ComplaintFactory(owning_company=org["gz"])
    ComplaintFactory(owning_company=org["sz"])
    city = _manager("gz_m", org["gz"])
    claims_head = make_user("gd_claims_head", org["gd"], [Role.DEPT_HEAD],
                            department=department(org["gd"], K.CLAIMS))

    assert _open_count(client, management) == 2  # the province: gz and sz
    assert _open_count(client, city) == 1
    assert _open_count(client, claims_head) == 0  # no claims investigation
    assert _open_count(client, management) == 2
