"""Turning committee objects into plain dicts for the API."""

from kesu.supervision.present import cases, ref, user_ref

from .models import Ruling


def circular(c) -> dict:
    return {
        "id": c.pk,
        "company": ref(c.company),
        "kind": c.kind,
        "department": ref(c.department) if c.department else None,
        "title": c.title,
        "body": c.body,
        "status": c.status,
        "complaints": cases(c.complaints.all()),
        "drafted_at": c.drafted_at,
        "issued_at": c.issued_at,
    }


def proposal(kind: str, complaint) -> dict:
    departments = {i.department for i in complaint.investigations.all()}
    return {
        "kind": kind,
        "complaint": {"id": complaint.pk, "number": complaint.number},
        "company": ref(complaint.owning_company),
        "grade": complaint.grade,
        "departments": [ref(d) for d in sorted(departments, key=lambda d: d.pk)],
    }


def meeting(m) -> dict:
    return {
        "id": m.pk,
        "company": ref(m.company),
        "year": m.year,
        "half": m.half,
        "scheduled_for": m.scheduled_for,
        "location": m.location,
        "status": m.status,
        "figures": m.figures,
        "figures_prepared_at": m.figures_prepared_at,
        "attendees": [user_ref(u) for u in m.attendees.all()],
        "departments": [ref(d) for d in m.departments.all()],
        "minutes": m.minutes,
        "decisions": m.decisions,
        "held_at": m.held_at,
    }


def deliberation(d) -> dict:
    try:
        ruling = d.ruling
    except Ruling.DoesNotExist:
        ruling = None
    return {
        "id": d.pk,
        "company": ref(d.company),
        "complaint": {"id": d.complaint_id, "number": d.complaint.number},
        "kind": d.kind,
        "question": d.question,
        "status": d.status,
        "departments": [ref(x) for x in d.departments.all()],
        "opinions": [
            {
                "department": ref(o.department),
                "author": user_ref(o.author),
                "text": o.text,
                "given_at": o.given_at,
            }
            for o in d.opinions.all()
        ],
        "decision": d.decision,
        "decided_at": d.decided_at,
        "ruling": None
        if ruling is None
        else {
            "liability": ruling.liability,
            "responsible_link": ruling.responsible_link,
            "cause": ruling.cause,
            "reasoning": ruling.reasoning,
            "ruled_at": ruling.ruled_at,
        },
        "implementation": d.implementation,
        "implemented_at": d.implemented_at,
    }
