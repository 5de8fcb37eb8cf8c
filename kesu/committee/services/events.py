"""The committee audit row, for actions that are not about a single case
(those are written to the case's own event history)."""

from functools import partial

from django.db import transaction
from django.utils import timezone

from kesu.audit.services import audit_record
from kesu.freshness import REMINDERS, touch
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
    event = CommitteeEvent.objects.create(
        company=company,
        subject=subject,
        subject_id=subject_id,
        action=action,
        actor=actor,
        at=timezone.now(),
        note=note,
        data=data or {},
    )
    touch(REMINDERS)  # the workbench's reminders may have changed
    # C1: also a row of the security audit log, after commit (as case events)
    transaction.on_commit(
        partial(
            audit_record,
            action=f"committee.{action}",
            user=actor,
            object_type=f"committee.{subject}",
            object_id=subject_id,
            detail={"event": event.pk},
        ),
        robust=True,
    )
    return event
