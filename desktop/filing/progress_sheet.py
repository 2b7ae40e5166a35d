"""The progress board (兑现进度表) as a workbook: a row per measure and county, then the
measure's total with its remaining budget; A4 landscape."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from desktop.cases.deadlines import Alert
from desktop.cases.progress import MeasureProgress, ProgressRow, progress_board
from desktop.cases.publicity import chinese_date
from desktop.cases.states import State
from desktop.filing.cells import MONEY_FORMAT, print_on_a4, wrapped_height
from desktop.paperwork import replacing
from desktop.rules import catalogue
from desktop.rules.labels import in_yuan
from desktop.sheets.faces import font

SHEET = "兑现进度表"
TITLE = "惠企政策资金兑现进度表"
TOTAL = "合计"
HEADERS = (
    "措施", "县（市、区）", "符合条件", "已立案", *(s.label for s in State),
    in_yuan("审核通过金额"), in_yuan("已拨付金额"), in_yuan("剩余预算"),
    Alert.RED.label, Alert.YELLOW.label,
)  # fmt: skip
MONEY_COLUMNS = frozenset(range(HEADERS.index(in_yuan("审核通过金额")), len(HEADERS) - 2))
HEADER_ROW = 3
THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def board_cells(measure: str, row: ProgressRow, remaining: Decimal | None) -> list[object]:
    """One line of the board under ``HEADERS`` (the workbook's and the window's)."""
    states = [row.states[s] for s in State]
    return [catalogue.measure(measure).clause, row.county or TOTAL, row.eligible, row.cases,
            *states, row.approved, row.paid, remaining, row.red, row.yellow]  # fmt: skip


def write_progress_board(board: Sequence[MeasureProgress], out: Path, today: date) -> None:
    """Write ``board`` (as of ``today``) to the workbook ``out`` (replaced atomically)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    width = len(HEADERS)
    _line(ws, 1, width, TITLE, font(16, bold=True))
    ws.row_dimensions[1].height = 30
    _line(ws, 2, width, f"截至{chinese_date(today)}", font(10))
    widths = [max(8, len(header) * 2 - 2) for header in HEADERS]
    for column, (header, column_width) in enumerate(zip(HEADERS, widths, strict=True), start=1):
        _put(ws, HEADER_ROW, column, header, bold=True)
        ws.column_dimensions[get_column_letter(column)].width = column_width
    ws.row_dimensions[HEADER_ROW].height = wrapped_height(zip(HEADERS, widths, strict=True))
    row = HEADER_ROW
    for measure in board:
        for county in measure.counties:
            row += 1
            _row(ws, row, board_cells(measure.measure, county, None), bold=False)
        row += 1
        total = board_cells(measure.measure, measure.total, measure.remaining_budget)
        _row(ws, row, total, bold=True)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 3)
    print_on_a4(ws, landscape=True, header_row=HEADER_ROW)
    with replacing(Path(out)) as temporary:
        wb.save(temporary)


def write_progress(session: Session, out: Path, today: date) -> list[MeasureProgress]:
    """The board as of ``today`` (the roster evaluated for its eligible counts), written to
    ``out``; returns it."""
    board = progress_board(session, today)
    write_progress_board(board, out, today)
    return board


def _line(ws: Worksheet, row: int, width: int, text: str, font: Font) -> None:
    cell = ws.cell(row, 1, text)
    cell.font, cell.alignment = font, Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _row(ws: Worksheet, row: int, values: list[object], *, bold: bool) -> None:
    for column, value in enumerate(values, start=1):
        cell = _put(ws, row, column, value, bold=bold)
        if column - 1 in MONEY_COLUMNS:
            cell.number_format = MONEY_FORMAT


def _put(ws: Worksheet, row: int, column: int, value: object, *, bold: bool) -> Cell:
    cell = ws.cell(row, column, value)
    cell.border, cell.alignment = GRID, CENTER
    if bold:
        cell.font = font(bold=True)
    return cell
