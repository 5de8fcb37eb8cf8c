"""After the reply: follow-up and reopening (S5.1, S7.7), the review request
(R1.12), withdrawal (R1.7) and archiving (S5.1, S6.1, S7.7, R1.15)."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.errors import DomainValidationError

from ..deadlines import decision_due
from ..lifecycle import OPEN_INVESTIGATION, Action
from ..models import Complaint, FollowUp, Investigation, Source, State
from .events import event_record
from .numbering import next_number
from .transition import begin, commit


@transaction.atomic
def complaint_record_follow_up(
    *,
    complaint: Complaint,
    actor,
    result: str,
    note: str = "",
    expected_version: int | None = None,
) -> tuple[Complaint, FollowUp]:
    """S5.1, S7.7: satisfied / fairly satisfied / dissatisfied / unreachable.
    Unreachable leaves the follow-up open for another attempt."""
    if result not in FollowUp.Result.values:
        raise DomainValidationError(_("回访结果无效"), field="result")
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.RECORD_FOLLOW_UP,
        expected_version=expected_version,
    )
    case = step.complaint
    attempt = case.follow_ups.count() + 1
    follow_up = FollowUp.objects.create(
        complaint=case,
        attempt=attempt,
        result=result,
        note=(note or "").strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    if result != FollowUp.Result.UNREACHABLE:
        step.changes["satisfaction"] = result
    commit(
        step,
        note=note,
        data={"follow_up": follow_up.pk, "attempt": attempt, "result": result},
    )
    return case, follow_up


@transaction.atomic
def complaint_reopen(
    *, complaint: Complaint, actor, reason: str, expected_version: int | None = None
) -> Complaint:
    """S7.7: a dissatisfied complainant's case is handled again."""
    if not (reason or "").strip():
        raise DomainValidationError(_("请填写重新处理的理由"), field="reason")
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.REOPEN,
        expected_version=expected_version,
    )
    step.changes.update(closed_at=None, closed_by=None, satisfaction="")
    commit(step, note=reason)
    return step.complaint


@transaction.atomic
def complaint_request_review(
    *,
    complaint: Complaint,
    actor,
    reason: str,
    received_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> tuple[Complaint, Complaint]:
    """R1.12: within 30 days of the decision the complainant may ask the
    parent company for a review: a linked case at the parent, decided within
    30 days (D). Returns (original, review case)."""
    if not (reason or "").strip():
        raise DomainValidationError(_("请填写申请核查的理由"), field="reason")
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.REQUEST_REVIEW,
        expected_version=expected_version,
    )
    case = step.complaint
    parent = case.owning_company.parent
    now = timezone.now()
    review = Complaint(
        number=next_number(company_code=parent.code, day=timezone.localdate()),
        state=State.ACCEPTED,
        owning_company=parent,
        registered_company=parent,
        registered_by=actor,
        received_at=received_at or now,
        clock_started_at=received_at or now,
        channel=case.channel,
        source=Source.DIRECT,
        complainant=case.complainant,
        relation=case.relation,
        policy_number=case.policy_number,
        product_type=case.product_type,
        sales_channel=case.sales_channel,
        business_category=case.business_category,
        facts=reason.strip(),
        demand=case.demand,
        grade=case.grade,
        review_of=case,
    )
    due = decision_due(review)
    review.due_date, review.due_provisional = due.date, due.provisional
    review.save()
    review.complained_staff.set(case.complained_staff.all())
    event_record(
        complaint=review,
        actor=actor,
        action=Action.REGISTER,
        from_state="",
        to_state=State.ACCEPTED,
        data={
            "number": review.number,
            "review_of": case.pk,
            "due_date": review.due_date,
        },
    )
    commit(step, note=reason, data={"review": review.pk, "number": review.number})
    return case, review


def _cancel_open_investigations(case: Complaint) -> list[int]:
    ids = list(
        case.investigations.filter(status__in=OPEN_INVESTIGATION).values_list(
            "pk", flat=True
        )
    )
    Investigation.objects.filter(pk__in=ids).update(
        status=Investigation.Status.CANCELLED
    )
    return ids


@transaction.atomic
def complaint_withdraw(
    *, complaint: Complaint, actor, reason: str, expected_version: int | None = None
) -> Complaint:
    """R1.7: a withdrawal ends the process on the day it is received."""
    if not (reason or "").strip():
        raise DomainValidationError(_("请记录撤诉方式及说明"), field="reason")
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.WITHDRAW,
        expected_version=expected_version,
    )
    cancelled = _cancel_open_investigations(step.complaint)
    step.changes["paused_since"] = None
    commit(step, note=reason, data={"cancelled_investigations": cancelled})
    return step.complaint


def retention_until(closed_at: dt.datetime) -> dt.date:
    """R1.15: kept at least RETENTION_YEARS after closing (29 Feb → 28 Feb)."""
    day = timezone.localtime(closed_at).date()
    years = settings.KESU["RETENTION_YEARS"]
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def complaint_archive(
    *, complaint: Complaint, actor, note: str = "", expected_version: int | None = None
) -> Complaint:
    """The case and its attachments become read-only: every service refuses
    an archived case (services/transition.py)."""
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.ARCHIVE,
        expected_version=expected_version,
    )
    case = step.complaint
    keep = retention_until(case.closed_at or timezone.now())
    step.changes.update(archived_at=timezone.now(), retention_until=keep)
    commit(step, note=note, data={"retention_until": keep})
    return case
