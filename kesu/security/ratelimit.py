"""A small fixed-window rate limiter on the cache (F5, A3 IP throttle).

Why not django-ratelimit: we need one middleware over every API path and the
login POST with a 429 and `Retry-After`, keyed by user or IP; that is
twenty lines on Django's cache (Redis in production, so all workers share
the counters), with nothing else to configure."""

import time

from django.core.cache import caches

CACHE_ALIAS = "ratelimit"


def hit(key: str, *, limit: int, window: int) -> int | None:
    """Count one request for `key`; return seconds to wait if over `limit`
    in the current `window`-second window, else None."""
    now = int(time.time())
    start = now - now % window
    cache = caches[CACHE_ALIAS]
    bucket = f"rl:{key}:{start}"
    cache.add(bucket, 0, timeout=window + 1)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, timeout=window + 1)
        count = 1
    if count > limit:
        return max(1, start + window - now)
    return None


def parse_rate(rate: str) -> tuple[int, int]:
    """'120/60' → (120 requests, 60 seconds)."""
    limit, _, window = rate.partition("/")
    return int(limit), int(window or 60)
