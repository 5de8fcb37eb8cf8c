"""The deadline sweep (DESIGN §4): records each missed deadline once as a
`Breach` row and a case event, and sends reminders before deadlines through
the notification outbox.

Set-based on purpose (it must cover 100,000 open complaints in seconds): each
step selects only the candidates with one indexed query ordered by due date,
and handles them in batches with bulk inserts and one UPDATE per batch — no
Python loop over every open case. A batch runs in one transaction that takes
a sweep-wide lock (an advisory lock on PostgreSQL; SQLite's IMMEDIATE
transactions serialise writers anyway), so two sweeps running at once cannot
record the same breach twice; the unique constraints on `Breach` are the
last line of defence.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kesu.accounts.roles import Role
from kesu.notifications.services import Message, notification_enqueue_many
from kesu.organisation.models import Department, DepartmentKind
from kesu.sla.calendar import add_working_days

from ..models import Breach, Complaint, Event, Investigation, State

BATCH = 2000
SWEEP_LOCK_KEY = 0x6B657375  # "kesu": pg_advisory_xact_lock key of the sweep
SYSTEM_ACTOR = None  # sweep events have no human actor
BREACHED = "deadline_breached"  # the event action (past tense: the system records it)
# for the case history (the UI looks labels up here, as in supervision.labels)
CASE_EVENT_LABELS = {BREACHED: _lazy("超过时限（系统记录）")}

# The decision clock runs until the reply (R1.8); after it only closing and
# follow-up remain, which have no statutory deadline.
DECISION_CLOCK_STATES = (State.REGISTERED, State.ACCEPTED, State.INVESTIGATING,
                         State.REVIEWING)
OPEN_STATES = DECISION_CLOCK_STATES + (State.REPLIED, State.CLOSURE_PROPOSED)
OPEN_INVESTIGATION = (Investigation.Status.DISPATCHED, Investigation.Status.RETURNED)


@dataclass
class SweepResult:
    decision_breaches: int = 0
    investigation_breaches: int = 0
    decision_reminders: int = 0
    investigation_reminders: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _kesu(name: str):
    return settings.KESU[name]


def deadline_sweep(*, now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    today = timezone.localdate(now)
    return SweepResult(
        decision_breaches=_in_batches(_decision_breach_batch, now, today),
        investigation_breaches=_in_batches(_investigation_breach_batch, now, today),
        decision_reminders=_in_batches(_decision_reminder_batch, now, today),
        investigation_reminders=_in_batches(_investigation_reminder_batch, now, today),
    )


def _in_batches(step, now: datetime, today: date) -> int:
    """Run `step` until it finds fewer candidates than a full batch. Each step
    marks what it handled, so the next query no longer selects it."""
    total = 0
    while True:
        with transaction.atomic():
            _lock_sweep()
            done = step(now, today)
        total += done
        if done < BATCH:
            return total


def _lock_sweep() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK_KEY])


# --- breaches -----------------------------------------------------------------


def decision_breach_candidates(today: date) -> QuerySet[Complaint]:
    """Open, running (not paused, R1.9) cases whose decision due date has
    passed and whose breach for that due date is not yet recorded."""
    recorded = Breach.objects.filter(complaint=OuterRef("pk"),
                                     investigation__isnull=True,
                                     due_date=OuterRef("due_date"))
    return (Complaint.objects
            .filter(state__in=DECISION_CLOCK_STATES, due_date__lt=today,
                    paused_since__isnull=True)
            .filter(~Exists(recorded))
            .order_by("due_date", "pk"))


def _decision_breach_batch(now: datetime, today: date) -> int:
    rows = list(decision_breach_candidates(today).values(
        "pk", "number", "state", "due_date", "owning_company_id", "handler_id",
        "review_of_id")[:BATCH])
    if not rows:
        return 0
    breaches, events, messages = [], [], []
    service_desks = _service_desks(rows)
    for r in rows:
        kind = Breach.Kind.REVIEW if r["review_of_id"] else Breach.Kind.DECISION
        breaches.append(Breach(complaint_id=r["pk"], company_id=r["owning_company_id"],
                               kind=kind, due_date=r["due_date"], recorded_at=now))
        events.append(_breach_event(r["pk"], r["state"], now, kind, r["due_date"]))
        messages.append(Message(
            kind="decision_breached", user_id=r["handler_id"],
            department_id=service_desks.get(r["owning_company_id"]),
            roles=(Role.CS_HEAD,) if r["handler_id"] else (Role.HANDLER, Role.CS_HEAD),
            subject=_("投诉 %(number)s 已超过答复时限（%(due)s）")
            % {"number": r["number"], "due": r["due_date"].isoformat()},
            payload={"complaint": r["pk"], "number": r["number"]},
            dedupe_key=f"breach:complaint:{r['pk']}:{r['due_date']}"))
    Breach.objects.bulk_create(breaches)
    Event.objects.bulk_create(events)
    Complaint.objects.filter(pk__in=[r["pk"] for r in rows]).update(breached_at=now)
    notification_enqueue_many(messages)
    return len(rows)


def investigation_breach_candidates(today: date) -> QuerySet[Investigation]:
    recorded = Breach.objects.filter(investigation=OuterRef("pk"),
                                     due_date=OuterRef("due_date"))
    return (Investigation.objects
            .filter(status__in=OPEN_INVESTIGATION, due_date__lt=today,
                    complaint__state__in=OPEN_STATES,
                    complaint__paused_since__isnull=True)
            .filter(~Exists(recorded))
            .order_by("due_date", "pk"))


def _investigation_breach_batch(now: datetime, today: date) -> int:
    rows = list(investigation_breach_candidates(today).values(
        "pk", "complaint_id", "complaint__number", "complaint__state", "due_date",
        "department_id", "department__company_id", "coordinator_id")[:BATCH])
    if not rows:
        return 0
    breaches, events, messages = [], [], []
    for r in rows:
        breaches.append(Breach(
            complaint_id=r["complaint_id"], investigation_id=r["pk"],
            department_id=r["department_id"], company_id=r["department__company_id"],
            kind=Breach.Kind.INVESTIGATION, due_date=r["due_date"], recorded_at=now))
        events.append(_breach_event(r["complaint_id"], r["complaint__state"], now,
                                    Breach.Kind.INVESTIGATION, r["due_date"],
                                    investigation=r["pk"],
                                    department=r["department_id"]))
        messages.append(Message(
            kind="investigation_breached", user_id=r["coordinator_id"],
            department_id=r["department_id"],
            roles=(Role.COORDINATOR, Role.DEPT_HEAD),
            subject=_("投诉 %(number)s 的调查已超过时限（%(due)s）")
            % {"number": r["complaint__number"], "due": r["due_date"].isoformat()},
            payload={"complaint": r["complaint_id"], "investigation": r["pk"]},
            dedupe_key=f"breach:investigation:{r['pk']}:{r['due_date']}"))
    Breach.objects.bulk_create(breaches)
    Event.objects.bulk_create(events)
    Investigation.objects.filter(pk__in=[r["pk"] for r in rows]).update(breached_at=now)
    notification_enqueue_many(messages)
    return len(rows)


def _breach_event(complaint_id: int, state: str, now: datetime, kind: str,
                  due: date, **data) -> Event:
    return Event(complaint_id=complaint_id, actor=SYSTEM_ACTOR, at=now,
                 action=BREACHED, from_state=state, to_state=state,
                 data={"kind": str(kind), "due_date": due.isoformat(), **data})


# --- reminders ----------------------------------------------------------------


def decision_reminder_candidates(today: date) -> QuerySet[Complaint]:
    """Running cases due within DECISION_REMINDER_DAYS that were not yet
    reminded for their current due date: never reminded, or reminded before
    this due date's reminder window opened (the due date moved since, e.g.
    on resume after a pause, R1.9)."""
    days = _kesu("DECISION_REMINDER_DAYS")
    horizon = today + timedelta(days=days)
    window_opened = ExpressionWrapper(F("due_date") - timedelta(days=days),
                                      output_field=DateField())
    return (Complaint.objects
            .filter(state__in=DECISION_CLOCK_STATES, due_date__gte=today,
                    due_date__lte=horizon, paused_since__isnull=True)
            .filter(Q(reminded_at__isnull=True)
                    | Q(reminded_at__date__lt=window_opened))
            .order_by("due_date", "pk"))


def _decision_reminder_batch(now: datetime, today: date) -> int:
    rows = list(decision_reminder_candidates(today).values(
        "pk", "number", "due_date", "owning_company_id", "handler_id")[:BATCH])
    if not rows:
        return 0
    service_desks = _service_desks(rows)
    notification_enqueue_many([Message(
        kind="decision_reminder", user_id=r["handler_id"],
        # no handler yet: the company's customer-service handlers
        department_id=None if r["handler_id"] else service_desks.get(
            r["owning_company_id"]),
        roles=() if r["handler_id"] else (Role.HANDLER,),
        subject=_("投诉 %(number)s 将于 %(due)s 到达答复时限")
        % {"number": r["number"], "due": r["due_date"].isoformat()},
        payload={"complaint": r["pk"], "number": r["number"],
                 "due_date": r["due_date"].isoformat()},
        dedupe_key=f"reminder:complaint:{r['pk']}:{r['due_date']}",
    ) for r in rows])
    Complaint.objects.filter(pk__in=[r["pk"] for r in rows]).update(reminded_at=now)
    return len(rows)


def investigation_reminder_candidates(today: date) -> QuerySet[Investigation]:
    """D (R4.4): one working day before the investigation's due date."""
    days = _kesu("INVESTIGATION_REMINDER_WORKING_DAYS")
    horizon = add_working_days(today, days).date
    return (Investigation.objects
            .filter(status__in=OPEN_INVESTIGATION, due_date__gte=today,
                    due_date__lte=horizon, reminded_at__isnull=True,
                    complaint__state__in=OPEN_STATES,
                    complaint__paused_since__isnull=True)
            .order_by("due_date", "pk"))


def _investigation_reminder_batch(now: datetime, today: date) -> int:
    rows = list(investigation_reminder_candidates(today).values(
        "pk", "complaint_id", "complaint__number", "due_date", "department_id",
        "coordinator_id")[:BATCH])
    if not rows:
        return 0
    notification_enqueue_many([Message(
        kind="investigation_reminder", user_id=r["coordinator_id"],
        department_id=r["department_id"], roles=(Role.COORDINATOR,),
        subject=_("投诉 %(number)s 的调查将于 %(due)s 到期")
        % {"number": r["complaint__number"], "due": r["due_date"].isoformat()},
        payload={"complaint": r["complaint_id"], "investigation": r["pk"],
                 "due_date": r["due_date"].isoformat()},
        dedupe_key=f"reminder:investigation:{r['pk']}:{r['due_date']}",
    ) for r in rows])
    Investigation.objects.filter(pk__in=[r["pk"] for r in rows]).update(reminded_at=now)
    return len(rows)


def _service_desks(rows: list[dict]) -> dict[int, int]:
    """owning company id -> its customer-service department id."""
    return dict(Department.objects.filter(
        company_id__in={r["owning_company_id"] for r in rows},
        kind=DepartmentKind.CUSTOMER_SERVICE,
    ).values_list("company_id", "pk"))
