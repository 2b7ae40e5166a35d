"""What reading a workbook yields: typed rows per sheet, before anything touches the database."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from desktop.sheets.choice import NO_CORRECTION, Correction


class SheetKind(StrEnum):
    """The kinds of sheet TEMPLATE.md describes, recognised by their header row."""

    roster = "roster"
    monthly = "monthly"
    annual = "annual"
    leases = "leases"
    zones = "zones"
    payments = "payments"
    assignments = "assignments"  # the task force's sheets (TASKFORCE.md)
    visits = "visits"
    problems = "problems"
    monitoring = "monitoring"


@dataclass(frozen=True, slots=True)
class CellProblem:
    """One cell that could not be read: its row, column header, raw value and a Chinese message."""

    row: int
    column: str
    value: str
    message: str


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row not read as data, and why (空行, 合计行, 说明行, 重复的表头行, 模板示例行 …)."""

    row: int
    reason: str


SKIPPED_LISTED = 1000  # the skipped rows itemised per sheet; ``skipped`` counts them all


@dataclass(slots=True)
class ParsedRow:
    """One data row (the spreadsheet's own 1-based row number) as field → normalised value.

    Every row of a sheet has the same fields. A field whose column is absent is absent from
    ``values``; a present but empty cell is None (flags False, except ``chain_role_confirmed``).
    A wide monthly row yields one ParsedRow per month. ``problems`` is an empty tuple, not a
    list per row, for the rows without any (300,000 empty lists would cost 17 MB); give a new
    sequence to add one.
    """

    row: int
    values: dict[str, Any]
    problems: Sequence[CellProblem] = ()


@dataclass(slots=True, eq=False)
class ParsedRows(Sequence[ParsedRow]):
    """A sheet's data rows held by column, seen as a sequence of :class:`ParsedRow`.

    ``numbers`` are the spreadsheet's row numbers, ``columns`` one list of values per field
    (as long as ``numbers``), ``problems`` the cells that could not be read, by position.
    300,000 rows take a fifth of the memory and time that as many dicts would, and the import
    checks and stages them a column at a time.
    """

    fields: tuple[str, ...] = ()
    numbers: list[int] = field(default_factory=list)
    columns: list[list[Any]] = field(default_factory=list)
    problems: dict[int, Sequence[CellProblem]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[ParsedRow]) -> ParsedRows:
        """The rows given one by one (a field a row lacks is None in it)."""
        rows = list(rows)
        fields = tuple(dict.fromkeys(f for row in rows for f in row.values))
        return cls(
            fields,
            [row.row for row in rows],
            [[row.values.get(f) for row in rows] for f in fields],
            {i: row.problems for i, row in enumerate(rows) if row.problems},
        )

    @classmethod
    def of(cls, rows: Sequence[ParsedRow]) -> ParsedRows:
        """A sheet's rows by column: as the reader gives them, or a hand-made list converted."""
        return rows if isinstance(rows, ParsedRows) else cls.from_rows(rows)

    def column(self, name: str) -> list[Any]:
        """The values of field ``name``; all None when the sheet lacks it."""
        if name in self.fields:
            return self.columns[self.fields.index(name)]
        return [None] * len(self.numbers)

    def part(self, start: int, stop: int) -> ParsedRows:
        """Rows ``start`` to ``stop`` (positions), as rows of their own."""
        problems = {i - start: p for i, p in self.problems.items() if start <= i < stop}
        columns = [c[start:stop] for c in self.columns]
        return ParsedRows(self.fields, self.numbers[start:stop], columns, problems)

    def extend(self, more: ParsedRows) -> None:
        """Add the rows of ``more`` (of the same sheet, so with the same fields) after these."""
        if not len(more):
            return
        if not self.fields:
            self.fields, self.columns = more.fields, [[] for _ in more.fields]
        offset = len(self.numbers)
        self.numbers += more.numbers
        for column, added in zip(self.columns, more.columns, strict=True):
            column += added
        self.problems.update((offset + i, p) for i, p in more.problems.items())

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, index: int) -> ParsedRow:  # type: ignore[override]
        values = dict(zip(self.fields, [c[index] for c in self.columns], strict=True))
        return ParsedRow(self.numbers[index], values, self.problems.get(index % len(self), ()))

    def __iter__(self) -> Iterator[ParsedRow]:
        return map(self.__getitem__, range(len(self)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


@dataclass(slots=True)
class RowsPart:
    """Part of a sheet's data rows as the reader hands them on: of the ``read`` spreadsheet
    rows they come from, ``skipped`` were not data (the first of these, up to the sheet's
    ``SKIPPED_LISTED``, itemised in ``skipped_rows``). ``sheet`` is the sheet's position in its
    file; ``last`` marks its last part."""

    sheet: int
    rows: ParsedRows
    read: int
    skipped: int = 0
    skipped_rows: list[SkippedRow] = field(default_factory=list)
    last: bool = True


@dataclass(slots=True)
class ParsedSheet:
    """One sheet: its recognised kind (None when nothing matched, with ``message`` saying why).

    ``header_row`` is the spreadsheet's row number of the (first) header row; ``columns`` maps
    field → header text as found, each month column of the wide monthly layout appearing as
    ``output:2023-01``. For a recognised sheet ``message``, if any, names columns not used.
    ``skipped`` counts blank, total (合计/小计/总计), note and repeated header rows;
    ``skipped_rows`` itemises the first ``SKIPPED_LISTED`` of them with the reason.
    ``unused`` lists the headers of the columns not read (序号 aside); ``county_from_sheet`` is
    the county of a roster without a county column, taken from the sheet's name.
    ``layout_key`` is the key of the layout recognised without corrections ("" when there was
    none), ``correction`` the correction it was read with.
    """

    name: str
    kind: SheetKind | None
    header_row: int | None
    columns: dict[str, str]
    rows: Sequence[ParsedRow]  # ParsedRows from the reader; a list will do for a hand-made sheet
    skipped: int
    message: str | None = None
    unused: list[str] = field(default_factory=list)
    county_from_sheet: str | None = None
    layout_key: str = ""
    correction: Correction = NO_CORRECTION
    skipped_rows: list[SkippedRow] = field(default_factory=list)

    def count_skipped(self, part: RowsPart) -> None:
        """Count in the rows skipped among those of ``part``, one of this sheet's."""
        self.skipped += part.skipped
        self.skipped_rows += part.skipped_rows

    @property
    def reason(self) -> str:
        """Why a sheet was not recognised, without its name (``message`` begins with it)."""
        return (self.message or "未识别").removeprefix(f"工作表「{self.name}」")


def file_stamp(path: Path) -> tuple[int, int]:
    """The file's size and modification time, which change when it is saved again."""
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


@dataclass(slots=True)
class ParsedFile:
    """A whole file: its path, the SHA-256 of its bytes, its sheets in workbook order, and its
    ``stamp`` (size and modification time) when read."""

    path: Path
    sha256: str
    sheets: list[ParsedSheet]
    stamp: tuple[int, int] | None = None

    def is_current(self) -> bool:
        """True when the file on disk is still the one read."""
        try:
            return self.stamp is not None and file_stamp(self.path) == self.stamp
        except OSError:
            return False
