"""What needs the user now (我的待办). Every read starts from the scoped
queryset (complaint_scope); who may act is asked of lifecycle.py, never
re-decided here.

The workbench stays live (no cache): a case the user has just acted on must
leave their to-do at once. It stays cheap instead: each queue shows its
SHOWN most urgent rows (one indexed query that stops after them), and all
the queues' counts come in one more query, each count stopping at
COUNT_CAP + 1 rows ("100+"); the list page behind "view all" has the rest."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kesu.accounts.roles import Perm, Role
from kesu.complaints.access import complaint_scope, complaint_scope_q, department_only
from kesu.complaints.conditions import extension_approver_q
from kesu.complaints.lifecycle import (
    OPEN_INVESTIGATION,
    OPEN_STATES,
    TRANSITIONS,
    Action,
    has_role,
)
from kesu.complaints.models import Extension, Investigation, Referral, State
from kesu.organisation.models import Level

from .queue_sql import fill

SHOWN = 10  # rows per queue on the workbench
COUNT_CAP = 100  # a queue's count stops here ("100+"); the list counts further
LIST_LIMIT = 50  # rows of the department's investigation page
REVIEW_STATES = (State.INVESTIGATING, State.REVIEWING)


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
    # what the count counts (the queue's whole filter), built only when
    # needed (queue_sql compiles once per user); None: the items are all
    pending_of: Callable[[], QuerySet] | None = field(default=None, repr=False)
    count: int = 0
    capped: bool = False  # more than COUNT_CAP
    rows_html: str = ""  # the items as table rows (rows.QueueRows), for the page
    # its SHOWN rows as queue_sql reads them (_values), every queue's at once
    rows: Callable[[int], QuerySet] | None = field(default=None, repr=False)

    @cached_property
    def pending(self) -> QuerySet | None:
        return self.pending_of() if self.pending_of else None

    @property
    def has_notes(self) -> bool:
        """Its rows carry a note (instructions, reason) in a column of its own."""
        return self.key in ("investigations", "extensions", "referrals")

    @property
    def more(self) -> bool:
        """Not every row is shown."""
        return self.count > len(self.items)


def _list(*params: tuple[str, object]) -> str:
    """The complaint list page filtered by `params` (the queue in full)."""
    return reverse("web:complaint_list") + "?" + urlencode(params)


def _open(*params: tuple[str, object]) -> str:
    return _list(*[("state", s) for s in sorted(OPEN_STATES)], *params)


# What a row shows of its case (web/workbench.html, rows.py).
CASE_COLUMNS = (
    "id",
    "number",
    "state",
    "grade",
    "facts",
    "due_date",
    "due_provisional",
    "complainant__kind",
    "complainant__name",
)


def _values(pending, order: tuple[str, ...], prefix: str = "", **extra):
    """How queue_sql reads a queue's rows (`pending()` in `order`): a
    function of the queue's position giving its SHOWN first rows as
    (position, the case's columns through `prefix`, note, note_2,
    investigation id or 0), `extra` naming the columns that differ. Only
    called when the statement is compiled."""
    names = [prefix + c for c in CASE_COLUMNS]
    for name in ("due_date", "due_provisional"):
        if name in extra:
            names[CASE_COLUMNS.index(name)] = extra.pop(name)

    def rows(position: int) -> QuerySet:
        columns = {
            "row_queue": Value(position),
            "row_note": extra.get("note", Value("")),
            "row_note_2": extra.get("note_2", Value("")),
            "row_investigation": extra.get("investigation", Value(0)),
        }
        qs = pending().order_by(*order)
        return qs.annotate(**columns).values_list(
            "row_queue", *names, *list(columns)[1:]
        )[:SHOWN]

    return rows


URGENT = ("due_date", "id")


def _queue(key, title, pending, more_url: str = "") -> Queue:
    rows = _values(pending, URGENT)
    return Queue(key, title, [], more_url, pending_of=pending, rows=rows)


def assigned_to_me(user) -> Queue:
    def pending():  # index complaint_handler_open_due (ops 0001)
        return complaint_scope(user).filter(handler=user, state__in=OPEN_STATES)

    return _queue("mine", _("我处理的在办案件"), pending, _open(("mine", 1)))


def waiting_for_acceptance(user) -> Queue:
    def pending():
        return complaint_scope(user).filter(
            owning_company_id=user.company_id, state=State.REGISTERED
        )

    more = _list(
        ("state", State.REGISTERED), ("company", user.company_id), ("subtree", 0)
    )
    return _queue("new", _("待受理"), pending, more)


def answered_investigations(user) -> Queue:
    """Findings back from departments, waiting for the handler's review (S6.7).
    Indexes complaint_handler_review_due and investigation_answered (ops 0003):
    the handler's cases under investigation by due date, each probed in the
    small index of answered investigations."""

    def pending():
        answered = Investigation.objects.filter(
            complaint=OuterRef("pk"), status=Investigation.Status.ANSWERED
        )
        return complaint_scope(user).filter(
            Exists(answered), handler=user, state__in=REVIEW_STATES
        )

    more = _list(*[("state", s) for s in REVIEW_STATES], ("mine", 1), ("answered", 1))
    return _queue("review", _("调查已反馈，待审核"), pending, more)


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
    return complaint_scope_q(user)


def _department_pending(user) -> QuerySet:
    return Investigation.objects.filter(
        _department_scope(user),
        department_id=user.department_id,
        status__in=OPEN_INVESTIGATION,
        complaint__state__in=OPEN_STATES,
    )


def department_investigations(user, *, limit: int = SHOWN) -> Queue:
    """The department's open investigations as instances (the list page)."""
    qs = _department_pending(user)
    rows = qs.select_related(
        "complaint", "complaint__complainant", "department"
    ).order_by("due_date", "id")
    items = [
        Item(i.complaint, i.due_date, i.due_provisional, i.instructions, i)
        for i in rows[:limit]
    ]
    more = reverse("web:investigation_list")
    title = _("本部门待反馈的调查")
    return Queue("investigations", title, items, more, pending_of=lambda: qs)


def _department_queue(user) -> Queue:
    def pending():
        return _department_pending(user)

    rows = _values(
        pending,
        URGENT,
        "complaint__",
        due_date="due_date",
        due_provisional="due_provisional",
        note=F("instructions"),
        investigation=F("id"),
    )
    more = reverse("web:investigation_list")
    title = _("本部门待反馈的调查")
    return Queue("investigations", title, [], more, pending_of=pending, rows=rows)


def extensions_to_approve(user) -> Queue:
    """R1.8: requests this user may decide (lifecycle's rule, asked in SQL)."""

    def pending():
        return Extension.objects.filter(
            extension_approver_q(user),
            complaint_scope_q(user),
            status=Extension.Status.REQUESTED,
        )

    order = ("requested_at", "id")
    rows = _values(pending, order, "complaint__", note=F("reason"))
    title = _("待我审批的延期")
    return Queue("extensions", title, pending_of=pending, rows=rows)


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
        return Queue("closures", _("待我确认的结案"))

    def pending():
        return (
            complaint_scope(user)
            .filter(
                state=State.CLOSURE_PROPOSED,
                owning_company__path__startswith=company.path,
            )
            .exclude(owning_company_id=company.pk)
        )

    more = _list(("state", State.CLOSURE_PROPOSED), ("company", company.pk))
    return _queue("closures", _("待我确认的结案"), pending, more)


def referrals_to_answer(user) -> Queue:
    def pending():
        return Referral.objects.filter(
            complaint_scope_q(user),
            to_company_id=user.company_id,
            answered_at__isnull=True,
        ).exclude(kind=Referral.Kind.HAND_DOWN)

    rows = _values(
        pending,
        ("created_at", "id"),
        "complaint__",
        note=F("from_company__name"),
        note_2=F("kind"),
    )
    title = _("下级上报待答复")
    return Queue("referrals", title, pending_of=pending, rows=rows)


def supervised_by_head_office(user) -> Queue:
    """S5.5: open cases head office supervises (a finding that differs
    greatly from the complaint, an escalated complaint); only for head
    office's handlers, who may give their opinion on them."""
    company = user.company
    if company is None or company.level != Level.HEAD_OFFICE:
        return Queue("supervised", _("总公司督办案件"))

    def pending():
        return complaint_scope(user).filter(
            supervised_by_head_office=True, state__in=OPEN_STATES
        )

    more = _open(("supervised", 1))
    return _queue("supervised", _("总公司督办案件"), pending, more)


def registered_by_me(user) -> Queue:
    """A clerk's most recent registrations (not a to-do: counted as shown)."""

    def mine():
        return complaint_scope(user).filter(registered_by=user)

    rows = _values(mine, ("-received_at",))
    return Queue("registered", _("我最近登记的投诉"), rows=rows)


def queues_for(user) -> list[Queue]:
    return queues_and_counts(user)[0]


def queues_and_counts(user, *, unread: bool = False) -> tuple[list[Queue], int]:
    """The user's queues with their rows and counts, in two statements
    (queue_sql); with `unread`, the count of the top bar's unread
    notifications comes with the counts (the workbench's badge)."""
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
        queues.append(_department_queue(user))
    if Perm.COMPLAINT_APPROVE in perms:
        queues += [extensions_to_approve(user), closures_to_confirm(user)]
    if user.has_role(Role.CLERK) and Perm.COMPLAINT_HANDLE not in perms:
        queues.append(registered_by_me(user))
    found = fill(user, queues, unread=unread, shown=SHOWN, cap=COUNT_CAP, item=Item)
    return queues, found


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
