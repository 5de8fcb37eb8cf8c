"""Short-lived caches that a write makes stale at once.

A cached view (e.g. the workbench's supervision reminders) is stored with
the *generation* of what it was computed from; a service that changes that
data starts a new generation after its transaction commits, so the next
read of every user recomputes instead of waiting for the entry to expire.
Entries still expire (`seconds`), for what changes with the clock alone
(a due date passing). One cache round trip per read: the generation and the
entry are fetched together. The cache is Redis in production, shared by
every worker; the embedded default's local memory is per process."""

import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

# Topics, and who touches them:
# the workbench's supervision reminders (kesu.supervision.selectors.reminders):
# supervision and committee events, deliberation opinions, staff-change reports.
REMINDERS = "reminders"


def _generation_key(topic: str) -> str:
    return f"freshness:{topic}"


def touch(topic: str) -> None:
    """After the current transaction commits, every cached view of `topic`
    is stale (called by the services that change it)."""
    transaction.on_commit(
        lambda: cache.set(_generation_key(topic), uuid.uuid4().hex, None),
        robust=True,
    )


def cached(topic: str, key: str, seconds: int, compute: Callable[[], Any]) -> Any:
    """`compute()`'s value, reused for up to `seconds` while no write has
    touched `topic` since it was computed."""
    gen_key = _generation_key(topic)
    found = cache.get_many([gen_key, key])
    generation = found.get(gen_key)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(gen_key, generation, None):
            generation = cache.get(gen_key, generation)
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    value = compute()
    cache.set(key, (generation, value), seconds)
    return value
