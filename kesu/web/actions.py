"""Which form and which service belong to each action of the transition
table. The buttons on a case come from `allowed_actions`; this table only
says how to ask for what the action needs and whom to call."""

from dataclasses import dataclass

from kesu.complaints import services
from kesu.complaints.lifecycle import TRANSITIONS, Action

from .forms import actions as f


@dataclass(frozen=True)
class ActionUI:
    form: type[f.ActionForm]
    service: str  # name in kesu.complaints.services
    primary: bool = False  # the usual next step, shown first and highlighted
    danger: bool = False


A = Action
ACTIONS: dict[str, ActionUI] = {
    A.ACCEPT: ActionUI(f.NoteForm, "complaint_accept", primary=True),
    A.DECLINE: ActionUI(f.DeclineForm, "complaint_decline", danger=True),
    A.TRANSFER: ActionUI(f.CompanyReasonForm, "complaint_transfer"),
    A.ASSIGN: ActionUI(f.AssignForm, "complaint_assign"),
    A.REGRADE: ActionUI(f.RegradeForm, "complaint_regrade"),
    A.PRELIMINARY_OPINION: ActionUI(f.OpinionForm, "complaint_record_opinion"),
    A.DISPATCH: ActionUI(f.DispatchForm, "investigation_dispatch", primary=True),
    A.ANSWER: ActionUI(f.AnswerForm, "investigation_answer", primary=True),
    A.RETURN_FOR_REINVESTIGATION: ActionUI(f.ReturnForm, "investigation_return"),
    A.ACCEPT_FINDING: ActionUI(
        f.AcceptFindingForm, "investigation_accept_finding", primary=True
    ),
    A.REFER_UP: ActionUI(f.ReferUpForm, "complaint_refer_up"),
    A.ANSWER_REFERRAL: ActionUI(f.AnswerReferralForm, "referral_answer", primary=True),
    A.HAND_DOWN: ActionUI(f.HandDownForm, "complaint_hand_down"),
    A.REQUEST_EXTENSION: ActionUI(f.ExtensionForm, "extension_request"),
    A.APPROVE_EXTENSION: ActionUI(
        f.ApproveExtensionForm, "extension_approve", primary=True
    ),
    A.REJECT_EXTENSION: ActionUI(f.RejectForm, "extension_reject"),
    A.PAUSE: ActionUI(f.ReasonForm, "complaint_pause"),
    A.RESUME: ActionUI(f.NoteForm, "complaint_resume"),
    A.MERGE: ActionUI(f.MergeForm, "complaint_merge"),
    A.REPLY: ActionUI(f.ReplyForm, "complaint_reply", primary=True),
    A.PROPOSE_CLOSURE: ActionUI(f.CloseForm, "complaint_propose_closure", primary=True),
    A.CONFIRM_CLOSURE: ActionUI(f.NoteForm, "complaint_confirm_closure", primary=True),
    A.REJECT_CLOSURE: ActionUI(f.RejectForm, "complaint_reject_closure"),
    A.CLOSE: ActionUI(f.CloseForm, "complaint_close", primary=True),
    A.RECORD_FOLLOW_UP: ActionUI(f.FollowUpForm, "complaint_record_follow_up"),
    A.REOPEN: ActionUI(f.ReopenForm, "complaint_reopen"),
    A.REQUEST_REVIEW: ActionUI(f.ReasonForm, "complaint_request_review"),
    A.WITHDRAW: ActionUI(f.ReasonForm, "complaint_withdraw", danger=True),
    A.ARCHIVE: ActionUI(f.ConfirmForm, "complaint_archive"),
    A.REQUEST_SUPERVISION: ActionUI(
        f.SupervisionRequestForm, "complaint_request_supervision"
    ),
    A.GIVE_SUPERVISION_OPINION: ActionUI(
        f.SupervisionOpinionForm, "complaint_give_supervision_opinion", primary=True
    ),
}


def service_for(action: str):
    ui = ACTIONS.get(action)
    return getattr(services, ui.service, None) if ui else None


def offered(actions: list[str]) -> list[dict]:
    """The allowed actions this UI can carry out, usual next step first."""
    out = []
    for name in actions:
        ui = ACTIONS.get(name)
        if ui is None or service_for(name) is None:
            continue
        out.append({"name": name, "label": TRANSITIONS[name].label, "ui": ui})
    return sorted(out, key=lambda a: (not a["ui"].primary, a["ui"].danger))
