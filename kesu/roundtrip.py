"""Several ORM queries in one round trip: the workbench's queue counters
(`counts_of`) and a registration's warnings (`rows_of`).

The querysets are compiled by the ORM; only the outer SELECT that puts them
together is written here: the ORM has no scalar-subquery SELECT, and its
UNION refuses ordered, sliced parts on SQLite (each part here is wrapped in
a subquery, which both databases accept)."""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from kesu.prepared import run_kept


class CappedCount:
    """A list's count up to `cap`: known (`n`), or still to be run
    (`pending`: the queryset to count), so that the list's page statement
    can run it in the same round trip (summary_rows.page_reader, issue 8)."""

    __slots__ = ("n", "pending", "cap")

    def __init__(self, cap: int, *, n: int = 0, pending: QuerySet | None = None):
        self.cap, self.n, self.pending = cap, n, pending

    def counted_sql(self, page: tuple[str, tuple] | None = None):
        """The pending count as a scalar subquery, (sql, params); None when
        it is known (an empty queryset: 0). `page`: the compiled ids query
        of a first page of the very cases counted (ordered, limited): the
        count is written from it without its order and limit, instead of
        compiling the cases again (issue 8)."""
        if self.pending is None:
            return None
        if page is not None and " ORDER BY " in page[0]:
            sql, params = page[0].rsplit(" ORDER BY ", 1)[0], page[1]
        else:
            counted = self.pending.order_by().values("pk")
            try:
                sql, params = counted.query.sql_with_params()
            except EmptyResultSet:
                self.pending = None
                return None
        limited = f"{sql} LIMIT {int(self.cap) + 1}"
        return f"(SELECT COUNT(*) FROM ({limited}) AS counted)", tuple(params)

    def found(self, n: int) -> None:
        """The pending count's answer (run with the page)."""
        self.n, self.pending = n, None

    def result(self) -> tuple[int, bool]:
        """(the count up to the cap, whether there are more): run now if it
        is still pending."""
        if self.pending is not None:
            (n,) = counts_of([(self.pending, self.cap)])
            self.found(n)
        return min(self.n, self.cap), self.n > self.cap


def counts_of(items: list[tuple[QuerySet, int | None]]) -> list[int]:
    """How many rows each queryset has, in one query. With a cap, a count
    stops at cap + 1 rows (so "cap+" can be shown), like the list page's
    (CappedCount): a short index range whatever the table's size.
    None: an exact count. An empty queryset (`.none()`) counts 0 unasked."""
    return run_counts(counts_statement(items))


def counts_statement(items: list[tuple[QuerySet, int | None]]) -> tuple:
    """counts_of's statement, compiled: (sql, params, slots), for run_counts
    (a caller may keep it, e.g. the workbench, per user: issue 8)."""
    parts: list[str] = []
    params: list = []
    slots: list[int | None] = []
    for qs, cap in items:
        counted = qs.order_by().values("pk")
        if cap is not None:
            counted = counted[: cap + 1]
        try:
            sql, p = counted.query.sql_with_params()
        except EmptyResultSet:
            slots.append(None)
            continue
        slots.append(len(parts))
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{len(parts)})")
        params.extend(p)
    return ("SELECT " + ", ".join(parts) if parts else "", tuple(params), slots)


def run_counts(statement: tuple, *, kept: bool = False) -> list[int]:
    """The counts of a counts_statement; `kept`: a statement its caller
    keeps and runs again with the same values (prepared: run_kept)."""
    sql, params, slots = statement
    found: tuple = ()
    if sql:
        found = _run(sql, params, kept)[0]
    return [0 if slot is None else found[slot] for slot in slots]


def rows_of(querysets: list[QuerySet]) -> list[tuple]:
    """The rows of several `values_list` querysets with the same columns
    (ordered and sliced as each says), in one query: UNION ALL of each one
    wrapped in a subquery. An empty queryset adds no rows."""
    return run_rows(rows_statement(querysets))


def rows_statement(querysets: list[QuerySet]) -> tuple[str, tuple]:
    """rows_of's statement, compiled: (sql, params), for run_rows."""
    parts: list[str] = []
    params: list = []
    for qs in querysets:
        try:
            sql, p = qs.query.sql_with_params()
        except EmptyResultSet:
            continue
        parts.append(f"SELECT * FROM ({sql}) AS part_{len(parts)}")
        params.extend(p)
    return " UNION ALL ".join(parts), tuple(params)


def run_rows(statement: tuple[str, tuple], *, kept: bool = False) -> list[tuple]:
    """The rows of a rows_statement; `kept` as for run_counts."""
    sql, params = statement
    if not sql:
        return []
    return _run(sql, params, kept)


def _run(sql: str, params: tuple, kept: bool) -> list[tuple]:
    if kept:
        return run_kept(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
