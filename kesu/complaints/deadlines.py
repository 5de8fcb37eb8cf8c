"""Time limits of a case and its investigations (DESIGN §4). Deadlines are
computed here when a clock starts or moves, and stored; nothing recomputes
them in loops except `recompute_provisional_deadlines`, which runs once the
year's calendar is entered (KESU_PROVISIONAL_RECOMPUTERS)."""

import datetime as dt

from django.conf import settings
from django.db import transaction

from kesu.sla.calendar import Due, add_calendar_days, add_working_days, to_local_date

from .models import Complaint, Investigation

OPEN_CLOCK_STATES = ("registered", "accepted", "investigating", "reviewing")
OPEN_INVESTIGATION = (Investigation.Status.DISPATCHED, Investigation.Status.RETURNED)


def limit_days(complaint: Complaint) -> int:
    """R1.8: 15 days, 30 after the first extension, 60 after the second;
    R1.12 (D): a review request is decided within 30 days."""
    conf = settings.KESU
    if complaint.review_of_id:
        return conf["REVIEW_DECISION_DAYS"]
    return {
        0: conf["DECISION_DAYS"],
        1: conf["EXTENSION_1_DAYS"],
        2: conf["EXTENSION_2_DAYS"],
    }[complaint.extension_tier]


def decision_due(
    complaint: Complaint, *, tier: int | None = None, paused_days: int | None = None
) -> Due:
    """From receipt (or the R1.10 restart), calendar days, the start day not
    counted (R6.1); paused days (R1.9) push it back. A regulator's own
    deadline applies when earlier (R1.18), before any extension."""
    start = complaint.clock_started_at or complaint.received_at
    saved = complaint.extension_tier
    if tier is not None:
        complaint.extension_tier = tier
    try:
        days = limit_days(complaint)
    finally:
        complaint.extension_tier = saved
    paused = complaint.paused_days if paused_days is None else paused_days
    due = add_calendar_days(start, days + paused)
    effective_tier = saved if tier is None else tier
    sender = complaint.sender_due_date
    if sender and effective_tier == 0 and sender < due.date:  # R1.18
        return Due(sender, False)
    return due


def investigation_due(start: dt.date | dt.datetime, days: int | None = None) -> Due:
    """D (R4.4): a department answers within 5 working days."""
    return add_working_days(start, days or settings.KESU["INVESTIGATION_WORKING_DAYS"])


def days_paused(since: dt.datetime, until: dt.datetime) -> int:
    """R1.9: whole calendar days of outside appraisal, by local date."""
    return max(0, (to_local_date(until) - to_local_date(since)).days)


def recompute_provisional_deadlines() -> int:
    """Recompute every provisional deadline of open cases and investigations
    (run after the administrator enters a year's calendar). Returns how many
    stored dates changed; each change is an event on its case."""
    from .services.events import event_record

    changed = 0
    cases = Complaint.objects.filter(
        due_provisional=True, state__in=OPEN_CLOCK_STATES, paused_since__isnull=True
    )
    for case in cases.iterator():
        due = decision_due(case)
        if (due.date, due.provisional) == (case.due_date, case.due_provisional):
            continue
        with transaction.atomic():
            updated = Complaint.objects.filter(pk=case.pk, version=case.version).update(
                due_date=due.date, due_provisional=due.provisional
            )
            if updated:
                event_record(
                    complaint=case,
                    actor=None,
                    action="recompute_deadline",
                    from_state=case.state,
                    to_state=case.state,
                    data={
                        "old": case.due_date,
                        "new": due.date,
                        "provisional": due.provisional,
                    },
                )
                changed += 1
    changed += _recompute_investigations()
    return changed


def _recompute_investigations() -> int:
    from .services.events import event_record

    changed = 0
    qs = Investigation.objects.filter(
        due_provisional=True,
        status__in=OPEN_INVESTIGATION,
        due_working_days__isnull=False,
    )
    for inv in qs.select_related("complaint").iterator():
        due = investigation_due(inv.dispatched_at, inv.due_working_days)
        if (due.date, due.provisional) == (inv.due_date, inv.due_provisional):
            continue
        with transaction.atomic():
            Investigation.objects.filter(pk=inv.pk).update(
                due_date=due.date, due_provisional=due.provisional
            )
            event_record(
                complaint=inv.complaint,
                actor=None,
                action="recompute_deadline",
                from_state=inv.complaint.state,
                to_state=inv.complaint.state,
                data={
                    "investigation": inv.pk,
                    "old": inv.due_date,
                    "new": due.date,
                    "provisional": due.provisional,
                },
            )
        changed += 1
    return changed


def time_left(due_date: dt.date | None, today: dt.date | None = None) -> int | None:
    """Calendar days left until the deadline (negative when overdue)."""
    if due_date is None:
        return None
    from django.utils import timezone

    today = today or timezone.localdate()
    return (due_date - today).days
