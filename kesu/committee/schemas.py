"""Input and output shapes of the committee API (S3)."""

import datetime as dt

from ninja import Schema
from pydantic import Field

from kesu.supervision.schemas import CaseRef, Error, Ref

__all__ = ["CaseRef", "Error", "Ref"]


class CircularIn(Schema):
    kind: str = Field(pattern="^(escalation|major_impact)$")
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20000)
    complaints: list[int] = Field(min_length=1, max_length=500)
    department: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None


class CircularOut(Schema):
    id: int
    company: Ref
    kind: str
    department: Ref | None
    title: str
    body: str
    status: str
    complaints: list[CaseRef]
    drafted_at: dt.datetime
    issued_at: dt.datetime | None


class ProposalOut(Schema):
    kind: str
    complaint: CaseRef
    company: Ref
    grade: str
    departments: list[Ref]


class MeetingIn(Schema):
    scheduled_for: dt.datetime
    location: str = Field("", max_length=200)


class MeetingRecordIn(Schema):
    attendees: list[int] = Field(default_factory=list, max_length=200)
    departments: list[int] = Field(min_length=1, max_length=50)
    minutes: str = Field(min_length=1, max_length=50000)
    decisions: str = Field("", max_length=50000)


class MeetingOut(Schema):
    id: int
    company: Ref
    year: int
    half: int
    scheduled_for: dt.datetime
    location: str
    status: str
    figures: list[dict]
    figures_prepared_at: dt.datetime | None
    attendees: list[Ref]
    departments: list[Ref]
    minutes: str
    decisions: str
    held_at: dt.datetime | None


class MissingMeetingOut(Schema):
    company: Ref
    year: int
    half: int


class DeliberationIn(Schema):
    complaint: int
    kind: str = Field(pattern="^(major_difficult|liability_dispute)$")
    question: str = Field(min_length=1, max_length=10000)
    departments: list[int] = Field(default_factory=list, max_length=50)


class OpinionIn(Schema):
    text: str = Field(min_length=1, max_length=10000)


class DecideIn(Schema):
    decision: str = Field(min_length=1, max_length=10000)
    liability: str = Field("", pattern="^(|liable|not_liable)$")
    cause: str = Field("", max_length=32)
    responsible_link: str = Field("", max_length=32)


class FollowUpIn(Schema):
    note: str = Field(min_length=1, max_length=10000)
    done: bool = False


class OpinionOut(Schema):
    department: Ref
    author: Ref
    text: str
    given_at: dt.datetime


class RulingOut(Schema):
    liability: str
    responsible_link: str
    cause: str
    reasoning: str
    ruled_at: dt.datetime


class DeliberationOut(Schema):
    id: int
    company: Ref
    complaint: CaseRef
    kind: str
    question: str
    status: str
    departments: list[Ref]
    opinions: list[OpinionOut]
    decision: str
    decided_at: dt.datetime | None
    ruling: RulingOut | None
    implementation: str
    implemented_at: dt.datetime | None
