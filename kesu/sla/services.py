"""Writes of the calendar: overrides from official notices, and the
recompute of provisional deadlines that follows every change (DESIGN §4)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from kesu.accounts.access import require
from kesu.accounts.roles import Perm
from kesu.errors import DomainValidationError

from . import calendar
from .models import CalendarOverride, CalendarYear

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    """One line of an official schedule."""

    date: dt.date
    is_working_day: bool
    name: str = ""


def _check_actor(actor) -> None:
    """`actor=None` is the command line (load_demo, manage.py); every user
    interface passes the signed-in user, who needs the system-admin right."""
    if actor is not None:
        require(actor, Perm.ORG_ADMIN)


def recompute_provisional() -> dict[str, int | str]:
    """Call every KESU_PROVISIONAL_RECOMPUTERS function (`fn() -> int`, the
    number of deadlines it recomputed). One failing recomputer is logged and
    reported; it neither undoes the saved calendar nor stops the others."""
    results: dict[str, int | str] = {}
    for path in getattr(settings, "KESU_PROVISIONAL_RECOMPUTERS", []):
        try:
            with transaction.atomic():
                results[path] = int(import_string(path)())
        except Exception as exc:  # reported to the administrator, never swallowed
            log.exception("provisional recompute %s failed", path)
            results[path] = f"error: {exc}"
    return results


def calendar_override_save(
    *,
    actor,
    date: dt.date,
    is_working_day: bool,
    name: str = "",
    source_notice: str = "",
) -> tuple[CalendarOverride, dict[str, int | str]]:
    """Enter or correct one date; then recompute provisional deadlines."""
    _check_actor(actor)
    with transaction.atomic():
        override, _created = CalendarOverride.objects.update_or_create(
            date=date,
            defaults={
                "is_working_day": is_working_day,
                "name": name[:50],
                "source_notice": source_notice,
                "entered_by": actor,
            },
        )
    calendar.invalidate()
    return override, recompute_provisional()


def calendar_override_delete(
    *, actor, override: CalendarOverride
) -> dict[str, int | str]:
    _check_actor(actor)
    with transaction.atomic():
        override.delete()
    calendar.invalidate()
    return recompute_provisional()


def calendar_year_enter(
    *,
    actor,
    year: int,
    entries: list[Entry],
    source_notice: str,
) -> dict[str, int | str]:
    """Enter a whole year's official schedule: its holidays and make-up
    working days replace that year's overrides, and the year becomes known
    (every other date: Monday–Friday). Then provisional deadlines are
    recomputed (DESIGN §4)."""
    _check_actor(actor)
    if not 2000 <= year <= 2100:
        raise DomainValidationError(_("年度不正确：%(year)s") % {"year": year})
    strays = [e.date for e in entries if e.date.year != year]
    if strays:
        raise DomainValidationError(
            _("%(date)s 不属于 %(year)s 年") % {"date": strays[0], "year": year}
        )
    with transaction.atomic():
        CalendarOverride.objects.filter(date__year=year).delete()
        CalendarOverride.objects.bulk_create(
            [
                CalendarOverride(
                    date=e.date,
                    is_working_day=e.is_working_day,
                    name=e.name[:50],
                    source_notice=source_notice,
                    entered_by=actor,
                )
                for e in entries
            ]
        )
        CalendarYear.objects.update_or_create(
            year=year, defaults={"source_notice": source_notice, "entered_by": actor}
        )
    calendar.invalidate()
    return recompute_provisional()


_WORK_WORDS = {
    "班",
    "上班",
    "工作日",
    "补班",
    "调休上班",
    "work",
    "workday",
    "working",
    "1",
}
_REST_WORDS = {"休", "放假", "休息", "假", "节假日", "holiday", "rest", "off", "0"}


def parse_schedule(text: str) -> list[Entry]:
    """Parse an uploaded schedule, one date a line:
    `2027-02-06 休 春节` / `2027-02-14 班 春节调休上班` (also 2027/2/6, tabs,
    commas; `#` starts a comment). Errors name the line."""
    entries: dict[dt.date, Entry] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p for p in re.split(r"[\s,，;；]+", line) if p]
        if len(parts) < 2:
            raise DomainValidationError(
                _("第 %(n)s 行格式应为：日期 休/班 名称") % {"n": number}
            )
        try:
            day = dt.date(*map(int, re.split(r"[-/.]", parts[0])))
        except (TypeError, ValueError):
            raise DomainValidationError(
                _("第 %(n)s 行的日期无法识别：%(v)s") % {"n": number, "v": parts[0]}
            ) from None
        kind = parts[1].lower()
        if kind not in _WORK_WORDS | _REST_WORDS:
            raise DomainValidationError(
                _("第 %(n)s 行请写“休”或“班”，而不是：%(v)s")
                % {"n": number, "v": parts[1]}
            )
        if day in entries:
            raise DomainValidationError(
                _("第 %(n)s 行的日期重复：%(d)s") % {"n": number, "d": day}
            )
        entries[day] = Entry(day, kind in _WORK_WORDS, " ".join(parts[2:]))
    return sorted(entries.values(), key=lambda e: e.date)
