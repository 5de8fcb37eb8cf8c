"""The case's audit trail (DESIGN §3.12): every action writes one event in
the same transaction as its change."""

from django.utils import timezone

from kesu.audit.services import audit_case_event

from ..models import Complaint, Event


def event_record(
    *,
    complaint: Complaint,
    actor,
    action: str,
    from_state: str,
    to_state: str,
    note: str = "",
    data: dict | None = None,
    audit: bool = True,
) -> Event:
    """`audit=False`: the caller writes the audit row itself (audit_case_event)."""
    event = Event.objects.create(
        complaint=complaint,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        at=timezone.now(),
        from_state=from_state or "",
        to_state=to_state or "",
        note=note or "",
        data=_jsonable(data or {}),
    )
    if audit:
        audit_case_event(event)  # C1: also in the security audit log (kesu/audit)
    return event


def _jsonable(value):
    """Dates, decimals and model instances in `data` become plain JSON."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return str(value)
