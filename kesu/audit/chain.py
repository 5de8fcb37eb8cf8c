"""The hash chain (C3): canonical form of a row, the hash, and verification.

`hash = SHA-256(prev_hash ‖ canonical JSON)`. The canonical JSON has sorted
keys, no spaces, UTF-8, and the time in UTC ISO-8601 with microseconds, so
the same row always hashes the same on SQLite and PostgreSQL."""

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC
from typing import NamedTuple

from .models import GENESIS_HASH, AuditRecord

PURGE_ACTION = "audit.purged"


def canonical(record: AuditRecord) -> str:
    fields = {
        "seq": record.seq,
        "at": record.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "user_id": record.user_id,
        "username": record.username,
        "ip": record.ip,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "result": record.result,
        "detail": record.detail,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def compute_hash(record: AuditRecord) -> str:
    data = (record.prev_hash + canonical(record)).encode()
    return hashlib.sha256(data).hexdigest()


class Break(NamedTuple):
    seq: int
    reason: str


def verify(records: Iterable[AuditRecord]) -> Break | None:
    """The first broken row of the chain, or None when it is intact.

    After a retention purge the chain starts at a later row; its prev_hash
    must be the `through_hash` a purge checkpoint row (itself in the chain)
    recorded, so a silent deletion of the oldest rows is still detected."""
    checkpoints: dict[int, str] = {}
    expected_prev: str | None = None
    expected_seq: int | None = None
    first = True
    for record in records:
        if first:
            first = False
            if record.seq != 1:
                checkpoints = _purge_checkpoints()
                if checkpoints.get(record.seq - 1) != record.prev_hash:
                    return Break(
                        record.seq, "no purge checkpoint for the chain's start"
                    )
            elif record.prev_hash != GENESIS_HASH:
                return Break(record.seq, "first row does not start from genesis")
        else:
            if record.seq != expected_seq:
                return Break(expected_seq, "row missing")
            if record.prev_hash != expected_prev:
                return Break(record.seq, "prev_hash does not match the previous row")
        if compute_hash(record) != record.hash:
            return Break(record.seq, "hash does not match the row's content")
        expected_prev, expected_seq = record.hash, record.seq + 1
    return None


def _purge_checkpoints() -> dict[int, str]:
    rows = AuditRecord.objects.filter(action=PURGE_ACTION).values_list(
        "detail", flat=True
    )
    return {d["through_seq"]: d["through_hash"] for d in rows if "through_seq" in d}
