"""The publicity list (公示名单) as a workbook: the title, the table with its total, the notice
and the signature, set up to print on A4 portrait."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop.cases.publicity import AMOUNT_HEADER, PublicityList
from desktop.filing.cells import MONEY_FORMAT, CellWarning, TextGuard
from desktop.paperwork import replacing

SHEET = "公示名单"
WIDTHS = {"序号": 6, "企业名称": 34, "统一社会信用代码": 22, "所属县（市、区）": 14,
          "支持事项": 30, AMOUNT_HEADER: 16, "公示期": 26}  # fmt: skip
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
    width = len(notice.headers)
    _line(ws, guard, 1, width, notice.title, Font(size=16, bold=True), CENTER)
    ws.row_dimensions[1].height = 30
    _line(ws, guard, 2, width, notice.preface, Font(size=11), WRAP)
    ws.row_dimensions[2].height = 32
    header_row = 3
    for column, header in enumerate(notice.headers, start=1):
        _cell(ws, guard, header_row, column, header, header, bold=True, align=CENTER)
        ws.column_dimensions[get_column_letter(column)].width = WIDTHS[header]
    rows = [notice.cells(n, r) for n, r in enumerate(notice.rows, start=1)]
    for offset, values in enumerate([*rows, notice.total_cells], start=1):
        for column, (value, header) in enumerate(zip(values, notice.headers, strict=True), 1):
            last = offset == len(rows) + 1
            _cell(ws, guard, header_row + offset, column, value, header, bold=last)
    row = header_row + len(rows) + 2
    for text in notice.notice:
        _line(ws, guard, row, width, text, Font(size=11), WRAP)
        ws.row_dimensions[row].height = 32
        row += 1
    for text in notice.signature:
        _line(ws, guard, row + 1, width, text, Font(size=11), RIGHT)
        row += 1
    _set_up_printing(ws, header_row)
    with replacing(Path(out)) as temporary:
        wb.save(temporary)
    return guard.warnings


def _line(
    ws: Worksheet, guard: TextGuard, row: int, width: int, text: str, font: Font, align: Alignment
) -> None:
    """``text`` across the table's width."""
    cell = ws.cell(row, 1)
    guard.put(cell, text, "公示说明")
    cell.font, cell.alignment = font, align
    if width > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


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
    cell.border, cell.alignment = GRID, align
    if header == AMOUNT_HEADER and not isinstance(value, str):
        cell.number_format = MONEY_FORMAT
    if bold:
        cell.font = Font(bold=True)


def _set_up_printing(ws: Worksheet, header_row: int) -> None:
    """A4 portrait, one page wide, the column headers on every page."""
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
