"""Reads of joint meetings (S3.1) and the half-years that ended without one."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.accounts.access import scope_companies
from kesu.errors import NotFound
from kesu.organisation.models import Company
from kesu.supervision.periods import half_year_of, previous_half_year

from ..models import JointMeeting


def joint_meeting_list_for(user) -> QuerySet[JointMeeting]:
    return JointMeeting.objects.filter(
        company__in=scope_companies(user)
    ).select_related("company")


def joint_meeting_get_for(user, *, pk: int) -> JointMeeting:
    meeting = joint_meeting_list_for(user).filter(pk=pk).first()
    if meeting is None:
        raise NotFound(_("未找到该会议"))
    return meeting


def joint_meetings_missing(user, *, today: dt.date | None = None) -> list[dict]:
    """S3.1: companies in scope whose last ended half-year had no meeting held."""
    today = today or timezone.localdate()
    year, half = previous_half_year(*half_year_of(today))
    held = set(
        JointMeeting.objects.filter(
            year=year,
            half=half,
            status=JointMeeting.Status.HELD,
        ).values_list("company_id", flat=True)
    )
    companies = scope_companies(user).filter(is_active=True).order_by("path")
    return [
        {"company": c, "year": year, "half": half}
        for c in companies
        if c.pk not in held
    ]


def joint_meeting_due(company: Company, *, today: dt.date | None = None) -> bool:
    """S3.1: the current half-year has no meeting scheduled or held yet."""
    year, half = half_year_of(today or timezone.localdate())
    return not JointMeeting.objects.filter(
        company=company, year=year, half=half
    ).exists()


def joint_meeting_held(company: Company, *, year: int, half: int) -> bool:
    return JointMeeting.objects.filter(
        company=company, year=year, half=half, status=JointMeeting.Status.HELD
    ).exists()


def joint_meeting_states(
    company: Company, halves: list[tuple[int, int]]
) -> dict[tuple[int, int], set[str]]:
    """The statuses of `company`'s meetings in each (year, half), one query
    (the workbench asks about this half-year and the last one)."""
    found: dict[tuple[int, int], set[str]] = {h: set() for h in halves}
    years = {y for y, _h in halves}
    rows = JointMeeting.objects.filter(company=company, year__in=years).values_list(
        "year", "half", "status"
    )
    for year, half, status in rows:
        if (year, half) in found:
            found[(year, half)].add(status)
    return found
