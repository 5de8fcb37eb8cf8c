"""Periodic tasks are one-line calls into services, and run the same way in
the embedded scheduler and through Celery with Redis."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import redis
import time_machine
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.core.management import call_command

from kesu.complaints.models import Breach, State
from kesu.complaints.tasks import deadline_sweep_task
from kesu.notifications.models import Notification, Outbox
from kesu.notifications.tasks import outbox_deliver_task

from .test_sweep import case

REDIS_URL = "redis://127.0.0.1:6379/5"
NOW = datetime(2026, 11, 17, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def test_the_sweep_task_runs_the_deadline_sweep(org, city_handler):
    case(org["gz"], due=date(2026, 11, 16), handler=city_handler)
    with time_machine.travel(NOW, tick=False):
        result = deadline_sweep_task.delay().get()
    assert result["decision_breaches"] == 1 and Breach.objects.count() == 1


def test_the_outbox_task_delivers_queued_notifications(org, city_handler):
    case(org["gz"], due=date(2026, 11, 16), handler=city_handler)
    with time_machine.travel(NOW, tick=False):
        deadline_sweep_task()
        assert outbox_deliver_task() == 1
    assert Notification.objects.get(user=city_handler).kind == "decision_breached"


def test_run_scheduler_once_runs_the_sweep_and_delivers(org, city_handler):
    case(org["gz"], due=date(2026, 11, 16), handler=city_handler)
    case(org["gz"], due=date(2026, 11, 16), state=State.CLOSED)
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("run_scheduler", "--once", stdout=out)
    assert "deadline-sweep: {'decision_breaches': 1" in out.getvalue()
    assert Breach.objects.count() == 1
    assert Outbox.objects.get(kind="decision_breached").status == Outbox.Status.SENT
    assert city_handler.notifications.filter(kind="decision_breached").count() == 1


def test_run_scheduler_survives_a_failing_task(org, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("kesu.complaints.tasks.deadline_sweep", broken)
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    # the failure is logged, and the other periodic tasks still ran
    assert "deadline-sweep:" not in out.getvalue()
    assert "outbox-deliver:" in out.getvalue()


@pytest.mark.skipif(not redis_reachable(), reason="Redis is not reachable")
@pytest.mark.django_db(transaction=True)
def test_the_sweep_task_runs_through_redis_and_a_celery_worker(org, city_handler):
    redis.Redis.from_url(REDIS_URL).flushdb()
    app = Celery("kesu_redis_test", broker=REDIS_URL, backend=REDIS_URL,
                 set_as_current=False)
    app.conf.task_always_eager = False
    case(org["gz"], due=date(2026, 11, 16), handler=city_handler)
    with time_machine.travel(NOW, tick=True), start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = app.send_task("kesu.complaints.deadline_sweep")
        assert result.get(timeout=30)["decision_breaches"] == 1
    assert Breach.objects.count() == 1


def test_every_periodic_task_is_registered_and_the_sweeps_are_scheduled(settings):
    from kesu.celery import app

    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert {"deadline-sweep", "outbox-deliver"} <= set(schedule)
    assert [e["task"] for e in schedule.values() if e["task"] not in app.tasks] == []
