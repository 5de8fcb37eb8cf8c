"""Turning cases into API payloads: masking of personal data (E1) unless
revealed, deadlines with the time left (DESIGN §4). Reads only what the
selector already loaded, so a page costs a fixed number of queries."""

import math
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kesu import privacy as masking

from .deadlines import OPEN_CLOCK_STATES
from .models import ComplainantKind, Complaint, State

LOCAL = ZoneInfo("Asia/Shanghai")


def deadline(due: date | None, provisional: bool, now: datetime | None = None,
             paused: bool = False) -> dict | None:
    """Time left until the end of the due day in Asia/Shanghai."""
    if due is None:
        return None
    now = now or timezone.now()
    end = datetime.combine(due + timedelta(days=1), time.min, tzinfo=LOCAL)
    seconds = (end - now).total_seconds()
    today = now.astimezone(LOCAL).date()
    return {
        "due_date": due,
        "provisional": provisional,
        "overdue": seconds <= 0,
        "days_left": (due - today).days,
        "hours_left": math.floor(seconds / 3600),
        "paused": paused,
    }


def company_ref(company) -> dict:
    return {"id": company.pk, "code": company.code, "name": company.name}


def user_ref(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.full_name or user.username}


def case_ref(case) -> dict | None:
    return None if case is None else {"id": case.pk, "number": case.number}


def complainant_name(complaint: Complaint) -> str:
    person = complaint.complainant
    if person.kind == ComplainantKind.ORGANISATION:
        return person.name  # an organisation is not a natural person
    return masking.mask_name(person.name)


def complainant_payload(complaint: Complaint) -> dict:
    """Always masked: the reveal endpoint is the only way to the full values."""
    person = complaint.complainant
    return {
        "kind": person.kind,
        "name": complainant_name(complaint),
        "id_type": person.id_type,
        "id_number": masking.mask_id_number(person.id_number),
        "phone": masking.mask_phone(person.phone),
        "address": masking.mask_address(person.address),
        "credit_code": person.credit_code,
        "legal_representative": masking.mask_name(person.legal_representative),
        "masked": True,
    }


def revealed_payload(complaint: Complaint) -> dict:
    person = complaint.complainant
    return {
        "name": person.name,
        "id_number": person.id_number,
        "phone": person.phone,
        "address": person.address,
        "agent_name": complaint.agent_name,
        "agent_phone": complaint.agent_phone,
    }


def clock_running(complaint: Complaint) -> bool:
    return complaint.state in OPEN_CLOCK_STATES and complaint.paused_since is None


def case_deadline(complaint: Complaint, now: datetime) -> dict | None:
    """The decision deadline; `overdue` only while its clock runs."""
    info = deadline(complaint.due_date, complaint.due_provisional, now,
                    paused=complaint.paused_since is not None)
    if info is not None and not clock_running(complaint):
        info["overdue"] = False
    return info


def list_item(complaint: Complaint, now: datetime) -> dict:
    info = case_deadline(complaint, now)
    return {
        "id": complaint.pk,
        "number": complaint.number,
        "state": complaint.state,
        "state_label": str(State(complaint.state).label),
        "grade": complaint.grade,
        "source": complaint.source,
        "channel": complaint.channel,
        "escalated": complaint.escalated,
        "supervised_by_head_office": complaint.supervised_by_head_office,
        "owning_company": company_ref(complaint.owning_company),
        "complainant_name": complainant_name(complaint),
        "policy_number": complaint.policy_number,
        "received_at": complaint.received_at,
        "due_date": complaint.due_date,
        "due_provisional": complaint.due_provisional,
        "overdue": bool(info and info["overdue"]),
        "version": complaint.version,
    }


def department_ref(dept) -> dict:
    return {"id": dept.pk, "kind": dept.kind, "name": dept.name,
            "company_code": dept.company.code}


def investigation_payload(inv, now: datetime) -> dict:
    return {
        "id": inv.pk,
        "department": department_ref(inv.department),
        "status": inv.status,
        "instructions": inv.instructions,
        "dispatched_at": inv.dispatched_at,
        "deadline": deadline(inv.due_date, inv.due_provisional, now),
        "coordinator": user_ref(inv.coordinator),
        "finding": inv.finding,
        "proposed_resolution": inv.proposed_resolution,
        "answered_at": inv.answered_at,
        "return_count": inv.return_count,
        "guidance": inv.guidance,
    }


def attachment_payload(att) -> dict:
    return {
        "id": att.pk,
        "original_name": att.original_name,
        "content_type": att.content_type,
        "size": att.size,
        "sha256": att.sha256,
        "investigation_id": att.investigation_id,
        "uploaded_at": att.uploaded_at,
        "download_url": reverse("api:complaint_attachment_download",
                                kwargs={"complaint_id": att.complaint_id,
                                        "attachment_id": att.pk}),
    }


def closing_payload(c: Complaint) -> dict:
    return {
        "liability": c.liability,
        "responsible_link": c.responsible_link,
        "cause": c.cause,
        "ruled_by_committee": c.ruled_by_committee,
        "closed_at": c.closed_at,
        "closed_by": user_ref(c.closed_by),
        "satisfaction": c.satisfaction,
        "archived_at": c.archived_at,
        "retention_until": c.retention_until,
    }


def links_payload(c: Complaint, scope) -> dict:
    """Linked cases, only those the user may see (a review request lives at
    the parent company, which a city user does not see)."""
    ids = [i for i in (c.merged_into_id, c.escalated_from_id, c.review_of_id) if i]
    linked = scope.filter(
        Q(pk__in=ids) | Q(merged_into=c) | Q(review_of=c)
    ).only("pk", "number", "merged_into_id", "review_of_id")
    by_pk = {x.pk: x for x in linked}
    return {
        "merged_into": case_ref(by_pk.get(c.merged_into_id)),
        "escalated_from": case_ref(by_pk.get(c.escalated_from_id)),
        "review_of": case_ref(by_pk.get(c.review_of_id)),
        "merged_cases": [case_ref(x) for x in by_pk.values()
                         if x.merged_into_id == c.pk],
        "review_requests": [case_ref(x) for x in by_pk.values()
                            if x.review_of_id == c.pk],
    }


def referral_payload(r) -> dict:
    return {
        "id": r.pk, "kind": r.kind, "from_company": company_ref(r.from_company),
        "to_company": company_ref(r.to_company), "reason": r.reason,
        "opinion": r.opinion, "created_at": r.created_at, "answered_at": r.answered_at,
    }
