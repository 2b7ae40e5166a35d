"""The publicity list (公示名单) as a workbook: the title, the table with its total, the notice
and the signature, set up to print on A4 portrait."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop.cases.publicity import AMOUNT_HEADER, PublicityList
from desktop.filing.cells import (
    MONEY_FORMAT,
    CellWarning,
    TextGuard,
    print_on_a4,
    wrapped_height,
)
from desktop.paperwork import replacing
from desktop.sheets.faces import font

SHEET = "公示名单"
HEADER_ROW = 3
WIDTHS = {"序号": 6, "企业名称": 34, "统一社会信用代码": 22, "所属县（市、区）": 14,
          "支持事项": 30, AMOUNT_HEADER: 16, "公示期": 26}  # fmt: skip
CENTERED = frozenset({"序号", "统一社会信用代码", "所属县（市、区）"})
THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")


def write_publicity_workbook(notice: PublicityList, out: Path) -> list[CellWarning]:
    """Write ``notice`` to the workbook ``out`` (replaced atomically); returns what had to
    change to fit into cells."""
    guard = TextGuard(Path(out).name)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    widths = [WIDTHS[h] for h in notice.headers]
    _line(ws, guard, 1, widths, notice.title, font(16, bold=True), CENTER)
    ws.row_dimensions[1].height = 30
    _line(ws, guard, 2, widths, notice.preface, font(11), WRAP)
    end = _write_table(ws, guard, notice, widths)
    for row, text in enumerate(notice.notice, start=end + 2):
        _line(ws, guard, row, widths, text, font(11), WRAP)
    for row, text in enumerate(notice.signature, start=end + 2 + len(notice.notice) + 1):
        _line(ws, guard, row, widths, text, font(11), RIGHT)
    _set_up_printing(ws, HEADER_ROW)
    with replacing(Path(out)) as temporary:
        wb.save(temporary)
    return guard.warnings


def _write_table(ws: Worksheet, guard: TextGuard, notice: PublicityList, widths: list[int]) -> int:
    """The header, a row per enterprise and the total, each row as tall as its text; returns
    the last row written."""
    for column, (header, width) in enumerate(zip(notice.headers, widths, strict=True), start=1):
        _cell(ws, guard, HEADER_ROW, column, header, header, bold=True, align=CENTER)
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.row_dimensions[HEADER_ROW].height = wrapped_height(zip(notice.headers, widths, strict=True))
    rows = [notice.cells(n, r) for n, r in enumerate(notice.rows, start=1)]
    for row, values in enumerate([*rows, notice.total_cells], start=HEADER_ROW + 1):
        total = row == HEADER_ROW + len(rows) + 1
        for column, (value, header) in enumerate(zip(values, notice.headers, strict=True), 1):
            _cell(ws, guard, row, column, value, header, bold=total)
        ws.row_dimensions[row].height = wrapped_height(zip(values, widths, strict=True))
    return HEADER_ROW + len(rows) + 1


def _line(
    ws: Worksheet,
    guard: TextGuard,
    row: int,
    widths: list[int],
    text: str,
    font: Font,
    align: Alignment,
) -> None:
    """``text`` across the table's width, the row as tall as it wraps."""
    cell = ws.cell(row, 1)
    guard.put(cell, text, "公示说明")
    cell.font, cell.alignment = font, align
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
    ws.row_dimensions[row].height = max(
        ws.row_dimensions[row].height or 0, wrapped_height([(text, sum(widths))])
    )


def _cell(
    ws: Worksheet,
    guard: TextGuard,
    row: int,
    column: int,
    value: object,
    header: str,
    *,
    bold: bool = False,
    align: Alignment = WRAP,
) -> None:
    cell = ws.cell(row, column)
    guard.put(cell, value, header)
    cell.border, cell.alignment = GRID, CENTER if header in CENTERED else align
    if header == AMOUNT_HEADER and not isinstance(value, str):
        cell.number_format = MONEY_FORMAT
    if bold:
        cell.font = font(bold=True)


def _set_up_printing(ws: Worksheet, header_row: int) -> None:
    """A4 portrait, one page wide, the column headers on every page."""
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    print_on_a4(ws, landscape=False, header_row=header_row)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
