"""Shared cell styles for the Excel exports (openpyxl)."""

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
PERCENT = "0.0%"


def title(ws, text: str, subtitle: str = "", span: int = 6) -> int:
    """Write a merged title (and subtitle) and return the next free row."""
    ws.cell(row=1, column=1, value=text).font = TITLE_FONT
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=span)
    if subtitle:
        ws.cell(row=2, column=1, value=subtitle)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=span)
    return 4


def table(
    ws,
    start_row: int,
    headers: list[str],
    rows: list[list],
    percent_columns: tuple[int, ...] = (),
) -> int:
    """A bordered table with a shaded header; returns the row after it."""
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=start_row, column=col, value=text)
        cell.font, cell.fill, cell.border, cell.alignment = (
            BOLD,
            HEADER_FILL,
            BORDER,
            CENTER,
        )
    for r, values in enumerate(rows, start=start_row + 1):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            cell.border = BORDER
            if col in percent_columns:
                cell.number_format = PERCENT
    return start_row + len(rows) + 2


def widths(ws, values: list[int]) -> None:
    for i, width in enumerate(values, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
