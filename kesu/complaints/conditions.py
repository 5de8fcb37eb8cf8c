"""The named conditions of the transition table (lifecycle.py): predicates
over one (user, complaint), each with the message a refused user sees. The
facts they need are read at most once per call (`Facts`)."""

from collections.abc import Callable
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.organisation.models import Level

from .models import (
    Complaint,
    Extension,
    FollowUp,
    Investigation,
    Referral,
    Source,
)

OPEN_INVESTIGATION = (Investigation.Status.DISPATCHED, Investigation.Status.RETURNED)


class Facts:
    """What the predicates need about one (user, complaint), each fact read
    at most once, so `allowed_actions` costs a handful of queries — none
    when the case file (casefile.py) the page loaded anyway is passed in."""

    def __init__(self, user, complaint: Complaint, parts=None):
        self.user = user
        self.complaint = complaint
        self.parts = parts

    @cached_property
    def owner(self):
        return self.complaint.owning_company

    @cached_property
    def complained_staff_ids(self) -> set[int]:
        if self.parts is not None:
            return self.parts.complained_staff_ids
        return set(self.complaint.complained_staff.values_list("id", flat=True))

    @cached_property
    def investigations(self) -> list[Investigation]:
        if self.parts is not None:
            return self.parts.investigations
        return list(self.complaint.investigations.all())

    @cached_property
    def referrals(self) -> list[Referral]:
        if self.parts is not None:
            return self.parts.referrals
        return list(self.complaint.referrals.all())

    @cached_property
    def pending_extension(self) -> Extension | None:
        extensions = (
            self.parts.extensions
            if self.parts is not None
            else self.complaint.extensions.order_by("requested_at", "id")
        )
        requested = Extension.Status.REQUESTED
        return next((x for x in extensions if x.status == requested), None)

    @cached_property
    def last_follow_up(self) -> FollowUp | None:
        if self.parts is None:
            return self.complaint.follow_ups.order_by("-attempt").first()
        return max(self.parts.follow_ups, key=lambda x: x.attempt, default=None)

    @cached_property
    def review_window_open(self) -> bool:
        if self.parts is None:
            return review_window_open(self.complaint)
        return review_window_open(
            self.complaint,
            decisions=self.parts.decisions,
            reviewed=bool(self.parts.review_request_ids),
        )

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
    return any(
        r.to_company_id == f.user.company_id and r.answered_at is None
        for r in f.referrals
    )


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


def extension_approver_q(user) -> Q:
    """extension_approver_ok as a filter on Extension rows (the same rule in
    SQL, for the approval queue; a test holds the two together)."""
    company = user.company
    if company is None:
        return Q(pk__in=[])
    if company.is_head_office:
        return ~Q(tier=1) | Q(complaint__owning_company__level=Level.HEAD_OFFICE)
    return Q(tier=1, complaint__owning_company=company.pk) | (
        ~Q(tier=1) & Q(complaint__owning_company__parent=company.pk)
    )


def needs_province_confirmation(complaint: Complaint, referrals=None) -> bool:
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
    if referrals is None:  # not loaded with the case file
        referrals = complaint.referrals.filter(kind=Referral.Kind.HAND_DOWN)
    return any(
        r.kind == Referral.Kind.HAND_DOWN and r.to_company_id == owner.pk
        for r in referrals
    )


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


def review_window_open(
    complaint: Complaint, now=None, *, decisions=None, reviewed=None
) -> bool:
    """R1.12: within 30 days of the decision being received; one review only.
    `decisions` and `reviewed` (a review was requested) when already loaded."""
    if decisions is None:
        decision = complaint.decisions.order_by("-decided_at").first()
    else:
        decision = max(decisions, key=lambda d: d.decided_at, default=None)
    if decision is None or complaint.review_of_id:
        return False
    if reviewed is None:
        reviewed = complaint.review_requests.exists()
    if reviewed:
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
        lambda f: needs_province_confirmation(f.complaint, f.referrals),
        _("本案可由本机构直接结案，无需提请"),
    ),
    "may_close_directly": (
        lambda f: not needs_province_confirmation(f.complaint, f.referrals),
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
        lambda f: f.review_window_open,
        _("已超过申请核查期限（30日），或已申请过核查（R1.12）"),
    ),
}


def handled_by_customer_service(complaint: Complaint) -> bool:
    """S6.6, S7.6: call-centre, notification-service and value-added-service
    complaints are handled by customer service itself."""
    return complaint.business_category in CUSTOMER_SERVICE_CATEGORIES


CUSTOMER_SERVICE_CATEGORIES = frozenset({"call_centre", "notification", "value_added"})


def failed_condition(
    user, complaint: Complaint, transition, facts: Facts | None = None
) -> str | None:
    """The message of the first condition that does not hold, or None."""
    facts = facts or Facts(user, complaint)
    for name in transition.conditions:
        check, message = CONDITIONS[name]
        if not check(facts):
            return str(message)
    return None
