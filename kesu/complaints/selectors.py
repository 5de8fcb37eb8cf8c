"""Reads of complaints, always starting from the scoped queryset."""

from django.apps import apps
from django.db.models import Q, QuerySet

from .access import complaint_scope
from .models import Complaint, Event


def complaint_list_for(user) -> QuerySet[Complaint]:
    return (
        complaint_scope(user)
        .select_related(
            "owning_company", "registered_company", "complainant", "handler"
        )
        .order_by("-received_at", "-id")
    )


def complaint_events_for(user, complaint: Complaint) -> QuerySet[Event]:
    """The case's history; the caller got `complaint` through complaint_get_for."""
    return complaint.events.select_related("actor").order_by("at", "id")


def repeat_complaints(
    *,
    id_number_index: str,
    phone_index: str,
    policy_number: str,
    exclude_pk: int | None = None,
) -> QuerySet[Complaint]:
    """DESIGN §3.1: earlier complaints by the same complainant (by ID-number
    or phone blind index) on the same policy. Not scoped: the clerk is told a
    repeat exists (number and state), across the company (R1.16)."""
    who = Q()
    if id_number_index:
        who |= Q(complainant__id_number_index=id_number_index)
    if phone_index:
        who |= Q(complainant__phone_index=phone_index)
    if not who or not policy_number:
        return Complaint.objects.none()
    qs = Complaint.objects.filter(who, policy_number=policy_number)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("-received_at")


def vexatious_records(*, id_number_index: str, phone_index: str) -> list:
    """S6.11: active vexatious records of this complainant. The register is
    the supervision app's; use its selector when there is one."""
    try:
        from kesu.supervision import selectors as supervision
    except ImportError:
        supervision = None
    finder = getattr(supervision, "vexatious_records_for", None)
    if finder is not None:
        return list(finder(id_number_index=id_number_index, phone_index=phone_index))
    try:
        model = apps.get_model("supervision", "VexatiousRecord")
    except LookupError:
        return []
    who = Q()
    if id_number_index:
        who |= Q(complainant__id_number_index=id_number_index)
    if phone_index:
        who |= Q(complainant__phone_index=phone_index)
    if not who:
        return []
    return list(model.objects.filter(who, is_active=True))
