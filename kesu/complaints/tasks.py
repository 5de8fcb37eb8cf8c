"""Background work on complaints. Each task is a one-line call into a service
(STYLE.md §3), so `run_scheduler` can run the same work without Redis.
Report tasks belong here too, as one-line calls into kesu.reports."""

from celery import shared_task

from kesu.complaints.idempotency import idempotency_keys_purge
from kesu.complaints.services.sweep import deadline_sweep


@shared_task(name="kesu.complaints.deadline_sweep")
def deadline_sweep_task() -> dict:
    return deadline_sweep().as_dict()


@shared_task(name="kesu.complaints.idempotency_keys_purge")
def idempotency_keys_purge_task() -> int:
    return idempotency_keys_purge()  # G3
