"""The embedded scheduler: runs the periodic tasks of CELERY_BEAT_SCHEDULE
in this process on a timer, for deployments without Redis/Celery beat
(`./dev demo` starts it). Each task runs when its own schedule has elapsed,
checked every --interval seconds; --once runs every task once and exits."""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from kesu.celery import app

log = logging.getLogger("kesu.scheduler")


def _seconds(schedule) -> float:
    if isinstance(schedule, timedelta):
        return schedule.total_seconds()
    if isinstance(schedule, int | float):
        return float(schedule)
    return 0.0  # crontab and friends: run on every tick


def _refresh_connections() -> None:
    """Drop broken or expired connections between runs, as a request would;
    never inside a transaction (the test suite calls us inside one)."""
    if not connection.in_atomic_block:
        close_old_connections()


class Command(BaseCommand):
    help = "Run the periodic tasks (deadline sweep, outbox delivery) in-process."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0,
                            help="seconds between checks (default 60)")
        parser.add_argument("--once", action="store_true",
                            help="run every periodic task once and exit")

    def handle(self, *args, interval: float, once: bool, **options):
        app.loader.import_default_modules()  # registers every app's tasks
        last_run: dict[str, float] = {}
        try:
            while True:
                self.tick(last_run, force=once)
                if once:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            return

    def tick(self, last_run: dict[str, float], *, force: bool) -> None:
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            now = time.monotonic()
            due = now - last_run.get(name, -1e18) >= _seconds(entry["schedule"])
            if not (force or due):
                continue
            last_run[name] = now
            _refresh_connections()
            # apply() runs the task here, synchronously, never through a broker
            task = app.tasks.get(entry["task"])
            if task is None:
                log.error("periodic task %s: unknown task %s", name, entry["task"])
                continue
            # (throw=False: a failing task is logged and the scheduler goes on)
            result = task.apply(throw=False)
            if result.failed():
                log.error("periodic task %s failed: %r", name, result.result)
            else:
                self.stdout.write(f"{name}: {result.result}")
        _refresh_connections()
