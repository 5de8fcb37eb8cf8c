"""The case list's filters and keyset pagination (issue 3 item 6). Starts
from the scoped queryset; a page is one indexed query plus one count capped
at COUNT_CAP rows, so it stays fast at a million cases (no COUNT(*) over
everything, no OFFSET)."""

import base64
import binascii
import json
import re
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import Field

from kesu.accounts.access import scope_companies
from kesu.errors import DomainValidationError
from kesu.roundtrip import CappedCount

from . import search
from .deadlines import OPEN_CLOCK_STATES
from .models import Complaint, Investigation
from .schemas import GradeName, Input, SourceName, StateName

LOCAL = ZoneInfo("Asia/Shanghai")
COUNT_CAP = 1000
SORTS = ("received_at", "due_date", "number")
SortName = Literal[tuple(s for k in SORTS for s in (k, "-" + k))]  # type: ignore[valid-type]


class ComplaintFilters(Input):
    state: list[StateName] = Field(default_factory=list)
    company: int | None = Field(None, description="owning company id")
    subtree: bool = Field(True, description="include the companies below `company`")
    department: int | None = Field(None, description="involved department id")
    grade: list[GradeName] = Field(default_factory=list)
    source: list[SourceName] = Field(default_factory=list)
    channel: list[str] = Field(default_factory=list)
    escalated: bool | None = None
    supervised: bool | None = Field(
        None, description="supervised by head office (S5.5)")
    overdue: bool | None = None
    mine: bool | None = Field(None, description="cases you handle")
    answered: bool | None = Field(None, description=(
        "with a department's finding waiting for review (S6.7)"))
    due_before: date | None = None
    due_after: date | None = None
    received_from: date | None = None
    received_to: date | None = None
    q: str = Field("", max_length=100, description=(
        "an identifier (letters, digits, '-', 6+ characters) matches the case "
        "number or policy number exactly (indexed); other text is searched in "
        "the facts and the demand: a substring, spaces included, Latin letters in "
        "any case"))
    number: str = Field("", max_length=40, description="case number, exact")
    policy_number: str = Field("", max_length=32, description="policy number, exact")
    sort: SortName = Field("-received_at", description=(
        "default newest first; with overdue=true, most overdue first"))
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=200)


def _local_start(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=LOCAL)


def _company_filter(user, f: ComplaintFilters) -> Q:
    company = scope_companies(user).filter(pk=f.company).only("pk", "path").first()
    if company is None:
        raise DomainValidationError(_("机构不存在或不在您的范围内"), field="company")
    if f.subtree:
        return Q(owning_company__path__startswith=company.path)
    return Q(owning_company=company)


def overdue_q(today: date) -> Q:
    """Past the decision deadline with the clock running (DESIGN §4): the
    same condition as the sweep's partial index, so PostgreSQL walks that
    index. A replied case met its deadline; a paused one has no clock."""
    return Q(state__in=OPEN_CLOCK_STATES, paused_since__isnull=True,
             due_date__lt=today)


def apply_filters(qs: QuerySet[Complaint], user,
                  f: ComplaintFilters) -> QuerySet[Complaint]:
    """Every filter, the text search included (an export reads all of it)."""
    qs = _field_filters(qs, user, f)
    text = f.q.strip()
    if not text or IDENTIFIER.match(text):
        return _identifier(qs, text)
    return search.text_filter(qs, text)


def list_source(qs: QuerySet[Complaint], user,
                f: ComplaintFilters) -> tuple[QuerySet[Complaint], int, bool]:
    """(the cases a list page is read from, their count up to COUNT_CAP,
    whether there are more): the web list and its exports."""
    qs, count = list_plan(qs, user, f)
    return (qs, *count.result())


def list_plan(qs: QuerySet[Complaint], user,
              f: ComplaintFilters) -> tuple[QuerySet[Complaint], CappedCount]:
    """(the cases a list page is read from, their count up to COUNT_CAP):
    the count is left to run with the page where it can (the API's list,
    summary_rows.page_reader). A text search decides how its pages are read
    (issue 8, kesu/complaints/search.py)."""
    qs = _field_filters(qs, user, f)
    text = f.q.strip()
    if not text or IDENTIFIER.match(text):
        qs = _identifier(qs, text)
        return qs, CappedCount(COUNT_CAP, pending=qs)
    return search.text_page(qs, text, cap=COUNT_CAP)


def _field_filters(qs: QuerySet[Complaint], user,
                   f: ComplaintFilters) -> QuerySet[Complaint]:
    if f.state:
        qs = qs.filter(state__in=f.state)
    if f.company is not None:
        qs = qs.filter(_company_filter(user, f))
    if f.department is not None:
        qs = qs.filter(Exists(Investigation.objects.filter(
            complaint=OuterRef("pk"), department_id=f.department)))
    if f.grade:
        qs = qs.filter(grade__in=f.grade)
    if f.source:
        qs = qs.filter(source__in=f.source)
    if f.channel:
        qs = qs.filter(channel__in=f.channel)
    if f.escalated is not None:
        qs = qs.filter(escalated=f.escalated)
    if f.supervised is not None:
        qs = qs.filter(supervised_by_head_office=f.supervised)
    if f.mine is not None:
        qs = qs.filter(handler=user) if f.mine else qs.exclude(handler=user)
    if f.answered is not None:
        answered = Exists(Investigation.objects.filter(
            complaint=OuterRef("pk"), status=Investigation.Status.ANSWERED))
        qs = qs.filter(answered if f.answered else ~answered)
    if f.overdue is not None:
        late = overdue_q(timezone.now().astimezone(LOCAL).date())
        qs = qs.filter(late) if f.overdue else qs.exclude(late)
    if f.due_before:
        qs = qs.filter(due_date__lte=f.due_before)
    if f.due_after:
        qs = qs.filter(due_date__gte=f.due_after)
    if f.received_from:
        qs = qs.filter(received_at__gte=_local_start(f.received_from))
    if f.received_to:
        qs = qs.filter(received_at__lt=_local_start(f.received_to + timedelta(days=1)))
    if f.number.strip():
        qs = qs.filter(number=f.number.strip())
    if f.policy_number.strip():
        qs = qs.filter(policy_number=f.policy_number.strip())
    return qs


IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{5,39}$")


def _identifier(qs: QuerySet[Complaint], text: str) -> QuerySet[Complaint]:
    """An identifier is looked up by the unique/indexed columns only, so
    searching a number never scans the facts of a million cases."""
    if not text:
        return qs
    return qs.filter(Q(number=text.upper()) | Q(number=text)
                     | Q(policy_number=text))


# --- keyset pagination ----------------------------------------------------------


def _encode(value) -> str:
    raw = json.dumps(value, default=lambda v: v.isoformat(), separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _bad_cursor() -> DomainValidationError:
    return DomainValidationError(_("分页游标无效，请从第一页开始"), field="cursor")


def _decode(cursor: str, field: str):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        pk = int(pk)
        if value is not None:
            if field == "received_at":
                value = datetime.fromisoformat(value)
                if timezone.is_naive(value):
                    raise ValueError
            elif field == "due_date":
                value = date.fromisoformat(value)
            else:
                value = str(value)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise _bad_cursor() from None
    return value, pk


def _after(field: str, desc: bool, value, pk: int) -> Q:
    """Rows after (value, pk) in the order `field` [desc], id [desc], with
    NULLs last (only due_date can be NULL)."""
    op, id_op = ("lt", "lt") if desc else ("gt", "gt")
    if value is None:
        return Q(**{f"{field}__isnull": True, f"id__{id_op}": pk})
    # the redundant bound (<= / >=) lets the database start the index scan at
    # the cursor instead of filtering every row before it (deep pages)
    after = Q(**{f"{field}__{op}e": value}) & (
        Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"id__{id_op}": pk}))
    if field == "due_date":
        after |= Q(due_date__isnull=True)
    return after


def effective_sort(f: ComplaintFilters) -> str:
    """Overdue cases are listed most overdue first unless a sort is asked
    for: walking them by receipt would scan every recent (not yet due) case."""
    if f.overdue and "sort" not in f.model_fields_set:
        return "due_date"
    return f.sort


def paginate(
    qs: QuerySet[Complaint], f: ComplaintFilters, read=None
) -> tuple[list, str | None]:
    """A page of `qs` in the filters' order from their cursor, and the next
    page's cursor. `read(ordered, n, field, desc, first)` reads the first n rows
    of the ordered cases (the API's list: summary_rows.page_reader);
    by default they are read as model instances."""
    sort = effective_sort(f)
    desc = sort.startswith("-")
    field = sort.lstrip("-")
    if f.cursor:
        qs = qs.filter(_after(field, desc, *_decode(f.cursor, field)))
    if field == "due_date":
        key = F("due_date")
        order = [key.desc(nulls_last=True) if desc else key.asc(nulls_last=True)]
    else:
        order = [sort]
    order.append("-id" if desc else "id")
    ordered = qs.order_by(*order)
    if read is None:
        rows = list(ordered[: f.limit + 1])
    else:
        rows = read(ordered, f.limit + 1, field, desc, not f.cursor)
    next_cursor = None
    if len(rows) > f.limit:
        rows = rows[: f.limit]
        last = rows[-1]
        next_cursor = _encode([_read(last, field), _read(last, "id")])
    return rows, next_cursor


def _read(row, field: str):
    """A field of a case or of a row read as a dict (the API's list)."""
    return row[field] if isinstance(row, dict) else getattr(row, field)
