"""Background report jobs (issue 6.5) and scheduled sending (S5.2, S6.2, S7.3)."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from kesu.errors import DomainValidationError, NotFound
from kesu.notifications.models import Outbox
from kesu.reports import builders
from kesu.reports.models import PeriodicReportRun, ReportJob
from kesu.reports.services.jobs import (
    report_job_get_for,
    report_job_request,
    report_job_run,
    report_jobs_recover,
)
from kesu.reports.services.periodic import periodic_reports_send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def request_job(user, kind, capture, company="GD", period="2026-03"):
    with capture(execute=True):
        job = report_job_request(
            user=user, kind=kind, company_code=company, period_key=period
        )
    job.refresh_from_db()
    return job


def test_a_job_is_queued_in_the_request_and_runs_after_commit(
    march, province_handler, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = report_job_request(
            user=province_handler,
            kind="complaint_report_xlsx",
            company_code="GD",
            period_key="2026-03",
        )
    assert job.status == "queued" and len(callbacks) == 1  # nothing ran yet
    callbacks[0]()
    job.refresh_from_db()
    assert (job.status, job.progress, job.filename) == (
        "done",
        100,
        "report-GD-2026-03.xlsx",
    )
    wb = load_workbook(job.file.open("rb"))
    assert len(wb.sheetnames) == 5 and wb["概要"]["B4"].value == 6


def test_a_failing_job_stores_the_error_and_never_raises(
    march, province_handler, django_capture_on_commit_callbacks, monkeypatch
):
    def boom(job, progress):
        raise RuntimeError("disk full")

    monkeypatch.setattr(builders, "build_job", boom)
    job = request_job(
        province_handler, "complaint_report_pdf", django_capture_on_commit_callbacks
    )
    assert job.status == "failed" and job.error and "disk" not in job.error


def test_a_job_runs_once_even_if_two_runners_try(
    march, province_handler, django_capture_on_commit_callbacks
):
    job = request_job(
        province_handler, "regulator_xlsx", django_capture_on_commit_callbacks
    )
    finished = job.finished_at
    report_job_run(job.pk)  # a second runner: the claim fails, nothing changes
    job.refresh_from_db()
    assert job.status == "done" and job.finished_at == finished


def test_the_scheduler_requeues_a_job_whose_runner_died(march, province_handler):
    old = timezone.now() - dt.timedelta(minutes=10)
    job = ReportJob.objects.create(
        kind="complaint_report_xlsx",
        company=march.c5.owning_company,
        period_key="2026-03",
        requested_by=province_handler,
        status="running",
        progress=40,
        heartbeat_at=old,
    )
    ReportJob.objects.filter(pk=job.pk).update(created_at=old)
    assert report_jobs_recover() == 1
    job.refresh_from_db()
    assert job.status == "done"


def test_a_job_that_keeps_killing_its_runner_is_given_up(march, province_handler):
    old = timezone.now() - dt.timedelta(minutes=10)
    job = ReportJob.objects.create(
        kind="complaint_report_xlsx",
        company=march.c5.owning_company,
        period_key="2026-03",
        requested_by=province_handler,
        status="running",
        attempts=3,
        heartbeat_at=old,
    )
    report_jobs_recover()
    job.refresh_from_db()
    assert job.status == "failed" and job.error


def test_the_detail_export_streams_every_case_without_personal_data(
    march, province_handler, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(builders, "LIST_CHUNK", 2)  # progress on every second row
    job = request_job(
        province_handler, "complaint_list_xlsx", django_capture_on_commit_callbacks
    )
    rows = list(load_workbook(job.file.open("rb")).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 6
    assert not any("张三丰" in str(cell) for row in rows for cell in row)


def test_jobs_are_private_to_the_requester(
    march, province_handler, province_cs_head, django_capture_on_commit_callbacks
):
    job = request_job(
        province_handler, "complaint_report_xlsx", django_capture_on_commit_callbacks
    )
    with pytest.raises(NotFound):
        report_job_get_for(province_cs_head, pk=job.pk)


def test_an_unknown_kind_or_period_is_refused(march, province_handler):
    with pytest.raises(DomainValidationError):
        report_job_request(
            user=province_handler,
            kind="everything",
            company_code="GD",
            period_key="2026-03",
        )
    with pytest.raises(DomainValidationError):
        report_job_request(
            user=province_handler,
            kind="regulator_xlsx",
            company_code="GD",
            period_key="March",
        )


def test_pdf_has_chinese_text_in_an_embedded_font(
    march, province_handler, django_capture_on_commit_callbacks
):
    job = request_job(
        province_handler, "complaint_report_pdf", django_capture_on_commit_callbacks
    )
    data = job.file.open("rb").read()
    assert data.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert "广东分公司 投诉情况报告" in text and "投诉原因帕累托图" in text
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True).stdout
    assert b"TrueType" in fonts or b"STSong" in fonts  # embedded subset


def test_scheduled_reports_are_sent_once_to_office_departments_and_lower_companies(
    march, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = periodic_reports_send(today=dt.date(2026, 4, 2))
    assert sent == 6 * 4  # six companies × (2026-03, 2026-Q1, 2025-H2, 2025)
    run = PeriodicReportRun.objects.get(company=org["gd"], period_key="2026-03")
    assert run.job.status == "done" and run.notified_at
    keys = set(
        Outbox.objects.filter(dedupe_key__startswith="report:GD:2026-03").values_list(
            "dedupe_key", flat=True
        )
    )
    assert keys == {
        "report:GD:2026-03:office",
        "report:GD:2026-03:departments",
        "report:GD:2026-03:GDGZ",
        "report:GD:2026-03:GDSZ",
    }
    assert periodic_reports_send(today=dt.date(2026, 4, 3)) == 0  # nothing twice


def test_scheduled_reports_go_out_in_batches(march, org):
    assert periodic_reports_send(today=dt.date(2026, 4, 2), limit=5) == 5
    assert PeriodicReportRun.objects.count() == 5
    assert periodic_reports_send(today=dt.date(2026, 4, 2), limit=100) == 19
