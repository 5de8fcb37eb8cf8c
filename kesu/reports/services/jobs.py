"""Background report jobs with progress (issue 6.5).

A job runs after commit where background work runs (background.py: a
Celery worker, or a thread of the web process in the embedded default), so
no web request waits for it. If the process dies mid-job, the scheduler
(`run_scheduler` / beat → `report_jobs_recover`) puts a job whose heartbeat
stopped back in the queue and runs queued jobs nobody picked up. A job is
claimed with a compare-and-set update (queued → running), so a thread and
the scheduler never both run it."""

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.accounts.access import require
from kesu.accounts.roles import Perm
from kesu.errors import DomainValidationError, NotFound
from kesu.organisation.models import Company
from kesu.recovery import jobs_recover

from ..access import report_company_for
from ..models import ReportJob
from ..periods import period_parse
from .background import background_run

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(minutes=5)
PICKUP_AFTER = dt.timedelta(seconds=30)
MAX_ACTIVE_PER_USER = 5
MAX_ATTEMPTS = 3  # a job that kills its runner every time is given up


def report_job_dispatch(job_id: int) -> None:
    background_run(
        report_job_run,
        task="kesu.reports.tasks.run_report_job",
        pk=job_id,
        queue="report-job",
    )


@transaction.atomic
def report_job_request(
    *,
    user,
    kind: str,
    company_code: str | None,
    period_key: str,
    params: dict | None = None,
) -> ReportJob:
    """Queue a job for `user`; it runs after commit (see module doc)."""
    if kind not in ReportJob.Kind.values:
        raise DomainValidationError(_("不支持的报表类型"), field="kind")
    company = report_company_for(user, company_code)
    period = period_parse(period_key)
    active = ReportJob.objects.filter(
        requested_by=user,
        status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING],
    ).count()
    if active >= MAX_ACTIVE_PER_USER:
        raise DomainValidationError(_("您已有多个报表正在生成，请稍后再试"))
    job = ReportJob.objects.create(
        kind=kind,
        company=company,
        period_key=period.key,
        params=params or {},
        requested_by=user,
    )
    transaction.on_commit(lambda: report_job_dispatch(job.pk))
    return job


def report_job_create_for_system(
    *, kind: str, company: Company, period_key: str
) -> ReportJob:
    """A scheduled job (S5.2, S6.2, S7.3): no requester, the company's whole scope."""
    job = ReportJob.objects.create(kind=kind, company=company, period_key=period_key)
    transaction.on_commit(lambda: report_job_dispatch(job.pk))
    return job


def report_job_get_for(user, *, pk: int) -> ReportJob:
    """Only the requester sees a job; scheduled ones anyone with report.view
    over the company in their scope (and not limited to a department)."""
    require(user, Perm.REPORT_VIEW)
    job = ReportJob.objects.select_related("company").filter(pk=pk).first()
    if job is None:
        raise NotFound(_("未找到该报表任务"))
    if job.requested_by_id == user.pk:
        return job
    if job.requested_by_id is None and _may_see_company_report(user, job.company):
        return job
    raise NotFound(_("未找到该报表任务"))


def _may_see_company_report(user, company: Company) -> bool:
    from kesu.accounts.access import in_scope
    from kesu.complaints.access import department_only

    return in_scope(user, company) and not department_only(user)


def report_job_progress(job_id: int, progress: int, step: str = "") -> None:
    ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING).update(
        progress=max(0, min(progress, 99)), step=step[:100], heartbeat_at=timezone.now()
    )


def report_job_claim(job_id: int) -> bool:
    """Compare-and-set queued → running; False if someone else has it."""
    now = timezone.now()
    return bool(
        ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
            status=ReportJob.Status.RUNNING,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
            progress=1,
        )
    )


def report_job_run(job_id: int) -> None:
    """Build the job's file. Never raises: a failure is stored on the job."""
    from ..builders import build_job

    if not report_job_claim(job_id):
        return
    job = ReportJob.objects.select_related("company", "requested_by").get(pk=job_id)
    try:
        filename, content = build_job(
            job, lambda p, s="": report_job_progress(job_id, p, s)
        )
    except Exception as exc:  # stored for the user; the worker goes on
        log.exception("report job %s failed", job_id)
        message = getattr(exc, "message", "") or _("生成失败，请稍后重试或联系管理员")
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJob.Status.FAILED,
            error=str(message)[:2000],
            finished_at=timezone.now(),
        )
        return
    job.file.save(filename, ContentFile(content), save=False)
    ReportJob.objects.filter(pk=job_id).update(
        status=ReportJob.Status.DONE,
        progress=100,
        step="",
        file=job.file.name,
        filename=filename,
        finished_at=timezone.now(),
    )


def report_jobs_recover() -> int:
    """Scheduler sweep (kesu/recovery.py): re-queue jobs whose runner died,
    then run queued jobs nobody picked up. Returns jobs run."""
    return jobs_recover(
        ReportJob,
        report_job_run,
        stale_after=STALE_AFTER,
        pickup_after=PICKUP_AFTER,
        max_attempts=MAX_ATTEMPTS,
        gave_up=_("多次生成中断，已停止重试，请缩小范围后重新提交"),
        requeued={"step": _("重新排队")},
    )
