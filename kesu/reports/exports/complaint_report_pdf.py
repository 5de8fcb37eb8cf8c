"""The periodic complaint report as PDF (issue 6.1), with Chinese text in an
embedded CJK font (pdf_font.py) and the Pareto chart drawn natively."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..selectors.complaint_report import ComplaintReport
from .complaint_report_xlsx import DIMENSION_TITLES, headline_rows
from .pdf_font import cjk_font


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _table(font: str, header: list[str], rows: list[list], widths=None) -> Table:
    t = Table([header] + rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DCE6F1")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return t


def _pareto_drawing(font: str, report: ComplaintReport) -> Drawing:
    rows = report.pareto[:10]
    width, height, left, bottom, top_pad = 170 * mm, 70 * mm, 30, 30, 10
    plot_w, plot_h = width - left - 30, height - bottom - top_pad
    d = Drawing(width, height)
    d.add(Line(left, bottom, left + plot_w, bottom, strokeColor=colors.grey))
    y80 = bottom + plot_h * 0.8
    d.add(
        Line(
            left,
            y80,
            left + plot_w,
            y80,
            strokeColor=colors.red,
            strokeDashArray=[3, 2],
        )
    )
    d.add(
        String(
            left + plot_w + 3,
            y80 - 3,
            "80%",
            fontName=font,
            fontSize=8,
            fillColor=colors.red,
        )
    )
    top = max((r.count for r in rows), default=0) or 1
    step = plot_w / max(len(rows), 1)
    points = []
    for i, r in enumerate(rows):
        h = plot_h * r.count / top
        x = left + i * step + step * 0.15
        d.add(
            Rect(
                x,
                bottom,
                step * 0.7,
                h,
                fillColor=colors.HexColor("#3b6ea8"),
                strokeColor=None,
            )
        )
        cx = left + i * step + step / 2
        d.add(
            String(
                cx,
                bottom + h + 2,
                str(r.count),
                fontName=font,
                fontSize=8,
                textAnchor="middle",
            )
        )
        d.add(
            String(
                cx,
                bottom - 12,
                r.label[:6],
                fontName=font,
                fontSize=8,
                textAnchor="middle",
            )
        )
        cy = bottom + plot_h * (r.cumulative or 0)
        points += [cx, cy]
        d.add(Circle(cx, cy, 2, fillColor=colors.red, strokeColor=None))
    if points:
        d.add(PolyLine(points, strokeColor=colors.red, strokeWidth=1.5))
    return d


def _keep_headings_with_content(story: list, heading_style) -> list:
    """A section heading never stays alone at the bottom of a page."""
    out: list = []
    for flowable in story:
        after_heading = out and getattr(out[-1], "style", None) is heading_style
        if after_heading:
            out[-1] = KeepTogether([out[-1], flowable])
        else:
            out.append(flowable)
    return out


def complaint_report_pdf(report: ComplaintReport) -> bytes:
    font = cjk_font()
    h1 = ParagraphStyle("h1", fontName=font, fontSize=16, leading=22)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=12, leading=18, spaceBefore=8)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13)
    story = [
        Paragraph(_("%(company)s 投诉情况报告") % {"company": report.company.name}, h1),
        Paragraph(
            _("报告期：%(period)s　生成时间：%(at)s")
            % {
                "period": report.period.label,
                "at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            },
            body,
        ),
        Spacer(1, 4 * mm),
        Paragraph(_("主要指标"), h2),
        _table(
            font,
            [_("指标"), _("数值")],
            [[label, _pct(v) if pct else v] for label, v, pct in headline_rows(report)],
            widths=[60 * mm, 40 * mm],
        ),
        Paragraph(_("投诉原因帕累托图"), h2),
        _pareto_drawing(font, report),
    ]
    for key, rows in report.breakdowns.items():
        story += [
            Paragraph(str(DIMENSION_TITLES[key]), h2),
            _table(
                font,
                [_("名称"), _("件数"), _("占比")],
                [[r.label, r.count, _pct(r.share)] for r in rows],
                widths=[70 * mm, 30 * mm, 30 * mm],
            ),
        ]
    story += [
        Paragraph(_("涉案部门（调查）"), h2),
        _table(
            font,
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
        ),
        Paragraph(_("本级及下级机构"), h2),
        _table(
            font,
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
        ),
        Paragraph(_("重点案件"), h2),
        _table(
            font,
            [_("投诉编号"), _("收到日期"), _("处理机构"), _("等级"), _("来源")],
            [
                [
                    c.number,
                    timezone.localdate(c.received_at).isoformat(),
                    c.owning_company.name,
                    c.get_grade_display(),
                    c.get_source_display(),
                ]
                for c in report.notable
            ],
        ),
    ]
    out = io.BytesIO()
    story = _keep_headings_with_content(story, h2)
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        title=str(report.period.label),
    ).build(story)
    return out.getvalue()
