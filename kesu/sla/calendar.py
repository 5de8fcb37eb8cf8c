"""The working-day calendar (DESIGN §4): every deadline in kesu is computed
here and nowhere else.

Sources, in order of precedence:
1. `CalendarOverride` rows entered by an administrator from the State
   Council's notice (they win over everything);
2. `chinesecalendar` (official schedules 2004–2026, with make-up working days);
3. a year recorded in `CalendarYear` as fully entered: Monday–Friday apart
   from its overrides;
4. otherwise Monday–Friday, and the day is *unknown*: a result that depended
   on an unknown day is provisional and is recomputed when the year's
   schedule is entered (services.recompute_provisional).

Lookups are dictionary reads: the overrides are cached per process and
reloaded after a save in this process (`invalidate`) or at most every
KESU_CALENDAR_CACHE_SECONDS in other processes (the web server and the
scheduler each hold their own copy).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import NamedTuple
from zoneinfo import ZoneInfo

from chinese_calendar import constants as _cc
from django.conf import settings

SHANGHAI = ZoneInfo("Asia/Shanghai")
CC_FIRST_YEAR = min(_cc.holidays).year
CC_LAST_YEAR = max(_cc.holidays).year
_CC_HOLIDAYS = frozenset(_cc.holidays)
_CC_WORKDAYS = frozenset(_cc.workdays)


class Due(NamedTuple):
    date: dt.date
    provisional: bool


class _Cache:
    """Overrides and fully entered years, loaded in one query each."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.overrides: dict[dt.date, bool] | None = None
        self.complete_years: frozenset[int] = frozenset()
        self.loaded_at = 0.0

    def get(self) -> tuple[dict[dt.date, bool], frozenset[int]]:
        ttl = getattr(settings, "KESU_CALENDAR_CACHE_SECONDS", 60)
        overrides = self.overrides
        if overrides is None or time.monotonic() - self.loaded_at > ttl:
            with self.lock:
                self._load()
                overrides = self.overrides
        return overrides, self.complete_years  # type: ignore[return-value]

    def _load(self) -> None:
        from .models import CalendarOverride, CalendarYear

        self.complete_years = frozenset(
            CalendarYear.objects.values_list("year", flat=True)
        )
        self.overrides = dict(
            CalendarOverride.objects.values_list("date", "is_working_day")
        )
        self.loaded_at = time.monotonic()


_cache = _Cache()


def invalidate() -> None:
    """Forget the cached overrides; the next lookup reloads them."""
    _cache.overrides = None


def to_local_date(value: dt.date | dt.datetime) -> dt.date:
    """Aware datetimes are read in Asia/Shanghai; naive ones are taken as local."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(SHANGHAI)
        return value.date()
    return value


def _status(day: dt.date) -> tuple[bool, bool]:
    """(is a working day, is known) for one date."""
    overrides, complete_years = _cache.get()
    found = overrides.get(day)
    if found is not None:
        return found, True
    if CC_FIRST_YEAR <= day.year <= CC_LAST_YEAR:
        if day in _CC_WORKDAYS:
            return True, True
        return day.weekday() < 5 and day not in _CC_HOLIDAYS, True
    return day.weekday() < 5, day.year in complete_years


def is_working_day(day: dt.date | dt.datetime) -> bool:
    return _status(to_local_date(day))[0]


def day_is_known(day: dt.date | dt.datetime) -> bool:
    """Covered by chinesecalendar, an override or a fully entered year."""
    return _status(to_local_date(day))[1]


def year_is_known(year: int) -> bool:
    _, complete_years = _cache.get()
    return CC_FIRST_YEAR <= year <= CC_LAST_YEAR or year in complete_years


def add_calendar_days(start: dt.date | dt.datetime, days: int) -> Due:
    """R6.1 (Civil Code arts. 201, 203): the start day is not counted; if the
    last day is not a working day the period ends on the next working day."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = to_local_date(start) + dt.timedelta(days=days)
    provisional = False
    while True:
        working, known = _status(day)
        provisional = provisional or not known
        if working:
            return Due(day, provisional)
        day += dt.timedelta(days=1)


def add_working_days(start: dt.date | dt.datetime, days: int) -> Due:
    """The `days`-th working day after `start` (before it, if negative).
    The start day itself is never counted."""
    day = to_local_date(start)
    step = dt.timedelta(days=1 if days >= 0 else -1)
    remaining = abs(days)
    provisional = False
    while remaining:
        day += step
        working, known = _status(day)
        provisional = provisional or not known
        if working:
            remaining -= 1
    return Due(day, provisional)


def working_days_between(
    start: dt.date | dt.datetime, end: dt.date | dt.datetime
) -> int:
    """Working days in (start, end]; negative when end is before start."""
    first, last = to_local_date(start), to_local_date(end)
    if last < first:
        return -working_days_between(last, first)
    count = 0
    day = first
    while day < last:
        day += dt.timedelta(days=1)
        if _status(day)[0]:
            count += 1
    return count
