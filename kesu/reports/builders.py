"""What each kind of ReportJob builds (issue 6.5). The scope is the
requester's current scope (re-checked when the job runs), or the company's
whole subtree for scheduled jobs."""

import io
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from openpyxl import Workbook

from kesu.accounts.access import in_scope
from kesu.errors import NotFound

from .access import ALL, report_scope, report_scoped, system_scoped
from .exports.complaint_report_pdf import complaint_report_pdf
from .exports.complaint_report_xlsx import complaint_report_xlsx
from .exports.regulator_xlsx import regulator_xlsx
from .figures import complaint_report_load
from .models import ReportJob, StoredFigures
from .periods import period_parse
from .selectors.complaint_report import complaint_report
from .selectors.regulator import regulator_statistics
from .services.figures import is_fresh

Progress = Callable[..., None]
LIST_CHUNK = 2000
LIST_COLUMNS = [
    ("number", _l("投诉编号")),
    ("received_at", _l("收到时间")),
    ("owning_company__name", _l("处理机构")),
    ("channel", _l("投诉渠道")),
    ("source", _l("来源")),
    ("product_type", _l("险种")),
    ("business_category", _l("业务类别")),
    ("grade", _l("等级")),
    ("state", _l("状态")),
    ("due_date", _l("答复时限")),
    ("replied_at", _l("答复时间")),
    ("breached_at", _l("超时时间")),
    ("liability", _l("责任认定")),
    ("responsible_link", _l("责任环节")),
    ("cause", _l("原因归类")),
    ("satisfaction", _l("满意度")),
    ("escalated", _l("升级投诉")),
]


def _scoped(job: ReportJob):
    if job.requested_by is None:
        return system_scoped(job.company)
    if not in_scope(job.requested_by, job.company):
        raise NotFound(_("机构不在您的权限范围内"))
    return report_scoped(job.requested_by, job.company)


def build_job(job: ReportJob, progress: Progress) -> tuple[str, bytes]:
    period = period_parse(job.period_key)
    scoped = _scoped(job)
    stem = f"{job.company.code}-{period.key}"
    if job.kind == ReportJob.Kind.COMPLAINT_LIST_XLSX:
        return f"complaints-{stem}.xlsx", _complaint_list(scoped, period, progress)
    progress(10, _("统计中"))
    if job.kind == ReportJob.Kind.REGULATOR_XLSX:
        stats = regulator_statistics(scoped=scoped, company=job.company, period=period)
        progress(60, _("生成文件"))
        return f"regulator-{stem}.xlsx", regulator_xlsx(stats)
    report = _report(job, scoped, period)
    progress(60, _("生成文件"))
    if job.kind == ReportJob.Kind.COMPLAINT_REPORT_PDF:
        return f"report-{stem}.pdf", complaint_report_pdf(report)
    return f"report-{stem}.xlsx", complaint_report_xlsx(report)


def _report(job: ReportJob, scoped, period):
    """The stored figures when fresh, so the file matches the page the viewer
    has just seen; otherwise counted now."""
    scope = (
        ALL if job.requested_by is None else report_scope(job.requested_by, job.company)
    )
    entry = StoredFigures.objects.filter(
        kind=StoredFigures.Kind.COMPLAINT_REPORT,
        company=job.company,
        period_key=period.key,
        scope=scope,
    ).first()
    if entry is not None and is_fresh(entry, period):
        return complaint_report_load(
            entry, scoped=scoped, company=job.company, period=period
        )
    return complaint_report(scoped=scoped, company=job.company, period=period)


def _cell(value):
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _complaint_list(scoped, period, progress: Progress) -> bytes:
    """Every complaint of the period, one row each, without personal data;
    streamed in chunks (write-only workbook) with progress per chunk."""
    current = scoped.filter(received_at__gte=period.start, received_at__lt=period.end)
    total = current.count() or 1
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("投诉明细"))
    ws.append([str(label) for _field, label in LIST_COLUMNS])
    fields = [f for f, _label in LIST_COLUMNS]
    rows = current.order_by("received_at", "id").values_list(*fields)
    for i, row in enumerate(rows.iterator(chunk_size=LIST_CHUNK), start=1):
        ws.append([_cell(v) for v in row])
        if i % LIST_CHUNK == 0:
            progress(
                int(95 * i / total),
                _("已导出 %(n)d / %(total)d") % {"n": i, "total": total},
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
