"""The embedded default runs a job in a daemon thread after commit, so the
request returns at once (issue 6.5). Real threads need a shared database:
PostgreSQL only, skipped on SQLite's in-memory test database."""

import time

import pytest
from django.conf import settings as django_settings

from kesu.reports.models import ReportJob
from kesu.reports.services.jobs import report_job_request

on_postgres = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.mark.postgres
@pytest.mark.skipif(not on_postgres, reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_request_returns_before_the_thread_finishes_the_job(
    march, province_handler, settings, tmp_path
):
    settings.KESU_REPORT_JOB_RUNNER = "thread"
    settings.MEDIA_ROOT = tmp_path
    started = time.monotonic()
    job = report_job_request(
        user=province_handler,
        kind="complaint_report_pdf",
        company_code="GD",
        period_key="2026-03",
    )
    assert time.monotonic() - started < 2
    for _ in range(100):
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.1)
    assert job.status == ReportJob.Status.DONE and job.file


@pytest.mark.postgres
@pytest.mark.skipif(not on_postgres, reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_report_page_answers_at_once_and_a_thread_stores_its_figures(
    march, province_handler, settings, client
):
    settings.KESU_REPORT_JOB_RUNNER = "thread"
    client.force_login(province_handler)
    url = "/reports/complaints/?company=GD&period=2026-03"
    started = time.monotonic()
    page = client.get(url)
    assert time.monotonic() - started < 2 and b"figures-progress" in page.content
    for _ in range(100):
        poll = client.get(url, HTTP_HX_REQUEST="true")
        if poll.get("HX-Refresh"):
            break
        time.sleep(0.1)
    assert poll["HX-Refresh"] == "true"
    assert march.c5.number in client.get(url).content.decode()
