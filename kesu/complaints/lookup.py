"""One case, or one case's history, read by a prepared statement (issue 8,
kesu/prepared.py): the case detail and its events cost 1–2 ms of CPU in
building their querysets, five times what the database spends on them.

The scope is decided in access.py (`scope_of`): ("all",), ("companies",
ids), ("department", id) or ("none",); here it becomes the same condition
complaint_scope(user) puts on its queryset (tests/test_lookup.py compares
the two for every kind of user)."""

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection

from kesu.organisation.models import Company
from kesu.prepared import Columns, fetch

from .models import Complainant, Complaint, Event, Investigation

CASE = Columns(Complaint, "c")
# what complaint_get_for may join, as select_related would: column set, join
JOINS = {
    "owning_company": (
        Columns(Company, "oc"),
        "JOIN {Company} oc ON oc.id = c.owning_company_id",
    ),
    "registered_company": (
        Columns(Company, "rc"),
        "JOIN {Company} rc ON rc.id = c.registered_company_id",
    ),
    "complainant": (
        Columns(Complainant, "p"),
        "JOIN {Complainant} p ON p.id = c.complainant_id",
    ),
    "handler": (
        Columns(get_user_model(), "h"),
        "LEFT JOIN {User} h ON h.id = c.handler_id",
    ),
}
EVENT = Columns(
    Event,
    "e",
    ("id", "complaint_id", "action", "actor_id", "at", "from_state", "to_state",
     "note", "data"),
)  # fmt: skip
ACTOR = Columns(get_user_model(), "u", ("id", "full_name", "username"))


def _tables() -> dict[str, str]:
    models = {
        "Company": Company, "Complainant": Complainant, "Complaint": Complaint,
        "Event": Event, "Investigation": Investigation, "User": get_user_model(),
    }  # fmt: skip
    return {k: connection.ops.quote_name(m._meta.db_table) for k, m in models.items()}


def _scope_sql(scope: tuple, vendor: str) -> tuple[str, list]:
    """`complaint_scope`'s condition on the case `c`, and its parameters."""
    kind = scope[0]
    if kind == "all":
        return "", []
    if kind == "department":
        return (
            " AND c.id IN (SELECT complaint_id FROM {Investigation}"
            " WHERE department_id = %s)",
            [scope[1]],
        )
    if kind == "companies":
        ids = list(scope[1])
        if vendor == "postgresql":  # one statement whatever the number of ids
            return (
                " AND (c.owning_company_id = ANY(%s)"
                " OR c.registered_company_id = ANY(%s))",
                [ids, ids],
            )
        marks = ", ".join(["%s"] * len(ids))
        return (
            f" AND (c.owning_company_id IN ({marks})"
            f" OR c.registered_company_id IN ({marks}))",
            ids + ids,
        )
    raise ValueError(kind)


def _valid(pk, number) -> bool:
    """What the ORM would answer "no such row" to, without asking: an id out
    of the column's range, a number PostgreSQL cannot hold."""
    if pk is not None:
        return -(2**63) <= pk < 2**63
    return isinstance(number, str) and "\x00" not in number


@cache
def _case_sql(related: tuple[str, ...], by: str, condition: str, vendor: str) -> str:
    columns = [CASE.sql()] + [JOINS[r][0].sql() for r in related]
    joins = "".join(" " + JOINS[r][1] for r in related)
    sql = (
        f"SELECT {', '.join(columns)} FROM {{Complaint}} c{joins}"
        f" WHERE c.{'id' if by == 'pk' else 'number'} = %s{condition}"
    )
    return sql.format(**_tables())


def case_row(scope: tuple, *, pk=None, number=None, related=()) -> Complaint | None:
    """The case with `pk` (or `number`) if it is in `scope`, with the
    relations of JOINS named in `related` loaded, else None."""
    if scope[0] == "none" or not _valid(pk, number):
        return None
    related = tuple(r for r in JOINS if r in related)
    by = "pk" if pk is not None else "number"
    condition, params = _scope_sql(scope, connection.vendor)
    sql = _case_sql(related, by, condition, connection.vendor)
    name = f"kesu_case_{by}_{scope[0]}_{'_'.join(r[:5] for r in related) or 'bare'}"
    rows = fetch(name, sql, [pk if by == "pk" else number, *params])
    if not rows:
        return None
    row = rows[0]
    case = CASE.load(row)
    offset = CASE.width
    for r in related:
        columns = JOINS[r][0]
        Complaint._meta.get_field(r).set_cached_value(case, columns.load(row, offset))
        offset += columns.width
    return case


@cache
def _events_sql(condition: str, vendor: str) -> str:
    sql = (
        f"SELECT {EVENT.sql()}, {ACTOR.sql()} FROM {{Event}} e"
        " LEFT JOIN {User} u ON u.id = e.actor_id"
        " WHERE e.complaint_id = %s AND e.complaint_id IN"
        f" (SELECT c.id FROM {{Complaint}} c WHERE c.id = %s{condition})"
        " ORDER BY e.at, e.id"
    )
    return sql.format(**_tables())


def event_rows(scope: tuple, complaint_id: int) -> list[Event]:
    """The case's events, oldest first, with their actors' names; [] when
    it has none or is not in `scope`."""
    if scope[0] == "none" or not _valid(complaint_id, None):
        return []
    condition, params = _scope_sql(scope, connection.vendor)
    rows = fetch(
        f"kesu_events_{scope[0]}",
        _events_sql(condition, connection.vendor),
        [complaint_id, complaint_id, *params],
    )
    actor_field = Event._meta.get_field("actor")
    events = []
    for row in rows:
        event = EVENT.load(row)
        actor_field.set_cached_value(event, ACTOR.load(row, EVENT.width))
        events.append(event)
    return events
