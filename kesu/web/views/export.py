"""Export of the filtered list to Excel: small exports come back at once,
larger ones run in the background with a progress bar (issue 4 item 3,
issue 6.5: the request counts at most SYNC_LIMIT + 1 rows)."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ..exports import (
    audit_export,
    count,
    export_job_start,
    filtered_for,
    write_workbook,
)
from ..models import ExportJob

# rows built during the request (about a second at a million complaints);
# more go to the background
SYNC_LIMIT = 1000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_POST
def complaint_export(request):
    query = request.POST.get("query", "")
    params = QueryDict(query)
    form, qs, filters = filtered_for(request.user, params)
    n = count(qs, SYNC_LIMIT)
    if n > SYNC_LIMIT:  # the job counts the rest and refuses over EXPORT_CAP
        job = export_job_start(user=request.user, query=query)
        return redirect("web:export_job", pk=job.pk)
    tmp = tempfile.TemporaryFile()
    write_workbook(qs, filters, tmp)
    tmp.seek(0)
    audit_export(request.user, n, request)
    name = f"kesu-complaints-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    return FileResponse(tmp, as_attachment=True, filename=name, content_type=XLSX)


def _job(request, pk) -> ExportJob:
    job = ExportJob.objects.filter(pk=pk, user=request.user).first()
    if job is None:  # someone else's export is as good as missing
        raise Http404
    return job


@login_required
def export_job(request, pk):
    job = _job(request, pk)
    template = "web/_export_progress.html" if request.htmx else "web/export_job.html"
    return render(request, template, {"job": job})


@login_required
def export_download(request, pk):
    job = _job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        content_type=XLSX,
        filename=f"kesu-complaints-{job.created_at:%Y%m%d-%H%M}.xlsx",
    )
