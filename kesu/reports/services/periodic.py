"""Scheduled reports (S5.2, S6.2, S7.3): after each month, quarter, half-year
and year, every active company's report for the period just ended is built
(its figures stored for the report page, services/figures.py) and
announced, through the outbox, to its management office, its department
heads and its lower companies' customer-service heads. Idempotent: a
PeriodicReportRun per company and period means a re-run sends nothing twice,
and a missed day is caught up on the next run. The scheduler is already in
the background, so the jobs run here, one after another, not in threads."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.accounts.roles import Role
from kesu.notifications.services import notification_enqueue
from kesu.organisation.models import Company, DepartmentKind

from ..models import PeriodicReportRun, ReportJob, StoredFigures
from ..periods import PeriodKind, period_just_ended
from .assessment import assessment_snapshot_take
from .figures import stored_figures_compute_now
from .jobs import report_job_run

KIND = "report.periodic"
BATCH = 50


def periodic_reports_send(*, today: dt.date | None = None, limit: int = BATCH) -> int:
    """Build and announce up to `limit` reports still due; returns how many.
    Batched so that the embedded scheduler's other work is never held up
    long; the next run goes on where this one stopped."""
    today = today or timezone.localdate()
    periods = {
        p.key: p for p in (period_just_ended(k, today) for k in PeriodKind.values)
    }
    done = set(
        PeriodicReportRun.objects.filter(period_key__in=periods).values_list(
            "company_id", "period_key"
        )
    )
    sent = 0
    for company in Company.objects.filter(is_active=True).order_by("path"):
        for key, period in periods.items():
            if sent >= limit:
                return sent
            if (company.pk, key) in done:
                continue
            run = _claim(company, key)
            if run is None:
                continue
            # stored first: the page opens at once and the file is built from them
            stored_figures_compute_now(
                kind=StoredFigures.Kind.COMPLAINT_REPORT, company=company, period=period
            )
            report_job_run(run.job_id)
            _announce(run, company, period)
            if company.children.exists():
                assessment_snapshot_take(user=None, company=company, period=period)
            sent += 1
    return sent


def _claim(company: Company, period_key: str) -> PeriodicReportRun | None:
    """Create the run (and its job) once; None if another run has it."""
    try:
        with transaction.atomic():
            job = ReportJob.objects.create(
                kind=ReportJob.Kind.COMPLAINT_REPORT_XLSX,
                company=company,
                period_key=period_key,
            )
            return PeriodicReportRun.objects.create(
                company=company, period_key=period_key, job=job
            )
    except IntegrityError:
        return None


@transaction.atomic
def _announce(run: PeriodicReportRun, company: Company, period) -> None:
    subject = _("%(company)s %(period)s投诉情况报告") % {
        "company": company.name,
        "period": period.label,
    }
    link = (
        reverse("reports:complaint_report")
        + f"?company={company.code}&period={period.key}"
    )
    payload = {"url": link, "job": run.job_id, "period": period.key}
    base = f"report:{company.code}:{period.key}"
    office = company.departments.filter(kind=DepartmentKind.MANAGEMENT_OFFICE).first()
    if office:
        notification_enqueue(
            kind=KIND,
            subject=subject,
            payload=payload,
            department=office,
            dedupe_key=f"{base}:office",
        )
    notification_enqueue(
        kind=KIND,
        subject=subject,
        payload=payload,
        company=company,
        roles=(Role.DEPT_HEAD, Role.CS_HEAD),
        dedupe_key=f"{base}:departments",
    )
    for child in company.children.filter(is_active=True):
        notification_enqueue(
            kind=KIND,
            subject=subject,
            payload=payload,
            company=child,
            roles=(Role.CS_HEAD,),
            dedupe_key=f"{base}:{child.code}",
        )
    run.notified_at = timezone.now()
    run.save(update_fields=["notified_at"])
