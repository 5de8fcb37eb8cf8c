"""Export of the filtered complaint list to Excel (openpyxl, write-only,
streamed from a temporary file). Personal data is masked (E2); the export is
audited (C1). Synchronous, capped at EXPORT_CAP rows: a larger export asks
the user to narrow the filters (a background export with progress is a
follow-up)."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kesu import privacy
from kesu.classification.models import CodeTable

from ..forms.choices import code_choices
from .complaints import filtered

EXPORT_CAP = 20_000


def _header() -> list[str]:
    return [_("投诉编号"), _("状态"), _("等级"), _("来源"), _("渠道"), _("投诉人"),
            _("联系电话"), _("保单号"), _("处理机构"), _("受理机构"), _("收到时间"),
            _("答复时限"), _("处理人"), _("责任认定"), _("原因归类"), _("结案时间"),
            _("投诉诉求")]


def _row(c, channels, causes) -> list:
    local = timezone.localtime
    return [
        c.number, c.get_state_display(), c.get_grade_display(), c.get_source_display(),
        channels.get(c.channel, c.channel),
        c.complainant.name if c.complainant.kind == "organisation"
        else privacy.mask_name(c.complainant.name),
        privacy.mask_phone(c.complainant.phone), privacy.mask_policy_number(c.policy_number),
        c.owning_company.name, c.registered_company.name,
        local(c.received_at).strftime("%Y-%m-%d %H:%M"),
        c.due_date.isoformat() if c.due_date else "",
        str(c.handler or ""), c.get_liability_display(), causes.get(c.cause, c.cause),
        local(c.closed_at).strftime("%Y-%m-%d %H:%M") if c.closed_at else "",
        privacy.mask_text(c.demand)[:500],
    ]


@login_required
def complaint_export(request):
    form, qs, filters = filtered(request)
    n = qs.order_by().values("pk")[: EXPORT_CAP + 1].count()
    if n > EXPORT_CAP:
        messages.error(request, _("符合条件的投诉超过 %(n)d 件，请缩小查询范围后再导出")
                       % {"n": EXPORT_CAP})
        return redirect(request.get_full_path().replace("export.xlsx", "", 1))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("投诉列表"))
    ws.append(_header())
    channels = dict(code_choices(CodeTable.CHANNEL))
    causes = dict(code_choices(CodeTable.CAUSE))
    for c in qs.order_by(filters.sort, "-id").iterator(chunk_size=2000):
        ws.append(_row(c, channels, causes))
    tmp = tempfile.TemporaryFile()
    wb.save(tmp)
    tmp.seek(0)
    _audit(request, n)
    name = f"kesu-complaints-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    response = FileResponse(tmp, as_attachment=True, filename=name,
                            content_type="application/vnd.openxmlformats-officedocument"
                                         ".spreadsheetml.sheet")
    response["Cache-Control"] = "no-store"
    return response


def _audit(request, count: int) -> None:
    from kesu.audit.services import audit_record

    audit_record(action="complaint.export", user=request.user, request=request,
                 object_type="complaints.complaint", detail={"count": count, "format": "xlsx"})


