"""``read_workbook``: a file on disk to ParsedSheets, every hostile or broken file refused."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from desktop.progress import Progress
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

Overrides = Mapping[str, Mapping[str, str]]
Choices = Mapping[str, SheetChoice]


class Reading:
    """``path`` checked and, a spreadsheet, read and parsed by a child process from construction.

    Started ahead of :func:`read_workbook` (``reading=``), the child reads while the caller does
    other work (writes the file before). Close it (or leave its ``with`` block) to stop a child
    whose reading is not wanted. What is wrong with the file is raised by ``sheets()``.
    ``overrides`` and ``choices`` are those of :func:`read_workbook`.
    """

    def __init__(
        self,
        path: Path,
        limits: Limits = LIMITS,
        *,
        overrides: Overrides | None = None,
        choices: Choices | None = None,
    ) -> None:
        self.path = Path(path)
        self.limits = limits
        self.overrides, self.choices = dict(overrides or {}), dict(choices or {})
        self._format: FileFormat | None = None
        self._call: IsolatedCall | None = None
        self._failure: Exception | None = None
        try:
            self._format = check_file(self.path, limits)
            if self._format is not FileFormat.csv:
                self._call = IsolatedCall(
                    read_sheets, self.path, self._format, limits, self.overrides, self.choices,
                    memory_bytes=limits.memory_bytes, timeout=limits.timeout_seconds,
                )  # fmt: skip
        except (Refused, LimitExceeded, OSError) as exc:
            self._failure = exc

    def reads(self, path: Path, overrides: Overrides | None, choices: Choices | None) -> bool:
        """True when this reading is of ``path`` with these overrides and choices."""
        return (self.path, self.overrides, self.choices) == (
            Path(path), dict(overrides or {}), dict(choices or {})
        )  # fmt: skip

    def sheets(self) -> list[ParsedSheet]:
        """Every sheet, parsed; raises what the checks or the child found wrong."""
        if self._failure is not None:
            raise self._failure
        if self._call is None:
            raw = [read_csv(self.path, self.limits)]
            return parse_sheets(raw, self.overrides, self.choices)
        with self._call:
            try:
                return self._call.result()  # type: ignore[no-any-return]
            except ChildFailed as exc:
                xlsx = self._format is FileFormat.xlsx
                reason = far_cell(str(self.path), self.limits) if xlsx else None
                raise (LimitExceeded(reason) if reason else exc) from None

    def close(self) -> None:
        """Stop the child if it is still reading."""
        if self._call is not None:
            self._call.__exit__(None, None, None)

    def __enter__(self) -> Reading:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def read_sheets(
    path: Path, fmt: FileFormat, limits: Limits, overrides: Overrides, choices: Choices
) -> list[ParsedSheet]:
    """A spreadsheet's sheets read, their unreadable cells flagged, and parsed (in the child)."""
    raw = read_spreadsheet(path, fmt, limits)
    if fmt is FileFormat.xlsx:  # the cells calamine reads as blank but are not
        unreadable = unreadable_cells(str(path))
        for sheet in raw:
            sheet.flag_cells(_within(unreadable.get(sheet.name, {}), limits))
    return parse_sheets(raw, overrides, choices)


def parse_sheets(raw: list[RawSheet], overrides: Overrides, choices: Choices) -> list[ParsedSheet]:
    """Each sheet recognised and parsed; its cells are let go once its rows are parsed."""
    sheets = []
    while raw:
        sheet = raw.pop(0)
        sheets.append(_parse(sheet, overrides.get(sheet.name), choices.get(sheet.name, NO_CHOICE)))
    return sheets


def _within(cells: dict[Cell, str], limits: Limits) -> dict[Cell, str]:
    """The cells inside the limits: calamine leaves out a formula without a value, so one far
    below would otherwise stretch the sheet (see ``rows``) beyond what a file may hold."""
    rows, columns = limits.max_rows, limits.max_columns
    return {(r, c): why for (r, c), why in cells.items() if r < rows and c < columns}


def read_workbook(
    path: Path,
    *,
    overrides: Overrides | None = None,
    choices: Choices | None = None,
    progress: Progress | None = None,
    limits: Limits = LIMITS,
    reading: Reading | None = None,
) -> ParsedFile:
    """Read every sheet of ``path`` (.xlsx .xlsm .xls .ods .csv) into typed rows.

    ``overrides`` maps a sheet name to ``{field: header text}`` forcing those columns,
    ``choices`` maps a sheet name to the officer's :class:`SheetChoice` (kind, header row).
    ``progress(done, total)`` is called once the sheets are read (counted in sheets) and may
    raise to cancel. ``reading``, a :class:`Reading` started earlier, is finished (and closed)
    instead of starting one (closed unused if it reads another file, or with other overrides
    or choices). Raises ``SheetFileError`` naming the file and the reason for a file that is
    not read.
    """
    path = Path(path)
    if reading is not None and not reading.reads(path, overrides, choices):
        reading.close()
        reading = None
    if reading is None:
        reading = Reading(path, limits, overrides=overrides, choices=choices)
    try:
        with reading:
            sheets = reading.sheets()
        digest = _sha256(path)
    except (Refused, LimitExceeded, ChildFailed) as exc:
        raise SheetFileError(f"文件「{path.name}」{exc}") from exc
    except OSError as exc:
        raise SheetFileError(f"文件「{path.name}」无法打开：{exc.strerror or exc}") from exc
    if progress is not None:
        progress(len(sheets), len(sheets))
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
