"""``read_workbook``: a file on disk to ParsedSheets, every hostile or broken file refused."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path

from desktop.sheets.choice import NO_CHOICE, SheetChoice
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
from desktop.sheets.xlsxscan import Cell, far_cell, unreadable_cells

Progress = Callable[[int, int], None]


class Reading:
    """``path`` checked and, a spreadsheet, read by a child process from construction on.

    Started ahead of :func:`read_workbook` (``reading=``), the child reads while the caller does
    other work (writes the file before). Close it (or leave its ``with`` block) to stop a child
    whose reading is not wanted. What is wrong with the file is raised by ``raw_sheets()``.
    """

    def __init__(self, path: Path, limits: Limits = LIMITS) -> None:
        self.path = Path(path)
        self.limits = limits
        self._format: FileFormat | None = None
        self._call: IsolatedCall | None = None
        self._failure: Exception | None = None
        try:
            self._format = check_file(self.path, limits)
            if self._format is not FileFormat.csv:
                self._call = IsolatedCall(
                    read_spreadsheet, self.path, self._format, limits,
                    memory_bytes=limits.memory_bytes, timeout=limits.timeout_seconds,
                )  # fmt: skip
        except (Refused, LimitExceeded, OSError) as exc:
            self._failure = exc

    def raw_sheets(self) -> list[RawSheet]:
        """Every sheet's cells; raises what the checks or the child found wrong."""
        if self._failure is not None:
            raise self._failure
        if self._call is None:
            return [read_csv(self.path, self.limits)]
        path, limits = str(self.path), self.limits
        xlsx = self._format is FileFormat.xlsx
        with self._call:
            # While the child parses, look for the cells calamine reads as blank but are not.
            unreadable = unreadable_cells(path) if xlsx else {}
            try:
                sheets: list[RawSheet] = self._call.result()
            except ChildFailed as exc:
                reason = far_cell(path, limits) if xlsx else None
                raise (LimitExceeded(reason) if reason else exc) from None
        for sheet in sheets:
            sheet.flag_cells(_within(unreadable.get(sheet.name, {}), limits))
        return sheets

    def close(self) -> None:
        """Stop the child if it is still reading."""
        if self._call is not None:
            self._call.__exit__(None, None, None)

    def __enter__(self) -> Reading:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _within(cells: dict[Cell, str], limits: Limits) -> dict[Cell, str]:
    """The cells inside the limits: calamine leaves out a formula without a value, so one far
    below would otherwise stretch the sheet (see ``rows``) beyond what a file may hold."""
    rows, columns = limits.max_rows, limits.max_columns
    return {(r, c): why for (r, c), why in cells.items() if r < rows and c < columns}


def read_workbook(
    path: Path,
    *,
    overrides: Mapping[str, Mapping[str, str]] | None = None,
    choices: Mapping[str, SheetChoice] | None = None,
    progress: Progress | None = None,
    limits: Limits = LIMITS,
    reading: Reading | None = None,
) -> ParsedFile:
    """Read every sheet of ``path`` (.xlsx .xlsm .xls .ods .csv) into typed rows.

    ``overrides`` maps a sheet name to ``{field: header text}`` forcing those columns,
    ``choices`` maps a sheet name to the officer's :class:`SheetChoice` (kind, header row).
    ``progress(done, total)`` is called after each sheet (counted in sheets) and may raise to
    cancel. ``reading``, a :class:`Reading` started earlier, is finished (and closed) instead
    of starting one (closed unused if it reads another file). Raises ``SheetFileError`` naming
    the file and the reason for a file that is not read.
    """
    path = Path(path)
    if reading is not None and reading.path != path:
        reading.close()
        reading = None
    if reading is None:
        reading = Reading(path, limits)
    try:
        with reading:
            raw_sheets = reading.raw_sheets()
        digest = _sha256(path)
    except (Refused, LimitExceeded, ChildFailed) as exc:
        raise SheetFileError(f"文件「{path.name}」{exc}") from exc
    except OSError as exc:
        raise SheetFileError(f"文件「{path.name}」无法打开：{exc.strerror or exc}") from exc
    sheets = []
    total = len(raw_sheets)
    while raw_sheets:  # each sheet's cells are let go once its rows are parsed
        raw = raw_sheets.pop(0)
        choice = (choices or {}).get(raw.name, NO_CHOICE)
        sheets.append(_parse(raw, (overrides or {}).get(raw.name), choice))
        if progress is not None:
            progress(len(sheets), total)
    return ParsedFile(path=path, sha256=digest, sheets=sheets)


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _is_instructions(raw: RawSheet) -> bool:
    return bool(raw.rows) and raw.rows[0][:1] == [TEMPLATE_TITLE]


def _parse(raw: RawSheet, overrides: Mapping[str, str] | None, choice: SheetChoice) -> ParsedSheet:
    try:
        layout = recognise(raw, overrides, choice)
    except NotRecognised as exc:
        why = "是导入模板的填写说明，不含数据" if _is_instructions(raw) else str(exc)
        return ParsedSheet(raw.name, None, None, {}, [], 0, f"工作表「{raw.name}」{why}")
    return parse_sheet(raw, layout)
