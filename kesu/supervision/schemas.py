"""Input and output shapes of the supervision API. Field limits mirror the
models so a bad input is a 422 naming the field, never a database error."""

import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from .models import SampleItem


class Error(Schema):
    detail: str


class Ref(Schema):
    id: int
    name: str


class CaseRef(Schema):
    id: int
    number: str


class PeriodQuery(Schema):
    company: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None


class FigureOut(Schema):
    department_id: int
    department: str
    company_id: int
    company: str
    cases: int
    investigations: int
    answered: int
    answered_on_time: int
    on_time_rate: float | None
    returned: int
    returns: int
    breaches: int


class NoticeIn(Schema):
    department: int
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20000)
    complaints: list[int] = Field(min_length=1, max_length=500)


class NoticeOut(Schema):
    id: int
    company: Ref
    department: Ref
    title: str
    body: str
    status: str
    complaints: list[CaseRef]
    drafted_at: dt.datetime
    published_at: dt.datetime | None


class RectificationOut(Schema):
    id: int
    company: Ref
    department: Ref
    cause: str
    owner: Ref
    action: str
    due_date: dt.date
    status: str
    overdue: bool
    report: str
    check_note: str
    complaints: list[CaseRef]


class FeedOut(Schema):
    company: Ref
    start: dt.date
    end: dt.date
    totals: dict[str, int]
    figures: list[FigureOut]
    notices: list[NoticeOut]
    rectifications: list[RectificationOut]


class ReminderOut(Schema):
    kind: str
    title: str
    url: str
    due: dt.date | None
    overdue: bool
    count: int


class RectificationIn(Schema):
    department: int
    complaints: list[int] = Field(min_length=1, max_length=500)
    owner: int
    action: str = Field(min_length=1, max_length=5000)
    due_date: dt.date


class TextIn(Schema):
    text: str = Field("", max_length=5000)


class SampleIn(Schema):
    start: dt.date
    end: dt.date
    rate: Decimal | None = Field(None, gt=0, le=1, decimal_places=4)
    size: int | None = Field(None, ge=1, le=5000)
    seed: int | None = Field(None, ge=0, le=2**62)


class AuditIn(Schema):
    start: dt.date
    end: dt.date
    size: int = Field(ge=1, le=5000)
    seed: int | None = Field(None, ge=0, le=2**62)


class SampleOut(Schema):
    id: int
    company: Ref
    period_start: dt.date
    period_end: dt.date
    seed: int
    rate: Decimal | None
    size: int | None
    population: int
    drawn_at: dt.datetime


class SampleItemOut(Schema):
    id: int
    complaint: CaseRef
    stratum: Ref
    result: str
    note: str
    called_at: dt.datetime | None


class SampleDetailOut(SampleOut):
    items: list[SampleItemOut]
    statistics: dict


class ResultIn(Schema):
    result: str = Field(pattern="^(" + "|".join(SampleItem.Result.values) + ")$")
    note: str = Field("", max_length=5000)


class AuditOut(Schema):
    id: int
    company: Ref
    period_start: dt.date
    period_end: dt.date
    seed: int
    size: int
    population: int
    drawn_at: dt.datetime


class AuditItemOut(Schema):
    id: int
    complaint: CaseRef
    city: Ref
    outcome: str
    note: str
    checked_at: dt.datetime | None


class AuditDetailOut(AuditOut):
    items: list[AuditItemOut]


class ReviseIn(Schema):
    responsible_link: str = Field(min_length=1, max_length=32)
    cause: str = Field(min_length=1, max_length=32)
    note: str = Field(min_length=1, max_length=5000)


class VexatiousIn(Schema):
    complainant: int
    reasons: str = Field(min_length=1, max_length=5000)
    evidence: str = Field(min_length=1, max_length=20000)
    complaints: list[int] = Field(default_factory=list, max_length=500)


class VexatiousOut(Schema):
    id: int
    complainant: Ref
    company: Ref
    reasons: str
    evidence: str
    is_active: bool
    marked_at: dt.datetime
    unmarked_at: dt.datetime | None
    unmark_reason: str


class VexatiousCheckOut(Schema):
    vexatious: bool
    record: VexatiousOut | None = None
