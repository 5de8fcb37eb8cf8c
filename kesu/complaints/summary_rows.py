"""A page of the API's case list as rows (issue 8): the columns
api_present.list_item shows (selectors.SUMMARY_FIELDS), read with their two
joins by one statement written here around the ids the ORM selects.

Why: the filters stay the ORM's (scope, every filter, the text search,
the cursor), but its page query selects only the ids, in order, with the
limit; this statement reads their rows. Compiling the ORM's values() query
of 19 columns and two joins, and building it, cost more CPU than the
database spent answering it."""

from functools import cache

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from kesu.organisation.models import Company
from kesu.prepared import Columns
from kesu.roundtrip import CappedCount

from .models import Complainant, Complaint
from .selectors import SUMMARY_FIELDS


def _columns(prefix: str, model, alias: str) -> Columns:
    names = [f.split("__")[1] for f in SUMMARY_FIELDS if f.startswith(prefix + "__")]
    return Columns(model, alias, [model._meta.get_field(n).attname for n in names])


CASE = Columns(Complaint, "c", [f for f in SUMMARY_FIELDS if "__" not in f])
COMPANY = _columns("owning_company", Company, "oc")
PERSON = _columns("complainant", Complainant, "p")
PARTS = ((CASE, ""), (COMPANY, "owning_company__"), (PERSON, "complainant__"))


@cache
def _statement(field: str, desc: bool, vendor: str) -> str:
    """The rows of the ids selected by a subquery ({ids}), in the page's
    order (api_list.paginate's: NULL due dates last)."""
    quote = connection.ops.quote_name
    way = " DESC" if desc else ""
    order = f"c.{field}{way}, c.id{way}"
    if field == "due_date":
        order = "c.due_date IS NULL, " + order
    tables = {
        m.__name__: quote(m._meta.db_table) for m in (Complaint, Company, Complainant)
    }
    return (
        f"SELECT {CASE.sql()}, {COMPANY.sql()}, {PERSON.sql()}{{counted}}"
        f" FROM {tables['Complaint']} c"
        f" JOIN {tables['Company']} oc ON oc.id = c.owning_company_id"
        f" JOIN {tables['Complainant']} p ON p.id = c.complainant_id"
        " WHERE c.id IN ({ids})"
        f" ORDER BY {order}"
    )


def page_reader(count: CappedCount, cases: QuerySet):
    """api_list.paginate's `read` of `cases`: the first `n` cases of
    `ordered` (ordered by `field` [desc], id), as dicts of SUMMARY_FIELDS
    (as `.values(*SUMMARY_FIELDS)` reads them). The list's pending `count`
    is run in the same statement, as a column (one round trip fewer: issue
    8); an empty page leaves it to run on its own (a page past the end says
    nothing of the count)."""

    def read(ordered: QuerySet, n: int, field: str, desc: bool, first: bool):
        # the first page selects the counted cases themselves
        same = first and count.pending is cases
        return _read(ordered, n, field, desc, count, same)

    return read


def _read(ordered, n, field, desc, count: CappedCount, same: bool) -> list[dict]:
    try:
        ids, params = ordered.values("pk")[:n].query.sql_with_params()
    except EmptyResultSet:  # an empty scope
        return []
    counted = count.counted_sql((ids, params) if same else None)
    sql = _statement(field, desc, connection.vendor).replace("{ids}", ids)
    if counted is None:
        sql = sql.replace("{counted}", "")
    else:
        sql = sql.replace("{counted}", ", " + counted[0])
        params = (*counted[1], *params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    if counted is not None and found:
        count.found(found[0][-1])
    parts = [
        (columns, [prefix + f.name for f in columns.fields], columns.converters())
        for columns, prefix in PARTS
    ]
    rows = []
    for raw in found:
        row, start = {}, 0
        for columns, keys, converters in parts:
            row.update(zip(keys, columns.values(raw, start, converters), strict=True))
            start += columns.width
        rows.append(row)
    return rows
