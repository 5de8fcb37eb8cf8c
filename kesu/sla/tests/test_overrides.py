"""Overrides entered by administrators (DESIGN §4): they win over
chinesecalendar, make 2027 known, and trigger the provisional recompute."""

import datetime as dt

import pytest
import time_machine

from kesu.errors import DomainValidationError, Forbidden
from kesu.sla.calendar import Due, add_calendar_days, day_is_known, is_working_day
from kesu.sla.models import CalendarOverride
from kesu.sla.selectors import calendar_missing_years
from kesu.sla.services import (
    Entry,
    calendar_override_delete,
    calendar_override_save,
    calendar_year_enter,
    parse_schedule,
)

D = dt.date.fromisoformat
NOTICE = "国务院办公厅关于2027年部分节假日安排的通知"
# A 2027 schedule for the tests (New Year and part of the Spring Festival).
SCHEDULE_2027 = """
# 元旦
2027-01-01 休 元旦
2027-02-05 休 春节
2027-02-06 休 春节
2027/2/7   休 春节
2027-02-08,休,春节
2027-02-09 休 春节
2027-02-10 休 春节
2027-02-11 休 春节
2027-02-20 班 春节调休上班
"""


def test_an_override_wins_over_chinesecalendar(system_admin, recompute_calls):
    assert is_working_day(D("2026-10-08"))
    calendar_override_save(
        actor=system_admin,
        date=D("2026-10-08"),
        is_working_day=False,
        name="临时调整",
        source_notice=NOTICE,
    )
    assert not is_working_day(D("2026-10-08"))
    assert recompute_calls == ["called"]


def test_a_single_override_makes_only_that_day_known(system_admin, recompute_calls):
    calendar_override_save(
        actor=system_admin,
        date=D("2027-02-20"),
        is_working_day=True,
        name="春节调休上班",
    )
    assert day_is_known(D("2027-02-20")) and is_working_day(D("2027-02-20"))
    assert not day_is_known(D("2027-02-22"))


def test_entering_the_2027_schedule_settles_provisional_deadlines(
    system_admin, recompute_calls
):
    # A complaint received on 17 December 2026: 15 days end on New Year's Day 2027.
    assert add_calendar_days(D("2026-12-17"), 15) == Due(D("2027-01-01"), True)
    results = calendar_year_enter(
        actor=system_admin,
        year=2027,
        source_notice=NOTICE,
        entries=parse_schedule(SCHEDULE_2027),
    )
    assert results == {"kesu.sla.tests.conftest.recorder": 3}
    assert recompute_calls == ["called"]
    # R6.1: New Year's Day is a holiday, then a weekend: Monday 4 January, known.
    assert add_calendar_days(D("2026-12-17"), 15) == Due(D("2027-01-04"), False)
    assert day_is_known(D("2027-07-14")) and is_working_day(D("2027-07-14"))
    assert is_working_day(D("2027-02-20")) and not is_working_day(D("2027-02-08"))


def test_re_entering_a_year_replaces_its_overrides(system_admin, recompute_calls):
    calendar_year_enter(
        actor=system_admin,
        year=2027,
        source_notice=NOTICE,
        entries=parse_schedule(SCHEDULE_2027),
    )
    calendar_year_enter(
        actor=system_admin,
        year=2027,
        source_notice=NOTICE + "（更正）",
        entries=[Entry(D("2027-01-01"), False, "元旦")],
    )
    assert list(CalendarOverride.objects.values_list("date", flat=True)) == [
        D("2027-01-01")
    ]
    assert is_working_day(D("2027-02-08"))


def test_deleting_an_override_restores_chinesecalendar(system_admin, recompute_calls):
    override, _ = calendar_override_save(
        actor=system_admin, date=D("2026-10-08"), is_working_day=False
    )
    calendar_override_delete(actor=system_admin, override=override)
    assert is_working_day(D("2026-10-08"))
    assert recompute_calls == ["called", "called"]


def test_a_failing_recomputer_is_reported_and_keeps_the_saved_calendar(
    system_admin, settings
):
    settings.KESU_PROVISIONAL_RECOMPUTERS = ["kesu.sla.tests.conftest.broken"]
    _, results = calendar_override_save(
        actor=system_admin, date=D("2027-01-01"), is_working_day=False
    )
    assert results["kesu.sla.tests.conftest.broken"].startswith("error")
    assert CalendarOverride.objects.filter(date=D("2027-01-01")).exists()


def test_only_a_system_administrator_edits_the_calendar(city_handler):
    with pytest.raises(Forbidden):
        calendar_override_save(
            actor=city_handler, date=D("2027-01-01"), is_working_day=False
        )


def test_a_year_schedule_must_stay_inside_its_year(system_admin):
    with pytest.raises(DomainValidationError, match="2028"):
        calendar_year_enter(
            actor=system_admin,
            year=2027,
            source_notice=NOTICE,
            entries=[Entry(D("2028-01-01"), False)],
        )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("2027-01-01 休 元旦\n2027-13-01 休 x", "第 2 行"),
        ("2027-01-01 休\n\n2027-01-02 maybe", "第 3 行"),
        ("2027-01-01", "第 1 行"),
        ("2027-01-01 休\n2027-01-01 班", "第 2 行"),
    ],
)
def test_a_bad_schedule_line_is_named(text, line):
    with pytest.raises(DomainValidationError, match=line):
        parse_schedule(text)


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False)
def test_administrators_are_warned_that_2027_is_missing(system_admin, recompute_calls):
    assert [m.year for m in calendar_missing_years()] == [2027]
    assert "2027" in calendar_missing_years()[0].message
    calendar_year_enter(
        actor=system_admin,
        year=2027,
        source_notice=NOTICE,
        entries=parse_schedule(SCHEDULE_2027),
    )
    assert calendar_missing_years() == []


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC), tick=False)
def test_no_warning_while_chinesecalendar_covers_this_year_and_the_next():
    assert calendar_missing_years() == []
