"""S4: pending supervision work shown on the workbench."""

import datetime as dt

import pytest
import time_machine

from kesu.accounts.models import StaffChangeReport
from kesu.committee.services.meetings import joint_meeting_schedule
from kesu.supervision.periods import Period
from kesu.supervision.selectors.reminders import supervision_reminders_for
from kesu.supervision.services.sampling import satisfaction_sample_draw

from .factories import at, closed_case

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC)


def kinds(user):
    return [r.kind for r in supervision_reminders_for(user)]


@time_machine.travel(NOW, tick=False)
def test_a_province_head_is_reminded_of_meeting_sampling_and_checks(province_cs_head):
    assert set(kinds(province_cs_head)) >= {
        "joint_meeting_due",
        "sampling_due",
        "liability_audit_due",
    }


@time_machine.travel(NOW, tick=False)
def test_reminders_go_away_once_the_work_is_done(org, province_cs_head):
    closed_case(org["gz"], closed_on=dt.date(2026, 11, 3))
    joint_meeting_schedule(
        user=province_cs_head, scheduled_for=at(dt.date(2026, 12, 1))
    )
    satisfaction_sample_draw(
        user=province_cs_head,
        period=Period(dt.date(2026, 11, 1), dt.date(2026, 11, 19)),
        size=1,
    )
    left = kinds(province_cs_head)
    assert "joint_meeting_due" not in left and "sampling_due" not in left


@time_machine.travel(NOW, tick=False)
def test_a_city_head_is_not_asked_to_sample_but_to_report_staff_changes(
    org, city_cs_head
):
    StaffChangeReport.objects.create(
        company=org["gz"],
        addressed_to=org["gd"],
        changed_at=at(dt.date(2026, 11, 2)),
        summary="新增处理人员一名",
        due_date=dt.date(2026, 11, 11),
    )
    reminders = supervision_reminders_for(city_cs_head)
    assert "sampling_due" not in [r.kind for r in reminders]
    report = next(r for r in reminders if r.kind == "staff_change_report_due")
    assert report.overdue and report.due == dt.date(2026, 11, 11)


@time_machine.travel(NOW, tick=False)
def test_the_parent_sees_overdue_staff_change_reports_of_lower_companies(
    org, province_cs_head
):
    StaffChangeReport.objects.create(
        company=org["gz"],
        addressed_to=org["gd"],
        changed_at=at(dt.date(2026, 11, 2)),
        summary="调整协调员",
        due_date=dt.date(2026, 11, 11),
    )
    assert "staff_change_report_overdue" in kinds(province_cs_head)


def test_a_user_without_supervision_work_has_no_reminders(management, client):
    assert supervision_reminders_for(management) == []
    client.force_login(management)
    r = client.get("/api/supervision/reminders")
    assert r.status_code == 200 and r.json() == []
