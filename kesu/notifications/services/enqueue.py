"""Writing notifications into the outbox, inside the caller's transaction
(STYLE.md §3): if the caller rolls back, nothing is ever sent."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from kesu.errors import DomainValidationError

from ..models import Outbox


@dataclass(frozen=True)
class Message:
    """One notification to enqueue; see `notification_enqueue`."""

    kind: str
    subject: str
    body: str = ""
    payload: dict = field(default_factory=dict)
    user_id: int | None = None
    company_id: int | None = None
    department_id: int | None = None
    roles: tuple[str, ...] = ()
    dedupe_key: str | None = None
    available_at: datetime | None = None

    def to_row(self, now: datetime) -> Outbox:
        if not (self.user_id or self.company_id or self.department_id):
            raise DomainValidationError("通知必须有接收人")
        return Outbox(
            kind=self.kind, subject=self.subject[:200], body=self.body,
            payload=self.payload, recipient_user_id=self.user_id,
            recipient_company_id=self.company_id,
            recipient_department_id=self.department_id,
            recipient_roles=list(self.roles), dedupe_key=self.dedupe_key,
            available_at=self.available_at or now,
        )


def notification_enqueue(
    *, kind: str, subject: str, body: str = "", payload: dict | None = None,
    user=None, company=None, department=None, roles: tuple[str, ...] = (),
    dedupe_key: str | None = None, available_at: datetime | None = None,
) -> Outbox | None:
    """Queue one notification. Runs in the caller's transaction (no atomic of
    its own beyond a savepoint for the dedupe check). Returns None when a row
    with the same `dedupe_key` exists already."""
    message = Message(
        kind=kind, subject=subject, body=body, payload=payload or {},
        user_id=getattr(user, "pk", None), company_id=getattr(company, "pk", None),
        department_id=getattr(department, "pk", None), roles=tuple(roles),
        dedupe_key=dedupe_key, available_at=available_at,
    )
    row = message.to_row(timezone.now())
    if dedupe_key is None:
        row.save()
        return row
    try:
        # a savepoint, so a duplicate does not break the caller's transaction
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return None
    return row


def notification_enqueue_many(messages: list[Message]) -> int:
    """Set-based enqueue for sweeps: one INSERT per batch; rows whose
    `dedupe_key` already exists are skipped. Returns the number offered."""
    now = timezone.now()
    rows = [m.to_row(now) for m in messages]
    Outbox.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)
