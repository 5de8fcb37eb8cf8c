"""audit_record(): append one row to the hash chain (C1–C3)."""

import re
from functools import partial
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from kesu.audit.chain import compute_hash
from kesu.audit.context import client_ip, current
from kesu.audit.models import GENESIS_HASH, AuditRecord, Result
from kesu.privacy import mask_text

# Any value under these keys is dropped from `detail`: the log must not hold
# personal data or secrets (C5). Free text is masked for ID/phone patterns.
_FORBIDDEN_KEYS = re.compile(
    r"password|passwd|secret|token|otp|code|id_number|phone|mobile|address|"
    r"bank|account_no|name",
    re.IGNORECASE,
)
_ALLOWED_NAME_KEYS = {
    "field",
    "fields",
    "role",
    "roles",
    "action",
    "model",
    "app",
    "object_repr_masked",
    "reason",
    "perm",
    "through_seq",
    "through_hash",
    "count",
    "filename_ext",
    "format",
    "username",
}
_LOCK_KEY = 0x6B657375  # "kesu": the advisory lock serialising the chain


def audit_record(
    *,
    action: str,
    user=None,
    request=None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    result: str = Result.SUCCESS,
    detail: dict[str, Any] | None = None,
    username: str = "",
) -> AuditRecord:
    """Append one audit row. `user` is the acting user (or None), `request`
    gives the IP (otherwise the current request's context does)."""
    ctx = current.get()
    ip = client_ip(request) if request is not None else (ctx.ip if ctx else None)
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    record = AuditRecord(
        at=timezone.now(),
        user_id=user.pk if user is not None else None,
        username=(user.get_username() if user is not None else username)[:150],
        ip=ip,
        action=action[:64],
        object_type=object_type[:64],
        object_id=str(object_id)[:64],
        result=result,
        detail=_scrub(detail or {}),
    )
    return _append(record)


@transaction.atomic(savepoint=False)
def _append(record: AuditRecord) -> AuditRecord:
    # C3: one writer at a time extends the chain. PostgreSQL: a transaction
    # advisory lock, held until the transaction ends. SQLite: settings open
    # every transaction with BEGIN IMMEDIATE, which already takes the
    # database's write lock. No savepoint inside a caller's transaction: a
    # failed append fails the whole action (no unaudited action).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    last = AuditRecord.objects.order_by("-seq").values("seq", "hash").first()
    record.seq = last["seq"] + 1 if last else 1
    record.prev_hash = last["hash"] if last else GENESIS_HASH
    record.hash = compute_hash(record)
    record.save(force_insert=True)
    return record


def _scrub(detail: dict[str, Any]) -> dict[str, Any]:
    """Keep detail JSON-simple and free of personal data (C5)."""
    clean: dict[str, Any] = {}
    for key, value in detail.items():
        key = str(key)
        if key not in _ALLOWED_NAME_KEYS and _FORBIDDEN_KEYS.search(key):
            continue
        clean[key] = _scrub_value(value)
    return clean


def _scrub_value(value: Any) -> Any:
    if isinstance(value, dict):
        return _scrub(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_scrub_value(v) for v in value]
    if value is None or isinstance(value, bool | int):
        return value
    return mask_text(str(value))[:500]


# Case actions already written to the audit log by their own service.
_AUDITED_BY_SERVICE = {"reveal_personal_data"}


def audit_case_event(event, *, now: bool = False) -> None:
    """C1: every case action (a complaints Event) is also an audit row.

    Written after the case transaction commits: a rolled-back action leaves
    no row, and the chain lock is held for one short insert instead of the
    whole case transaction (no global serialisation of case work, no lock
    ordering between case rows and the chain).

    `now`: appended at once, in the caller's transaction, which commits it
    with the action (one commit instead of two). Only for a caller whose
    transaction takes no other lock after this and then commits (the chain
    lock is held until then): complaint_register, which opens its own."""
    if event.action in _AUDITED_BY_SERVICE:
        return
    record = partial(
        audit_record,
        action=f"case.{event.action}",
        user=event.actor,
        object_type="complaints.complaint",
        object_id=event.complaint_id,
        detail={
            "from_state": event.from_state,
            "to_state": event.to_state,
            "event": event.pk,
        },
    )
    if now:
        record()
    else:
        transaction.on_commit(record, robust=True)
