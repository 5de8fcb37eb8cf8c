"""The periodic complaint report as an Excel workbook (issue 6.1): several
formatted sheets and a native Pareto chart. Takes a computed report; does no
counting of its own."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference

from ..selectors.complaint_report import ComplaintReport
from .xlsx_style import BOLD, PERCENT, table, title, widths

DIMENSION_TITLES = {
    "channel": gettext_lazy("投诉渠道"),
    "source": gettext_lazy("来源"),
    "product_type": gettext_lazy("险种"),
    "business_category": gettext_lazy("业务类别"),
    "cause": gettext_lazy("原因归类"),
    "responsible_link": gettext_lazy("责任环节"),
}


def headline_rows(report: ComplaintReport) -> list[tuple[str, object, bool]]:
    """(label, value, is_percent): the same list the page and the PDF show."""
    h = report.headline
    return [
        (_("本期投诉量"), h["total"], False),
        (_("上期投诉量"), h["previous_total"], False),
        (_("环比变化"), h["change_previous"], True),
        (_("去年同期投诉量"), h["last_year_total"], False),
        (_("同比变化"), h["change_last_year"], True),
        (_("受理件数"), h["accepted"], False),
        (_("办结件数"), h["ended"], False),
        (_("办结率"), h["closing_rate"], True),
        (_("已答复件数"), h["decided"], False),
        (_("按时答复件数"), h["decided_on_time"], False),
        (_("按时答复率"), h["on_time_rate"], True),
        (_("答复超时件数"), h["breached"], False),
        (_("升级投诉"), h["escalated"], False),
        (_("监管转办"), h["regulator"], False),
        (_("重大/疑难/群体"), h["major"], False),
        (_("有责件数"), h["liable"], False),
        (_("无责件数"), h["not_liable"], False),
        (_("有责率"), h["liable_rate"], True),
        (_("满意"), h["satisfied"], False),
        (_("基本满意"), h["fairly_satisfied"], False),
        (_("不满意"), h["dissatisfied"], False),
        (_("未联系上"), h["unreachable"], False),
        (_("满意率"), h["satisfaction_rate"], True),
    ]


def _summary(wb: Workbook, report: ComplaintReport) -> None:
    ws = wb.active
    ws.title = _("概要")
    row = title(
        ws,
        _("%(company)s 投诉情况报告") % {"company": report.company.name},
        report.period.label,
        span=3,
    )
    for i, (label, value, pct) in enumerate(headline_rows(report), start=row):
        ws.cell(row=i, column=1, value=label).font = BOLD
        cell = ws.cell(row=i, column=2, value=value)
        if pct:
            cell.number_format = PERCENT
    row += len(headline_rows(report)) + 1
    ws.cell(row=row, column=1, value=_("超时记录（按类型）")).font = BOLD
    table(
        ws,
        row + 1,
        [_("类型"), _("件数")],
        [[r.label, r.count] for r in report.breaches_by_kind],
    )
    widths(ws, [22, 14, 14])


def _dimensions(wb: Workbook, report: ComplaintReport) -> None:
    ws = wb.create_sheet(_("分类统计"))
    row = title(ws, _("分类统计"), report.period.label, span=4)
    for key, rows in report.breakdowns.items():
        ws.cell(row=row, column=1, value=str(DIMENSION_TITLES[key])).font = BOLD
        row = table(
            ws,
            row + 1,
            [_("代码"), _("名称"), _("件数"), _("占比")],
            [[r.code, r.label, r.count, r.share] for r in rows],
            percent_columns=(4,),
        )
    widths(ws, [20, 24, 10, 10])


def _pareto(wb: Workbook, report: ComplaintReport) -> None:
    ws = wb.create_sheet(_("原因帕累托"))
    row = title(ws, _("投诉原因帕累托分析"), report.period.label, span=4)
    rows = [[r.label, r.count, r.share, r.cumulative] for r in report.pareto]
    end = table(
        ws,
        row,
        [_("原因"), _("件数"), _("占比"), _("累计占比")],
        rows,
        percent_columns=(3, 4),
    )
    widths(ws, [24, 10, 10, 12])
    if not rows:
        return
    bars = BarChart()
    bars.title = _("投诉原因帕累托图")
    bars.add_data(
        Reference(ws, min_col=2, min_row=row, max_row=row + len(rows)),
        titles_from_data=True,
    )
    bars.set_categories(
        Reference(ws, min_col=1, min_row=row + 1, max_row=row + len(rows))
    )
    line = LineChart()
    line.add_data(
        Reference(ws, min_col=4, min_row=row, max_row=row + len(rows)),
        titles_from_data=True,
    )
    line.y_axis.axId = 200
    line.y_axis.crosses = "max"
    bars += line
    bars.width, bars.height = 18, 9
    ws.add_chart(bars, f"F{row}")
    del end


def _departments(wb: Workbook, report: ComplaintReport) -> None:
    ws = wb.create_sheet(_("部门与下级机构"))
    row = title(ws, _("涉案部门与下级机构"), report.period.label, span=5)
    ws.cell(row=row, column=1, value=_("涉案部门（调查）")).font = BOLD
    row = table(
        ws,
        row + 1,
        [_("部门"), _("调查件数"), _("涉及案件"), _("退回重查"), _("调查超时")],
        [
            [
                r.label,
                r.count,
                r.extra["cases"],
                r.extra["returned"],
                r.extra["breached"],
            ]
            for r in report.departments
        ],
    )
    ws.cell(row=row, column=1, value=_("本级及下级机构")).font = BOLD
    table(
        ws,
        row + 1,
        [_("机构"), _("投诉量"), _("办结"), _("超时"), _("升级")],
        [
            [
                r.label,
                r.count,
                r.extra["ended"],
                r.extra["breached"],
                r.extra["escalated"],
            ]
            for r in report.lower_companies
        ],
    )
    widths(ws, [24, 12, 12, 12, 12])


def _trend_and_cases(wb: Workbook, report: ComplaintReport) -> None:
    ws = wb.create_sheet(_("趋势与重点案件"))
    row = title(ws, _("近十二个月投诉量与重点案件"), report.period.label, span=6)
    row = table(
        ws, row, [_("月份"), _("投诉量")], [[r.label, r.count] for r in report.monthly]
    )
    ws.cell(row=row, column=1, value=_("重点案件")).font = BOLD
    table(
        ws,
        row + 1,
        [_("投诉编号"), _("收到日期"), _("处理机构"), _("等级"), _("来源"), _("状态")],
        [
            [
                c.number,
                timezone.localdate(c.received_at).isoformat(),
                c.owning_company.name,
                c.get_grade_display(),
                c.get_source_display(),
                c.get_state_display(),
            ]
            for c in report.notable
        ],
    )
    widths(ws, [26, 14, 18, 10, 12, 12])


def complaint_report_xlsx(report: ComplaintReport) -> bytes:
    wb = Workbook()
    for part in (_summary, _dimensions, _pareto, _departments, _trend_and_cases):
        part(wb, report)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
