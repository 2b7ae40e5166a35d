"""``read_workbook``: a file on disk to ParsedSheets, every hostile or broken file refused."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from desktop.oserrors import os_error_text
from desktop.progress import Progress
from desktop.sheets.choice import (
    NO_CORRECTIONS,
    Correction,
    Corrections,
    SheetChoice,
    layout_key,
)
from desktop.sheets.csvfile import read_csv
from desktop.sheets.errors import SheetFileError
from desktop.sheets.fields import TEMPLATE_TITLE
from desktop.sheets.guard import FileFormat, Refused, check_file
from desktop.sheets.parsed import ParsedFile, ParsedSheet, file_stamp
from desktop.sheets.raw import LIMITS, LimitExceeded, Limits, RawSheet
from desktop.sheets.recognize import NotRecognised, recognise
from desktop.sheets.rows import parse_sheet
from desktop.sheets.sandbox import ChildFailed, IsolatedCall
from desktop.sheets.spreadsheet import read_spreadsheet
from desktop.sheets.xlsxscan import Cell, far_cell, unreadable_cells


class PendingRead:
    """``path`` checked and, a spreadsheet, read and parsed by a child process from construction.

    Started ahead of :func:`read_workbook` (``pending=``), the child reads while the caller does
    other work (writes the file before). Close it (or leave its ``with`` block) to stop a child
    whose reading is not wanted. What is wrong with the file is raised by ``sheets()``.
    ``corrections`` are those :func:`read_workbook` is given; ``in_process`` reads a file the
    application wrote itself (the sample county) without a child.
    """

    def __init__(
        self,
        path: Path,
        limits: Limits = LIMITS,
        corrections: Corrections = NO_CORRECTIONS,
        *,
        in_process: bool = False,
    ) -> None:
        self.path = Path(path)
        self.limits = limits
        self.corrections = corrections
        self._format: FileFormat | None = None
        self._call: IsolatedCall | None = None
        self._failure: Exception | None = None
        try:
            self._format = check_file(self.path, limits)
            if self._format is not FileFormat.csv and not in_process:
                self._call = IsolatedCall(
                    read_sheets, self.path, self._format, limits, corrections,
                    memory_bytes=limits.memory_bytes, timeout=limits.timeout_seconds,
                )  # fmt: skip
        except (Refused, LimitExceeded, OSError) as exc:
            self._failure = exc

    def reads(self, path: Path, corrections: Corrections) -> bool:
        """True when this reading is of ``path`` with these corrections."""
        return (self.path, self.corrections) == (Path(path), corrections)

    def sheets(self) -> list[ParsedSheet]:
        """Every sheet, parsed; raises what the checks or the child found wrong."""
        if self._failure is not None:
            raise self._failure
        if self._format is FileFormat.csv:
            return parse_sheets([read_csv(self.path, self.limits)], self.corrections)
        if self._call is None:
            assert self._format is not None
            return read_sheets(self.path, self._format, self.limits, self.corrections)
        with self._call:
            try:
                return self._call.result()
            except ChildFailed as exc:
                xlsx = self._format is FileFormat.xlsx
                reason = far_cell(str(self.path), self.limits) if xlsx else None
                raise (LimitExceeded(reason) if reason else exc) from None

    def close(self) -> None:
        """Stop the child if it is still reading."""
        if self._call is not None:
            self._call.__exit__(None, None, None)

    def __enter__(self) -> PendingRead:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def read_sheets(
    path: Path, fmt: FileFormat, limits: Limits, corrections: Corrections
) -> list[ParsedSheet]:
    """A spreadsheet's sheets read, their unreadable cells flagged, and parsed (in the child)."""
    raw = read_spreadsheet(path, fmt, limits)
    if fmt is FileFormat.xlsx:  # the cells calamine reads as blank but are not
        unreadable = unreadable_cells(str(path))
        for sheet in raw:
            sheet.flag_cells(_within(unreadable.get(sheet.name, {}), limits))
    return parse_sheets(raw, corrections)


def parse_sheets(raw: list[RawSheet], corrections: Corrections) -> list[ParsedSheet]:
    """Each sheet recognised and parsed; its cells are let go once its rows are parsed."""
    sheets = []
    while raw:
        sheets.append(_parse(raw.pop(0), corrections))
    return sheets


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
    remembered: Mapping[str, Correction] | None = None,
    corrections: Corrections | None = None,
    progress: Progress | None = None,
    limits: Limits = LIMITS,
    pending: PendingRead | None = None,
    in_process: bool = False,
) -> ParsedFile:
    """Read every sheet of ``path`` (.xlsx .xlsm .xls .ods .csv .txt) into typed rows.

    ``overrides`` maps a sheet name to ``{field: header text}`` forcing those columns,
    ``choices`` maps a sheet name to the officer's :class:`SheetChoice` (kind, header row),
    ``remembered`` maps a layout key to the :class:`Correction` kept for it (used where the
    officer gave none); ``corrections`` gives the three at once.
    ``progress(done, total)`` is called once the sheets are read (counted in sheets) and may
    raise to cancel. ``pending``, a :class:`PendingRead` started earlier, is finished (and
    closed) instead of starting one (closed unused if it reads another file, or with other
    corrections). ``in_process``: see :class:`PendingRead`. Raises ``SheetFileError`` naming the
    file and the reason for a file that is not read.
    """
    path = Path(path)
    if corrections is None:
        corrections = Corrections(overrides or {}, choices or {}, remembered or {})
    if pending is not None and not pending.reads(path, corrections):
        pending.close()
        pending = None
    if pending is None:
        pending = PendingRead(path, limits, corrections, in_process=in_process)
    try:
        stamp = file_stamp(path)
        with pending:
            sheets = pending.sheets()
        digest = _sha256(path)
    except (Refused, LimitExceeded, ChildFailed) as exc:
        raise SheetFileError(f"文件「{path.name}」{exc}") from exc
    except OSError as exc:
        raise SheetFileError(f"文件「{path.name}」无法打开：{os_error_text(exc)}") from exc
    if progress is not None:
        progress(len(sheets), len(sheets))
    return ParsedFile(path=path, sha256=digest, sheets=sheets, stamp=stamp)


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _is_instructions(raw: RawSheet) -> bool:
    return bool(raw.rows) and raw.rows[0][:1] == [TEMPLATE_TITLE]


def _parse(raw: RawSheet, corrections: Corrections) -> ParsedSheet:
    """The sheet read as recognised on its own, or as corrected: by the officer, or as
    remembered for the layout it was recognised as."""
    try:
        plain = recognise(raw)
    except NotRecognised as exc:
        plain, why = None, str(exc)
    key = "" if plain is None else layout_key(plain.kind, plain.headers())
    correction = corrections.for_sheet(raw.name, key)
    layout = plain
    if correction:
        try:
            layout = recognise(raw, correction.columns or None, correction.choice)
        except NotRecognised as exc:
            layout, why = None, str(exc)
    if layout is None:
        why = "是导入模板的填写说明，不含数据" if _is_instructions(raw) else why
        return ParsedSheet(raw.name, None, None, {}, [], 0, f"工作表「{raw.name}」{why}",
                           layout_key=key, correction=correction)  # fmt: skip
    parsed = parse_sheet(raw, layout)
    parsed.layout_key, parsed.correction = key, correction
    return parsed
