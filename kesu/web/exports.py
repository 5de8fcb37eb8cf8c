"""Excel export of the filtered complaint list (issue 4 item 3): personal
data masked (E2), every export audited (C1). Small exports are built in the
request; larger ones become an ExportJob built in the background, with
progress (issue 6.5: the request only counts up to the small limit)."""

import datetime as dt
import logging
import tempfile

from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from pydantic import ValidationError

from kesu import privacy
from kesu.classification.models import CodeTable
from kesu.complaints import api_list
from kesu.complaints.selectors import complaint_list_for
from kesu.errors import DomainValidationError
from kesu.recovery import jobs_recover

from .forms.choices import code_choices
from .forms.filters import ComplaintFilterForm
from .models import ExportJob

log = logging.getLogger(__name__)
EXPORT_CAP = 200_000  # D: one workbook; beyond this, narrow the filters
PROGRESS_EVERY = 1000
STALE_AFTER = dt.timedelta(minutes=5)  # no heartbeat: the runner died
PICKUP_AFTER = dt.timedelta(seconds=30)  # queued and nobody took it
MAX_ATTEMPTS = 3  # a job that kills its runner every time is given up


def filters_for(user, query: QueryDict):
    """(form, filters) of the list page for `query`: one place for the page,
    the synchronous export and the worker."""
    form = ComplaintFilterForm(query or None, user=user)
    params = form.filters() if form.is_valid() else {}
    try:
        filters = api_list.ComplaintFilters(
            **params, cursor=query.get("cursor") or None, limit=50
        )
    except ValidationError:  # only the cursor can be malformed here
        form.add_error(None, _("分页游标无效，请从第一页开始"))
        filters = api_list.ComplaintFilters(**params, limit=50)
    return form, filters


def filtered_for(user, query: QueryDict):
    """(form, queryset, filters): every case the filters select (exports)."""
    form, filters = filters_for(user, query)
    qs = complaint_list_for(user)
    try:
        return form, api_list.apply_filters(qs, user, filters), filters
    except DomainValidationError as exc:
        form_error(form, exc)
        return form, qs.none(), filters


def listed_for(user, query: QueryDict):
    """(form, queryset, count, capped, filters) of the list page: the cases
    its pages are read from and their capped count (api_list.list_source)."""
    form, filters = filters_for(user, query)
    qs = complaint_list_for(user)
    try:
        return form, *api_list.list_source(qs, user, filters), filters
    except DomainValidationError as exc:
        form_error(form, exc)
        return form, qs.none(), 0, False, filters


def form_error(form, exc: DomainValidationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


def count(qs, cap: int) -> int:
    return qs.order_by().values("pk")[: cap + 1].count()


def too_many() -> str:
    return _("符合条件的投诉超过 %(n)d 件，请缩小查询范围后再导出") % {"n": EXPORT_CAP}


def _header() -> list[str]:
    return [
        _("投诉编号"),
        _("状态"),
        _("等级"),
        _("来源"),
        _("渠道"),
        _("投诉人"),
        _("联系电话"),
        _("保单号"),
        _("处理机构"),
        _("受理机构"),
        _("收到时间"),
        _("答复时限"),
        _("处理人"),
        _("责任认定"),
        _("原因归类"),
        _("结案时间"),
        _("投诉诉求"),
    ]


def _row(c, channels, causes) -> list:
    local = timezone.localtime
    person = c.complainant
    return [
        c.number,
        c.get_state_display(),
        c.get_grade_display(),
        c.get_source_display(),
        channels.get(c.channel, c.channel),
        person.name
        if person.kind == "organisation"
        else privacy.mask_name(person.name),
        privacy.mask_phone(person.phone),
        privacy.mask_policy_number(c.policy_number),
        c.owning_company.name,
        c.registered_company.name,
        local(c.received_at).strftime("%Y-%m-%d %H:%M"),
        c.due_date.isoformat() if c.due_date else "",
        str(c.handler or ""),
        c.get_liability_display(),
        causes.get(c.cause, c.cause),
        local(c.closed_at).strftime("%Y-%m-%d %H:%M") if c.closed_at else "",
        privacy.mask_text(c.demand)[:500],
    ]


def write_workbook(qs, filters, out, progress=None) -> int:
    """Write the rows of `qs` to `out` (a binary file); return how many."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("投诉列表"))
    ws.append(_header())
    channels = dict(code_choices(CodeTable.CHANNEL))
    causes = dict(code_choices(CodeTable.CAUSE))
    n = 0
    sort = api_list.effective_sort(filters)
    tie = "-id" if sort.startswith("-") else "id"
    for c in qs.order_by(sort, tie).iterator(chunk_size=2000):
        ws.append(_row(c, channels, causes))
        n += 1
        if progress and n % PROGRESS_EVERY == 0:
            progress(n)
    wb.save(out)
    return n


def audit_export(user, count: int, request=None) -> None:
    from kesu.audit.services import audit_record

    audit_record(
        action="complaint.export",
        user=user,
        request=request,
        object_type="complaints.complaint",
        detail={"count": count, "format": "xlsx"},
    )


@transaction.atomic
def export_job_start(*, user, query: str) -> ExportJob:
    """Record the job; after commit it is built where background work runs
    (kesu.reports.services.background: a Celery worker, or a thread of this
    process in the embedded default), never in the request."""
    from kesu.reports.services.background import background_run

    job = ExportJob.objects.create(user=user, query=query)
    transaction.on_commit(
        lambda: background_run(
            _run, task="kesu.web.tasks.run_export", pk=job.pk, queue="export"
        )
    )
    return job


def _run(job_id: int) -> None:
    export_job_run(job_id=job_id)


def export_job_run(*, job_id: int) -> None:
    """Claim the job (compare-and-set queued → running, so two workers never
    build the same one), count it, build the workbook with progress, store it."""
    claimed = ExportJob.objects.filter(
        pk=job_id, status=ExportJob.Status.QUEUED
    ).update(
        status=ExportJob.Status.RUNNING,
        heartbeat_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    try:
        _build(job)
    except DomainValidationError as exc:
        _fail(job_id, str(exc.message))
    except Exception:  # the job records the failure; the user sees it
        log.exception("export job %s failed", job_id)
        _fail(job_id, _("导出失败，请稍后重试或联系管理员。"))


def _fail(job_id: int, message: str) -> None:
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.FAILED, error=message, finished_at=timezone.now()
    )


def _build(job: ExportJob) -> None:
    _, qs, filters = filtered_for(job.user, QueryDict(job.query))
    total = count(qs, EXPORT_CAP)
    if total > EXPORT_CAP:
        raise DomainValidationError(too_many())
    ExportJob.objects.filter(pk=job.pk).update(total=total, heartbeat_at=timezone.now())

    def progress(n: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done=n, heartbeat_at=timezone.now())

    with tempfile.TemporaryFile() as tmp:
        n = write_workbook(qs, filters, tmp, progress)
        tmp.seek(0)
        job.file.save(f"kesu-complaints-{job.pk}.xlsx", File(tmp), save=False)
    ExportJob.objects.filter(pk=job.pk).update(
        file=job.file.name,
        done=n,
        total=n,
        status=ExportJob.Status.DONE,
        finished_at=timezone.now(),
    )
    audit_export(job.user, n)


def export_jobs_recover() -> int:
    """Scheduler sweep, as for report jobs (kesu/recovery.py): an export
    whose runner died is queued again, or given up after MAX_ATTEMPTS;
    queued ones nobody picked up are built. Returns how many."""
    return jobs_recover(
        ExportJob,
        lambda pk: export_job_run(job_id=pk),
        stale_after=STALE_AFTER,
        pickup_after=PICKUP_AFTER,
        max_attempts=MAX_ATTEMPTS,
        gave_up=_("多次导出中断，已停止重试，请缩小查询范围后重新导出"),
    )
