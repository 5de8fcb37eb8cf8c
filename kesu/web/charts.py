"""Server-side SVG charts for the dashboard: no chart library, no script.
Each function returns geometry for templates/web/_bar_chart.html."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    value: int
    css: str


@dataclass(frozen=True)
class Row:
    label: str
    y: float
    total: int
    segments: list[Segment]
    total_x: float
    text_y: float


@dataclass(frozen=True)
class BarChart:
    rows: list[Row]
    width: int
    height: int
    label_width: int
    bar_height: int
    max_value: int


def stacked_bars(
    data: list[tuple[str, list[tuple[int, str]]]],
    *,
    width: int = 640,
    label_width: int = 150,
    bar_height: int = 18,
    gap: int = 8,
) -> BarChart:
    """Horizontal stacked bars. `data` is [(label, [(value, css), ...]), ...]."""
    max_value = max((sum(v for v, _ in parts) for _, parts in data), default=0) or 1
    plot = width - label_width - 50
    rows = []
    for i, (label, parts) in enumerate(data):
        y = i * (bar_height + gap) + gap
        x = float(label_width)
        segments = []
        for value, css in parts:
            w = plot * value / max_value
            if value:
                segments.append(
                    Segment(
                        x=round(x, 1), width=round(max(w, 1), 1), value=value, css=css
                    )
                )
            x += w
        rows.append(
            Row(
                label=label,
                y=y,
                total=sum(v for v, _ in parts),
                segments=segments,
                total_x=round(x + 6, 1),
                text_y=y + bar_height - 5,
            )
        )
    height = len(data) * (bar_height + gap) + gap
    return BarChart(
        rows=rows,
        width=width,
        height=max(height, 30),
        label_width=label_width,
        bar_height=bar_height,
        max_value=max_value,
    )
