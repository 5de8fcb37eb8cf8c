"""Celery app. In the embedded default (no REDIS_URL) tasks run eagerly."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
app = Celery("kesu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
