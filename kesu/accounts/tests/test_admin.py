"""The people admin: B1 in the role inline, S7.9 reports from admin edits."""

import pytest
from django.urls import reverse

from kesu.accounts.models import StaffChangeReport
from kesu.accounts.roles import Role
from kesu.accounts.tests.factories import make_user


@pytest.fixture
def security_admin(org):
    return make_user(
        "ho_secadmin", org["ho"], [Role.SECURITY_ADMIN], full_name="韩安全"
    )


@pytest.fixture
def system_admin(org):
    return make_user("ho_sysadmin", org["ho"], [Role.SYSTEM_ADMIN], full_name="林系统")


def role_post(user, roles: list[str]) -> dict:
    """The change form as the browser posts it, with `roles` in the inline."""
    current = list(user.roles.all())
    data = {
        "roles-TOTAL_FORMS": str(len(current) + len(roles)),
        "roles-INITIAL_FORMS": str(len(current)),
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    for i, role in enumerate(current):
        data |= {
            f"roles-{i}-id": str(role.pk),
            f"roles-{i}-user": str(user.pk),
            f"roles-{i}-role": role.role,
            f"roles-{i}-DELETE": "on",
        }
    for j, role in enumerate(roles, start=len(current)):
        data |= {f"roles-{j}-user": str(user.pk), f"roles-{j}-role": role}
    return data


def test_the_admin_refuses_two_administrator_roles(
    client, security_admin, city_handler
):
    client.force_login(security_admin)
    url = reverse("admin:accounts_user_change", args=[city_handler.pk])
    response = client.post(
        url, role_post(city_handler, [Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN])
    )
    assert response.status_code == 200
    assert "不能由同一人兼任" in response.content.decode()
    assert city_handler.roles.get().role == Role.HANDLER


def test_granting_the_coordinator_role_in_the_admin_reports_the_change(
    client, security_admin, city_clerk, org
):
    client.force_login(security_admin)
    url = reverse("admin:accounts_user_change", args=[city_clerk.pk])
    response = client.post(url, role_post(city_clerk, [Role.CLERK, Role.COORDINATOR]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(city_clerk.roles.values_list("role", flat=True)) == {
        Role.CLERK,
        Role.COORDINATOR,
    }
    assert StaffChangeReport.objects.filter(company=org["gz"]).exists()


def test_the_system_administrator_moves_people_and_the_move_is_reported(
    client, system_admin, city_handler, org
):
    client.force_login(system_admin)
    url = reverse("admin:accounts_user_change", args=[city_handler.pk])
    page = client.get(url)
    assert page.status_code == 200
    before = StaffChangeReport.objects.filter(company=org["sz"]).count()
    response = client.post(
        url,
        {
            "full_name": "王处理",
            "email": "",
            "phone": "",
            "company": org["sz"].pk,
            "department": org["sz"].departments.get(kind="customer_service").pk,
            "is_active": "on",
            **role_post(city_handler, []),
        }
        | {"roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    city_handler.refresh_from_db()
    assert city_handler.company == org["sz"]
    assert StaffChangeReport.objects.filter(company=org["sz"]).count() == before + 1


def test_the_company_admin_lists_the_tree_and_exports_excel(client, system_admin):
    client.force_login(system_admin)
    page = client.get(reverse("admin:organisation_company_changelist"))
    assert page.status_code == 200 and "广州分公司" in page.content.decode()
    export = client.get(reverse("admin:organisation_company_export"))
    assert export.status_code == 200 and export.content[:2] == b"PK"
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:organisation_department_changelist")).status_code
        == 200
    )


def test_the_company_import_page_names_the_bad_row(client, system_admin):
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "机构"
    book.active.append(["机构代码", "机构名称", "层级", "上级机构代码", "省级集中业务"])
    book.active.append(["SC", "四川分公司", "省级分公司", "NOPE", ""])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "org.xlsx"
    client.force_login(system_admin)
    response = client.post(reverse("admin:organisation_company_import"), {"file": out})
    assert response.status_code == 200
    assert "第 2 行" in response.content.decode()


def test_the_system_administrator_adds_a_person(client, system_admin, org):
    from kesu.accounts.models import User

    client.force_login(system_admin)
    url = reverse("admin:accounts_user_add")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "username": "gz_newbie",
            "full_name": "新同事",
            "company": org["gz"].pk,
            "department": org["gz"].departments.get(kind="customer_service").pk,
            "usable_password": "true",
            "password1": "Xy7-long-enough-pw",
            "password2": "Xy7-long-enough-pw",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="gz_newbie")
    assert user.company == org["gz"] and user.check_password("Xy7-long-enough-pw")


def test_a_department_of_another_company_is_refused_on_the_form(
    client, system_admin, org
):
    client.force_login(system_admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "gz_wrong",
            "full_name": "错部门",
            "company": org["gz"].pk,
            "department": org["sz"].departments.get(kind="customer_service").pk,
            "usable_password": "true",
            "password1": "Xy7-long-enough-pw",
            "password2": "Xy7-long-enough-pw",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "部门必须属于" in response.content.decode()


def test_deactivating_a_city_handler_in_the_admin_reports_the_change(
    client, system_admin, city_handler, org
):
    client.force_login(system_admin)
    before = StaffChangeReport.objects.filter(company=org["gz"]).count()
    response = client.post(
        reverse("admin:accounts_user_change", args=[city_handler.pk]),
        {
            "full_name": city_handler.full_name,
            "email": "",
            "phone": "",
            "company": org["gz"].pk,
            "department": city_handler.department_id,
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
        },  # is_active unticked
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    city_handler.refresh_from_db()
    assert not city_handler.is_active
    latest = StaffChangeReport.objects.filter(company=org["gz"])
    assert latest.count() == before + 1
    assert latest.first().changes[0]["change"] == "removed"
