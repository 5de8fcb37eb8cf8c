"""Case numbers TS-<company code>-<yyyymmdd>-<seq>, unique across the company
(DESIGN §3.1). Race: two registrations at once. The counter row is created
or bumped in one statement (INSERT … ON CONFLICT DO UPDATE … RETURNING, on
PostgreSQL and SQLite alike): the row stays locked until the registration
commits, so two transactions can never read the same value, and the first
registration of the day needs no savepoint or retry."""

import datetime as dt

from django.db import connection

from ..models import NumberSequence

_TABLE = connection.ops.quote_name(NumberSequence._meta.db_table)
_BUMP = (
    f"INSERT INTO {_TABLE} (company_code, day, last) VALUES (%s, %s, 1) "
    f"ON CONFLICT (company_code, day) DO UPDATE SET last = {_TABLE}.last + 1 "
    "RETURNING last"
)


def next_number(*, company_code: str, day: dt.date) -> str:
    seq = _bump(company_code, day)
    return f"TS-{company_code}-{day:%Y%m%d}-{seq:04d}"


def _bump(company_code: str, day: dt.date) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_BUMP, [company_code, connection.ops.adapt_datefield_value(day)])
        return cursor.fetchone()[0]
