"""Idempotent create through the API (issue 3 item 4, G3): a client that
retries a create with the same `Idempotency-Key` gets the first result
back, never a second case; the same key with a different body is a 422.

The fingerprint is taken over the body the client sent (before defaults
such as `received_at = now` are filled in), so a retry matches. The key row
and the complaint are written in one transaction, and the unique
(owner, key) constraint decides between concurrent sends: the loser's insert
waits for the winner's commit, fails, and reads the winner's row."""

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.errors import Conflict, DomainValidationError

from .models import Complaint, IdempotencyKey

MAX_KEY_LENGTH = 100
T = TypeVar("T")


def request_fingerprint(payload: dict) -> str:
    """SHA-256 of the canonical JSON of the request body."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def owner_of(request) -> str:
    client = getattr(request, "api_client", None)
    return f"client:{client.pk}" if client else f"user:{request.user.pk}"


def check_key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise DomainValidationError(
            _("Idempotency-Key 无效（1–100 个可打印字符）"), field="Idempotency-Key"
        )
    return key


class KeyReused(DomainValidationError):
    status = 422


def _replay(row: IdempotencyKey, fingerprint: str) -> Complaint:
    if row.request_hash != fingerprint:
        raise KeyReused(
            _("该 Idempotency-Key 已用于内容不同的请求"), field="Idempotency-Key"
        )
    if row.complaint_id is None:  # only while the first request is running
        raise Conflict(_("相同请求正在处理中，请稍后重试"))
    return row.complaint


def create_once(*, key: str, owner: str, payload: dict,
                create: Callable[[], T], complaint_of: Callable[[T], Complaint]
                ) -> tuple[T | Complaint, bool]:
    """Run `create` at most once per (owner, key). Returns (result, created);
    on a replay the result is the first request's complaint."""
    key = check_key(key)
    fingerprint = request_fingerprint(payload)
    existing = IdempotencyKey.objects.select_related("complaint").filter(
        owner=owner, key=key).first()
    if existing is not None:
        return _replay(existing, fingerprint), False
    try:
        with transaction.atomic():
            row = IdempotencyKey.objects.create(owner=owner, key=key,
                                                request_hash=fingerprint)
            result = create()
            row.complaint = complaint_of(result)
            row.save(update_fields=["complaint"])
            return result, True
    except IntegrityError:
        # A concurrent send with the same key committed first.
        row = IdempotencyKey.objects.select_related("complaint").filter(
            owner=owner, key=key).first()
        if row is None:
            raise
        return _replay(row, fingerprint), False


def idempotency_keys_purge(*, now: datetime | None = None) -> int:
    """G3: keys are kept KESU_IDEMPOTENCY_KEY_HOURS (24 h); older ones are
    deleted, after which the same key creates a new case. Returns how many."""
    hours = int(getattr(settings, "KESU_IDEMPOTENCY_KEY_HOURS", 24))
    cutoff = (now or timezone.now()) - timedelta(hours=hours)
    deleted, _counts = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
