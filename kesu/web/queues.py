"""What needs the user now (我的待办). Every read starts from the scoped
queryset (complaint_scope); who may act is asked of lifecycle.py, never
re-decided here."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kesu.accounts.roles import Perm, Role
from kesu.complaints.access import complaint_scope, department_only
from kesu.complaints.lifecycle import (
    OPEN_INVESTIGATION,
    OPEN_STATES,
    TRANSITIONS,
    Action,
    extension_approver_ok,
    has_role,
)
from kesu.complaints.models import Extension, Investigation, Referral, State
from kesu.organisation.models import Level

LIMIT = 50  # per queue; the list page has the rest


@dataclass
class Item:
    complaint: object
    due_date: object = None
    provisional: bool = False
    note: str = ""
    investigation: object = None


@dataclass
class Queue:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    more_url: str = ""

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def capped(self) -> bool:
        """The queue shows the LIMIT most urgent; there may be more."""
        return len(self.items) >= LIMIT


def _cases(qs: QuerySet) -> list[Item]:
    qs = qs.select_related("complainant", "owning_company").order_by("due_date", "id")
    return [Item(c, c.due_date, c.due_provisional) for c in qs[:LIMIT]]


def assigned_to_me(user) -> Queue:
    qs = complaint_scope(user).filter(handler=user, state__in=OPEN_STATES)
    return Queue("mine", _("我处理的在办案件"), _cases(qs))


def waiting_for_acceptance(user) -> Queue:
    qs = complaint_scope(user).filter(
        owning_company_id=user.company_id, state=State.REGISTERED
    )
    return Queue(
        "new", _("待受理"), _cases(qs), f"?state=registered&company={user.company_id}"
    )


def _department_scope(user) -> Q:
    """Investigations of the user's department within their scope. For
    department-only roles the scope *is* "cases with an investigation of my
    department" (access.department_only), which every row here satisfies, so
    the correlated scope subquery (slow on SQLite at scale) is skipped."""
    if (
        department_only(user)
        and user.is_active
        and Perm.COMPLAINT_VIEW in user.perm_set
    ):
        return Q()
    return Q(complaint__in=complaint_scope(user))


def department_investigations(user) -> Queue:
    qs = (
        Investigation.objects.filter(
            _department_scope(user),
            department_id=user.department_id,
            status__in=OPEN_INVESTIGATION,
            complaint__state__in=OPEN_STATES,
        )
        .select_related("complaint", "complaint__complainant", "department")
        .order_by("due_date", "id")
    )
    items = [
        Item(i.complaint, i.due_date, i.due_provisional, i.instructions, i)
        for i in qs[:LIMIT]
    ]
    return Queue("investigations", _("本部门待反馈的调查"), items)


def answered_investigations(user) -> Queue:
    """Findings back from departments, waiting for the handler's review (S6.7)."""
    answered = Investigation.objects.filter(
        complaint=OuterRef("pk"), status=Investigation.Status.ANSWERED
    )
    qs = complaint_scope(user).filter(
        Exists(answered),
        handler=user,
        state__in=[State.INVESTIGATING, State.REVIEWING],
    )
    return Queue("review", _("调查已反馈，待审核"), _cases(qs))


def _in_scope(user, complaint_ids) -> set[int]:
    """Which of a short list of cases the user may see: a primary-key lookup
    on the scoped queryset, cheaper than a scope subquery over every case."""
    return set(
        complaint_scope(user)
        .filter(pk__in=list(complaint_ids))
        .values_list("pk", flat=True)
    )


def extensions_to_approve(user) -> Queue:
    pending = list(
        Extension.objects.filter(status=Extension.Status.REQUESTED)
        .select_related(
            "complaint", "complaint__owning_company", "complaint__complainant"
        )
        .order_by("requested_at")[: LIMIT * 20]
    )
    visible = _in_scope(user, {x.complaint_id for x in pending})
    items = [
        Item(x.complaint, x.complaint.due_date, x.complaint.due_provisional, x.reason)
        for x in pending
        if x.complaint_id in visible
        and extension_approver_ok(user, x.complaint.owning_company, x.tier)
    ][:LIMIT]
    return Queue("extensions", _("待我审批的延期"), items)


def closures_to_confirm(user) -> Queue:
    """S6.9, S7.8: only the province of the owning company confirms, so the
    lifecycle's condition (at_province_of_owner) is asked once, in SQL: a
    province's cases below it. No per-case check (that was a query or two
    per listed case, and head office listed 50 cases it can never confirm)."""
    transition = TRANSITIONS[Action.CONFIRM_CLOSURE]
    company = user.company
    if (
        company is None
        or company.level != Level.PROVINCE
        or not has_role(user, transition)
    ):
        return Queue("closures", _("待我确认的结案"), [])
    qs = (
        complaint_scope(user)
        .filter(
            state=State.CLOSURE_PROPOSED, owning_company__path__startswith=company.path
        )
        .exclude(owning_company_id=company.pk)
    )
    return Queue("closures", _("待我确认的结案"), _cases(qs))


def referrals_to_answer(user) -> Queue:
    rows = (
        Referral.objects.filter(
            complaint__in=complaint_scope(user),
            to_company_id=user.company_id,
            answered_at__isnull=True,
        )
        .exclude(kind=Referral.Kind.HAND_DOWN)
        .select_related("complaint", "complaint__complainant", "from_company")
        .order_by("created_at")
    )[:LIMIT]
    items = [
        Item(
            r.complaint,
            r.complaint.due_date,
            r.complaint.due_provisional,
            f"{r.from_company.name}：{r.get_kind_display()}",
        )
        for r in rows
    ]
    return Queue("referrals", _("下级上报待答复"), items)


def supervised_by_head_office(user) -> Queue:
    """S5.5: open cases head office supervises (a finding that differs
    greatly from the complaint, an escalated complaint); only for head
    office's handlers, who may give their opinion on them."""
    company = user.company
    if company is None or company.level != Level.HEAD_OFFICE:
        return Queue("supervised", _("总公司督办案件"), [])
    qs = complaint_scope(user).filter(
        supervised_by_head_office=True, state__in=OPEN_STATES
    )
    return Queue("supervised", _("总公司督办案件"), _cases(qs), "?supervised=1")


def registered_by_me(user) -> Queue:
    qs = complaint_scope(user).filter(registered_by=user).order_by("-received_at")
    qs = qs.select_related("complainant", "owning_company")[:20]
    return Queue(
        "registered",
        _("我最近登记的投诉"),
        [Item(c, c.due_date, c.due_provisional) for c in qs],
    )


def queues_for(user) -> list[Queue]:
    perms, queues = user.perm_set, []
    if Perm.COMPLAINT_HANDLE in perms:
        queues += [
            assigned_to_me(user),
            answered_investigations(user),
            waiting_for_acceptance(user),
            referrals_to_answer(user),
        ]
        if user.company_id and user.company.level == Level.HEAD_OFFICE:
            queues.append(supervised_by_head_office(user))
    if Perm.INVESTIGATION_ANSWER in perms and user.department_id:
        queues.append(department_investigations(user))
    if Perm.COMPLAINT_APPROVE in perms:
        queues += [extensions_to_approve(user), closures_to_confirm(user)]
    if user.has_role(Role.CLERK) and Perm.COMPLAINT_HANDLE not in perms:
        queues.append(registered_by_me(user))
    return queues


def investigation_for_department(user, pk: int) -> Investigation:
    """An open investigation of the user's department in scope, else NotFound."""
    from kesu.errors import NotFound

    found = (
        Investigation.objects.filter(
            _department_scope(user),
            pk=pk,
            department_id=user.department_id,
            status__in=OPEN_INVESTIGATION,
        )
        .select_related(
            "complaint",
            "complaint__complainant",
            "complaint__owning_company",
            "department",
        )
        .first()
    )
    if found is None:
        raise NotFound(_("未找到该调查"))
    return found
