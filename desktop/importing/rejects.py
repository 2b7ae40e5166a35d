"""The rejected rows as a workbook the officer fixes and imports again (``import --report``).

One sheet per source sheet: where the row came from and why it was refused, then the row's
cells as read, under template headers (money in 元), so the fixed sheet is recognised again.
A cell that could not be read keeps its text, so that it is refused again until it is fixed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from desktop.importing.report import FileReport, ImportReport, RejectedRow, SheetReport
from desktop.sheets.fields import SPECS, Field, ValueType

WHERE_HEADERS = ("文件", "工作表", "行号", "列", "值", "问题")
SHEET_TITLE_LIMIT = 31  # Excel's limit on a sheet name


def write_rejects_report(report: ImportReport, out: Path) -> Path:
    """Write every rejected row of ``report`` (and every refused file) to ``out`` (.xlsx)."""
    wb = Workbook(write_only=True)
    titles: set[str] = set()
    for file in report.files:
        for sheet in file.sheets:
            if sheet.rejected_rows:
                _write_sheet(wb.create_sheet(_title(sheet.sheet, titles)), file, sheet)
    refused = [f for f in report.files if f.error]
    if refused or not titles:
        ws = wb.create_sheet(_title("未导入的文件", titles))
        _append(ws, ("文件", "原因"))
        for f in refused:
            _append(ws, (f.path.name, f.error))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _title(name: str, taken: set[str]) -> str:
    """A sheet title Excel accepts, unique in the workbook."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:SHEET_TITLE_LIMIT] or "工作表"
    title, n = base, 1
    while title in taken:
        n += 1
        suffix = f"({n})"
        title = base[: SHEET_TITLE_LIMIT - len(suffix)] + suffix
    taken.add(title)
    return title


def _header(field: Field) -> str:
    if field.type.is_money:
        return f"{field.header}（元）"
    return f"{field.header}（{field.unit}）" if field.unit else field.header


def _write_sheet(ws: WriteOnlyWorksheet, file: FileReport, sheet: SheetReport) -> None:
    fields = SPECS[sheet.kind].fields
    _append(ws, (*WHERE_HEADERS, *(_header(f) for f in fields)))
    field_of = {header: name for name, header in sheet.columns.items()}
    for rejected in sheet.rejected_rows:
        unread = {field_of.get(r.column): r.value for r in rejected.reasons}
        cells = (unread[f.name] if f.name in unread else _cell(f, rejected.values) for f in fields)
        _append(ws, (*_where(file, sheet, rejected), *cells))


def _where(file: FileReport, sheet: SheetReport, rejected: RejectedRow) -> Iterator[Any]:
    yield file.path.name
    yield sheet.sheet
    yield rejected.row
    for part in ("column", "value", "message"):
        yield "；".join(getattr(r, part) for r in rejected.reasons)


def _cell(field: Field, values: dict[str, Any]) -> Any:
    """The value as the template would hold it: 是/否 for flags, 2023-01 for a month."""
    if field.type is ValueType.month:
        year, month = values.get("year"), values.get("month")
        return f"{year}-{month:02d}" if year and month else None
    value = values.get(field.name)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _append(ws: WriteOnlyWorksheet, row: Any) -> None:
    """Append ``row``; text stays text (a leading '=' never becomes a formula)."""
    cells = []
    for value in row:
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        elif isinstance(value, Decimal | date):
            cell.number_format = "0.00" if isinstance(value, Decimal) else "yyyy-mm-dd"
        cells.append(cell)
    ws.append(cells)
