"""Joint meetings (S3.1): each company's committee meets the main involved
departments once per half-year, with the period's figures."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.accounts.models import User
from kesu.errors import Conflict, DomainValidationError
from kesu.organisation.models import Department
from kesu.supervision.periods import half_year, half_year_of
from kesu.supervision.selectors.figures import department_figures

from ..access import own_company, require_office
from ..models import JointMeeting
from .events import committee_event_record

S = JointMeeting.Status


@transaction.atomic
def joint_meeting_schedule(
    *, user, scheduled_for: dt.datetime, location: str = ""
) -> JointMeeting:
    """Schedule the half-year's meeting of the user's company (one per half)."""
    company = own_company(user)
    require_office(user, company)
    if timezone.is_naive(scheduled_for):
        scheduled_for = timezone.make_aware(scheduled_for)
    year, half = half_year_of(timezone.localtime(scheduled_for).date())
    try:
        with transaction.atomic():  # a savepoint: the half-year may be taken
            meeting = JointMeeting.objects.create(
                company=company,
                year=year,
                half=half,
                scheduled_for=scheduled_for,
                location=location.strip(),
                scheduled_by=user,
            )
    except IntegrityError:
        raise Conflict(_("本半年度的联席会议已安排")) from None
    committee_event_record(
        company=company,
        subject="joint_meeting",
        subject_id=meeting.pk,
        action="joint_meeting_scheduled",
        actor=user,
        data={"year": year, "half": half},
    )
    return meeting


@transaction.atomic
def joint_meeting_prepare_figures(*, user, meeting: JointMeeting) -> JointMeeting:
    """S3.1: snapshot the half-year's department figures for the meeting."""
    require_office(user, meeting.company)
    if meeting.status != S.SCHEDULED:
        raise Conflict(_("会议已召开，数据不能再更新"))
    figures = department_figures(
        companies=[meeting.company], period=half_year(meeting.year, meeting.half)
    )
    meeting.figures = [f.as_dict() for f in figures]
    meeting.figures_prepared_at = timezone.now()
    meeting.save(update_fields=["figures", "figures_prepared_at"])
    committee_event_record(
        company=meeting.company,
        subject="joint_meeting",
        subject_id=meeting.pk,
        action="joint_meeting_figures_prepared",
        actor=user,
    )
    return meeting


@transaction.atomic
def joint_meeting_record(
    *,
    user,
    meeting: JointMeeting,
    attendee_ids: list[int],
    department_ids: list[int],
    minutes: str,
    decisions: str,
) -> JointMeeting:
    """Record attendance, minutes and decisions: the meeting has been held."""
    require_office(user, meeting.company)
    if not minutes.strip():
        raise DomainValidationError(_("请填写会议纪要"), field="minutes")
    departments = list(
        Department.objects.filter(pk__in=set(department_ids), company=meeting.company)
    )
    attendees = list(
        User.objects.filter(pk__in=set(attendee_ids), company=meeting.company)
    )
    if len(departments) != len(set(department_ids)) or not departments:
        raise DomainValidationError(_("请选择本机构的出席部门"), field="departments")
    if len(attendees) != len(set(attendee_ids)):
        raise DomainValidationError(_("出席人员须为本机构人员"), field="attendees")
    changed = JointMeeting.objects.filter(pk=meeting.pk, status=S.SCHEDULED).update(
        status=S.HELD,
        minutes=minutes.strip(),
        decisions=decisions.strip(),
        held_at=timezone.now(),
    )
    if not changed:
        raise Conflict(_("会议记录已登记"))
    meeting.refresh_from_db()
    meeting.departments.set(departments)
    meeting.attendees.set(attendees)
    committee_event_record(
        company=meeting.company,
        subject="joint_meeting",
        subject_id=meeting.pk,
        action="joint_meeting_held",
        actor=user,
        data={"attendees": len(attendees)},
    )
    return meeting
