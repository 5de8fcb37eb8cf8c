"""Test data for supervision and committee: complaints at chosen states and
times, written straight to the tables (the lifecycle's own tests cover how
cases get there)."""

import datetime as dt

from django.utils import timezone

from kesu.complaints.models import Breach, Complaint, Investigation, State
from kesu.complaints.tests.factories import ComplaintFactory


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(
        day, dt.time(hour), tzinfo=timezone.get_current_timezone()
    )


def closed_case(
    company,
    *,
    closed_on: dt.date,
    liability: str = "not_liable",
    cause: str = "mis_selling",
    **extra,
) -> Complaint:
    extra.setdefault("state", State.CLOSED)
    return ComplaintFactory(
        owning_company=company,
        closed_at=at(closed_on),
        received_at=at(closed_on - dt.timedelta(days=5)),
        liability=liability,
        cause=cause,
        responsible_link="sales" if liability == "liable" else "",
        **extra,
    )


def investigation(
    complaint,
    department,
    *,
    dispatched: dt.date,
    due: dt.date,
    answered: dt.date | None = None,
    return_count: int = 0,
    by=None,
) -> Investigation:
    return Investigation.objects.create(
        complaint=complaint,
        department=department,
        dispatched_at=at(dispatched),
        due_date=due,
        answered_at=at(answered, 16) if answered else None,
        status=Investigation.Status.ANSWERED
        if answered
        else Investigation.Status.DISPATCHED,
        return_count=return_count,
        dispatched_by=by or complaint.registered_by or _someone(complaint),
    )


def breach(inv: Investigation, *, recorded: dt.date) -> Breach:
    return Breach.objects.create(
        complaint=inv.complaint,
        investigation=inv,
        department=inv.department,
        company=inv.department.company,
        kind=Breach.Kind.INVESTIGATION,
        due_date=inv.due_date,
        recorded_at=at(recorded, 1),
    )


def _someone(complaint):
    from kesu.accounts.models import User

    return (
        User.objects.filter(company=complaint.owning_company).first()
        or User.objects.first()
    )
