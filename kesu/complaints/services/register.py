"""Intake (DESIGN §3.1; S6, S7.2, R1.5–R1.7, R1.16): register a complaint.
First contact owns the case (R1.16): the registering company is its owner."""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.accounts.access import in_scope, require
from kesu.accounts.roles import Perm
from kesu.audit.services import audit_case_event
from kesu.errors import Conflict, DomainValidationError

from ..deadlines import decision_due
from ..identity import blind_index
from ..lifecycle import Action
from ..models import (
    Complainant,
    Complaint,
    Event,
    Grade,
    IdempotencyKey,
    Relation,
    Source,
    State,
)
from ..selectors import intake_warning_rows
from .alerts import alert_major
from .events import event_record
from .intake_checks import check_case, check_complainant
from .numbering import next_number


@dataclass
class Registered:
    """The new case, what the clerk must be shown (DESIGN §3.1, S6.11), and
    whether this was a replay of an earlier request (Idempotency-Key, G3)."""

    complaint: Complaint
    warnings: list[dict] = field(default_factory=list)
    replayed: bool = False
    event: Event | None = field(default=None, repr=False)
    complained_staff_ids: tuple[int, ...] = ()


def _warnings(complaint: Complaint, complainant: Complainant) -> list[dict]:
    """DESIGN §3.1, S6.11: repeats and vexatious records, in one query."""
    rows = intake_warning_rows(
        id_number_index=complainant.id_number_index,
        phone_index=complainant.phone_index,
        policy_number=complaint.policy_number,
        exclude_pk=complaint.pk,
    )
    warnings = []
    for row in rows:
        if row.kind == "repeat":
            warnings.append(
                {
                    "kind": "repeat",
                    "complaint": row.pk,
                    "number": row.number,
                    "state": row.state,
                    "message": str(
                        _("同一投诉人就同一保单已有投诉 %(n)s") % {"n": row.number}
                    ),
                }
            )
        else:
            warnings.append(
                {
                    "kind": "vexatious",
                    "record": row.pk,
                    "message": str(_("该投诉人已登记为无理缠访（S6.11）")),
                }
            )
    return warnings


def _request_hash(payload: dict) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=str).encode()
    ).hexdigest()


def _replay(owner: str, key: str, request_hash: str) -> Registered | None:
    found = (
        IdempotencyKey.objects.filter(owner=owner, key=key)
        .select_related("complaint")
        .first()
    )
    if found is None:
        return None
    if found.request_hash != request_hash:
        raise Conflict(_("该幂等键已用于不同的请求"), field="Idempotency-Key")
    return Registered(complaint=found.complaint, replayed=True)


def complaint_register(
    *,
    actor,
    received_at: dt.datetime,
    channel: str,
    complainant: dict,
    facts: str,
    demand: str,
    relation: str = Relation.APPLICANT,
    policy_number: str = "",
    product_type: str = "",
    sales_channel: str = "",
    business_category: str = "",
    grade: str = Grade.ORDINARY,
    group_size: int = 1,
    representatives: int = 1,
    source: str = Source.DIRECT,
    sender_reference: str = "",
    sender_due_date: dt.date | None = None,
    agent_name: str = "",
    agent_phone: str = "",
    agent_authority: str = "",
    complained_staff: list | tuple = (),
    complained_staff_names: str = "",
    escalated: bool = False,
    escalated_from: Complaint | None = None,
    company=None,
    api_client=None,
    idempotency_key: str | None = None,
) -> Registered:
    """Register a complaint at `company` (default: the actor's). Validation
    errors are 400s that name the field, and nothing is saved."""
    payload = {
        k: v
        for k, v in locals().items()
        if k
        not in (
            "actor",
            "company",
            "api_client",
            "idempotency_key",
            "escalated_from",
            "complained_staff",
        )
    }
    owner = f"client:{api_client.pk}" if api_client else f"user:{actor.pk}"
    # C1/C3: in a transaction of our own, the audit row is its last write and
    # commits with the case; inside a caller's, it follows their commit.
    own_transaction = not transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic():
            if idempotency_key:
                replay = _replay(owner, idempotency_key, _request_hash(payload))
                if replay:
                    return replay
            registered = _register(
                actor=actor,
                received_at=received_at,
                channel=channel,
                complainant=complainant,
                facts=facts,
                demand=demand,
                relation=relation,
                policy_number=policy_number,
                product_type=product_type,
                sales_channel=sales_channel,
                business_category=business_category,
                grade=grade,
                group_size=group_size,
                representatives=representatives,
                source=source,
                sender_reference=sender_reference,
                sender_due_date=sender_due_date,
                agent_name=agent_name,
                agent_phone=agent_phone,
                agent_authority=agent_authority,
                complained_staff=complained_staff,
                complained_staff_names=complained_staff_names,
                escalated=escalated,
                escalated_from=escalated_from,
                company=company,
                api_client=api_client,
                audit_later=own_transaction,
            )
            if idempotency_key:
                IdempotencyKey.objects.create(
                    key=idempotency_key,
                    owner=owner,
                    request_hash=_request_hash(payload),
                    complaint=registered.complaint,
                )
            if own_transaction:  # the chain's lock: the last one taken
                audit_case_event(registered.event, now=True)
            return registered
    except IntegrityError:
        if not idempotency_key:
            raise
        # Race: the same key in two requests at once; the loser replays the winner.
        replay = _replay(owner, idempotency_key, _request_hash(payload))
        if replay is None:
            raise
        return replay


def _register(
    *,
    actor,
    company,
    complainant,
    complained_staff,
    escalated_from,
    api_client,
    audit_later: bool = False,
    **fields,
) -> Registered:
    company = company or actor.company
    require(actor, Perm.COMPLAINT_REGISTER, company)
    check_case(
        **{
            k: fields[k]
            for k in (
                "received_at",
                "facts",
                "demand",
                "grade",
                "source",
                "relation",
                "representatives",
                "group_size",
                "sender_due_date",
                "channel",
                "product_type",
                "sales_channel",
                "business_category",
            )
        }
    )
    if escalated_from is not None and not in_scope(
        actor, escalated_from.owning_company
    ):
        raise DomainValidationError(_("关联的原投诉不存在"), field="escalated_from")
    person = Complainant(**check_complainant(complainant))
    person.id_number_index = blind_index("id", person.id_number)
    person.phone_index = blind_index("phone", person.phone)
    person.save()
    case = Complaint(
        **fields,
        complainant=person,
        owning_company=company,
        registered_company=company,
        registered_by=actor,
        handler=None,
        api_client=api_client,
        escalated_from=escalated_from,
        number=next_number(company_code=company.code, day=timezone.localdate()),
    )
    # S5.5: an escalated complaint is supervised by head office from the start
    case.supervised_by_head_office = case.escalated
    case.clock_started_at = case.received_at
    due = decision_due(case)
    case.due_date, case.due_provisional = due.date, due.provisional
    case.save()
    staff = _complained_staff(complained_staff)
    if staff:
        case.complained_staff.set(staff)
    registered = Registered(
        complaint=case,
        warnings=_warnings(case, person),
        complained_staff_ids=tuple(u.pk for u in staff),
    )
    alerted = alert_major(case)  # R1.14
    registered.event = event_record(
        complaint=case,
        actor=actor,
        action=Action.REGISTER,
        from_state="",
        to_state=State.REGISTERED,
        data={
            "number": case.number,
            "due_date": case.due_date,
            "warnings": registered.warnings,
            "alerted_companies": alerted,
            "supervised_by_head_office": case.supervised_by_head_office,
        },
        audit=not audit_later,
    )
    return registered


def _complained_staff(staff) -> list:
    from kesu.accounts.models import User

    ids = [getattr(s, "pk", s) for s in staff or ()]
    found = list(User.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise DomainValidationError(_("被投诉人员不存在"), field="complained_staff")
    return found
