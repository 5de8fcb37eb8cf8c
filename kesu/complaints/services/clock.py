"""The decision clock (DESIGN §4): extensions in two tiers (R1.8), pause and
resume for outside appraisal (R1.9), and merging a repeat complaint, which
restarts the clock (R1.10). Deadlines are computed here and stored."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesu.errors import Conflict, DomainValidationError

from ..access import complaint_in_scope
from ..deadlines import days_paused, decision_due
from ..lifecycle import HANDLING_STATES, Action
from ..models import Complaint, Extension, Pause, State
from .events import event_record
from .transition import begin, commit, lock


@transaction.atomic
def extension_request(
    *, complaint: Complaint, actor, reason: str, expected_version: int | None = None
) -> tuple[Complaint, Extension]:
    """R1.8: a complex case may go to 30 days, an especially complex one to 60."""
    if not (reason or "").strip():
        raise DomainValidationError(_("请填写延期理由"), field="reason")
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.REQUEST_EXTENSION,
        expected_version=expected_version,
    )
    case = step.complaint
    tier = case.extension_tier + 1
    ext = Extension.objects.create(
        complaint=case,
        tier=tier,
        reason=reason.strip(),
        requested_by=actor,
        requested_at=timezone.now(),
        new_due_date=decision_due(case, tier=tier).date,
    )
    commit(
        step,
        note=reason,
        data={"extension": ext.pk, "tier": tier, "new_due_date": ext.new_due_date},
    )
    return case, ext


def _pending(case: Complaint) -> Extension:
    ext = (
        case.extensions.select_for_update()
        .filter(status=Extension.Status.REQUESTED)
        .first()
    )
    if ext is None:
        raise Conflict(_("没有待审批的延期申请"))
    return ext


@transaction.atomic
def extension_approve(
    *,
    complaint: Complaint,
    actor,
    complainant_notified: bool,
    note: str = "",
    expected_version: int | None = None,
) -> tuple[Complaint, Extension]:
    """R1.8: tier 1 by the owning company's customer-service head, tier 2 at
    the parent company or by a head-office customer-service head (checked by
    the table's `may_decide_pending_extension`); the complainant is told."""
    if not complainant_notified:
        raise DomainValidationError(
            _("延期须告知投诉人（R1.8）"), field="complainant_notified"
        )
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.APPROVE_EXTENSION,
        expected_version=expected_version,
    )
    case = step.complaint
    ext = _pending(case)
    due = decision_due(case, tier=ext.tier)
    ext.status, ext.decided_by, ext.decided_at = (
        Extension.Status.APPROVED,
        actor,
        timezone.now(),
    )
    ext.complainant_notified, ext.new_due_date = True, due.date
    ext.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "complainant_notified",
            "new_due_date",
        ]
    )
    old = case.due_date
    step.changes.update(
        extension_tier=ext.tier,
        due_date=due.date,
        due_provisional=due.provisional,
        breached_at=None,
        reminded_at=None,
    )
    commit(
        step,
        note=note,
        data={
            "extension": ext.pk,
            "tier": ext.tier,
            "old_due_date": old,
            "new_due_date": due.date,
        },
    )
    return case, ext


@transaction.atomic
def extension_reject(
    *, complaint: Complaint, actor, note: str, expected_version: int | None = None
) -> tuple[Complaint, Extension]:
    if not (note or "").strip():
        raise DomainValidationError(_("请填写驳回理由"), field="note")
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.REJECT_EXTENSION,
        expected_version=expected_version,
    )
    ext = _pending(step.complaint)
    ext.status, ext.decided_by, ext.decided_at = (
        Extension.Status.REJECTED,
        actor,
        timezone.now(),
    )
    ext.save(update_fields=["status", "decided_by", "decided_at"])
    commit(step, note=note, data={"extension": ext.pk, "tier": ext.tier})
    return step.complaint, ext


@transaction.atomic
def complaint_pause(
    *, complaint: Complaint, actor, reason: str, expected_version: int | None = None
) -> Complaint:
    """R1.9: outside appraisal, testing or evaluation does not count."""
    if not (reason or "").strip():
        raise DomainValidationError(
            _("请填写暂停理由（鉴定、检测或评估）"), field="reason"
        )
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.PAUSE,
        expected_version=expected_version,
    )
    now = timezone.now()
    pause = Pause.objects.create(
        complaint=step.complaint,
        reason=reason.strip(),
        started_at=now,
        started_by=actor,
    )
    step.changes["paused_since"] = now
    commit(step, note=reason, data={"pause": pause.pk})
    return step.complaint


@transaction.atomic
def complaint_resume(
    *, complaint: Complaint, actor, note: str = "", expected_version: int | None = None
) -> Complaint:
    """R1.9: the paused days move the deadline."""
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.RESUME,
        expected_version=expected_version,
    )
    case = step.complaint
    now = timezone.now()
    pause = case.pauses.select_for_update().filter(ended_at__isnull=True).first()
    if pause is not None:
        pause.ended_at = now
        pause.save(update_fields=["ended_at"])
    days = days_paused(case.paused_since, now)
    total = case.paused_days + days
    due = decision_due(case, paused_days=total)
    old = case.due_date
    step.changes.update(
        paused_since=None,
        paused_days=total,
        due_date=due.date,
        due_provisional=due.provisional,
    )
    commit(
        step,
        note=note,
        data={"paused_days": days, "old_due_date": old, "new_due_date": due.date},
    )
    return case


@transaction.atomic
def complaint_merge(
    *,
    complaint: Complaint,
    actor,
    into: Complaint,
    reason: str,
    expected_version: int | None = None,
) -> Complaint:
    """R1.10: a repeat complaint with new facts is merged into the open case,
    whose clock restarts from the receipt of the new material. Locks are
    taken in id order so two merges cannot deadlock."""
    if not (reason or "").strip():
        raise DomainValidationError(_("请填写合并理由"), field="reason")
    if into.pk == complaint.pk:
        raise DomainValidationError(_("不能合并到本案"), field="into")
    first, second = sorted([complaint.pk, into.pk])
    lock(first), lock(second)
    step = begin(
        complaint=complaint,
        actor=actor,
        action=Action.MERGE,
        expected_version=expected_version,
    )
    target = lock(into.pk)
    if not complaint_in_scope(actor, target.pk) or target.pk == step.complaint.pk:
        raise DomainValidationError(_("合并目标不存在"), field="into")
    if target.state not in HANDLING_STATES | {State.REGISTERED}:
        raise Conflict(_("只能合并到在办案件"))
    _restart_clock(target, actor, step.complaint)
    step.changes["merged_into"] = target
    commit(step, note=reason, data={"merged_into": target.pk, "number": target.number})
    return step.complaint


def _restart_clock(target: Complaint, actor, repeat: Complaint) -> None:
    """R1.10: the target's clock restarts from the new material's receipt.
    The target changes too, so it gets its own event (nothing changes
    without one)."""
    old = target.due_date
    target.clock_started_at = max(repeat.received_at, target.received_at)
    target.extension_tier, target.paused_days = 0, 0
    due = decision_due(target)
    updated = Complaint.objects.filter(pk=target.pk, version=target.version).update(
        clock_started_at=target.clock_started_at,
        extension_tier=0,
        paused_days=0,
        due_date=due.date,
        due_provisional=due.provisional,
        breached_at=None,
        reminded_at=None,
        version=target.version + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise Conflict(_("案件已被他人修改，请刷新后重试"))
    event_record(
        complaint=target,
        actor=actor,
        action="merge_received",
        from_state=target.state,
        to_state=target.state,
        data={
            "merged": repeat.pk,
            "number": repeat.number,
            "old_due_date": old,
            "new_due_date": due.date,
        },
    )
