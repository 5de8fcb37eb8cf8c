"""Turning cases into API payloads: masking of personal data (E1) unless
revealed, deadlines with the time left (DESIGN §4). Reads only what the
selector already loaded, so a page costs a fixed number of queries."""

import math
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from kesu import privacy as masking
from kesu.choicelabels import choice_label

from .api_json import json_instant
from .deadlines import OPEN_CLOCK_STATES
from .models import ComplainantKind, Complaint, State

LOCAL = ZoneInfo("Asia/Shanghai")
# a state's label from a table per language, not a lazy label per row (issue 8)
STATE_FIELD = Complaint._meta.get_field("state")


def deadline(
    due: date | None,
    provisional: bool,
    now: datetime | None = None,
    paused: bool = False,
) -> dict | None:
    """Time left until the end of the due day in Asia/Shanghai."""
    if due is None:
        return None
    now = now or timezone.now()
    end = datetime.combine(due + timedelta(days=1), time.min, tzinfo=LOCAL)
    seconds = (end - now).total_seconds()  # <= 0 exactly when _past()
    today = now.astimezone(LOCAL).date()
    return {
        "due_date": due,
        "provisional": provisional,
        "overdue": seconds <= 0,
        "days_left": (due - today).days,
        "hours_left": math.floor(seconds / 3600),
        "paused": paused,
    }


def _past(due: date, now: datetime) -> bool:
    """deadline()'s `overdue`: the due day has ended in Asia/Shanghai."""
    return datetime.combine(due + timedelta(days=1), time.min, tzinfo=LOCAL) <= now


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
    return masked_name(person.kind, person.name)


def masked_name(kind: str, name: str) -> str:
    if kind == ComplainantKind.ORGANISATION:
        return name  # an organisation is not a natural person
    return masking.mask_name(name)


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
    return _runs(complaint.state, complaint.paused_since)


def _runs(state: str, paused_since) -> bool:
    return state in OPEN_CLOCK_STATES and paused_since is None


def case_deadline(complaint: Complaint, now: datetime) -> dict | None:
    """The decision deadline; `overdue` only while its clock runs."""
    info = deadline(
        complaint.due_date,
        complaint.due_provisional,
        now,
        paused=complaint.paused_since is not None,
    )
    if info is not None and not clock_running(complaint):
        info["overdue"] = False
    return info


def state_labels() -> dict[str, str]:
    """Every state's label in the current language (for a page of rows)."""
    return {value: choice_label(STATE_FIELD, value) for value in State.values}


def list_item(row: dict, now: datetime, labels: dict[str, str] | None = None) -> dict:
    """One list row, from a dict of selectors.SUMMARY_FIELDS (no model
    instances: a page of 25 built 75 of them, a third of its cost);
    `labels`: state_labels(), read once for a page. Its time and date are
    written as the JSON encoder would write them (api_json.json_instant)."""
    due = row["due_date"]
    return {
        "id": row["id"],
        "number": row["number"],
        "state": row["state"],
        "state_label": (labels or state_labels())[row["state"]],
        "grade": row["grade"],
        "source": row["source"],
        "channel": row["channel"],
        "escalated": row["escalated"],
        "supervised_by_head_office": row["supervised_by_head_office"],
        "owning_company": {
            "id": row["owning_company__id"],
            "code": row["owning_company__code"],
            "name": row["owning_company__name"],
        },
        "complainant_name": masked_name(
            row["complainant__kind"], row["complainant__name"]
        ),
        "policy_number": row["policy_number"],
        "received_at": json_instant(row["received_at"]),
        "due_date": json_instant(due),
        "due_provisional": row["due_provisional"],
        "overdue": due is not None
        and _past(due, now)
        and _runs(row["state"], row["paused_since"]),
        "version": row["version"],
    }


def department_ref(dept) -> dict:
    return {
        "id": dept.pk,
        "kind": dept.kind,
        "name": dept.name,
        "company_code": dept.company.code,
    }


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
        "download_url": reverse(
            "api:complaint_attachment_download",
            kwargs={"complaint_id": att.complaint_id, "attachment_id": att.pk},
        ),
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


def links_payload(case, scope) -> dict:
    """Linked cases, only those the user may see (a review request lives at
    the parent company, which a city user does not see). The case file
    knows their ids; only a case that has some costs a (scoped) query."""
    c = case.complaint
    ids = [i for i in (c.merged_into_id, c.escalated_from_id, c.review_of_id) if i]
    ids += case.merged_case_ids + case.review_request_ids
    by_pk = {}
    if ids:
        linked = scope.filter(pk__in=ids).only(
            "pk", "number", "merged_into_id", "review_of_id"
        )
        by_pk = {x.pk: x for x in linked}
    return {
        "merged_into": case_ref(by_pk.get(c.merged_into_id)),
        "escalated_from": case_ref(by_pk.get(c.escalated_from_id)),
        "review_of": case_ref(by_pk.get(c.review_of_id)),
        "merged_cases": [
            case_ref(x) for x in by_pk.values() if x.merged_into_id == c.pk
        ],
        "review_requests": [
            case_ref(x) for x in by_pk.values() if x.review_of_id == c.pk
        ],
    }


def extension_payload(x) -> dict:
    return {
        "id": x.pk,
        "tier": x.tier,
        "reason": x.reason,
        "status": x.status,
        "requested_at": x.requested_at,
        "decided_at": x.decided_at,
        "complainant_notified": x.complainant_notified,
        "new_due_date": x.new_due_date,
    }


def decision_payload(d) -> dict:
    return {
        "id": d.pk,
        "findings": d.findings,
        "basis": d.basis,
        "result": d.result,
        "remedies": d.remedies,
        "decided_at": d.decided_at,
        "delivery_method": d.delivery_method,
        "delivered_at": d.delivered_at,
    }


def follow_up_payload(f) -> dict:
    return {
        "attempt": f.attempt,
        "result": f.result,
        "note": f.note,
        "recorded_at": f.recorded_at,
    }


def referral_payload(r) -> dict:
    return {
        "id": r.pk,
        "kind": r.kind,
        "from_company": company_ref(r.from_company),
        "to_company": company_ref(r.to_company),
        "reason": r.reason,
        "opinion": r.opinion,
        "created_at": r.created_at,
        "answered_at": r.answered_at,
    }
