"""The complaint's life (DESIGN §3) as data: states, actions and the transition
table. Services enforce it (services/transition.py), and `allowed_actions`
computes from it what the UI and the API offer to a user.

A row says: from which states an action may be taken, to which state it moves
the case ("same" = the state does not change; referral and hand-down move the
owning company, not the state), which roles may take it, and which named
conditions (predicates in `CONDITIONS`) must hold. Services check further
input (the department dispatched to, the code tables…) themselves."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.accounts.roles import Role
from kesu.organisation.models import Level

from .models import (
    Complaint,
    Extension,
    FollowUp,
    Investigation,
    Referral,
    Source,
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
OPEN_INVESTIGATION = (Investigation.Status.DISPATCHED, Investigation.Status.RETURNED)

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


class Facts:
    """What the predicates need about one (user, complaint), each fact read
    at most once, so `allowed_actions` costs a handful of queries."""

    def __init__(self, user, complaint: Complaint):
        self.user = user
        self.complaint = complaint

    @cached_property
    def owner(self):
        return self.complaint.owning_company

    @cached_property
    def complained_staff_ids(self) -> set[int]:
        return set(self.complaint.complained_staff.values_list("id", flat=True))

    @cached_property
    def investigations(self) -> list[Investigation]:
        return list(self.complaint.investigations.all())

    @cached_property
    def pending_extension(self) -> Extension | None:
        return self.complaint.extensions.filter(
            status=Extension.Status.REQUESTED
        ).first()

    @cached_property
    def last_follow_up(self) -> FollowUp | None:
        return self.complaint.follow_ups.order_by("-attempt").first()

    @cached_property
    def province(self):
        from kesu.organisation.selectors import province_of

        return province_of(self.owner)


def _at_owner(f: Facts) -> bool:
    return f.user.company_id == f.complaint.owning_company_id


def _at_owner_or_above(f: Facts) -> bool:
    return f.user.company_id is not None and f.owner.path.startswith(
        f.user.company.path
    )


def _not_complained_about(f: Facts) -> bool:
    return f.user.pk not in f.complained_staff_ids  # R1.4 recusal


def _open_investigation_for_dept(f: Facts) -> bool:
    return any(
        i.status in OPEN_INVESTIGATION and i.department_id == f.user.department_id
        for i in f.investigations
    )


def _answered(f: Facts) -> bool:
    return any(i.status == Investigation.Status.ANSWERED for i in f.investigations)


def _no_open_investigation(f: Facts) -> bool:
    return not any(i.status in OPEN_INVESTIGATION for i in f.investigations)


def _pending_referral(f: Facts) -> bool:
    return f.complaint.referrals.filter(
        to_company_id=f.user.company_id, answered_at__isnull=True
    ).exists()


def _may_request_extension(f: Facts) -> bool:
    return f.complaint.extension_tier < 2 and f.pending_extension is None


def _may_decide_extension(f: Facts) -> bool:
    ext = f.pending_extension
    return ext is not None and extension_approver_ok(f.user, f.owner, ext.tier)


def extension_approver_ok(user, owner, tier: int) -> bool:
    """R1.8: tier 1 by a customer-service head of the owning company; tier 2
    only at the parent company or by a head-office customer-service head."""
    company = user.company
    if company is None:
        return False
    if tier == 1:
        return company.pk == owner.pk or (
            company.is_head_office and owner.is_head_office
        )
    return company.pk == owner.parent_id or company.is_head_office


def needs_province_confirmation(complaint: Complaint) -> bool:
    """S6.9, S7.8: a city (or county) closes its own cases and those the
    province authorised; cases handed down from above or transferred by the
    regulator are proposed by it and confirmed by the province. Head office
    and provinces close what they own."""
    owner = complaint.owning_company
    if owner.level <= Level.PROVINCE or complaint.closure_authorised:
        return False
    if complaint.source in (Source.REGULATOR, Source.HANDED_DOWN):
        return True
    if complaint.registered_company_id != owner.pk:
        return True
    return complaint.referrals.filter(
        kind=Referral.Kind.HAND_DOWN, to_company=owner
    ).exists()


def _at_province_of_owner(f: Facts) -> bool:
    return (
        f.province is not None
        and f.province.pk != f.owner.pk
        and f.user.company_id == f.province.pk
    )


def _follow_up_open(f: Facts) -> bool:
    last = f.last_follow_up
    return (
        last is None
        or last.result == FollowUp.Result.UNREACHABLE
        or (last.result == FollowUp.Result.DISSATISFIED)
    )


def _dissatisfied(f: Facts) -> bool:
    return bool(
        f.last_follow_up and f.last_follow_up.result == FollowUp.Result.DISSATISFIED
    )


def review_window_open(complaint: Complaint, now=None) -> bool:
    """R1.12: within 30 days of the decision being received; one review only."""
    decision = complaint.decisions.order_by("-decided_at").first()
    if decision is None or complaint.review_requests.exists() or complaint.review_of_id:
        return False
    start = decision.delivered_at or decision.decided_at
    days = settings.KESU["REVIEW_WINDOW_DAYS"]
    return (now or timezone.now()) <= start + timedelta(days=days)


def _at_owner_or_parent(f: Facts) -> bool:
    return f.user.company_id in (f.owner.pk, f.owner.parent_id)


CONDITIONS: dict[str, tuple[Callable[[Facts], bool], str]] = {
    "at_owning_company": (_at_owner, _("只有案件所属机构可以办理")),
    "at_owning_company_or_above": (
        _at_owner_or_above,
        _("只有案件所属机构或其上级可以办理"),
    ),
    "at_owning_company_or_parent": (
        _at_owner_or_parent,
        _("核查申请由案件所属机构或其上级机构登记"),
    ),
    "not_complained_about": (
        _not_complained_about,
        _("您是被投诉人员，须回避本案（R1.4）"),
    ),
    "not_handled_by_customer_service": (
        lambda f: not handled_by_customer_service(f.complaint),
        _("电话中心、通知服务、增值服务类投诉由客户服务部门自行处理，无需转办"),
    ),
    "has_open_investigation_for_user_department": (
        _open_investigation_for_dept,
        _("没有转办给您部门的待反馈调查"),
    ),
    "has_answered_investigation": (_answered, _("没有待审核的调查结果")),
    "no_open_investigation": (_no_open_investigation, _("尚有未完成的调查，不能答复")),
    "has_parent_company": (
        lambda f: f.owner.parent_id is not None,
        _("总公司没有上级机构"),
    ),
    "has_lower_company": (
        lambda f: f.owner.children.filter(is_active=True).exists(),
        _("本机构没有下级机构"),
    ),
    "has_pending_referral_to_user_company": (
        _pending_referral,
        _("没有待本机构答复的上报"),
    ),
    "may_request_extension": (
        _may_request_extension,
        _("已达最长延期，或已有待审批的延期申请"),
    ),
    "may_decide_pending_extension": (
        _may_decide_extension,
        _("没有您可审批的延期申请：第二次延期须由上级机构或总公司审批（R1.8）"),
    ),
    "clock_running": (lambda f: f.complaint.paused_since is None, _("计时已暂停")),
    "clock_paused": (lambda f: f.complaint.paused_since is not None, _("计时未暂停")),
    "needs_province_confirmation": (
        lambda f: needs_province_confirmation(f.complaint),
        _("本案可由本机构直接结案，无需提请"),
    ),
    "may_close_directly": (
        lambda f: not needs_province_confirmation(f.complaint),
        _("本案须提请省级分公司确认结案（S6.9、S7.8）"),
    ),
    "at_province_of_owner": (_at_province_of_owner, _("只有省级分公司可以确认结案")),
    "follow_up_open": (_follow_up_open, _("已回访完成")),
    "last_follow_up_dissatisfied": (
        _dissatisfied,
        _("只有回访不满意的案件可以重新处理"),
    ),
    "below_head_office": (
        lambda f: f.owner.level != Level.HEAD_OFFICE,
        _("总公司的案件无需提请督办"),
    ),
    "not_supervised": (
        lambda f: not f.complaint.supervised_by_head_office,
        _("本案已由总公司督办"),
    ),
    "at_head_office": (
        lambda f: (
            f.user.company_id is not None and f.user.company.level == Level.HEAD_OFFICE
        ),
        _("只有总公司客户服务部可以提出督办意见（S5.5）"),
    ),
    "supervised_by_head_office": (
        lambda f: f.complaint.supervised_by_head_office,
        _("本案不在总公司督办之列"),
    ),
    "within_review_window": (
        lambda f: review_window_open(f.complaint),
        _("已超过申请核查期限（30日），或已申请过核查（R1.12）"),
    ),
}


def handled_by_customer_service(complaint: Complaint) -> bool:
    """S6.6, S7.6: call-centre, notification-service and value-added-service
    complaints are handled by customer service itself."""
    return complaint.business_category in CUSTOMER_SERVICE_CATEGORIES


CUSTOMER_SERVICE_CATEGORIES = frozenset({"call_centre", "notification", "value_added"})


def failed_condition(
    user, complaint: Complaint, transition: Transition, facts: Facts | None = None
) -> str | None:
    """The message of the first condition that does not hold, or None."""
    facts = facts or Facts(user, complaint)
    for name in transition.conditions:
        check, message = CONDITIONS[name]
        if not check(facts):
            return str(message)
    return None


def has_role(user, transition: Transition) -> bool:
    return bool(getattr(user, "role_set", frozenset()) & transition.roles)


def allowed_actions(user, complaint: Complaint) -> list[str]:
    """Actions `user` may take on `complaint` now (state, role, conditions).
    The caller has already checked that the case is in the user's scope."""
    facts = Facts(user, complaint)
    allowed = []
    for action, transition in TRANSITIONS.items():
        if complaint.state not in transition.sources or not has_role(user, transition):
            continue
        if failed_condition(user, complaint, transition, facts) is None:
            allowed.append(action)
    return allowed
