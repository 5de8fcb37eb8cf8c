"""Thin django-ninja endpoints of the coordination committee (S3.1–S3.4,
S6.8, S6.10). Every read goes through a scoped selector: out of scope is 404."""

from django.http import HttpRequest
from ninja import Query, Router, Status

from kesu.supervision.periods import period_make
from kesu.supervision.schemas import PeriodQuery

from . import present
from .schemas import (
    CircularIn,
    CircularOut,
    DecideIn,
    DeliberationIn,
    DeliberationOut,
    Error,
    FollowUpIn,
    MeetingIn,
    MeetingOut,
    MeetingRecordIn,
    MissingMeetingOut,
    OpinionIn,
    ProposalOut,
)
from .selectors import circulars as cs
from .selectors import deliberations as ds
from .selectors import meetings as ms
from .services import circulars, deliberations, meetings

router = Router()
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


@router.get("/circulars", response={200: list[CircularOut], **ERRORS})
def circular_list(request: HttpRequest):
    rows = cs.circular_scope(request.user).prefetch_related("complaints")[:200]
    return [present.circular(c) for c in rows]


@router.get("/circulars/proposals", response={200: list[ProposalOut], **ERRORS})
def circular_proposals(request: HttpRequest, q: Query[PeriodQuery]):
    """S3.2: the period's escalated and major-impact complaints, proposed."""
    found = cs.circular_proposals(request.user, period=period_make(q.start, q.end))
    return [present.proposal(kind, c) for kind, rows in found.items() for c in rows]


@router.post("/circulars", response={201: CircularOut, **ERRORS})
def circular_draft(request: HttpRequest, data: CircularIn):
    period = period_make(data.start, data.end) if data.start and data.end else None
    circular = circulars.circular_draft(
        user=request.user,
        kind=data.kind,
        title=data.title,
        body=data.body,
        complaint_ids=data.complaints,
        department_id=data.department,
        period=period,
    )
    return Status(201, present.circular(circular))


@router.get("/circulars/{int:circular_id}", response={200: CircularOut, **ERRORS})
def circular_detail(request: HttpRequest, circular_id: int):
    return present.circular(cs.circular_get_for(request.user, pk=circular_id))


@router.post(
    "/circulars/{int:circular_id}/issue", response={200: CircularOut, **ERRORS}
)
def circular_issue(request: HttpRequest, circular_id: int):
    circular = cs.circular_get_for(request.user, pk=circular_id)
    return present.circular(
        circulars.circular_issue(user=request.user, circular=circular)
    )


@router.get("/meetings", response={200: list[MeetingOut], **ERRORS})
def meeting_list(request: HttpRequest):
    rows = ms.joint_meeting_list_for(request.user).prefetch_related(
        "attendees", "departments"
    )[:200]
    return [present.meeting(m) for m in rows]


@router.get("/meetings/missing", response={200: list[MissingMeetingOut], **ERRORS})
def meetings_missing(request: HttpRequest):
    """S3.1: companies whose last half-year ended without a joint meeting."""
    return [
        {"company": present.ref(x["company"]), "year": x["year"], "half": x["half"]}
        for x in ms.joint_meetings_missing(request.user)
    ]


@router.post("/meetings", response={201: MeetingOut, **ERRORS})
def meeting_schedule(request: HttpRequest, data: MeetingIn):
    meeting = meetings.joint_meeting_schedule(
        user=request.user, scheduled_for=data.scheduled_for, location=data.location
    )
    return Status(201, present.meeting(meeting))


@router.get("/meetings/{int:meeting_id}", response={200: MeetingOut, **ERRORS})
def meeting_detail(request: HttpRequest, meeting_id: int):
    return present.meeting(ms.joint_meeting_get_for(request.user, pk=meeting_id))


@router.post("/meetings/{int:meeting_id}/figures", response={200: MeetingOut, **ERRORS})
def meeting_figures(request: HttpRequest, meeting_id: int):
    """S3.1: prepare the half-year's department figures for the meeting."""
    meeting = ms.joint_meeting_get_for(request.user, pk=meeting_id)
    return present.meeting(
        meetings.joint_meeting_prepare_figures(user=request.user, meeting=meeting)
    )


@router.post("/meetings/{int:meeting_id}/record", response={200: MeetingOut, **ERRORS})
def meeting_record(request: HttpRequest, meeting_id: int, data: MeetingRecordIn):
    meeting = ms.joint_meeting_get_for(request.user, pk=meeting_id)
    return present.meeting(
        meetings.joint_meeting_record(
            user=request.user,
            meeting=meeting,
            attendee_ids=data.attendees,
            department_ids=data.departments,
            minutes=data.minutes,
            decisions=data.decisions,
        )
    )


@router.get("/deliberations", response={200: list[DeliberationOut], **ERRORS})
def deliberation_list(request: HttpRequest, status: str = ""):
    rows = ds.deliberation_list_for(request.user, status=status).prefetch_related(
        "departments", "opinions__department", "opinions__author"
    )[:200]
    return [present.deliberation(d) for d in rows]


@router.post("/deliberations", response={201: DeliberationOut, **ERRORS})
def deliberation_propose(request: HttpRequest, data: DeliberationIn):
    """S3.3/S6.8: put a major or difficult case before the committee;
    S3.4/S6.10: or a dispute between departments on liability or cause."""
    item = deliberations.deliberation_propose(
        user=request.user,
        complaint_id=data.complaint,
        kind=data.kind,
        question=data.question,
        department_ids=data.departments,
    )
    return Status(201, present.deliberation(item))


@router.get("/deliberations/{int:item_id}", response={200: DeliberationOut, **ERRORS})
def deliberation_detail(request: HttpRequest, item_id: int):
    return present.deliberation(ds.deliberation_get_for(request.user, pk=item_id))


@router.post(
    "/deliberations/{int:item_id}/opinions", response={200: DeliberationOut, **ERRORS}
)
def deliberation_opinion(request: HttpRequest, item_id: int, data: OpinionIn):
    item = ds.deliberation_get_for(request.user, pk=item_id)
    deliberations.deliberation_give_opinion(
        user=request.user, deliberation=item, text=data.text
    )
    return present.deliberation(item)


@router.post(
    "/deliberations/{int:item_id}/decide", response={200: DeliberationOut, **ERRORS}
)
def deliberation_decide(request: HttpRequest, item_id: int, data: DecideIn):
    """S3.4: the final decision; with a liability it is a ruling on the case."""
    item = ds.deliberation_get_for(request.user, pk=item_id)
    return present.deliberation(
        deliberations.deliberation_decide(
            user=request.user,
            deliberation=item,
            decision=data.decision,
            liability=data.liability,
            cause=data.cause,
            responsible_link=data.responsible_link,
        )
    )


@router.post(
    "/deliberations/{int:item_id}/follow-up", response={200: DeliberationOut, **ERRORS}
)
def deliberation_follow_up(request: HttpRequest, item_id: int, data: FollowUpIn):
    item = ds.deliberation_get_for(request.user, pk=item_id)
    return present.deliberation(
        deliberations.deliberation_follow_up(
            user=request.user, deliberation=item, note=data.note, done=data.done
        )
    )
