"""Charts as server-rendered inline SVG (issue 6.1): no script, no chart
library, nothing fetched. Each function takes aggregated rows and returns
markup that is safe to put into a template (all text escaped)."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FONT = 'font-family="sans-serif" font-size="12"'
BAR = "#3b6ea8"
LINE = "#c0392b"


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} '
        f'{height}" width="{width}" class="chart" {FONT}>'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def horizontal_bars(
    rows, *, title: str, width: int = 560, limit: int = 12
) -> SafeString:
    """One bar per row (label, count), largest first."""
    rows = list(rows)[:limit]
    bar_h, gap, label_w = 18, 6, 150
    height = max(len(rows), 1) * (bar_h + gap) + gap
    top = max((r.count for r in rows), default=0) or 1
    plot = width - label_w - 60
    body = []
    for i, r in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = max(plot * r.count / top, 1 if r.count else 0)
        body.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 5}" text-anchor="end">'
            f"{escape(r.label[:14])}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" '
            f'fill="{BAR}">'
            f"<title>{escape(r.label)}: {r.count}</title></rect>"
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 5}">{r.count}</text>'
        )
    if not rows:
        body.append(f'<text x="10" y="18">{escape(_("本期无数据"))}</text>')
    return _svg(width, height, title, body)


def vertical_bars(
    rows, *, title: str, width: int = 640, height: int = 220
) -> SafeString:
    """Monthly trend: one column per month."""
    rows = list(rows)
    left, bottom, top_pad = 30, 40, 20
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    top = max((r.count for r in rows), default=0) or 1
    step = plot_w / max(len(rows), 1)
    body = [
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - 10}" '
        f'y2="{top_pad + plot_h}" stroke="#888"/>'
    ]
    for i, r in enumerate(rows):
        h = plot_h * r.count / top
        x = left + i * step + step * 0.15
        y = top_pad + plot_h - h
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" '
            f'fill="{BAR}"><title>{escape(r.label)}: {r.count}</title></rect>'
            f'<text x="{x + step * 0.35:.1f}" y="{y - 3:.1f}" text-anchor="middle">'
            f"{r.count}</text>"
            f'<text x="{x + step * 0.35:.1f}" y="{height - 22}" text-anchor="middle" '
            f'font-size="10">{escape(r.label[2:])}</text>'
        )
    return _svg(width, height, title, body)


def pareto_chart(
    rows, *, title: str, width: int = 640, height: int = 280, limit: int = 10
) -> SafeString:
    """Causes as columns, largest first, with the cumulative share as a line and
    the 80 % mark (the vital few)."""
    rows = list(rows)[:limit]
    left, right, bottom, top_pad = 36, 40, 60, 16
    plot_w, plot_h = width - left - right, height - bottom - top_pad
    top = max((r.count for r in rows), default=0) or 1
    step = plot_w / max(len(rows), 1)
    base_y = top_pad + plot_h
    y80 = top_pad + plot_h * 0.2
    body = [
        f'<line x1="{left}" y1="{base_y}" x2="{width - right}" y2="{base_y}" '
        f'stroke="#888"/>',
        f'<line x1="{left}" y1="{y80:.1f}" x2="{width - right}" y2="{y80:.1f}" '
        f'stroke="{LINE}" stroke-dasharray="4 3" opacity="0.6"/>',
        f'<text x="{width - right + 4}" y="{y80 + 4:.1f}" fill="{LINE}">80%</text>',
    ]
    points = []
    for i, r in enumerate(rows):
        h = plot_h * r.count / top
        x = left + i * step + step * 0.15
        cx = left + i * step + step / 2
        cy = top_pad + plot_h * (1 - (r.cumulative or 0))
        points.append(f"{cx:.1f},{cy:.1f}")
        body.append(
            f'<rect x="{x:.1f}" y="{base_y - h:.1f}" width="{step * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{BAR}"><title>{escape(r.label)}: {r.count}'
            f"</title></rect>"
            f'<text x="{cx:.1f}" y="{base_y - h - 3:.1f}" text-anchor="middle">'
            f"{r.count}</text>"
            f'<text x="{cx:.1f}" y="{base_y + 14}" text-anchor="middle" font-size="11">'
            f"{escape(r.label[:6])}</text>"
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{LINE}"><title>'
            f"{round((r.cumulative or 0) * 100, 1)}%</title></circle>"
        )
    if points:
        body.append(
            f'<polyline points="{" ".join(points)}" fill="none" '
            f'stroke="{LINE}" stroke-width="2"/>'
        )
    else:
        body.append(f'<text x="10" y="18">{escape(_("本期无已归类的案件"))}</text>')
    return _svg(width, height, title, body)
