"""One endpoint per action of the lifecycle table (issue 3 item 6), from
intake to the investigations, referrals and the clock. Each parses its
body, calls one service, and answers the case's new state and version.
Send the version you saw (`If-Match` or `version`): if someone else changed
the case first the answer is 409 and nothing is written."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from pydantic import Field

from kesu.errors import NotFound

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
    company_or_400,
    department_or_400,
    expected_version,
    result,
    user_or_400,
)
from .models import Referral
from .schemas import GradeName

router = Router()
R = {200: ActionResult, **ERRORS}


def _run(request, complaint_id: int, body: ActionIn, service, resolve=None,
         **kwargs):
    """404 first for a case out of scope, then ids in the body (`resolve`),
    then the service with the version."""
    case = case_for(request, complaint_id)
    if resolve is not None:
        kwargs.update(resolve())
    return service(complaint=case, actor=request.user,
                   expected_version=expected_version(request, body), **kwargs)


# --- intake (DESIGN §3.1–3.2) ------------------------------------------------------


@router.post("/{int:complaint_id}/accept", response=R, url_name="complaint_accept")
def accept(request: HttpRequest, complaint_id: int, body: NoteIn):
    """受理 (R2.1)."""
    case = _run(request, complaint_id, body, s.complaint_accept, note=body.note)
    return result(request, case)


class DeclineIn(ActionIn):
    ground: str = Field(min_length=1, max_length=32, description="decline_ground code")
    reason: str = Field(min_length=1, max_length=5000,
                        description="told to the complainant (R2.5)")
    transfer_to_company_id: int | None = None


@router.post("/{int:complaint_id}/decline", response=R, url_name="complaint_decline")
def decline(request: HttpRequest, complaint_id: int, body: DeclineIn):
    """不予受理 on a listed ground (R2.5); `outside_remit` with a company
    hands the case to that company instead (R2.1)."""
    def resolve():
        pk = body.transfer_to_company_id
        return {"transfer_to": company_or_400(pk, "transfer_to_company_id")
                if pk else None}

    case = _run(request, complaint_id, body, s.complaint_decline, resolve,
                ground=body.ground, reason=body.reason)
    return result(request, case)


class TransferIn(ReasonIn):
    to_company_id: int


@router.post("/{int:complaint_id}/transfer", response=R, url_name="complaint_transfer")
def transfer(request: HttpRequest, complaint_id: int, body: TransferIn):
    """移交: a complaint outside this company's remit (R2.1)."""
    case = _run(request, complaint_id, body, s.complaint_transfer,
                lambda: {"to_company": company_or_400(body.to_company_id,
                                                      "to_company_id")},
                reason=body.reason)
    return result(request, case)


class AssignIn(ActionIn):
    handler_id: int


@router.post("/{int:complaint_id}/assign", response=R, url_name="complaint_assign")
def assign(request: HttpRequest, complaint_id: int, body: AssignIn):
    """指定处理人 (refused for a person complained about, R1.4)."""
    case = _run(request, complaint_id, body, s.complaint_assign,
                lambda: {"handler": user_or_400(body.handler_id, "handler_id")})
    return result(request, case)


class RegradeIn(ActionIn):
    grade: GradeName
    reason: str = NOTE
    group_size: int | None = Field(None, ge=1, le=100000)


@router.post("/{int:complaint_id}/regrade", response=R, url_name="complaint_regrade")
def regrade(request: HttpRequest, complaint_id: int, body: RegradeIn):
    """调整等级 (a major or group complaint alerts the parent, R1.14)."""
    case = _run(request, complaint_id, body, s.complaint_regrade, grade=body.grade,
                   reason=body.reason, group_size=body.group_size)
    return result(request, case)


# --- opinion, dispatch, investigations (DESIGN §3.3–3.5) ------------------------------


class OpinionIn(ActionIn):
    opinion: str = TEXT


@router.post("/{int:complaint_id}/opinion", response=R, url_name="complaint_opinion")
def opinion(request: HttpRequest, complaint_id: int, body: OpinionIn):
    """初步处理意见 (S6.4, S7.4)."""
    case = _run(request, complaint_id, body, s.complaint_record_opinion,
                   opinion=body.opinion)
    return result(request, case)


class DispatchIn(ActionIn):
    department_id: int
    instructions: str = NOTE
    due_date: dt.date | None = Field(None, description="default: 5 working days")


@router.post("/{int:complaint_id}/dispatch", response=R, url_name="complaint_dispatch")
def dispatch(request: HttpRequest, complaint_id: int, body: DispatchIn):
    """转办 to one involved department; call once per department. A city
    cannot dispatch a business the province centralises (S7.5): refer up."""
    case, inv = _run(request, complaint_id, body, s.investigation_dispatch,
                     lambda: {"department": department_or_400(body.department_id)},
                     instructions=body.instructions, due_date=body.due_date)
    return result(request, case, investigation_id=inv.pk)


def _investigation(request, complaint_id: int, investigation_id: int) -> int:
    case = case_for(request, complaint_id)
    if not case.investigations.filter(pk=investigation_id).exists():
        raise NotFound(_("未找到该调查"))
    return investigation_id


class AnswerIn(ActionIn):
    finding: str = TEXT
    proposed_resolution: str = NOTE


@router.post("/{int:complaint_id}/investigations/{int:investigation_id}/answer",
             response=R, url_name="investigation_answer")
def answer(request: HttpRequest, complaint_id: int, investigation_id: int,
           body: AnswerIn):
    """调查结果, by a coordinator of the investigated department."""
    inv = _investigation(request, complaint_id, investigation_id)
    case = s.investigation_answer(investigation=inv, actor=request.user,
                                  finding=body.finding,
                                  proposed_resolution=body.proposed_resolution,
                                  expected_version=expected_version(request, body))
    return result(request, case, investigation_id=inv)


class ReturnIn(ActionIn):
    guidance: str = TEXT
    due_date: dt.date | None = None


@router.post("/{int:complaint_id}/investigations/{int:investigation_id}/return",
             response=R, url_name="investigation_return")
def return_for_reinvestigation(request: HttpRequest, complaint_id: int,
                               investigation_id: int, body: ReturnIn):
    """退回重新调查 with guidance (S6.7)."""
    inv = _investigation(request, complaint_id, investigation_id)
    case = s.investigation_return(investigation=inv, actor=request.user,
                                  guidance=body.guidance, due_date=body.due_date,
                                  expected_version=expected_version(request, body))
    return result(request, case, investigation_id=inv)


@router.post("/{int:complaint_id}/investigations/{int:investigation_id}/accept",
             response=R, url_name="investigation_accept_finding")
def accept_finding(request: HttpRequest, complaint_id: int, investigation_id: int,
                   body: NoteIn):
    """采纳调查结果."""
    inv = _investigation(request, complaint_id, investigation_id)
    case = s.investigation_accept_finding(
        investigation=inv, actor=request.user, note=body.note,
        expected_version=expected_version(request, body))
    return result(request, case, investigation_id=inv)


# --- referral (DESIGN §3.6) ---------------------------------------------------


class ReferUpIn(ReasonIn):
    kind: Literal[Referral.Kind.GUIDANCE.value, Referral.Kind.HANDLING.value]


@router.post("/{int:complaint_id}/refer-up", response=R, url_name="complaint_refer_up")
def refer_up(request: HttpRequest, complaint_id: int, body: ReferUpIn):
    """上报 for guidance (keeps the case) or for handling (the parent takes
    it over) (S7.2, S5.6)."""
    case, ref = _run(request, complaint_id, body, s.complaint_refer_up, kind=body.kind,
                     reason=body.reason)
    return result(request, case, referral_id=ref.pk)


class ReferralAnswerIn(ActionIn):
    opinion: str = TEXT


@router.post("/{int:complaint_id}/referrals/{int:referral_id}/answer", response=R,
             url_name="referral_answer")
def answer_referral(request: HttpRequest, complaint_id: int, referral_id: int,
                    body: ReferralAnswerIn):
    """The parent company's opinion on a referral."""
    case = case_for(request, complaint_id)
    if not case.referrals.filter(pk=referral_id).exists():
        raise NotFound(_("未找到该上报"))
    case = s.referral_answer(referral=referral_id, actor=request.user,
                             opinion=body.opinion,
                             expected_version=expected_version(request, body))
    return result(request, case, referral_id=referral_id)


class HandDownIn(ReasonIn):
    to_company_id: int
    authorise_closure: bool = False


@router.post("/{int:complaint_id}/hand-down", response=R,
             url_name="complaint_hand_down")
def hand_down(request: HttpRequest, complaint_id: int, body: HandDownIn):
    """下转 to a lower company, which may be authorised to close (S5.4, S7.8)."""
    case, ref = _run(request, complaint_id, body, s.complaint_hand_down,
                     lambda: {"to_company": company_or_400(body.to_company_id,
                                                           "to_company_id")},
                     reason=body.reason, authorise_closure=body.authorise_closure)
    return result(request, case, referral_id=ref.pk)


# --- the clock (DESIGN §4, R1.8–R1.10) ----------------------------------------


@router.post("/{int:complaint_id}/extensions", response=R,
             url_name="complaint_request_extension")
def request_extension(request: HttpRequest, complaint_id: int, body: ReasonIn):
    """申请延期: to 30 days, then to 60 (R1.8)."""
    case, ext = _run(request, complaint_id, body, s.extension_request,
                     reason=body.reason)
    return result(request, case, extension_id=ext.pk)


class ApproveExtensionIn(NoteIn):
    complainant_notified: bool = Field(description="the complainant was told (R1.8)")


@router.post("/{int:complaint_id}/extensions/approve", response=R,
             url_name="complaint_approve_extension")
def approve_extension(request: HttpRequest, complaint_id: int,
                      body: ApproveExtensionIn):
    """批准延期: tier 1 by the CS head, tier 2 at the parent company (R1.8)."""
    case, ext = _run(request, complaint_id, body, s.extension_approve,
                     complainant_notified=body.complainant_notified, note=body.note)
    return result(request, case, extension_id=ext.pk)


class RejectIn(ActionIn):
    note: str = Field(min_length=1, max_length=5000)


@router.post("/{int:complaint_id}/extensions/reject", response=R,
             url_name="complaint_reject_extension")
def reject_extension(request: HttpRequest, complaint_id: int, body: RejectIn):
    case, ext = _run(request, complaint_id, body, s.extension_reject, note=body.note)
    return result(request, case, extension_id=ext.pk)


@router.post("/{int:complaint_id}/pause", response=R, url_name="complaint_pause")
def pause(request: HttpRequest, complaint_id: int, body: ReasonIn):
    """暂停计时 for outside appraisal, testing or evaluation (R1.9)."""
    case = _run(request, complaint_id, body, s.complaint_pause, reason=body.reason)
    return result(request, case)


@router.post("/{int:complaint_id}/resume", response=R, url_name="complaint_resume")
def resume(request: HttpRequest, complaint_id: int, body: NoteIn):
    case = _run(request, complaint_id, body, s.complaint_resume, note=body.note)
    return result(request, case)


# --- head office's supervision (S5.5) --------------------------------------------


@router.post("/{int:complaint_id}/request-supervision", response=R,
             url_name="complaint_request_supervision")
def request_supervision(request: HttpRequest, complaint_id: int, body: ReasonIn):
    """提请总公司督办: the finding differs greatly from the complaint (S5.5)."""
    case = _run(request, complaint_id, body, s.complaint_request_supervision,
                reason=body.reason)
    return result(request, case)


class SupervisionOpinionIn(ActionIn):
    opinion: str = TEXT


@router.post("/{int:complaint_id}/supervision-opinion", response=R,
             url_name="complaint_supervision_opinion")
def supervision_opinion(request: HttpRequest, complaint_id: int,
                        body: SupervisionOpinionIn):
    """督办意见 by head office's customer service on a supervised case (S5.5)."""
    case = _run(request, complaint_id, body, s.complaint_give_supervision_opinion,
                opinion=body.opinion)
    return result(request, case)


class MergeIn(ReasonIn):
    into_id: int = Field(description="the open case this repeat complaint joins")


@router.post("/{int:complaint_id}/merge", response=R, url_name="complaint_merge")
def merge(request: HttpRequest, complaint_id: int, body: MergeIn):
    """合并 a repeat complaint with new facts; the clock restarts (R1.10)."""
    case = _run(request, complaint_id, body, s.complaint_merge,
                lambda: {"into": case_for(request, body.into_id)},
                reason=body.reason)
    return result(request, case)
