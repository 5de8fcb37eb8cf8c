"""Background jobs: request, progress (htmx polling), download (issue 6.5).
Requesting returns at once; the job runs after commit elsewhere."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from kesu.errors import DomainValidationError
from kesu.web.errors import domain_errors

from ..forms import JobForm
from ..models import ReportJob
from ..services.jobs import report_job_get_for, report_job_request
from .errors import bad_form, bad_query

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_POST
@login_required
@domain_errors
def job_create(request):
    form = JobForm(request.POST)
    if not form.is_valid():
        return bad_form(request, form)
    try:
        job = report_job_request(
            user=request.user,
            kind=form.cleaned_data["kind"],
            company_code=form.cleaned_data["company"],
            period_key=form.cleaned_data["period"],
        )
    except DomainValidationError as exc:
        return bad_query(request, exc)
    return redirect("reports:job_detail", pk=job.pk)


@require_GET
@login_required
@domain_errors
def job_detail(request, pk: int):
    job = report_job_get_for(request.user, pk=pk)
    template = "reports/_job_progress.html" if request.htmx else "reports/job.html"
    return render(request, template, {"job": job})


@require_GET
@login_required
@domain_errors
def job_list(request):
    jobs = (
        ReportJob.objects.filter(requested_by=request.user)
        .select_related("company")
        .order_by("-created_at")[:30]
    )
    return render(request, "reports/jobs.html", {"jobs": jobs})


@require_GET
@login_required
@domain_errors
def job_download(request, pk: int):
    job = report_job_get_for(request.user, pk=pk)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404
    suffix = "." + job.filename.rsplit(".", 1)[-1]
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
    )
