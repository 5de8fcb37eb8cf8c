"""Several breakdowns of one set of complaints, counted in one pass (issue 8).

A month's complaints are spread over the whole table (cases are not stored in
the order they were received), so at a million complaints every grouped query
over a period is a scan of the table; one query per dimension meant seven
scans. On PostgreSQL one GROUPING SETS query reads the rows once and groups
them by each field separately. Other databases (the embedded SQLite) run one
grouped query per field, with the same result."""

from django.db import connections, transaction
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

Groups = dict[str, dict[object, dict[str, int]]]


def grouped_counts(
    qs: QuerySet, *, fields: tuple[str, ...], measures: dict[str, Q]
) -> Groups:
    """{field: {value: {"n": rows, measure: rows matching it, ...}}} for each
    field separately (not their combinations)."""
    if connections[qs.db].vendor == "postgresql":
        return _grouping_sets(qs, fields, measures)
    return {
        name: {
            row.pop(name): row
            for row in qs.order_by()
            .values(name)
            .annotate(
                n=Count("pk"), **{m: Count("pk", filter=q) for m, q in measures.items()}
            )
        }
        for name in fields
    }


def _grouping_sets(qs: QuerySet, fields: tuple[str, ...], measures: dict) -> Groups:
    columns = [f"g{i}" for i in range(len(fields))]
    flags = [f"m{i}" for i in range(len(measures))]
    inner = qs.order_by().values(
        **{c: F(name) for c, name in zip(columns, fields, strict=True)},
        **{
            flag: Case(
                When(q, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
            for flag, q in zip(flags, measures.values(), strict=True)
        },
    )
    sql, params = inner.query.sql_with_params()
    select = ", ".join(
        [f"GROUPING({', '.join(columns)})", *columns, "COUNT(*)"]
        + [f"SUM({flag})" for flag in flags]
    )
    sets = ", ".join(f"({c})" for c in columns)
    with transaction.atomic(using=qs.db), connections[qs.db].cursor() as cursor:
        # JIT compiling costs more than it saves here (0.1-0.2 s of a 1 s
        # month, 0.5 s of a 4 s year at a million cases)
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(
            f"SELECT {select} FROM ({sql}) AS t GROUP BY GROUPING SETS ({sets})",
            params,
        )
        rows = cursor.fetchall()
    # GROUPING() has a bit per column, first column highest, set when the
    # column is rolled up: the set of field i leaves only bit i clear.
    everything = (1 << len(fields)) - 1
    set_of = {everything ^ (1 << (len(fields) - 1 - i)): i for i in range(len(fields))}
    out: Groups = {name: {} for name in fields}
    names = ["n", *measures]
    for row in rows:
        i = set_of[row[0]]
        counts = row[1 + len(fields) :]
        out[fields[i]][row[1 + i]] = {
            name: int(value or 0) for name, value in zip(names, counts, strict=True)
        }
    return out
