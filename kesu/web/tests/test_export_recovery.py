"""A list export whose runner died is built again by the scheduler's
recovery sweep, or given up with a reason after three tries (issue 6.5)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from kesu.complaints.tests.factories import ComplaintFactory
from kesu.web import exports
from kesu.web.models import ExportJob

pytestmark = pytest.mark.django_db


def _running_since(user, minutes: int, attempts: int = 1) -> ExportJob:
    return ExportJob.objects.create(
        user=user,
        status=ExportJob.Status.RUNNING,
        heartbeat_at=timezone.now() - dt.timedelta(minutes=minutes),
        attempts=attempts,
    )


def test_an_export_whose_runner_died_is_built_by_the_recovery_sweep(
    city_handler, org
):
    ComplaintFactory(owning_company=org["gz"])
    job = _running_since(city_handler, minutes=10)
    exports.export_jobs_recover()  # requeued: not yet picked up long enough
    job.refresh_from_db()
    assert job.status == ExportJob.Status.QUEUED
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1)):
        assert exports.export_jobs_recover() == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.done == 1
    assert job.attempts == 2 and job.file.name


def test_a_running_export_with_a_recent_heartbeat_is_left_alone(city_handler):
    job = _running_since(city_handler, minutes=1)
    assert exports.export_jobs_recover() == 0
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING


def test_an_export_that_kills_its_runner_three_times_is_given_up(city_handler):
    job = _running_since(city_handler, minutes=10, attempts=3)
    exports.export_jobs_recover()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "重新导出" in job.error


def test_building_an_export_keeps_its_heartbeat(city_handler, org):
    ComplaintFactory(owning_company=org["gz"])
    job = ExportJob.objects.create(user=city_handler)
    exports.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job.heartbeat_at is not None and job.attempts == 1


def test_the_scheduler_runs_the_export_recovery_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["web-exports-recover"]
    assert entry == {"task": "kesu.web.export_jobs_recover", "schedule": 60.0}
