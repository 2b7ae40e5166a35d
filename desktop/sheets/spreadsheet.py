"""Reading .xlsx/.xlsm/.xls/.ods with python-calamine into RawSheets (run in a child process)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
)

from desktop.sheets.guard import FileFormat, Refused
from desktop.sheets.raw import LimitExceeded, Limits, RawSheet

SUFFIXES = {
    FileFormat.xlsx: (".xlsx", ".xlsm"),
    FileFormat.xls: (".xls",),
    FileFormat.ods: (".ods",),
}


def _open(path: Path, fmt: FileFormat) -> CalamineWorkbook:
    if path.suffix.lower() in SUFFIXES[fmt]:
        return CalamineWorkbook.from_path(path)
    with path.open("rb") as fh:  # misnamed (an .xlsx saved as .xls): calamine sniffs the content
        return CalamineWorkbook.from_filelike(fh)


def read_spreadsheet(path: Path, fmt: FileFormat, limits: Limits) -> list[RawSheet]:
    """Every worksheet's cells; ``Refused`` or ``LimitExceeded`` for what must not be read."""
    try:
        workbook = _open(path, fmt)
        with workbook:
            names = [m.name for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
            if len(names) > limits.max_sheets:
                raise LimitExceeded(f"工作表过多（{len(names)} 个，上限 {limits.max_sheets} 个）")
            return [_read_sheet(workbook.get_sheet_by_name(name), limits) for name in names]
    except PasswordError as exc:
        raise Refused("有密码保护，请先在 Excel 或 WPS 中取消密码再导入") from exc
    except CalamineError as exc:
        raise Refused(f"无法读取：文件已损坏或格式不受支持（{exc}）") from exc


def _rows(sheet: CalamineSheet) -> list[list[Any]]:
    """The sheet's rows from its first used row and column, equal texts as one object.

    A code or month repeated down a column is then kept (and handed to the parent) once,
    which saves the child and the parent time and tens of megabytes.
    """
    seen: dict[str, str] = {}
    share = seen.setdefault
    return [[share(v, v) if v.__class__ is str else v for v in row] for row in sheet.iter_rows()]


def _read_sheet(sheet: CalamineSheet, limits: Limits) -> RawSheet:
    end = sheet.end
    if end is not None and (end[0] + 1 > limits.max_rows or end[1] + 1 > limits.max_columns):
        raise LimitExceeded(
            f"工作表「{sheet.name}」过大（{end[0] + 1:,} 行、{end[1] + 1} 列；"
            f"应少于 {limits.max_rows + 1:,} 行、{limits.max_columns + 1} 列）"
        )
    left = sheet.start[1] if sheet.start else 0
    rows = _rows(sheet)
    # iter_rows starts at the first used column but (unlike to_python) at row 1; count back
    # from the last row so that either way the row numbers are the spreadsheet's own.
    top = end[0] + 1 - len(rows) if end else 0
    merged = [
        ((r0 - top, c0 - left), (r1 - top, c1 - left))
        for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or ()
    ]
    return RawSheet(sheet.name, top + 1, left, rows, merged=merged)
