"""The bulletin (月通报, 周调度表) as a workbook: one sheet per table, the title above each, the
figures kept exact (万元 and rates as numbers with their formats)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop.filing.cells import (
    COUNT_FORMAT,
    MONEY_FORMAT,
    RATE_FORMAT,
    CellWarning,
    TextGuard,
    print_on_a4,
)
from desktop.paperwork import replacing
from desktop.sheets.faces import font
from desktop.taskforce.bulletin import Bulletin
from desktop.taskforce.bulletin_tables import NONE, Table, bulletin_tables, bulletin_title

TITLE_ROW, LEAD_ROW, HEADER_ROW = 1, 2, 3
FORMATS = {"count": COUNT_FORMAT, "wan": MONEY_FORMAT, "rate": RATE_FORMAT}
THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_bulletin_workbook(bulletin: Bulletin, out: Path) -> list[CellWarning]:
    """Write ``bulletin``'s tables to ``out`` (replaced atomically), one sheet each, named by its
    section. Returns what had to change to fit into cells."""
    guard = TextGuard(Path(out).name)
    wb = Workbook()
    wb.remove(wb.active)
    title = bulletin_title(bulletin)
    for number, table in enumerate(bulletin_tables(bulletin), start=1):
        _write_table(wb.create_sheet(table.name), guard, f"{title}　表{number} {table.name}", table)
    with replacing(Path(out)) as temporary:
        wb.save(temporary)
    return guard.warnings


def _write_table(ws: Worksheet, guard: TextGuard, title: str, table: Table) -> None:
    last = get_column_letter(len(table.columns))
    for row, text, bold in ((TITLE_ROW, title, True), (LEAD_ROW, table.lead, False)):
        guard.put(ws.cell(row, 1), text, "")
        ws.cell(row, 1).font = font(14 if bold else 11, bold=bold)
        ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="center")
        ws.merge_cells(f"A{row}:{last}{row}")
    ws.row_dimensions[LEAD_ROW].height = 32
    for col, column in enumerate(table.columns, start=1):
        cell = ws.cell(HEADER_ROW, col)
        guard.put(cell, column.header, column.header)
        cell.font, cell.alignment, cell.border = font(bold=True), CENTER, GRID
        ws.column_dimensions[get_column_letter(col)].width = 2 * column.width + 2
    for r, values in enumerate(table.rows, start=HEADER_ROW + 1):
        for col, (column, value) in enumerate(zip(table.columns, values, strict=True), start=1):
            cell = ws.cell(r, col)
            guard.put(cell, NONE if value is None else value, column.header)
            cell.border = GRID
            if column.kind in FORMATS and value is not None:
                cell.number_format = FORMATS[column.kind]
            if value is None:
                cell.alignment = Alignment(horizontal="center")
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    print_on_a4(ws, landscape=False)
