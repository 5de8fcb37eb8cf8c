"""The outbox relay: claims due rows with a compare-and-set update, sends
them through the configured senders, retries with backoff and dead-letters
after `KESU_NOTIFICATION_MAX_ATTEMPTS` attempts.

Two relays never send the same row: a row is claimed by an UPDATE that only
matches while it is unclaimed (or its claim has expired), and every later
write names the claim token. On PostgreSQL the candidates are also picked
with SELECT … FOR UPDATE SKIP LOCKED so concurrent relays take different rows
instead of contending for the same ones."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from kesu.accounts.models import User

from ..models import Outbox

log = logging.getLogger("kesu.notifications")

DEFAULT_SENDERS = [
    "kesu.notifications.senders.InAppSender",
    "kesu.notifications.senders.LogSender",
]
CLAIM_LEASE = timedelta(minutes=10)  # a crashed relay's claim expires


def _setting(name: str, default):
    return getattr(settings, name, default)


def senders() -> list:
    return [import_string(path)() for path in
            _setting("KESU_NOTIFICATION_SENDERS", DEFAULT_SENDERS)]


def _claimable(now):
    stale = now - CLAIM_LEASE
    return Outbox.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale),
        status=Outbox.Status.PENDING, available_at__lte=now,
    )


def outbox_claim(*, batch: int = 100, now=None) -> tuple[str, list[Outbox]]:
    now = now or timezone.now()
    token = uuid.uuid4().hex
    with transaction.atomic():
        candidates = _claimable(now).order_by("available_at", "id")
        if connection.vendor == "postgresql":
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:batch])
        if not ids:
            return token, []
        # compare-and-set: only rows still claimable get our token
        _claimable(now).filter(pk__in=ids).update(claimed_at=now, claimed_by=token)
    return token, list(Outbox.objects.filter(claimed_by=token).order_by("id"))


def recipients_of(row: Outbox) -> list[User]:
    """The active users a row is addressed to."""
    q = Q(pk=row.recipient_user_id) if row.recipient_user_id else Q(pk__in=[])
    group = Q()
    if row.recipient_department_id:
        group &= Q(department_id=row.recipient_department_id)
    if row.recipient_company_id:
        group &= Q(company_id=row.recipient_company_id)
    if row.recipient_department_id or row.recipient_company_id:
        if row.recipient_roles:
            group &= Q(roles__role__in=row.recipient_roles)
        q |= group
    return list(User.objects.filter(q, is_active=True).distinct().order_by("pk"))


def _backoff(attempts: int) -> timedelta:
    base = _setting("KESU_NOTIFICATION_RETRY_SECONDS", 60)
    return timedelta(seconds=min(base * 2 ** (attempts - 1), 6 * 3600))


def _deliver_one(row: Outbox, token: str, active_senders: list) -> bool:
    now = timezone.now()
    try:
        with transaction.atomic():
            users = recipients_of(row)
            for sender in active_senders:
                sender.send(row, users)
            done = Outbox.objects.filter(pk=row.pk, claimed_by=token).update(
                status=Outbox.Status.SENT, sent_at=now, attempts=row.attempts + 1,
                last_error="")
            if not done:  # our claim expired and someone else took it
                raise _LostClaim
        return True
    except _LostClaim:
        return False
    except Exception as exc:  # noqa: BLE001 - any sender failure is retried
        _record_failure(row, token, exc, now)
        return False


class _LostClaim(Exception):
    pass


def _record_failure(row: Outbox, token: str, exc: Exception, now) -> None:
    attempts = row.attempts + 1
    dead = attempts >= _setting("KESU_NOTIFICATION_MAX_ATTEMPTS", 5)
    Outbox.objects.filter(pk=row.pk, claimed_by=token).update(
        attempts=attempts, last_error=f"{type(exc).__name__}: {exc}"[:2000],
        status=Outbox.Status.DEAD if dead else Outbox.Status.PENDING,
        available_at=now + _backoff(attempts), claimed_at=None, claimed_by="",
    )
    # the row id and the error type only: never the subject, body or recipients
    log.warning("outbox row %s failed (attempt %s%s): %s", row.pk, attempts,
                ", dead-lettered" if dead else "", type(exc).__name__)


def outbox_deliver(*, batch: int = 100) -> int:
    """Send up to `batch` due rows; returns how many were sent."""
    token, rows = outbox_claim(batch=batch)
    active = senders()
    return sum(_deliver_one(row, token, active) for row in rows)


def outbox_drain(*, batch: int = 100, max_batches: int = 50) -> int:
    """Deliver batches until the due rows run out (or `max_batches`), so one
    periodic run keeps up with a burst of reminders."""
    sent = 0
    for _ in range(max_batches):
        token, rows = outbox_claim(batch=batch)
        if not rows:
            break
        active = senders()
        sent += sum(_deliver_one(row, token, active) for row in rows)
        if len(rows) < batch:
            break
    return sent
