"""Action endpoints from the decision to the archive (DESIGN §3.7–3.11):
reply, propose/confirm/reject closure, close, follow-ups, reopen, review
request, withdraw, archive. Same rules as api_actions.py: 404 out of scope,
409 when the version you sent is stale."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router
from pydantic import Field

from . import services as s
from .api_common import (
    ERRORS,
    NOTE,
    TEXT,
    ActionIn,
    ActionResult,
    NoteIn,
    ReasonIn,
    case_for,
    expected_version,
    result,
)
from .models import FollowUp

router = Router()
R = {200: ActionResult, **ERRORS}


def _run(request, complaint_id: int, body: ActionIn, service, **kwargs):
    case = case_for(request, complaint_id)
    return service(complaint=case, actor=request.user,
                   expected_version=expected_version(request, body), **kwargs)


class ReplyIn(ActionIn):
    findings: str = TEXT
    basis: str = TEXT
    result: str = TEXT
    remedies: list[str] = Field(
        min_length=1, max_length=10,
        description="review, mediation, arbitration, litigation (R1.11)")
    delivery_method: str = Field(min_length=1, max_length=32)
    delivered_at: dt.datetime | None = None


@router.post("/{int:complaint_id}/reply", response=R, url_name="complaint_reply")
def reply(request: HttpRequest, complaint_id: int, body: ReplyIn):
    """答复: the decision with its findings, basis, result and remedies, and
    its delivery (R1.11)."""
    case = _run(request, complaint_id, body, s.complaint_reply, findings=body.findings,
                basis=body.basis, result=body.result, remedies=body.remedies,
                delivery_method=body.delivery_method, delivered_at=body.delivered_at)
    return result(request, case)


class ClosingIn(NoteIn):
    liability: str | None = Field(None, max_length=16, description="liable/not_liable")
    responsible_link: str | None = Field(None, max_length=32)
    cause: str | None = Field(None, max_length=32)


def _closing(body: ClosingIn) -> dict:
    return {"liability": body.liability, "responsible_link": body.responsible_link,
            "cause": body.cause, "note": body.note}


@router.post("/{int:complaint_id}/close", response=R, url_name="complaint_close")
def close(request: HttpRequest, complaint_id: int, body: ClosingIn):
    """结案 with liability, responsible link and cause, where this company
    may close itself (S6.9, S7.8)."""
    case = _run(request, complaint_id, body, s.complaint_close, **_closing(body))
    return result(request, case)


@router.post("/{int:complaint_id}/propose-closure", response=R,
             url_name="complaint_propose_closure")
def propose_closure(request: HttpRequest, complaint_id: int, body: ClosingIn):
    """提请结案 where the province must confirm (S6.9, S7.8)."""
    case = _run(request, complaint_id, body, s.complaint_propose_closure,
                **_closing(body))
    return result(request, case)


@router.post("/{int:complaint_id}/confirm-closure", response=R,
             url_name="complaint_confirm_closure")
def confirm_closure(request: HttpRequest, complaint_id: int, body: ClosingIn):
    """The province confirms a proposed closure (optionally correcting it)."""
    case = _run(request, complaint_id, body, s.complaint_confirm_closure,
                **_closing(body))
    return result(request, case)


class NoteRequiredIn(ActionIn):
    note: str = Field(min_length=1, max_length=5000)


@router.post("/{int:complaint_id}/reject-closure", response=R,
             url_name="complaint_reject_closure")
def reject_closure(request: HttpRequest, complaint_id: int, body: NoteRequiredIn):
    case = _run(request, complaint_id, body, s.complaint_reject_closure, note=body.note)
    return result(request, case)


class FollowUpIn(ActionIn):
    result: FollowUp.Result
    note: str = NOTE


@router.post("/{int:complaint_id}/follow-ups", response=R,
             url_name="complaint_record_follow_up")
def record_follow_up(request: HttpRequest, complaint_id: int, body: FollowUpIn):
    """回访: satisfied / fairly satisfied / dissatisfied / unreachable (retry)
    (S5.1, S7.7)."""
    case, _ = _run(request, complaint_id, body, s.complaint_record_follow_up,
                   result=body.result.value, note=body.note)
    return result(request, case)


@router.post("/{int:complaint_id}/reopen", response=R, url_name="complaint_reopen")
def reopen(request: HttpRequest, complaint_id: int, body: ReasonIn):
    """重新处理 after a dissatisfied follow-up."""
    case = _run(request, complaint_id, body, s.complaint_reopen, reason=body.reason)
    return result(request, case)


class ReviewRequestIn(ReasonIn):
    received_at: dt.datetime | None = None


@router.post("/{int:complaint_id}/review-request", response=R,
             url_name="complaint_request_review")
def request_review(request: HttpRequest, complaint_id: int, body: ReviewRequestIn):
    """核查: within 30 days of the decision, a linked case at the parent
    company (R1.12). `new_case_id` is the review case."""
    case, review = _run(request, complaint_id, body, s.complaint_request_review,
                        reason=body.reason, received_at=body.received_at)
    return result(request, case, new_case_id=review.pk)


@router.post("/{int:complaint_id}/withdraw", response=R, url_name="complaint_withdraw")
def withdraw(request: HttpRequest, complaint_id: int, body: ReasonIn):
    """撤诉: how and when the complainant withdrew."""
    case = _run(request, complaint_id, body, s.complaint_withdraw, reason=body.reason)
    return result(request, case)


@router.post("/{int:complaint_id}/archive", response=R, url_name="complaint_archive")
def archive(request: HttpRequest, complaint_id: int, body: NoteIn):
    """归档: the case and its attachments become read-only (S5.1, R1.15)."""
    case = _run(request, complaint_id, body, s.complaint_archive, note=body.note)
    return result(request, case)
