"""Background work of the reports app: one-line calls into services
(STYLE.md §3). Scheduled by CELERY_BEAT_SCHEDULE (beat or run_scheduler)."""

from celery import shared_task

from .services.figures import stored_figures_compute, stored_figures_recover
from .services.jobs import report_job_run, report_jobs_recover
from .services.periodic import periodic_reports_send


@shared_task(name="kesu.reports.run_report_job")
def run_report_job(job_id: int) -> None:
    report_job_run(job_id)


@shared_task(name="kesu.reports.report_jobs_recover")
def report_jobs_recover_task() -> int:
    return report_jobs_recover()


@shared_task(name="kesu.reports.periodic_reports_send")
def periodic_reports_send_task() -> int:
    return periodic_reports_send()


@shared_task(name="kesu.reports.compute_stored_figures")
def compute_stored_figures(pk: int) -> None:
    stored_figures_compute(pk)


@shared_task(name="kesu.reports.stored_figures_recover")
def stored_figures_recover_task() -> int:
    return stored_figures_recover()
