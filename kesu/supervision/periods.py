"""Reporting periods: a closed range of Asia/Shanghai dates, and half-years
(S3.1). Datetime bounds are aware, so range filters use the index."""

import datetime as dt
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.errors import DomainValidationError

MAX_PERIOD_DAYS = 3700  # ten years: a wider range is a typing error


class Period(NamedTuple):
    start: dt.date
    end: dt.date  # inclusive

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start 00:00, the day after end 00:00) in the current time zone."""
        tz = timezone.get_current_timezone()
        lo = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        hi = dt.datetime.combine(
            self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz
        )
        return lo, hi

    def as_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def period_make(start: dt.date | None, end: dt.date | None) -> Period:
    """A valid period; defaults to the current month up to today."""
    today = timezone.localdate()
    start = start or today.replace(day=1)
    end = end or today
    if end < start:
        raise DomainValidationError(_("截止日期不能早于起始日期"), field="end")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise DomainValidationError(_("统计期间过长"), field="start")
    return Period(start, end)


def half_year(year: int, half: int) -> Period:
    if half not in (1, 2):
        raise DomainValidationError(_("半年度只能是 1 或 2"), field="half")
    if half == 1:
        return Period(dt.date(year, 1, 1), dt.date(year, 6, 30))
    return Period(dt.date(year, 7, 1), dt.date(year, 12, 31))


def half_year_of(day: dt.date) -> tuple[int, int]:
    return day.year, 1 if day.month <= 6 else 2


def previous_half_year(year: int, half: int) -> tuple[int, int]:
    return (year, 1) if half == 2 else (year - 1, 2)
