"""The workbench's queues in two statements, compiled once per user (issue 8).

Every queue is a scoped queryset (queues.py, access.complaint_scope); each
shows its SHOWN most urgent rows and a count. At a million cases the
database answered all of them in about a millisecond, but compiling the
querysets (Exists, the scope's filters, select_related: ~18 compilations)
cost more CPU than the rest of the page. So:

- the rows of every queue come in ONE statement (UNION ALL of each queue's
  ordered, sliced values, tagged with the queue's position) and every count
  plus the top bar's unread notifications in another (kesu.roundtrip);
- both statements are compiled the first time and kept per *signature*:
  everything the SQL is built from — the user, their company (path, level),
  department, roles and permissions, the compiled scope itself
  (complaint_scope's SQL and values: a new company below, a changed scope
  rule gives a new signature), the queues asked and SHOWN/COUNT_CAP.

Only the statement text is kept, never a result: every request runs both
statements, so a case acted on leaves its queue at once (the workbench
stays live). On PostgreSQL they are prepared (prepared.run_kept): planning
them cost the database more than running them."""

import datetime
from collections import OrderedDict

from django.core.exceptions import EmptyResultSet
from django.db import connection

from kesu.choicelabels import choice_label
from kesu.complaints.access import complaint_scope
from kesu.complaints.models import Complaint, Referral
from kesu.notifications.selectors import notifications_unread
from kesu.roundtrip import counts_statement, rows_statement, run_counts, run_rows

KEPT = 1000  # signatures kept per process (least recently used dropped)
_statements: OrderedDict = OrderedDict()


class CaseRow:
    """A queue row's case: what the workbench shows of it (rows.QueueRows)."""

    __slots__ = ("pk", "number", "state", "grade", "facts", "complainant")

    def get_state_display(self):
        return choice_label(Complaint._meta.get_field("state"), self.state)

    def get_grade_display(self):
        return choice_label(Complaint._meta.get_field("grade"), self.grade)


class Complainant:
    __slots__ = ("kind", "name")

    def __init__(self, kind, name):
        self.kind, self.name = kind, name


class InvestigationRef:
    __slots__ = ("pk",)

    def __init__(self, pk):
        self.pk = pk


def signature(user, queues, unread: bool, shown: int, cap: int) -> tuple:
    """What the statements are compiled from (see the module's docstring)."""
    company = user.company
    try:
        sql, params = complaint_scope(user).values("pk").query.sql_with_params()
        scope = (sql, tuple(params))
    except EmptyResultSet:
        scope = None
    return (
        connection.alias,
        connection.vendor,
        user.pk,
        user.is_active,
        user.company_id,
        company.path if company else None,
        company.level if company else None,
        user.department_id,
        frozenset(user.role_set),
        frozenset(user.perm_set),
        scope,
        tuple(q.key for q in queues),
        unread,
        shown,
        cap,
    )


def _compile(user, queues, unread: bool, cap: int) -> tuple:
    rows = rows_statement([q.rows(n) for n, q in enumerate(queues) if q.rows])
    counted = [(q.pending, cap) for q in queues if q.pending_of is not None]
    if unread:
        counted.append((notifications_unread(user), None))
    return rows, counts_statement(counted)


def _statements_for(key, build) -> tuple:
    found = _statements.get(key)
    if found is None:
        found = _statements[key] = build()
        if len(_statements) > KEPT:
            _statements.popitem(last=False)
    else:
        _statements.move_to_end(key)
    return found


def _date(value):
    if isinstance(value, str):  # SQLite returns the text
        return datetime.date.fromisoformat(value)
    return value


def fill(user, queues, *, unread: bool, shown: int, cap: int, item) -> int | None:
    """Set each queue's items (`item` instances) and count; the number of
    unread notifications with `unread`, else None."""
    key = signature(user, queues, unread, shown, cap)
    rows_sql, counts_sql = _statements_for(
        key, lambda: _compile(user, queues, unread, cap)
    )
    kind = Referral._meta.get_field("kind")
    for row in run_rows(rows_sql, kept=True):
        (tag, pk, number, state, grade, facts, due, provisional) = row[:8]
        (person_kind, person_name, note, note_2, investigation) = row[8:]
        case = CaseRow()
        case.pk, case.number, case.state, case.grade = pk, number, state, grade
        case.facts = facts
        case.complainant = (
            None if person_kind is None else Complainant(person_kind, person_name)
        )
        if note_2:  # a referral: who sent it and how (下级上报待答复)
            note = f"{note}：{choice_label(kind, note_2)}"
        queues[tag].items.append(
            item(
                case,
                _date(due),
                bool(provisional),
                note or "",
                InvestigationRef(investigation) if investigation else None,
            )
        )
    found = run_counts(counts_sql, kept=True)
    counted = [q for q in queues if q.pending_of is not None]
    for q, n in zip(counted, found, strict=False):
        q.count, q.capped = min(n, cap), n > cap
    for q in queues:
        if q.pending_of is None:
            q.count = len(q.items)
    return found[len(counted)] if unread else None
