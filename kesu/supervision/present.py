"""Turning supervision objects into plain dicts for the API (and templates)."""

from django.utils import timezone


def ref(obj) -> dict:
    return {"id": obj.pk, "name": str(getattr(obj, "name", obj))}


def user_ref(user) -> dict:
    return {"id": user.pk, "name": user.full_name or user.username}


def cases(qs) -> list[dict]:
    return [{"id": c.pk, "number": c.number} for c in qs]


def notice(n) -> dict:
    return {
        "id": n.pk,
        "company": ref(n.company),
        "department": ref(n.department),
        "title": n.title,
        "body": n.body,
        "status": n.status,
        "complaints": cases(n.complaints.all()),
        "drafted_at": n.drafted_at,
        "published_at": n.published_at,
    }


def rectification(r) -> dict:
    return {
        "id": r.pk,
        "company": ref(r.company),
        "department": ref(r.department),
        "cause": r.cause,
        "owner": user_ref(r.owner),
        "action": r.action,
        "due_date": r.due_date,
        "status": r.status,
        "overdue": r.status != "closed" and r.due_date < timezone.localdate(),
        "report": r.report,
        "check_note": r.check_note,
        "complaints": cases(r.complaints.all()),
    }


def sample(s) -> dict:
    return {
        "id": s.pk,
        "company": ref(s.company),
        "period_start": s.period_start,
        "period_end": s.period_end,
        "seed": s.seed,
        "rate": s.rate,
        "size": s.size,
        "population": s.population,
        "drawn_at": s.drawn_at,
    }


def sample_item(i) -> dict:
    return {
        "id": i.pk,
        "complaint": {"id": i.complaint_id, "number": i.complaint.number},
        "stratum": ref(i.stratum),
        "result": i.result,
        "note": i.note,
        "called_at": i.called_at,
    }


def audit(a) -> dict:
    return {
        "id": a.pk,
        "company": ref(a.company),
        "period_start": a.period_start,
        "period_end": a.period_end,
        "seed": a.seed,
        "size": a.size,
        "population": a.population,
        "drawn_at": a.drawn_at,
    }


def audit_item(i) -> dict:
    return {
        "id": i.pk,
        "complaint": {"id": i.complaint_id, "number": i.complaint.number},
        "city": ref(i.city),
        "outcome": i.outcome,
        "note": i.note,
        "checked_at": i.checked_at,
    }


def vexatious(v) -> dict:
    return {
        "id": v.pk,
        "complainant": ref(v.complainant),
        "company": ref(v.company),
        "reasons": v.reasons,
        "evidence": v.evidence,
        "is_active": v.is_active,
        "marked_at": v.marked_at,
        "unmarked_at": v.unmarked_at,
        "unmark_reason": v.unmark_reason,
    }
