"""The scheduler's sweep over background jobs whose runner died (report jobs,
list exports): one rule for both. A job keeps a heartbeat while it runs; one
silent for `stale_after` is queued again, or given up after `max_attempts`
with a reason its user sees; a queued job nobody picked up within
`pickup_after` is run here."""

import datetime as dt

from django.db import models
from django.utils import timezone


def jobs_recover(
    model: type[models.Model],
    run,
    *,
    stale_after: dt.timedelta,
    pickup_after: dt.timedelta,
    max_attempts: int,
    gave_up: str,
    requeued: dict | None = None,
) -> int:
    """Recover `model`'s jobs (a Status with RUNNING, QUEUED and FAILED;
    heartbeat_at, attempts, created_at, finished_at and error fields) and
    `run(pk)` up to 20 waiting ones. `requeued`: more fields to set on a job
    queued again. Returns how many were run."""
    status = model.Status
    now = timezone.now()
    stale = model.objects.filter(
        status=status.RUNNING, heartbeat_at__lt=now - stale_after
    )
    stale.filter(attempts__gte=max_attempts).update(
        status=status.FAILED, finished_at=now, error=gave_up
    )
    stale.filter(attempts__lt=max_attempts).update(
        status=status.QUEUED, **(requeued or {})
    )
    waiting = list(
        model.objects.filter(status=status.QUEUED, created_at__lt=now - pickup_after)
        .order_by("created_at")
        .values_list("pk", flat=True)[:20]
    )
    for pk in waiting:
        run(pk)
    return len(waiting)
