"""Regulator statistics in a fixed Excel layout (R1.13, R1.18; issue 6.3):
the same sections and rows every period (every code listed, zeros included),
so the sheet can be copied into the regulator's form cell by cell."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from ..selectors.regulator import RegulatorStatistics
from .xlsx_style import BOLD, HEADER_FILL, PERCENT, table, title, widths


def _section(
    ws,
    row: int,
    heading: str,
    lines: list[tuple[str, object]],
    percent_rows: tuple[int, ...] = (),
) -> int:
    cell = ws.cell(row=row, column=1, value=heading)
    cell.font, cell.fill = BOLD, HEADER_FILL
    ws.cell(row=row, column=2).fill = HEADER_FILL
    end = table(ws, row + 1, [_("项目"), _("数值")], [list(line) for line in lines])
    for index in percent_rows:
        ws.cell(row=row + 2 + index, column=2).number_format = PERCENT
    return end


def regulator_xlsx(stats: RegulatorStatistics) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("监管统计表")
    row = title(
        ws,
        _("保险消费投诉统计表"),
        _("填报机构：%(company)s　统计期：%(period)s　单位：件")
        % {"company": stats.company.name, "period": stats.period.label},
        span=2,
    )
    t = stats.totals
    row = _section(
        ws,
        row,
        _("一、投诉总体情况"),
        [
            (_("投诉总量"), t["total"]),
            (_("受理件数"), t["accepted"]),
            (_("办结件数"), t["ended"]),
            (_("办结率"), t["closing_rate"]),
        ],
        percent_rows=(3,),
    )
    row = _section(
        ws,
        row,
        _("二、投诉来源"),
        [
            (_("监管转办"), t["regulator"]),
            (_("直接受理"), t["direct"]),
        ]
        + [
            (_("其中：%(name)s") % {"name": line.label}, line.count)
            for line in stats.by_source
        ],
    )
    row = _section(
        ws,
        row,
        _("三、投诉渠道"),
        [(line.label, line.count) for line in stats.by_channel],
    )
    row = _section(
        ws,
        row,
        _("四、险种"),
        [(line.label, line.count) for line in stats.by_product_type],
    )
    row = _section(
        ws,
        row,
        _("五、投诉原因（监管分类）"),
        [(line.label, line.count) for line in stats.by_cause_group],
    )
    f, r = stats.figures, stats.ratios
    row = _section(
        ws,
        row,
        _("六、万人投诉量等指标"),
        [
            (_("保费收入（元）"), f["premium"]),
            (_("有效保单件数"), f["policies"]),
            (_("被保险人数"), f["insured"]),
            (_("亿元保费投诉量"), r["per_100m_premium"]),
            (_("万张保单投诉量"), r["per_10k_policies"]),
            (_("万人投诉量"), r["per_10k_insured"]),
        ],
    )
    _section(
        ws,
        row,
        _("七、分机构投诉量"),
        [(line.label, line.count) for line in stats.by_company],
    )
    widths(ws, [36, 20])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
