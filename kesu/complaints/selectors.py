"""Reads of complaints, always starting from the scoped queryset."""

from typing import NamedTuple

from django.apps import apps
from django.db.models import CharField, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from kesu.errors import NotFound
from kesu.roundtrip import rows_of

from .access import complaint_get_for, complaint_scope, scope_of
from .casefile import CaseFile, case_file
from .lookup import case_row, event_rows
from .models import Complaint, Event


def complaint_list_for(user) -> QuerySet[Complaint]:
    return (
        complaint_scope(user)
        .select_related(
            "owning_company", "registered_company", "complainant", "handler"
        )
        .order_by("-received_at", "-id")
    )


# What a list row shows (api_present.list_item). Read as dicts with the
# two joins they need: the facts, the demand, four unused joins and a model
# instance per row and join are neither read, planned nor built (issue 8).
SUMMARY_FIELDS = (
    "id",
    "number",
    "state",
    "grade",
    "source",
    "channel",
    "escalated",
    "supervised_by_head_office",
    "policy_number",
    "received_at",
    "due_date",
    "due_provisional",
    "paused_since",
    "version",
    "owning_company__id",
    "owning_company__code",
    "owning_company__name",
    "complainant__kind",
    "complainant__name",
)


def complaint_summaries_for(user) -> QuerySet[Complaint]:
    """The API list's cases, newest first: filter and count these, then
    read a page with summary_rows.page_reader (its joins stay out of the
    count)."""
    return complaint_scope(user).order_by("-received_at", "-id")


def complaint_file_for(
    user, *, pk: int | None = None, number: str | None = None
) -> CaseFile:
    """The case with all its parts (casefile.py) if `user` may see it, else
    NotFound: two queries, whatever the case holds. The companies and people
    the case names come with its parts: joining them to the case cost more
    to build and to plan than the case file's few extra rows."""
    complaint = complaint_get_for(user, pk=pk, number=number, related=("complainant",))
    return case_file(complaint)


# An event shows its actor by name only: not the whole user row (issue 8).
EVENT_FIELDS = (
    "id", "complaint_id", "action", "at", "from_state", "to_state", "note",
    "data", "actor__id", "actor__full_name", "actor__username",
)  # fmt: skip


def complaint_events_for(user, complaint: Complaint) -> QuerySet[Event]:
    """The case's history; the caller got `complaint` through complaint_get_for."""
    return (
        complaint.events.select_related("actor")
        .only(*EVENT_FIELDS)
        .order_by("at", "id")
    )


def complaint_history_for(user, *, complaint_id: int) -> list[Event]:
    """The case's history, oldest first; NotFound outside the user's scope.
    One prepared statement (lookup.py): the scope is a semi-join on the
    events. Only an empty answer needs a second look, to tell a case
    without events from one not seen."""
    scope = scope_of(user)
    events = event_rows(scope, complaint_id)
    if not events and case_row(scope, pk=complaint_id) is None:
        raise NotFound(_("未找到该投诉案件"))
    return events


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
    """S6.11: active vexatious records of this complainant."""
    found = _vexatious(id_number_index=id_number_index, phone_index=phone_index)
    return [] if found is None else list(found)


def _vexatious(*, id_number_index: str, phone_index: str) -> QuerySet | None:
    """The register is the supervision app's; use its selector when there is
    one. None when there is no register."""
    try:
        from kesu.supervision import selectors as supervision
    except ImportError:
        supervision = None
    finder = getattr(supervision, "vexatious_records_for", None)
    if finder is not None:
        return finder(id_number_index=id_number_index, phone_index=phone_index)
    try:
        model = apps.get_model("supervision", "VexatiousRecord")
    except LookupError:
        return None
    who = Q()
    if id_number_index:
        who |= Q(complainant__id_number_index=id_number_index)
    if phone_index:
        who |= Q(complainant__phone_index=phone_index)
    if not who:
        return model.objects.none()
    return model.objects.filter(who, is_active=True)


class WarningRow(NamedTuple):
    kind: str  # "repeat" or "vexatious"
    pk: int  # the earlier complaint's, or the vexatious record's
    number: str
    state: str


def intake_warning_rows(
    *,
    id_number_index: str,
    phone_index: str,
    policy_number: str,
    exclude_pk: int | None = None,
    limit: int = 10,
) -> list[WarningRow]:
    """What registering must show the clerk (DESIGN §3.1, S6.11), in one
    query: the newest `limit` earlier complaints of this complainant on this
    policy (repeat_complaints), then their active vexatious records."""
    text = CharField()
    parts = [
        repeat_complaints(
            id_number_index=id_number_index,
            phone_index=phone_index,
            policy_number=policy_number,
            exclude_pk=exclude_pk,
        ).values_list(
            Value("repeat", output_field=text), "pk", "number", "state", "received_at"
        )[:limit]
    ]
    records = _vexatious(id_number_index=id_number_index, phone_index=phone_index)
    if records is not None:
        parts.append(
            records.select_related(None)
            .order_by()
            .values_list(
                Value("vexatious", output_field=text),
                "pk",
                Value("", output_field=text),
                Value("", output_field=text),
                "marked_at",  # a timestamp, as the repeats' column (unused)
            )
        )
    rows = rows_of(parts)
    # newest first (received_at: a datetime, or ISO text that sorts alike
    # from SQLite's raw cursor)
    repeats = sorted((r for r in rows if r[0] == "repeat"), key=lambda r: r[4])[::-1]
    return [WarningRow(*r[:4]) for r in repeats] + [
        WarningRow(*r[:4]) for r in rows if r[0] == "vexatious"
    ]
