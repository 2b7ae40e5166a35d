"""``read_workbook``: a file on disk to ParsedSheets, every hostile or broken file refused."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path

from desktop.sheets.csvfile import read_csv
from desktop.sheets.errors import SheetFileError
from desktop.sheets.fields import TEMPLATE_TITLE
from desktop.sheets.guard import FileFormat, Refused, check_file
from desktop.sheets.parsed import ParsedFile, ParsedSheet
from desktop.sheets.raw import LIMITS, LimitExceeded, Limits, RawSheet
from desktop.sheets.recognize import NotRecognised, recognise
from desktop.sheets.rows import parse_sheet
from desktop.sheets.sandbox import ChildFailed, IsolatedCall
from desktop.sheets.spreadsheet import read_spreadsheet
from desktop.sheets.xlsxscan import far_cell, unreadable_cells

Progress = Callable[[int, int], None]


def read_workbook(
    path: Path,
    *,
    overrides: Mapping[str, Mapping[str, str]] | None = None,
    progress: Progress | None = None,
    limits: Limits = LIMITS,
) -> ParsedFile:
    """Read every sheet of ``path`` (.xlsx .xlsm .xls .ods .csv) into typed rows.

    ``overrides`` maps a sheet name to ``{field: header text}`` forcing those columns.
    ``progress(done, total)`` is called after each sheet (counted in sheets) and may raise to
    cancel. Raises ``SheetFileError`` naming the file and the reason for a file that is not read.
    """
    path = Path(path)
    try:
        raw_sheets = _read_raw(path, limits)
        digest = _sha256(path)
    except (Refused, LimitExceeded, ChildFailed) as exc:
        raise SheetFileError(f"文件「{path.name}」{exc}") from exc
    except OSError as exc:
        raise SheetFileError(f"文件「{path.name}」无法打开：{exc.strerror or exc}") from exc
    sheets = []
    total = len(raw_sheets)
    while raw_sheets:  # each sheet's cells are let go once its rows are parsed
        raw = raw_sheets.pop(0)
        sheets.append(_parse(raw, (overrides or {}).get(raw.name)))
        if progress is not None:
            progress(len(sheets), total)
    return ParsedFile(path=path, sha256=digest, sheets=sheets)


def _read_raw(path: Path, limits: Limits) -> list[RawSheet]:
    fmt = check_file(path, limits)
    if fmt is FileFormat.csv:
        return [read_csv(path, limits)]
    call = IsolatedCall(
        read_spreadsheet, path, fmt, limits,
        memory_bytes=limits.memory_bytes, timeout=limits.timeout_seconds,
    )  # fmt: skip
    with call:
        # While the child parses, look for the cells calamine reads as blank but are not.
        unreadable = unreadable_cells(str(path)) if fmt is FileFormat.xlsx else {}
        try:
            sheets: list[RawSheet] = call.result()
        except ChildFailed as exc:
            reason = far_cell(str(path), limits) if fmt is FileFormat.xlsx else None
            raise (LimitExceeded(reason) if reason else exc) from None
    for sheet in sheets:
        sheet.flag_cells(unreadable.get(sheet.name, {}))
    return sheets


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _is_instructions(raw: RawSheet) -> bool:
    return bool(raw.rows) and raw.rows[0][:1] == [TEMPLATE_TITLE]


def _parse(raw: RawSheet, overrides: Mapping[str, str] | None) -> ParsedSheet:
    try:
        layout = recognise(raw, overrides)
    except NotRecognised as exc:
        why = "是导入模板的填写说明，不含数据" if _is_instructions(raw) else str(exc)
        return ParsedSheet(raw.name, None, None, {}, [], 0, f"工作表「{raw.name}」{why}")
    return parse_sheet(raw, layout)
