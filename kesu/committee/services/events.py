"""The committee audit row, for actions that are not about a single case
(those are written to the case's own event history)."""

from django.utils import timezone

from kesu.organisation.models import Company

from ..models import CommitteeEvent


def committee_event_record(
    *,
    company: Company,
    subject: str,
    subject_id: int,
    action: str,
    actor,
    note: str = "",
    data: dict | None = None,
) -> CommitteeEvent:
    return CommitteeEvent.objects.create(
        company=company,
        subject=subject,
        subject_id=subject_id,
        action=action,
        actor=actor,
        at=timezone.now(),
        note=note,
        data=data or {},
    )
