"""Report periods (S5.2, S6.2, S7.3): month, quarter, half-year, year.

A period is a half-open interval [start, end) of Asia/Shanghai days; its key
is what URLs and job parameters carry: "2026-03", "2026-Q1", "2026-H1",
"2026"."""

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.errors import DomainValidationError

SHANGHAI = ZoneInfo("Asia/Shanghai")


class PeriodKind(models.TextChoices):
    MONTH = "month", gettext_lazy("月度")
    QUARTER = "quarter", gettext_lazy("季度")
    HALF_YEAR = "half_year", gettext_lazy("半年度")
    YEAR = "year", gettext_lazy("年度")


MONTHS = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.HALF_YEAR: 6,
    PeriodKind.YEAR: 12,
}
_KEY = re.compile(r"^(\d{4})(?:-(?:(\d{1,2})|Q([1-4])|H([12])))?$")


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    first_day: dt.date  # inclusive

    @property
    def months(self) -> int:
        return MONTHS[self.kind]

    @property
    def end_day(self) -> dt.date:  # exclusive
        return _add_months(self.first_day, self.months)

    @property
    def last_day(self) -> dt.date:
        return self.end_day - dt.timedelta(days=1)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first_day, dt.time(), SHANGHAI)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.end_day, dt.time(), SHANGHAI)

    @property
    def key(self) -> str:
        y, m = self.first_day.year, self.first_day.month
        if self.kind == PeriodKind.MONTH:
            return f"{y}-{m:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{y}-Q{(m - 1) // 3 + 1}"
        if self.kind == PeriodKind.HALF_YEAR:
            return f"{y}-H{(m - 1) // 6 + 1}"
        return str(y)

    @property
    def label(self) -> str:
        y, m = self.first_day.year, self.first_day.month
        if self.kind == PeriodKind.MONTH:
            return _("%(y)d年%(m)d月") % {"y": y, "m": m}
        if self.kind == PeriodKind.QUARTER:
            return _("%(y)d年第%(q)d季度") % {"y": y, "q": (m - 1) // 3 + 1}
        if self.kind == PeriodKind.HALF_YEAR:
            return (
                _("%(y)d年上半年") % {"y": y}
                if m == 1
                else _("%(y)d年下半年") % {"y": y}
            )
        return _("%(y)d年") % {"y": y}

    def previous(self) -> "Period":
        return Period(self.kind, _add_months(self.first_day, -self.months))

    def same_period_last_year(self) -> "Period":
        return Period(self.kind, _add_months(self.first_day, -12))

    def __str__(self) -> str:
        return self.key


def period_parse(key: str) -> Period:
    """ "2026-03" → month, "2026-Q1" → quarter, "2026-H2" → half, "2026" → year."""
    match = _KEY.match((key or "").strip().upper())
    if not match:
        raise DomainValidationError(
            _("报告期格式不正确，例如 2026-03、2026-Q1、2026-H1 或 2026"),
            field="period",
        )
    year, month, quarter, half = match.groups()
    y = int(year)
    if not 2000 <= y <= 2100:
        raise DomainValidationError(_("报告期年份超出范围"), field="period")
    if month:
        if not 1 <= int(month) <= 12:
            raise DomainValidationError(_("月份应为 1–12"), field="period")
        return Period(PeriodKind.MONTH, dt.date(y, int(month), 1))
    if quarter:
        return Period(PeriodKind.QUARTER, dt.date(y, (int(quarter) - 1) * 3 + 1, 1))
    if half:
        return Period(PeriodKind.HALF_YEAR, dt.date(y, 1 if half == "1" else 7, 1))
    return Period(PeriodKind.YEAR, dt.date(y, 1, 1))


def period_containing(kind: str, day: dt.date) -> Period:
    months = MONTHS[kind]
    first_month = (day.month - 1) // months * months + 1
    return Period(kind, dt.date(day.year, first_month, 1))


def period_just_ended(kind: str, today: dt.date) -> Period:
    """The last complete period of `kind` before `today` (for scheduled sending)."""
    return period_containing(kind, today).previous()
