"""Case numbers TS-<company code>-<yyyymmdd>-<seq>, unique across the company
(DESIGN §3.1). Race: two registrations at once. The counter row is bumped
with UPDATE … SET last = last + 1, which locks it until commit, so two
transactions can never read the same value; the first of the day is created
inside a savepoint and a concurrent creator falls back to the update."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F

from ..models import NumberSequence


def next_number(*, company_code: str, day: dt.date) -> str:
    seq = _bump(company_code, day)
    return f"TS-{company_code}-{day:%Y%m%d}-{seq:04d}"


def _bump(company_code: str, day: dt.date) -> int:
    for _attempt in range(3):
        rows = NumberSequence.objects.filter(company_code=company_code, day=day)
        if rows.update(last=F("last") + 1):
            return rows.values_list("last", flat=True).get()
        try:
            with transaction.atomic():
                NumberSequence.objects.create(
                    company_code=company_code, day=day, last=1
                )
            return 1
        except IntegrityError:
            continue  # someone created it first: bump theirs
    raise RuntimeError("could not allocate a complaint number")
