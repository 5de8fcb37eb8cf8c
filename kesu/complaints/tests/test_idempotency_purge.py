"""G3: idempotency keys are kept 24 h, then purged by a periodic task."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kesu.complaints.models import IdempotencyKey
from kesu.complaints.tasks import idempotency_keys_purge_task

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 17, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def key_made(at: datetime, key: str) -> IdempotencyKey:
    with time_machine.travel(at, tick=False):
        return IdempotencyKey.objects.create(owner="user:1", key=key,
                                             request_hash="0" * 64)


def test_keys_older_than_a_day_are_purged_and_younger_ones_kept():
    key_made(NOW - timedelta(hours=25), "yesterday")
    key_made(NOW - timedelta(hours=23), "this-morning")
    with time_machine.travel(NOW, tick=False):
        assert idempotency_keys_purge_task() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == [
        "this-morning"
    ]


def test_the_purge_is_scheduled_as_a_registered_task(settings):
    from kesu.celery import app

    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["idempotency-keys-purge"]
    assert entry["task"] in app.tasks
    assert settings.KESU_IDEMPOTENCY_KEY_HOURS == 24
