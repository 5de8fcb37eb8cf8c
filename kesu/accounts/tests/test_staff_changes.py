"""S7.9 staff-change reports: a city's customer-service handlers and
coordinators changed → report to the parent within 7 working days."""

import datetime as dt

import pytest
import time_machine

from kesu.accounts.roles import Role
from kesu.accounts.selectors import (
    staff_change_report_list_for,
    staff_change_reports_overdue,
)
from kesu.accounts.services import (
    report_submit,
    staff_change_recompute_provisional,
    user_create,
    user_deactivate,
    user_set_roles,
    user_update,
)
from kesu.accounts.tests.factories import make_user
from kesu.errors import Conflict, DomainValidationError, Forbidden, NotFound
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.tests.factories import department
from kesu.sla.services import calendar_year_enter, parse_schedule

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# Thursday 25 September 2025, before National Day (10/1–10/8, make-up Sat 10/11).
BEFORE_NATIONAL_DAY = dt.datetime(2025, 9, 25, 10, tzinfo=SHANGHAI)


@pytest.fixture
def security_admin(org):
    return make_user(
        "ho_secadmin", org["ho"], [Role.SECURITY_ADMIN], full_name="韩安全"
    )


@pytest.fixture
def system_admin(org):
    return make_user("ho_sysadmin", org["ho"], [Role.SYSTEM_ADMIN], full_name="林系统")


def new_city_handler(org):
    return make_user(
        "gz_new_handler",
        org["gz"],
        [Role.HANDLER],
        department=department(org["gz"]),
        full_name="王处理",
    )


def test_a_new_city_handler_is_reported_to_the_province_within_7_working_days(org):
    with time_machine.travel(BEFORE_NATIONAL_DAY, tick=False):
        new_city_handler(org)
    report = org["gz"].staff_change_reports.get()
    assert report.addressed_to == org["gd"]
    # 9/26, Sun 9/28 (make-up), 9/29, 9/30, [10/1–10/8], 10/9, 10/10, Sat 10/11
    assert report.due_date == dt.date(2025, 10, 11)
    assert not report.due_provisional
    assert report.changes[0]["change"] == "added"
    assert "王处理" in report.summary and "投诉处理人员" in report.summary


def test_a_province_handler_is_not_a_city_post(org, province_handler):
    assert not org["gd"].staff_change_reports.exists()


def test_a_clerk_is_not_reported(org, city_clerk):
    assert not org["gz"].staff_change_reports.exists()


def test_losing_the_handler_role_is_reported(org, city_handler, security_admin):
    user_set_roles(actor=security_admin, user=city_handler, roles={Role.CLERK})
    latest = org["gz"].staff_change_reports.first()
    assert [c["change"] for c in latest.changes] == ["removed"]
    assert "不再担任" in latest.summary


def test_a_coordinator_moving_to_another_city_is_reported_by_both_cities(
    org, city_sales_coordinator, system_admin
):
    before = {c: org[c].staff_change_reports.count() for c in ("gz", "sz")}
    user_update(
        actor=system_admin,
        user=city_sales_coordinator,
        company=org["sz"],
        department=department(org["sz"], K.INDIVIDUAL_SALES),
    )
    assert org["gz"].staff_change_reports.count() == before["gz"] + 1
    assert org["sz"].staff_change_reports.count() == before["sz"] + 1
    assert org["sz"].staff_change_reports.first().changes[0]["change"] == "added"


def test_deactivating_a_city_coordinator_is_reported(
    org, city_sales_coordinator, system_admin
):
    user_deactivate(actor=system_admin, user=city_sales_coordinator)
    assert org["gz"].staff_change_reports.first().changes[0]["change"] == "removed"


def test_changing_only_a_phone_number_is_not_reported(org, city_handler, system_admin):
    count = org["gz"].staff_change_reports.count()
    user_update(actor=system_admin, user=city_handler, phone="020-12345678")
    assert org["gz"].staff_change_reports.count() == count


def test_a_department_must_belong_to_the_users_company(org, city_handler, system_admin):
    with pytest.raises(DomainValidationError):
        user_update(
            actor=system_admin, user=city_handler, department=department(org["sz"])
        )


def test_roles_are_granted_by_the_security_administrator_only(
    org, city_handler, system_admin
):
    with pytest.raises(Forbidden):
        user_set_roles(actor=system_admin, user=city_handler, roles={Role.CS_HEAD})


def test_a_system_administrator_creates_people(org, system_admin):
    user = user_create(
        actor=system_admin,
        username="sz_new",
        full_name="新员工",
        company=org["sz"],
        department=department(org["sz"]),
    )
    assert not user.has_usable_password() and not user.role_set


def test_the_city_submits_and_it_is_no_longer_overdue(org, city_handler, city_cs_head):
    report = org["gz"].staff_change_reports.first()
    with time_machine.travel(report.due_date + dt.timedelta(days=3), tick=False):
        assert report in staff_change_reports_overdue()
        report_submit(actor=city_cs_head, report_id=report.pk, note="已报省公司")
        assert report not in staff_change_reports_overdue()
        with pytest.raises(Conflict):
            report_submit(actor=city_cs_head, report_id=report.pk)


def test_a_report_is_not_overdue_on_its_due_date(org, city_handler):
    report = org["gz"].staff_change_reports.first()
    with time_machine.travel(
        dt.datetime.combine(report.due_date, dt.time(23), SHANGHAI)
    ):
        assert report not in staff_change_reports_overdue()


def test_the_parent_sees_but_does_not_submit_and_other_provinces_see_nothing(
    org, city_handler, province_handler, outsider_in_another_province
):
    report = org["gz"].staff_change_reports.first()
    assert report in staff_change_report_list_for(
        province_handler, direction="incoming"
    )
    with pytest.raises(Forbidden):
        report_submit(actor=province_handler, report_id=report.pk)
    assert report not in staff_change_report_list_for(outsider_in_another_province)
    with pytest.raises(NotFound):
        report_submit(actor=outsider_in_another_province, report_id=report.pk)


def test_a_december_change_is_provisional_until_the_2027_schedule_is_entered(
    org, system_admin
):
    with time_machine.travel(
        dt.datetime(2026, 12, 24, 10, tzinfo=SHANGHAI), tick=False
    ):
        new_city_handler(org)
    report = org["gz"].staff_change_reports.get()
    # 12/25, 12/28–12/31, then 1/1 and 1/4 counted Monday–Friday: provisional
    assert (report.due_date, report.due_provisional) == (dt.date(2027, 1, 4), True)
    results = calendar_year_enter(
        actor=system_admin,
        year=2027,
        source_notice="国办发明电",
        entries=parse_schedule("2027-01-01 休 元旦\n2027-01-04 休 假设的调整"),
    )
    assert results["kesu.accounts.services.staff_change_recompute_provisional"] == 1
    report.refresh_from_db()
    assert (report.due_date, report.due_provisional) == (dt.date(2027, 1, 6), False)
    assert staff_change_recompute_provisional() == 0


def test_a_coordinator_needs_a_department(
    org, city_clerk, city_sales_coordinator, system_admin
):
    city_clerk.department = None
    city_clerk.save(update_fields=["department"])
    with pytest.raises(DomainValidationError, match="部门"):
        user_set_roles(user=city_clerk, roles={Role.COORDINATOR})
    with pytest.raises(DomainValidationError, match="部门"):
        user_update(actor=system_admin, user=city_sales_coordinator, department=None)
