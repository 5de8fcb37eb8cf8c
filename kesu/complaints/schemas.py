"""Input and output shapes of the complaints API (issue 3 item 6). Field
limits mirror models.py so a bad input is a 422 with the field named,
never a database error."""

from datetime import date, datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .models import ComplainantKind, Grade, Liability, Relation, Source, State

StateName = Literal[tuple(State.values)]  # type: ignore[valid-type]
GradeName = Literal[tuple(Grade.values)]  # type: ignore[valid-type]
SourceName = Literal[tuple(Source.values)]  # type: ignore[valid-type]
RelationName = Literal[tuple(Relation.values)]  # type: ignore[valid-type]
KindName = Literal[tuple(ComplainantKind.values)]  # type: ignore[valid-type]
LiabilityName = Literal[tuple(Liability.values)]  # type: ignore[valid-type]


class Error(Schema):
    detail: str


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False


class Input(Schema):
    """Every input shape: text with a NUL character is refused as a 422
    (PostgreSQL cannot store it, and no person types it)."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value):
        if _has_nul(value):
            raise ValueError(_("不能包含 NUL 控制字符"))
        return value


class Out(BaseModel):
    """Every output shape. A plain pydantic model, not `ninja.Schema`: ninja
    wraps each nested object of a Schema in a getter that resolves ORM
    attributes, which made validating a 25-row page cost ~0.5 ms of CPU
    (20 times pydantic's own). The presenters (api_present.py) already
    build plain dicts, so nothing needs that getter (issue 8)."""

    model_config = ConfigDict(from_attributes=True)


# --- references -------------------------------------------------------------


class CompanyRef(Out):
    id: int
    code: str
    name: str


class DepartmentRef(Out):
    id: int
    kind: str
    name: str
    company_code: str


class UserRef(Out):
    id: int
    name: str


class CaseRef(Out):
    id: int
    number: str


# --- create -------------------------------------------------------------------


class ComplainantIn(Input):
    kind: KindName = ComplainantKind.PERSON.value
    name: str = Field(min_length=1, max_length=100)
    id_type: str = Field("resident_id", max_length=20)
    id_number: str = Field("", max_length=64)
    phone: str = Field("", max_length=64)
    address: str = Field("", max_length=255)
    credit_code: str = Field("", max_length=32)
    legal_representative: str = Field("", max_length=50)


class ComplaintCreateIn(Input):
    """Registering a complaint (S6, R1.5–R1.7). `received_at` defaults to now."""

    received_at: datetime | None = None
    channel: str = Field(min_length=1, max_length=32)
    source: SourceName = Source.DIRECT.value
    sender_reference: str = Field("", max_length=64)
    sender_due_date: date | None = None
    complainant: ComplainantIn
    relation: RelationName = Relation.APPLICANT.value
    agent_name: str = Field("", max_length=50)
    agent_phone: str = Field("", max_length=64)
    agent_authority: str = Field("", max_length=255)
    policy_number: str = Field("", max_length=32)
    product_type: str = Field("", max_length=32)
    sales_channel: str = Field("", max_length=32)
    business_category: str = Field("", max_length=32)
    facts: str = Field(min_length=1, max_length=20000)
    demand: str = Field(min_length=1, max_length=20000)
    grade: GradeName = Grade.ORDINARY.value
    group_size: int = Field(1, ge=1, le=100000)
    representatives: int = Field(1, ge=1, le=100)
    complained_staff_names: str = Field("", max_length=255)
    complained_staff_ids: list[int] = Field(default_factory=list, max_length=50)


# --- read ---------------------------------------------------------------------


class ComplainantOut(Out):
    kind: str
    name: str
    id_type: str
    id_number: str
    phone: str
    address: str
    credit_code: str
    legal_representative: str
    masked: bool


class Deadline(Out):
    """A stored deadline with the time left (DESIGN §4). `provisional` marks a
    date computed without a known holiday calendar."""

    due_date: date
    provisional: bool
    overdue: bool
    days_left: int
    hours_left: int
    paused: bool = False


class ComplaintListItem(Out):
    id: int
    number: str
    state: str
    state_label: str
    grade: str
    source: str
    channel: str
    escalated: bool
    supervised_by_head_office: bool = False
    owning_company: CompanyRef
    complainant_name: str
    policy_number: str
    received_at: datetime
    due_date: date | None
    due_provisional: bool
    overdue: bool
    version: int


class ComplaintPage(Out):
    items: list[ComplaintListItem]
    next_cursor: str | None
    count: int
    count_is_capped: bool = Field(
        description="true when there are more rows than `count` (count is capped)"
    )


class InvestigationOut(Out):
    id: int
    department: DepartmentRef
    status: str
    instructions: str
    dispatched_at: datetime
    deadline: Deadline
    coordinator: UserRef | None
    finding: str
    proposed_resolution: str
    answered_at: datetime | None
    return_count: int
    guidance: str


class ReferralOut(Out):
    id: int
    kind: str
    from_company: CompanyRef
    to_company: CompanyRef
    reason: str
    opinion: str
    created_at: datetime
    answered_at: datetime | None


class ExtensionOut(Out):
    id: int
    tier: int
    reason: str
    status: str
    requested_at: datetime
    decided_at: datetime | None
    complainant_notified: bool
    new_due_date: date | None


class DecisionOut(Out):
    id: int
    findings: str
    basis: str
    result: str
    remedies: list
    decided_at: datetime
    delivery_method: str
    delivered_at: datetime | None


class FollowUpOut(Out):
    attempt: int
    result: str
    note: str
    recorded_at: datetime


class ClosingOut(Out):
    liability: str
    responsible_link: str
    cause: str
    ruled_by_committee: bool
    closed_at: datetime | None
    closed_by: UserRef | None
    satisfaction: str
    archived_at: datetime | None
    retention_until: date | None


class LinksOut(Out):
    merged_into: CaseRef | None
    escalated_from: CaseRef | None
    review_of: CaseRef | None
    merged_cases: list[CaseRef]
    review_requests: list[CaseRef]


class AttachmentOut(Out):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    investigation_id: int | None
    uploaded_at: datetime
    download_url: str


class ComplaintDetail(Out):
    id: int
    number: str
    state: str
    state_label: str
    version: int
    owning_company: CompanyRef
    registered_company: CompanyRef
    handler: UserRef | None
    received_at: datetime
    channel: str
    source: str
    sender_reference: str
    sender_due_date: date | None
    complainant: ComplainantOut
    relation: str
    agent_name: str
    agent_phone: str
    agent_authority: str
    policy_number: str
    product_type: str
    sales_channel: str
    business_category: str
    facts: str
    demand: str
    grade: str
    group_size: int
    representatives: int
    escalated: bool
    supervised_by_head_office: bool = False  # S5.5
    preliminary_opinion: str
    deadline: Deadline | None
    extension_tier: int
    investigations: list[InvestigationOut]
    referrals: list[ReferralOut]
    extensions: list[ExtensionOut]
    decisions: list[DecisionOut]
    follow_ups: list[FollowUpOut]
    closing: ClosingOut
    links: LinksOut
    attachments: list[AttachmentOut]
    allowed_actions: list[str]


class EventOut(Out):
    id: int
    action: str
    actor: UserRef | None
    at: datetime
    from_state: str
    to_state: str
    note: str
    data: dict


class RevealIn(Input):
    reason: str = Field(min_length=2, max_length=500)


class RevealOut(Out):
    name: str
    id_number: str
    phone: str
    address: str
    agent_name: str
    agent_phone: str


class Warning(Out):
    kind: str
    message: str
    number: str = ""


class ComplaintCreated(ComplaintDetail):
    """The new case, plus what the clerk must be shown (repeat complaints,
    vexatious register, DESIGN §3.1), and `replayed` for an Idempotency-Key
    retry (then `warnings` is empty)."""

    warnings: list[Warning]
    replayed: bool
