"""The supervision audit row: one per action that is not about a single case
(an action on a case is written to the case's own event history instead)."""

from django.utils import timezone

from kesu.organisation.models import Company

from ..models import SupervisionEvent


def supervision_event_record(
    *,
    company: Company,
    subject: str,
    subject_id: int,
    action: str,
    actor,
    note: str = "",
    data: dict | None = None,
) -> SupervisionEvent:
    return SupervisionEvent.objects.create(
        company=company,
        subject=subject,
        subject_id=subject_id,
        action=action,
        actor=actor,
        at=timezone.now(),
        note=note,
        data=data or {},
    )
