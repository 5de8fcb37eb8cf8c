"""Background work of the staff UI: each task is one call into a function
that does the work (STYLE.md §3); eager without Redis."""

from celery import shared_task


@shared_task(name="kesu.web.run_export")
def run_export(job_id: int) -> None:
    from .exports import export_job_run

    export_job_run(job_id=job_id)


@shared_task(name="kesu.web.export_jobs_recover")
def export_jobs_recover_task() -> int:
    from .exports import export_jobs_recover

    return export_jobs_recover()
