"""The working-day calendar against the State Council's official schedules
(DESIGN §4, R6.1)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kesu.sla.calendar import (
    Due,
    add_calendar_days,
    add_working_days,
    day_is_known,
    is_working_day,
    working_days_between,
)

D = dt.date.fromisoformat


def days(first: str, last: str) -> list[dt.date]:
    start, end = D(first), D(last)
    return [start + dt.timedelta(n) for n in range((end - start).days + 1)]


# 国办发明电〔2024〕12号, 国办发明电〔2025〕7号: holidays and make-up working days.
OFFICIAL = [
    (
        "2025 Spring Festival",
        ("2025-01-28", "2025-02-04"),
        ["2025-01-26", "2025-02-08"],
    ),
    ("2025 National Day", ("2025-10-01", "2025-10-08"), ["2025-09-28", "2025-10-11"]),
    (
        "2026 Spring Festival",
        ("2026-02-15", "2026-02-23"),
        ["2026-02-14", "2026-02-28"],
    ),
    ("2026 National Day", ("2026-10-01", "2026-10-07"), ["2026-09-20", "2026-10-10"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "holidays", "make_up"), OFFICIAL)
def test_official_holidays_are_rest_days_and_make_up_weekends_are_working_days(
    name, holidays, make_up
):
    for day in days(*holidays):
        assert not is_working_day(day), f"{name}: {day} is a holiday"
        assert day_is_known(day)
    for day in map(D, make_up):
        assert day.weekday() >= 5, "a make-up working day falls on a weekend"
        assert is_working_day(day), f"{name}: {day} is a make-up working day"


@pytest.mark.django_db
def test_the_working_day_after_a_holiday_is_the_first_day_back():
    assert add_working_days(D("2025-09-30"), 1) == Due(D("2025-10-09"), False)
    assert add_working_days(D("2026-09-30"), 1) == Due(D("2026-10-08"), False)


@pytest.mark.django_db
def test_five_working_days_over_the_2025_spring_festival_count_the_make_up_sunday():
    # Fri 1/24 → Sun 1/26 (make-up), Mon 1/27, [1/28–2/4 holiday], 2/5, 2/6, 2/7
    assert add_working_days(D("2025-01-24"), 5) == Due(D("2025-02-07"), False)
    # From the last day of the holiday: 2/5, 2/6, 2/7, Sat 2/8 (make-up), Mon 2/10
    assert add_working_days(D("2025-02-04"), 5) == Due(D("2025-02-10"), False)


@pytest.mark.django_db
def test_seven_working_days_over_the_2026_spring_festival():
    # Fri 2/13 → Sat 2/14 (make-up), [2/15–2/23], 2/24, 2/25, 2/26, 2/27, Sat 2/28, 3/2
    assert add_working_days(D("2026-02-13"), 7) == Due(D("2026-03-02"), False)


@pytest.mark.django_db
def test_working_days_can_be_counted_backwards_for_reminders():
    assert add_working_days(D("2026-10-08"), -1) == Due(D("2026-09-30"), False)
    assert add_working_days(D("2025-02-10"), -1) == Due(D("2025-02-08"), False)


@pytest.mark.django_db
def test_a_calendar_day_period_ending_on_a_holiday_ends_on_the_next_working_day():
    # R6.1: received 9/16, 15 days → 10/1 (National Day) → first day back 10/9
    assert add_calendar_days(D("2025-09-16"), 15) == Due(D("2025-10-09"), False)
    # …and 2026 National Day ends on 10/7 → 10/8
    assert add_calendar_days(D("2026-09-20"), 15) == Due(D("2026-10-08"), False)


@pytest.mark.django_db
def test_a_period_ending_on_a_weekend_moves_but_not_on_a_make_up_working_day():
    # Sat 2026-03-14 → Mon 3/16
    assert add_calendar_days(D("2026-02-27"), 15) == Due(D("2026-03-16"), False)
    # Sun 2025-09-28 is a make-up working day: the period ends there
    assert add_calendar_days(D("2025-09-13"), 15) == Due(D("2025-09-28"), False)


@pytest.mark.django_db
def test_the_start_day_is_not_counted():
    received = dt.datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert add_calendar_days(received, 15).date == D("2026-03-17")
    assert add_working_days(received, 1).date == D("2026-03-03")


@pytest.mark.django_db
def test_aware_datetimes_are_read_in_shanghai_time():
    # 2025-09-30 17:00 UTC is already 1 October in Shanghai
    utc = dt.datetime(2025, 9, 30, 17, 0, tzinfo=dt.UTC)
    assert not is_working_day(utc)
    assert add_working_days(utc, 1).date == D("2025-10-09")


@pytest.mark.django_db
def test_working_days_between_counts_the_end_but_not_the_start():
    assert working_days_between(D("2025-09-30"), D("2025-10-09")) == 1
    assert working_days_between(D("2025-01-24"), D("2025-02-07")) == 5
    assert working_days_between(D("2025-02-07"), D("2025-01-24")) == -5
    assert working_days_between(D("2025-03-03"), D("2025-03-03")) == 0


@pytest.mark.django_db
def test_a_december_2026_complaint_with_a_deadline_in_2027_is_provisional():
    # 2026-12-17 + 15 = Fri 2027-01-01: not known yet, counted Monday–Friday
    assert add_calendar_days(D("2026-12-17"), 15) == Due(D("2027-01-01"), True)
    assert add_working_days(D("2026-12-29"), 5) == Due(D("2027-01-05"), True)
    # …while a deadline that stays inside 2026 is not
    assert add_working_days(D("2026-12-21"), 5) == Due(D("2026-12-28"), False)
    assert not day_is_known(D("2027-01-01"))


@pytest.mark.django_db
def test_lookups_hit_the_database_once_per_process_not_once_per_day(
    django_assert_max_num_queries,
):
    with django_assert_max_num_queries(2):  # overrides + entered years, once
        for offset in range(2000):
            add_working_days(D("2025-01-01") + dt.timedelta(offset % 700), 7)


@pytest.mark.django_db
def test_every_date_chinesecalendar_covers_agrees_with_it():
    import chinese_calendar

    day, last = D("2004-01-01"), D("2026-12-31")
    while day <= last:
        assert is_working_day(day) == chinese_calendar.is_workday(day), day
        assert day_is_known(day)
        day += dt.timedelta(days=1)
