"""DESIGN §4: deadlines beyond the known calendar are provisional and are
recomputed once the year's schedule is entered."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from kesu.complaints import services as s
from kesu.complaints.deadlines import time_left
from kesu.complaints.models import State
from kesu.sla.services import Entry, calendar_year_enter

from .factories import advance, register

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))


def test_provisional_deadlines_are_recomputed_when_the_year_is_entered(
    org, city_clerk, city_handler
):
    with time_machine.travel(dt.datetime(2026, 12, 28, 10, 0, tzinfo=SH), tick=False):
        case = advance(
            register(city_clerk, received_at=timezone.now()).complaint,
            State.INVESTIGATING,
            handler=city_handler,
        )
    inv = case.investigations.get()
    assert (case.due_date, case.due_provisional) == (dt.date(2027, 1, 12), True)
    assert (inv.due_date, inv.due_provisional) == (dt.date(2027, 1, 4), True)
    result = calendar_year_enter(
        actor=None,
        year=2027,
        source_notice="国务院办公厅通知",
        entries=[
            Entry(dt.date(2027, 1, 1), False, "元旦"),
            Entry(dt.date(2027, 1, 12), False, "假想的休息日"),
        ],
    )
    case.refresh_from_db()
    inv.refresh_from_db()
    assert (case.due_date, case.due_provisional) == (dt.date(2027, 1, 13), False)
    assert (inv.due_date, inv.due_provisional) == (dt.date(2027, 1, 5), False)
    assert case.events.filter(action="recompute_deadline").count() == 2
    assert result  # the sla service reports what each recomputer changed


def test_an_approved_extension_and_a_pause_survive_the_recompute(
    org, city_clerk, city_handler
):
    from kesu.complaints.deadlines import recompute_provisional_deadlines

    with time_machine.travel(dt.datetime(2026, 12, 20, 10, 0, tzinfo=SH), tick=False):
        case = advance(
            register(city_clerk, received_at=timezone.now()).complaint,
            State.ACCEPTED,
            handler=city_handler,
        )
        case = s.complaint_pause(complaint=case, actor=city_handler, reason="鉴定")
    with time_machine.travel(dt.datetime(2026, 12, 24, 10, 0, tzinfo=SH), tick=False):
        case = s.complaint_resume(complaint=case, actor=city_handler)
    assert case.paused_days == 4 and case.due_date == dt.date(2027, 1, 8)
    recompute_provisional_deadlines()
    case.refresh_from_db()
    assert case.due_date == dt.date(2027, 1, 8)


def test_time_left_counts_calendar_days():
    assert time_left(dt.date(2025, 3, 18), today=dt.date(2025, 3, 15)) == 3
    assert time_left(dt.date(2025, 3, 18), today=dt.date(2025, 3, 20)) == -2
    assert time_left(None) is None
