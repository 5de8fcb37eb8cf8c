"""Reads of the calendar for administrators: which years still need their
official schedule (DESIGN §4: "administrators are warned")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from . import calendar


@dataclass(frozen=True)
class MissingYear:
    year: int
    provisional_deadlines: int

    @property
    def message(self) -> str:
        return _(
            "%(year)s 年的法定节假日安排尚未录入：涉及该年的时限暂按周一至周五计算，"
            "标记为“暂定”（目前 %(count)s 个）。"
            "请在“节假日调整”中录入国务院办公厅的通知。"
        ) % {"year": self.year, "count": self.provisional_deadlines}


def provisional_fields() -> Iterator[tuple[type[models.Model], str, str]]:
    """Every stored deadline that can be provisional, found by convention:
    a BooleanField `<x>_provisional` beside a date field `<x>_date`, `<x>_at`
    or `<x>` (e.g. Complaint.due_date/due_provisional). New apps need no
    registration to be counted here."""
    for model in apps.get_models():
        names = {f.name: f for f in model._meta.concrete_fields}
        for name, field in names.items():
            if not (
                name.endswith("_provisional") and isinstance(field, models.BooleanField)
            ):
                continue
            prefix = name.removesuffix("_provisional")
            for candidate in (f"{prefix}_date", f"{prefix}_at", prefix):
                if isinstance(names.get(candidate), models.DateField):  # incl. DateTime
                    yield model, name, candidate
                    break


def provisional_deadline_years() -> Counter[int]:
    """Year → number of provisional deadlines falling in it."""
    years: Counter[int] = Counter()
    for model, flag, date_field in provisional_fields():
        rows = (
            model._default_manager.filter(
                **{flag: True, f"{date_field}__isnull": False}
            )
            .annotate(_year=ExtractYear(date_field))
            .values_list("_year")
            .annotate(n=models.Count("pk"))
            .order_by()
        )
        for year, count in rows:
            years[year] += count
    return years


def calendar_missing_years() -> list[MissingYear]:
    """Years neither chinesecalendar nor the overrides cover that matter
    now: the current and next year, and any year a provisional deadline
    falls in."""
    today = timezone.localdate()
    counts = provisional_deadline_years()
    wanted = {today.year, today.year + 1} | set(counts)
    return [
        MissingYear(year, counts.get(year, 0))
        for year in sorted(wanted)
        if not calendar.year_is_known(year)
    ]
