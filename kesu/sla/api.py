"""Calendar endpoints for administrators (DESIGN §4)."""

import datetime as dt

from ninja import Router, Schema

from kesu.accounts.access import require
from kesu.accounts.roles import Perm

from . import calendar
from .selectors import calendar_missing_years
from .services import Entry, calendar_year_enter

router = Router()


class MissingYearOut(Schema):
    year: int
    provisional_deadlines: int
    message: str


class StatusOut(Schema):
    chinesecalendar_years: list[int]
    ok: bool
    missing_years: list[MissingYearOut]


@router.get("/status", response=StatusOut)
def calendar_status(request):
    """Years whose official schedule is still missing (system administrators)."""
    require(request.user, Perm.ORG_ADMIN)
    missing = calendar_missing_years()
    return {
        "chinesecalendar_years": [calendar.CC_FIRST_YEAR, calendar.CC_LAST_YEAR],
        "ok": not missing,
        "missing_years": [
            {
                "year": m.year,
                "provisional_deadlines": m.provisional_deadlines,
                "message": m.message,
            }
            for m in missing
        ],
    }


class EntryIn(Schema):
    date: dt.date
    is_working_day: bool
    name: str = ""


class YearIn(Schema):
    source_notice: str
    entries: list[EntryIn]


@router.put("/years/{year}")
def calendar_year_put(request, year: int, payload: YearIn):
    """Enter a year's whole official schedule; provisional deadlines are recomputed."""
    results = calendar_year_enter(
        actor=request.user,
        year=year,
        source_notice=payload.source_notice,
        entries=[Entry(e.date, e.is_working_day, e.name) for e in payload.entries],
    )
    return {"year": year, "entries": len(payload.entries), "recomputed": results}
