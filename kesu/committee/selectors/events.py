"""The history of a committee object (its own event rows)."""

from django.db.models import QuerySet

from ..models import CommitteeEvent


def committee_events_for(subject: str, subject_id: int) -> QuerySet[CommitteeEvent]:
    """Call only with an object the user was allowed to read."""
    return CommitteeEvent.objects.filter(
        subject=subject, subject_id=subject_id
    ).select_related("actor")
