"""The rejected rows as a workbook the officer fixes and imports again (``import --report``).

One sheet per source sheet: where the row came from and why it was refused, then the row's
cells as read, under template headers (money in 元), so the fixed sheet is recognised again.
A cell that could not be read keeps its text, so that it is refused again until it is fixed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from desktop.importing.report import FileReport, ImportReport, RejectedRow, SheetReport
from desktop.sheets.fields import SPECS, Field, ValueType
from desktop.values import text_width

WHERE_HEADERS = ("文件", "工作表", "行号", "列", "值", "问题")
SHEET_TITLE_LIMIT = 31  # Excel's limit on a sheet name
WIDTHS = (8, 60)  # the narrowest and widest column, in character widths


def write_rejects_report(report: ImportReport, out: Path) -> Path:
    """Write every rejected row of ``report`` (and every refused file) to ``out`` (.xlsx)."""
    wb = Workbook(write_only=True)
    titles: set[str] = set()
    for file in report.files:
        for sheet in file.sheets:
            if sheet.rejected_rows:
                _write_sheet(wb.create_sheet(_title(sheet.sheet, titles)), file, sheet)
    said = list(_read_notes(report))
    if said:
        _write_rows(wb.create_sheet(_title("读取说明", titles)), ("文件", "工作表", "说明"), said)
    refused = [f for f in report.files if f.error]
    if refused or not titles:
        lines = [(f.path.name, f.error) for f in refused]
        _write_rows(wb.create_sheet(_title("未导入的文件", titles)), ("文件", "原因"), lines)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _read_notes(report: ImportReport) -> Iterator[tuple[str, str, str]]:
    """What reading said beside the rejections: columns not used, counties taken from sheet
    names, sheets not recognised, zones and chains added."""
    for file in report.files:
        name = file.path.name
        for sheet in file.sheets:
            if sheet.county_from_sheet:
                yield name, sheet.sheet, f"所属县（市、区）取自工作表名：{sheet.county_from_sheet}"
            if sheet.unused_columns:
                yield name, sheet.sheet, f"未使用的列：{'、'.join(sheet.unused_columns)}"
        for unrecognised in file.unrecognised:
            yield name, unrecognised.sheet, f"未识别：{unrecognised.reason}"
        for note in file.notes:
            yield name, "", note


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


def yuan_header(field: Field) -> str:
    """The template header of ``field``, with money in 元 (the unit the values are in)."""
    if field.type.is_money:
        return f"{field.header}（元）"
    return f"{field.header}（{field.unit}）" if field.unit else field.header


def _write_sheet(ws: WriteOnlyWorksheet, file: FileReport, sheet: SheetReport) -> None:
    fields = SPECS[sheet.kind].fields
    field_of = {header: name for name, header in sheet.columns.items()}
    rows = []
    for rejected in sheet.rejected_rows:
        unread = {field_of.get(r.column): r.value for r in rejected.reasons}
        cells = (
            unread[f.name] if f.name in unread else template_value(f, rejected.values)
            for f in fields
        )
        rows.append((*_where(file, sheet, rejected), *cells))
    _write_rows(ws, (*WHERE_HEADERS, *(yuan_header(f) for f in fields)), rows)


def _write_rows(
    ws: WriteOnlyWorksheet, header: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """The header and ``rows``, each column wide enough for its longest value (a credit code,
    a name, a reason), within ``WIDTHS``."""
    narrowest, widest = WIDTHS
    for index, heading in enumerate(header):
        longest = max((_shown_width(row[index]) for row in rows), default=0)
        width = min(max(longest, text_width(heading), narrowest) + 2, widest)
        ws.column_dimensions[get_column_letter(index + 1)].width = width
    _append(ws, header)
    for row in rows:
        _append(ws, row)


def _shown_width(value: Any) -> int:
    """The widest line of ``value`` as the cell shows it."""
    if value is None:
        return 0
    return max(text_width(line) for line in str(value).split("\n"))


def _where(file: FileReport, sheet: SheetReport, rejected: RejectedRow) -> Iterator[Any]:
    yield file.path.name
    yield sheet.sheet
    yield rejected.row
    for part in ("column", "value", "message"):
        yield "；".join(getattr(r, part) for r in rejected.reasons)


def template_value(field: Field, values: dict[str, Any]) -> Any:
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
