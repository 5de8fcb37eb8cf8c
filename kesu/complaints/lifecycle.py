"""The complaint's life (DESIGN §3) as data: states, actions and the transition
table. Services enforce it (services/transition.py), and `allowed_actions`
computes from it what the UI and the API offer to a user.

A row says: from which states an action may be taken, to which state it moves
the case ("same" = the state does not change; referral and hand-down move the
owning company, not the state), which roles may take it, and which named
conditions (predicates in `CONDITIONS`) must hold. Services check further
input (the department dispatched to, the code tables…) themselves."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kesu.accounts.roles import Role

from .conditions import (  # re-exported: services and views name them here
    CUSTOMER_SERVICE_CATEGORIES as CUSTOMER_SERVICE_CATEGORIES,
)
from .conditions import OPEN_INVESTIGATION as OPEN_INVESTIGATION
from .conditions import Facts, failed_condition
from .conditions import extension_approver_ok as extension_approver_ok
from .conditions import handled_by_customer_service as handled_by_customer_service
from .conditions import needs_province_confirmation as needs_province_confirmation
from .conditions import review_window_open as review_window_open
from .models import (
    Complaint,
    State,
)

SAME = "same"

OPEN_STATES = frozenset(
    {
        State.REGISTERED,
        State.ACCEPTED,
        State.INVESTIGATING,
        State.REVIEWING,
        State.REPLIED,
        State.CLOSURE_PROPOSED,
    }
)
HANDLING_STATES = frozenset({State.ACCEPTED, State.INVESTIGATING, State.REVIEWING})
FINAL_STATES = frozenset(
    {State.DECLINED, State.WITHDRAWN, State.MERGED, State.ARCHIVED}
)

HANDLERS = frozenset({Role.HANDLER, Role.CS_HEAD})
INTAKE = frozenset({Role.CLERK, Role.HANDLER, Role.CS_HEAD})


class Action:
    """Actions in the imperative; the event of an action carries its name."""

    REGISTER = "register"
    ACCEPT = "accept"
    DECLINE = "decline"
    TRANSFER = "transfer"  # R2.1 outside remit → the right company
    ASSIGN = "assign"
    REGRADE = "regrade"
    PRELIMINARY_OPINION = "preliminary_opinion"
    DISPATCH = "dispatch"
    ANSWER = "answer"
    RETURN_FOR_REINVESTIGATION = "return_for_reinvestigation"
    ACCEPT_FINDING = "accept_finding"
    REFER_UP = "refer_up"
    ANSWER_REFERRAL = "answer_referral"
    HAND_DOWN = "hand_down"
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    REJECT_EXTENSION = "reject_extension"
    PAUSE = "pause"
    RESUME = "resume"
    MERGE = "merge"
    REPLY = "reply"
    PROPOSE_CLOSURE = "propose_closure"
    CONFIRM_CLOSURE = "confirm_closure"
    REJECT_CLOSURE = "reject_closure"
    CLOSE = "close"
    APPLY_RULING = "apply_ruling"
    RECORD_FOLLOW_UP = "record_follow_up"
    REOPEN = "reopen"
    REQUEST_REVIEW = "request_review"
    WITHDRAW = "withdraw"
    ARCHIVE = "archive"
    REQUEST_SUPERVISION = "request_supervision"  # S5.5
    GIVE_SUPERVISION_OPINION = "give_supervision_opinion"  # S5.5


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str  # a State value or SAME
    roles: frozenset[str]
    conditions: tuple[str, ...] = ()
    label: str = ""


def _t(action, sources, target, roles, conditions=(), label=""):
    return Transition(
        action, frozenset(sources), target, frozenset(roles), tuple(conditions), label
    )


S = State
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t(
            Action.ACCEPT,
            {S.REGISTERED},
            S.ACCEPTED,
            HANDLERS,
            ("at_owning_company", "not_complained_about"),
            _("受理"),
        ),
        _t(
            Action.DECLINE,
            {S.REGISTERED},
            S.DECLINED,
            HANDLERS,
            ("at_owning_company", "not_complained_about"),
            _("不予受理"),
        ),
        _t(
            Action.TRANSFER,
            {S.REGISTERED},
            SAME,
            HANDLERS,
            ("at_owning_company",),
            _("移交有权处理机构"),
        ),
        _t(
            Action.ASSIGN,
            OPEN_STATES,
            SAME,
            HANDLERS,
            ("at_owning_company",),
            _("指定处理人"),
        ),
        _t(
            Action.REGRADE,
            OPEN_STATES,
            SAME,
            HANDLERS,
            ("at_owning_company",),
            _("调整等级"),
        ),
        _t(
            Action.PRELIMINARY_OPINION,
            HANDLING_STATES,
            SAME,
            HANDLERS,
            ("at_owning_company", "not_complained_about"),
            _("初步处理意见"),
        ),
        _t(
            Action.DISPATCH,
            HANDLING_STATES,
            S.INVESTIGATING,
            HANDLERS,
            (
                "at_owning_company",
                "not_complained_about",
                "not_handled_by_customer_service",
            ),
            _("转办调查"),
        ),
        # to REVIEWING once no investigation is outstanding, else it stays INVESTIGATING
        _t(
            Action.ANSWER,
            {S.INVESTIGATING},
            S.REVIEWING,
            {Role.COORDINATOR},
            ("has_open_investigation_for_user_department", "not_complained_about"),
            _("反馈调查结果"),
        ),
        _t(
            Action.RETURN_FOR_REINVESTIGATION,
            {S.INVESTIGATING, S.REVIEWING},
            S.INVESTIGATING,
            HANDLERS,
            ("at_owning_company", "has_answered_investigation"),
            _("退回重新调查"),
        ),
        _t(
            Action.ACCEPT_FINDING,
            {S.INVESTIGATING, S.REVIEWING},
            SAME,
            HANDLERS,
            ("at_owning_company", "has_answered_investigation"),
            _("采纳调查结果"),
        ),
        _t(
            Action.REFER_UP,
            OPEN_STATES - {S.CLOSURE_PROPOSED},
            SAME,
            HANDLERS,
            ("at_owning_company", "has_parent_company"),
            _("上报"),
        ),
        _t(
            Action.ANSWER_REFERRAL,
            OPEN_STATES,
            SAME,
            HANDLERS,
            ("has_pending_referral_to_user_company",),
            _("答复上报"),
        ),
        _t(
            Action.HAND_DOWN,
            OPEN_STATES - {S.CLOSURE_PROPOSED},
            SAME,
            HANDLERS,
            ("at_owning_company", "has_lower_company"),
            _("下转处理"),
        ),
        _t(
            Action.REQUEST_EXTENSION,
            HANDLING_STATES,
            SAME,
            HANDLERS,
            ("at_owning_company", "may_request_extension"),
            _("申请延期"),
        ),
        _t(
            Action.APPROVE_EXTENSION,
            HANDLING_STATES,
            SAME,
            {Role.CS_HEAD},
            ("may_decide_pending_extension",),
            _("批准延期"),
        ),
        _t(
            Action.REJECT_EXTENSION,
            HANDLING_STATES,
            SAME,
            {Role.CS_HEAD},
            ("may_decide_pending_extension",),
            _("驳回延期"),
        ),
        _t(
            Action.PAUSE,
            HANDLING_STATES,
            SAME,
            HANDLERS,
            ("at_owning_company", "clock_running"),
            _("暂停计时"),
        ),
        _t(
            Action.RESUME,
            HANDLING_STATES,
            SAME,
            HANDLERS,
            ("at_owning_company", "clock_paused"),
            _("恢复计时"),
        ),
        _t(
            Action.MERGE,
            {S.REGISTERED} | HANDLING_STATES,
            S.MERGED,
            HANDLERS,
            ("at_owning_company",),
            _("合并至在办案件"),
        ),
        _t(
            Action.REPLY,
            {S.ACCEPTED, S.REVIEWING},
            S.REPLIED,
            HANDLERS,
            ("at_owning_company", "not_complained_about", "no_open_investigation"),
            _("答复投诉人"),
        ),
        _t(
            Action.PROPOSE_CLOSURE,
            {S.REPLIED},
            S.CLOSURE_PROPOSED,
            HANDLERS,
            ("at_owning_company", "needs_province_confirmation"),
            _("提请结案"),
        ),
        _t(
            Action.CONFIRM_CLOSURE,
            {S.CLOSURE_PROPOSED},
            S.CLOSED,
            {Role.CS_HEAD},
            ("at_province_of_owner",),
            _("确认结案"),
        ),
        _t(
            Action.REJECT_CLOSURE,
            {S.CLOSURE_PROPOSED},
            S.REPLIED,
            {Role.CS_HEAD},
            ("at_province_of_owner",),
            _("退回结案申请"),
        ),
        _t(
            Action.CLOSE,
            {S.REPLIED},
            S.CLOSED,
            HANDLERS,
            ("at_owning_company", "may_close_directly"),
            _("结案"),
        ),
        _t(
            Action.APPLY_RULING,
            {S.REVIEWING, S.REPLIED, S.CLOSURE_PROPOSED, S.CLOSED},
            SAME,
            {Role.COMMITTEE_MEMBER},
            ("at_owning_company_or_above",),
            _("委员会最终裁定"),
        ),
        _t(
            Action.RECORD_FOLLOW_UP,
            {S.REPLIED, S.CLOSURE_PROPOSED, S.CLOSED},
            SAME,
            HANDLERS,
            ("at_owning_company", "follow_up_open"),
            _("回访"),
        ),
        _t(
            Action.REOPEN,
            {S.CLOSED},
            S.REVIEWING,
            HANDLERS,
            ("at_owning_company", "last_follow_up_dissatisfied"),
            _("重新处理"),
        ),
        _t(
            Action.REQUEST_REVIEW,
            {S.REPLIED, S.CLOSED},
            SAME,
            INTAKE,
            (
                "at_owning_company_or_parent",
                "has_parent_company",
                "within_review_window",
            ),
            _("申请核查"),
        ),
        _t(
            Action.WITHDRAW,
            OPEN_STATES,
            S.WITHDRAWN,
            INTAKE,
            ("at_owning_company",),
            _("撤诉"),
        ),
        _t(
            Action.ARCHIVE,
            {S.CLOSED},
            S.ARCHIVED,
            HANDLERS,
            ("at_owning_company",),
            _("归档"),
        ),
        # S5.5: a finding that differs greatly from the complaint is put under
        # head office's supervision by the owning company's customer service.
        _t(
            Action.REQUEST_SUPERVISION,
            HANDLING_STATES,
            SAME,
            HANDLERS,
            ("at_owning_company", "below_head_office", "not_supervised"),
            _("提请总公司督办"),
        ),
        _t(
            Action.GIVE_SUPERVISION_OPINION,
            OPEN_STATES,
            SAME,
            HANDLERS,
            ("at_head_office", "supervised_by_head_office"),
            _("督办意见"),
        ),
    ]
}


def has_role(user, transition: Transition) -> bool:
    return bool(getattr(user, "role_set", frozenset()) & transition.roles)


def allowed_actions(user, complaint: Complaint, parts=None) -> list[str]:
    """Actions `user` may take on `complaint` now (state, role, conditions).
    The caller has already checked that the case is in the user's scope;
    `parts`, the case file it loaded (casefile.py), saves the conditions'
    queries."""
    facts = Facts(user, complaint, parts)
    allowed = []
    for action, transition in TRANSITIONS.items():
        if complaint.state not in transition.sources or not has_role(user, transition):
            continue
        if failed_condition(user, complaint, transition, facts) is None:
            allowed.append(action)
    return allowed
