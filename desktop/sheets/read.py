"""``read_workbook``: a file on disk to ParsedSheets, every hostile or broken file refused."""

from __future__ import annotations

import hashlib
from collections import defaultdict, deque
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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
from desktop.sheets.parsed import (
    ParsedFile,
    ParsedRows,
    ParsedSheet,
    RowsPart,
    SheetKind,
    file_stamp,
)
from desktop.sheets.raw import LIMITS, LimitExceeded, Limits, RawSheet
from desktop.sheets.recognize import NotRecognised, recognise
from desktop.sheets.rows import PART_ROWS, SheetRows
from desktop.sheets.sandbox import ChildFailed, IsolatedCall
from desktop.sheets.spreadsheet import read_spreadsheet
from desktop.sheets.xlsxscan import Cell, far_cell, unreadable_cells


class PendingRead:
    """``path`` checked and, a spreadsheet, read and parsed by a child process from construction.

    Started ahead of :func:`read_workbook` or :func:`read_stream` (``pending=``), the child
    reads while the caller does other work (writes the file before). Close it (or leave its
    ``with`` block) to stop a child whose reading is not wanted. What is wrong with the file is
    raised by ``items()``. ``corrections`` are those the file is read with; ``in_process`` reads
    a file the application wrote itself (the sample county) without a child. The child hands
    each sheet's rows on ``part_rows`` spreadsheet rows at a time, the sheets of the kinds in
    ``order`` first (in that order).
    """

    def __init__(
        self,
        path: Path,
        limits: Limits = LIMITS,
        corrections: Corrections = NO_CORRECTIONS,
        *,
        in_process: bool = False,
        part_rows: int = PART_ROWS,
        order: Sequence[SheetKind] = (),
    ) -> None:
        self.path = Path(path)
        self.limits = limits
        self.corrections = corrections
        self._format: FileFormat | None = None
        self._call: IsolatedCall | None = None
        self._failure: Exception | None = None
        self._how = (limits, corrections, part_rows, tuple(order))
        try:
            self._format = check_file(self.path, limits)
            if self._format is not FileFormat.csv and not in_process:
                self._call = IsolatedCall(
                    read_parts, self.path, self._format, *self._how,
                    memory_bytes=limits.memory_bytes, timeout=limits.timeout_seconds,
                )  # fmt: skip
        except (Refused, LimitExceeded, OSError) as exc:
            self._failure = exc

    def reads(self, path: Path, corrections: Corrections) -> bool:
        """True when this reading is of ``path`` with these corrections."""
        return (self.path, self.corrections) == (Path(path), corrections)

    def items(self) -> Iterator[Part]:
        """What :func:`read_parts` yields; raises what the checks or the child found wrong."""
        if self._failure is not None:
            raise self._failure
        assert self._format is not None
        if self._call is None:
            yield from read_parts(self.path, self._format, *self._how)
            return
        try:
            yield from self._call.parts()
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


@dataclass(slots=True)
class SheetsFound:
    """What a reading yields first: every sheet as recognised, without its rows, and ``sizes``,
    how many spreadsheet rows lie below each one's header (0 for a sheet not recognised)."""

    sheets: list[ParsedSheet]
    sizes: list[int]


Part = SheetsFound | RowsPart


def read_parts(
    path: Path,
    fmt: FileFormat,
    limits: Limits,
    corrections: Corrections,
    part_rows: int = PART_ROWS,
    order: Sequence[SheetKind] = (),
) -> Iterator[Part]:
    """The file's sheets as recognised, then the recognised sheets' rows, part by part, those
    of the kinds in ``order`` first (in the child, but for a text file or one read in process).
    """
    found = [_recognised(raw, corrections) for raw in _raw_sheets(path, fmt, limits)]
    yield SheetsFound([s for s, _ in found], [rows.size if rows else 0 for _, rows in found])
    rank: dict[SheetKind | None, int] = {kind: i for i, kind in enumerate(order)}
    recognised = [i for i, (s, _) in enumerate(found) if s.kind is not None]
    for i in sorted(recognised, key=lambda i: rank.get(found[i][0].kind, len(rank))):
        rows = found[i][1]
        assert rows is not None
        yield from rows.parts(part_rows, i)  # which lets its cells go


def _raw_sheets(path: Path, fmt: FileFormat, limits: Limits) -> list[RawSheet]:
    """The file's sheets' cells, the unreadable ones flagged."""
    if fmt is FileFormat.csv:
        return [read_csv(path, limits)]
    raw = read_spreadsheet(path, fmt, limits)
    if fmt is FileFormat.xlsx:  # the cells calamine reads as blank but are not
        unreadable = unreadable_cells(str(path))
        for sheet in raw:
            sheet.flag_cells(_within(unreadable.get(sheet.name, {}), limits))
    return raw


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
    if corrections is None:
        corrections = Corrections(overrides or {}, choices or {}, remembered or {})
    with read_stream(path, corrections=corrections, limits=limits, pending=pending,
                     in_process=in_process) as stream:  # fmt: skip
        parsed = stream.whole()
    if progress is not None:
        progress(len(parsed.sheets), len(parsed.sheets))
    return parsed


def read_stream(
    path: Path,
    *,
    corrections: Corrections = NO_CORRECTIONS,
    progress: Progress | None = None,
    limits: Limits = LIMITS,
    pending: PendingRead | None = None,
    in_process: bool = False,
    part_rows: int = PART_ROWS,
    order: Sequence[SheetKind] = (),
) -> ReadStream:
    """Start reading ``path``: the :class:`ReadStream` of its sheets as recognised, their
    rows to follow part by part (see :class:`PendingRead` for ``part_rows`` and ``order``).

    ``progress(done, total)`` is called once the sheets are recognised (counted in sheets) and
    may raise to cancel; ``pending`` and ``in_process`` as for :func:`read_workbook`. Raises
    ``SheetFileError`` naming the file and the reason for a file that is not read, there or
    from the stream's parts.
    """
    path = Path(path)
    if pending is not None and not pending.reads(path, corrections):
        pending.close()
        pending = None
    if pending is None:
        pending = PendingRead(path, limits, corrections, in_process=in_process,
                              part_rows=part_rows, order=order)  # fmt: skip
    try:
        with _file_errors(path):
            stamp = file_stamp(path)
            items = _named(path, pending.items())
            found = next(items)
            assert isinstance(found, SheetsFound)
            digest = _sha256(path)
        if progress is not None:
            progress(len(found.sheets), len(found.sheets))
    except BaseException:  # the child is stopped, not left reading
        pending.close()
        raise
    parsed = ParsedFile(path=path, sha256=digest, sheets=found.sheets, stamp=stamp)
    return ReadStream(parsed, found.sizes, items, pending)


@contextmanager
def _file_errors(path: Path) -> Iterator[None]:
    """What is wrong with the file, said as a ``SheetFileError`` naming it."""
    try:
        yield
    except (Refused, LimitExceeded, ChildFailed) as exc:
        raise SheetFileError(f"文件「{path.name}」{exc}") from exc
    except OSError as exc:
        raise SheetFileError(f"文件「{path.name}」无法打开：{os_error_text(exc)}") from exc


def _named(path: Path, items: Iterator[Part]) -> Iterator[Part]:
    """``items``, what is wrong with the file said as for :func:`_file_errors`."""
    with _file_errors(path):
        yield from items


class ReadStream:
    """A file being read: ``file`` holds its sheets as recognised, their rows not yet in;
    ``parts(i)`` gives recognised sheet ``i``'s rows part by part. ``total`` is how many
    spreadsheet rows lie below the sheets' headers, which the parts' ``read`` add up to.
    Close it (or leave its ``with`` block) to stop a reading not finished.
    """

    def __init__(
        self,
        file: ParsedFile,
        sizes: Sequence[int],
        items: Iterator[Part] | None = None,
        pending: PendingRead | None = None,
    ) -> None:
        self.file = file
        self.total = sum(sizes)
        self._items = items or iter(())
        self._pending = pending
        self._held: dict[int, deque[RowsPart]] = defaultdict(deque)

    @classmethod
    def of(cls, parsed: ParsedFile, part_rows: int = PART_ROWS) -> ReadStream:
        """A file read whole (as for the preview), its rows handed on ``part_rows`` at a time."""
        return _WholeFile(parsed, part_rows)

    def parts(self, index: int) -> Iterator[RowsPart]:
        """Sheet ``index``'s parts in order, the rows skipped among them counted into its
        ParsedSheet (parts of other sheets that come first are kept for them)."""
        sheet = self.file.sheets[index]
        held = self._held[index]
        while True:
            while not held:
                part = next(self._items)
                assert isinstance(part, RowsPart)
                self._held[part.sheet].append(part)
            part = held.popleft()
            sheet.count_skipped(part)
            yield part
            if part.last:
                return

    def whole(self) -> ParsedFile:
        """The file with every recognised sheet's rows read in."""
        for i, sheet in enumerate(self.file.sheets):
            if sheet.kind is not None:
                rows = ParsedRows()
                for part in self.parts(i):
                    rows.extend(part.rows)
                sheet.rows = rows
        return self.file

    def close(self) -> None:
        """Stop the reading if it is not finished."""
        if self._pending is not None:
            self._pending.close()

    def __enter__(self) -> ReadStream:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class _WholeFile(ReadStream):
    """The stream of a file already read whole."""

    def __init__(self, parsed: ParsedFile, part_rows: int) -> None:
        super().__init__(parsed, [len(s.rows) for s in parsed.sheets if s.kind is not None])
        self._size = part_rows

    def parts(self, index: int) -> Iterator[RowsPart]:
        rows = ParsedRows.of(self.file.sheets[index].rows)
        for start in range(0, max(len(rows), 1), self._size):
            part = rows.part(start, start + self._size)
            yield RowsPart(index, part, len(part), last=start + self._size >= len(rows))


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _is_instructions(raw: RawSheet) -> bool:
    return bool(raw.rows) and raw.rows[0][:1] == [TEMPLATE_TITLE]


def _recognised(raw: RawSheet, corrections: Corrections) -> tuple[ParsedSheet, SheetRows | None]:
    """The sheet as recognised on its own, or as corrected: by the officer, or as remembered
    for the layout it was recognised as, without its rows; and its rows to read, if any."""
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
        unread = ParsedSheet(raw.name, None, None, {}, [], 0, f"工作表「{raw.name}」{why}",
                             layout_key=key, correction=correction)  # fmt: skip
        return unread, None
    rows = SheetRows(raw, layout)
    parsed = rows.parsed()
    parsed.layout_key, parsed.correction = key, correction
    return parsed, rows
