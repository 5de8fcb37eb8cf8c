"""The history of a supervision object (its own event rows)."""

from django.db.models import QuerySet

from ..models import SupervisionEvent


def supervision_events_for(subject: str, subject_id: int) -> QuerySet[SupervisionEvent]:
    """Call only with an object the user was allowed to read."""
    return SupervisionEvent.objects.filter(
        subject=subject, subject_id=subject_id
    ).select_related("actor")
