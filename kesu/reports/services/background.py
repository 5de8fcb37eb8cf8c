"""Where the background work of reports and exports runs (issue 6.5), so
that no web request waits for it:
- with Redis (Celery workers), as a Celery task queued on commit;
- in the embedded default (CELERY_TASK_ALWAYS_EAGER, no broker), in a daemon
  thread of the web process started on commit; at most two at a time per
  queue and process (each is a few large queries: more would only slow the
  web requests down); the scheduler's recovery sweeps rerun work whose
  process died;
- "inline" (tests): at once, in the caller.
KESU_REPORT_JOB_RUNNER ("celery" | "thread" | "inline") overrides the choice."""

import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.module_loading import import_string

_SLOTS: dict[str, threading.BoundedSemaphore] = {}
_SLOTS_LOCK = threading.Lock()


def runner() -> str:
    configured = getattr(settings, "KESU_REPORT_JOB_RUNNER", "")
    if configured:
        return configured
    return "thread" if settings.CELERY_TASK_ALWAYS_EAGER else "celery"


def background_run(
    run: Callable[[int], None], *, task: str, pk: int, queue: str
) -> None:
    """Run `run(pk)` in the background; `task` is the dotted path of the
    Celery task doing the same (a one-line call into `run`)."""
    how = runner()
    if how == "inline":
        run(pk)
    elif how == "thread":
        threading.Thread(
            target=_in_thread, args=(run, pk, queue), daemon=True, name=f"{queue}-{pk}"
        ).start()
    else:
        import_string(task).delay(pk)


def _in_thread(run: Callable[[int], None], pk: int, queue: str) -> None:
    with _SLOTS_LOCK:
        slots = _SLOTS.setdefault(queue, threading.BoundedSemaphore(2))
    with slots:
        close_old_connections()
        try:
            run(pk)
        finally:
            connection.close()
