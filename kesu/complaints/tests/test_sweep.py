"""The deadline sweep (DESIGN §4): a missed deadline is a breach recorded
once; reminders go out before deadlines, once each, through the outbox."""

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from kesu.complaints.models import (
    Breach,
    Complainant,
    Complaint,
    Event,
    Investigation,
    State,
)
from kesu.complaints.services.sweep import deadline_sweep
from kesu.notifications.models import Outbox
from kesu.notifications.services import outbox_deliver, recipients_of
from kesu.organisation.models import DepartmentKind as K
from kesu.organisation.tests.factories import department

SHANGHAI = ZoneInfo("Asia/Shanghai")
on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def at(y, m, d, hour=9):
    return datetime(y, m, d, hour, tzinfo=SHANGHAI)


def case(company, *, due, state=State.INVESTIGATING, handler=None, number=None,
         paused=False, **extra) -> Complaint:
    complainant = Complainant.objects.create(name="张三")
    return Complaint.objects.create(
        number=number or f"TS-{company.code}-{Complaint.objects.count() + 1:04d}",
        state=state, owning_company=company, registered_company=company,
        received_at=at(2026, 11, 1), channel="phone", complainant=complainant,
        facts="销售人员夸大收益", demand="全额退保", due_date=due, handler=handler,
        paused_since=at(2026, 11, 10) if paused else None, **extra)


def investigation(complaint, dept, *, due, status=Investigation.Status.DISPATCHED,
                  by) -> Investigation:
    return Investigation.objects.create(
        complaint=complaint, department=dept, status=status, dispatched_by=by,
        dispatched_at=at(2026, 11, 2), due_date=due)


def sweep_on(y, m, d, hour=9):
    with time_machine.travel(at(y, m, d, hour), tick=False):
        return deadline_sweep()


def test_a_breach_is_recorded_once_even_if_the_sweep_runs_twice(org, city_handler):
    overdue = case(org["gz"], due=date(2026, 11, 16), handler=city_handler)
    first = sweep_on(2026, 11, 17)
    second = sweep_on(2026, 11, 17, hour=15)
    assert first.decision_breaches == 1 and second.decision_breaches == 0
    breach = Breach.objects.get()
    assert (breach.complaint, breach.kind, breach.due_date, breach.company) == (
        overdue, Breach.Kind.DECISION, date(2026, 11, 16), org["gz"])
    events = Event.objects.filter(complaint=overdue, action="deadline_breached")
    assert events.count() == 1 and events[0].data["due_date"] == "2026-11-16"
    overdue.refresh_from_db()
    assert overdue.breached_at == at(2026, 11, 17)
    assert Outbox.objects.filter(kind="decision_breached").count() == 1


def test_the_due_day_itself_is_not_a_breach(org):
    case(org["gz"], due=date(2026, 11, 16))
    assert sweep_on(2026, 11, 16, hour=23).decision_breaches == 0
    assert not Breach.objects.exists()


def test_a_paused_case_does_not_breach(org):  # R1.9
    case(org["gz"], due=date(2026, 11, 16), paused=True)
    assert sweep_on(2026, 11, 20).decision_breaches == 0
    assert not Breach.objects.exists() and not Event.objects.exists()


def test_a_replied_or_closed_case_does_not_breach(org):
    case(org["gz"], due=date(2026, 11, 16), state=State.REPLIED)
    case(org["gz"], due=date(2026, 11, 16), state=State.CLOSED)
    assert sweep_on(2026, 11, 20).decision_breaches == 0


def test_an_extended_case_breaches_again_only_at_its_new_due_date(org):  # R1.8
    extended = case(org["gz"], due=date(2026, 11, 16))
    sweep_on(2026, 11, 17)
    Complaint.objects.filter(pk=extended.pk).update(due_date=date(2026, 12, 1))
    assert sweep_on(2026, 11, 25).decision_breaches == 0
    assert sweep_on(2026, 12, 2).decision_breaches == 1
    assert sorted(Breach.objects.values_list("due_date", flat=True)) == [
        date(2026, 11, 16), date(2026, 12, 1)]


def test_a_review_case_breaches_as_a_review(org):  # R1.12
    original = case(org["gz"], due=date(2026, 10, 1), state=State.CLOSED)
    case(org["gd"], due=date(2026, 11, 16), review_of=original)
    sweep_on(2026, 11, 17)
    assert Breach.objects.get().kind == Breach.Kind.REVIEW


def test_an_unanswered_investigation_breaches_once_and_an_answered_one_not(
        org, city_handler, claims_coordinator):
    claims = department(org["gd"], K.CLAIMS)
    complaint = case(org["gd"], due=date(2026, 12, 20))
    late = investigation(complaint, claims, due=date(2026, 11, 9), by=city_handler)
    underwriting = department(org["gd"], K.UNDERWRITING)
    investigation(complaint, underwriting, due=date(2026, 11, 9),
                  status=Investigation.Status.ANSWERED, by=city_handler)
    assert sweep_on(2026, 11, 10).investigation_breaches == 1
    assert sweep_on(2026, 11, 11).investigation_breaches == 0
    breach = Breach.objects.get()
    assert (breach.investigation, breach.department, breach.company) == (
        late, claims, org["gd"])
    late.refresh_from_db()
    assert late.breached_at == at(2026, 11, 10)
    notified = recipients_of(Outbox.objects.get(kind="investigation_breached"))
    assert claims_coordinator in notified


def test_decision_reminder_goes_to_the_handler_days_before_once(org, city_handler):
    case(org["gz"], due=date(2026, 11, 20), handler=city_handler)
    days = settings.KESU["DECISION_REMINDER_DAYS"]
    assert sweep_on(2026, 11, 20 - days - 1).decision_reminders == 0
    assert sweep_on(2026, 11, 20 - days).decision_reminders == 1
    assert sweep_on(2026, 11, 20 - days, hour=18).decision_reminders == 0
    row = Outbox.objects.get(kind="decision_reminder")
    assert recipients_of(row) == [city_handler]
    assert "TS-GDGZ" in row.subject and "张三" not in row.subject + row.body


def test_a_case_whose_due_date_moved_is_reminded_again(org, city_handler):  # R1.9
    moved = case(org["gz"], due=date(2026, 11, 20), handler=city_handler)
    assert sweep_on(2026, 11, 18).decision_reminders == 1
    Complaint.objects.filter(pk=moved.pk).update(due_date=date(2026, 11, 30))
    assert sweep_on(2026, 11, 27).decision_reminders == 0
    assert sweep_on(2026, 11, 28).decision_reminders == 1
    assert sweep_on(2026, 11, 29).decision_reminders == 0
    assert Outbox.objects.filter(kind="decision_reminder").count() == 2


def test_a_case_without_handler_reminds_the_companys_handlers(org, city_handler,
                                                               province_handler):
    case(org["gz"], due=date(2026, 11, 20))
    sweep_on(2026, 11, 19)
    assert recipients_of(Outbox.objects.get(kind="decision_reminder")) == [city_handler]


@pytest.mark.parametrize(("due", "quiet_day", "reminder_day"), [
    (date(2026, 11, 30), date(2026, 11, 26), date(2026, 11, 27)),  # Mon: Fri before
    (date(2026, 10, 8), date(2026, 9, 29), date(2026, 9, 30)),  # after National Day
    (date(2026, 10, 12), date(2026, 10, 9), date(2026, 10, 10)),  # make-up Saturday
])
def test_investigation_reminder_goes_out_one_working_day_before(
        org, city_handler, claims_coordinator, due, quiet_day, reminder_day):
    complaint = case(org["gd"], due=date(2026, 12, 31))
    investigation(complaint, department(org["gd"], K.CLAIMS), due=due, by=city_handler)
    assert sweep_on(quiet_day.year, quiet_day.month, quiet_day.day
                    ).investigation_reminders == 0
    assert sweep_on(reminder_day.year, reminder_day.month, reminder_day.day
                    ).investigation_reminders == 1
    assert sweep_on(due.year, due.month, due.day).investigation_reminders == 0
    with time_machine.travel(at(due.year, due.month, due.day, 10), tick=False):
        outbox_deliver()
    assert claims_coordinator.notifications.get().kind == "investigation_reminder"


def test_the_sweep_does_a_fixed_number_of_queries_however_many_cases(
        org, city_handler, django_assert_max_num_queries):
    for _ in range(30):
        c = case(org["gz"], due=date(2026, 11, 16), handler=city_handler)
        investigation(c, department(org["gz"], K.CLAIMS), due=date(2026, 11, 9),
                      by=city_handler)
        case(org["gz"], due=date(2026, 11, 18), handler=city_handler)
    with django_assert_max_num_queries(30):
        result = sweep_on(2026, 11, 17)
    assert result.as_dict() == {"decision_breaches": 30, "investigation_breaches": 30,
                                "decision_reminders": 30, "investigation_reminders": 0}


@pytest.mark.postgres
@pytest.mark.skipif(not on_postgres, reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_record_each_breach_once(org, city_handler):
    for _ in range(50):
        case(org["gz"], due=date(2026, 11, 16), handler=city_handler)
    barrier = threading.Barrier(3)
    results = []

    def sweep():
        barrier.wait()
        try:
            results.append(deadline_sweep(now=at(2026, 11, 17)).decision_breaches)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [0, 0, 50]
    assert Breach.objects.count() == 50
    assert Event.objects.filter(action="deadline_breached").count() == 50
