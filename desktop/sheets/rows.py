"""Turning a recognised sheet's data rows into ParsedRows: skipping, converting, wide months.

Columns are converted one at a time with a memo of the distinct text values (a monthly sheet
repeats each credit code and month many times) and kept as columns (``ParsedRows``); this keeps
reading 300,000 rows within a small multiple of python-calamine's own time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from math import isfinite
from operator import itemgetter
from typing import Any

from desktop import values
from desktop.gcpause import gc_paused
from desktop.sheets.fields import EXAMPLE_USCC, EXAMPLE_ZONE, SPECS, Field, ValueType
from desktop.sheets.parsed import (
    SKIPPED_LISTED,
    CellProblem,
    ParsedRow,
    ParsedRows,
    ParsedSheet,
    RowsPart,
    SheetKind,
    SkippedRow,
)
from desktop.sheets.raw import RawSheet
from desktop.sheets.recognize import Column, Layout, MonthColumn

_TOTAL = re.compile(r".{0,8}(合计|小计|总计)|(合计|小计|总计).{0,8}")
_NOTE_PREFIXES = (
    "注", "说明", "备注", "填表", "填报", "制表", "审核", "负责人", "数据来源",
    "联系", "电话", "日期",
)  # fmt: skip
REQUIRED = "必填，不能为空"
# Dates that must run forwards: kind → (earlier, later, why a row is refused).
ORDERED_DATES: dict[SheetKind, tuple[str, str, str]] = {
    SheetKind.leases: ("start_date", "end_date", "到期日期早于起租日期"),
    SheetKind.problems: ("raised_on", "deadline", "办理时限早于反映日期"),
}

Outcome = tuple[Any, str | None]  # (value, problem message or None)
# Spreadsheet rows read together: the reading child hands each part on as it is read, and the
# import checks and stages one while the child reads the next.
PART_ROWS = 5000


@dataclass(frozen=True, slots=True)
class _Slot:
    """One column to read: which field, where, under which header, in which unit."""

    field: Field
    index: int
    header: str
    unit: str
    convert: Callable[[Any], Any]

    def outcome(self, raw: Any) -> Outcome:
        """The cell's value, or None and the reason it cannot be read."""
        if values.blank(self.field.type, raw):
            blank = False if self.field.type is ValueType.flag else None
            return blank, REQUIRED if self.field.required else None
        try:
            return self.convert(raw), None
        except values.ValueProblem as problem:
            return None, str(problem)

    def column(self, sheet: RawSheet, start: int, stop: int) -> tuple[list[Any], dict[int, str]]:
        """Values of this column's cells of rows ``start`` to ``stop``, and problems by offset.

        A column of text converts each distinct value once (a monthly sheet repeats every
        code and month); a column of numeric amounts takes the direct road.
        """
        cells = list(map(itemgetter(self.index), sheet.rows[start:stop]))
        kinds = set(map(type, cells))
        kind = self.field.type
        factor = values.MONEY_UNITS.get(self.unit) if kind.is_money else None
        if kinds == {float} and factor is not None and _plain(cells, factor, kind):
            cent, half_up = values.CENT, ROUND_HALF_UP  # values.yuan, inlined: checked by _plain
            # Equal amounts share one Decimal (immutable): a figure repeated is kept once.
            amounts = {v: (Decimal(repr(v)) * factor).quantize(cent, half_up) for v in set(cells)}
            found: list[Decimal | None] = list(map(amounts.__getitem__, cells))
            problems: dict[int, str] = {}
        else:
            if kinds == {str}:  # numbers would collide as keys (1 == 1.0 == True)
                memo = {text: self.outcome(text) for text in set(cells)}
                outcomes = list(map(memo.__getitem__, cells))
            else:
                outcomes = list(map(self.outcome, cells))
            found = [value for value, _ in outcomes]
            problems = {i: why for i, (_, why) in enumerate(outcomes) if why is not None}
        for (r, c), why in sheet.bad_cells.items():
            if c == self.index and start <= r < stop:
                found[r - start] = None
                problems[r - start] = why
        return found, problems


def _plain(amounts: list[float], factor: Decimal, kind: ValueType) -> bool:
    """Every amount finite, not negative where ``kind`` forbids it and, in yuan, well within
    what ``values.yuan`` accepts."""
    limit = float(values.MAX_YUAN) / 2
    if kind is ValueType.money and min(amounts) < 0:
        return False
    return all(map(isfinite, amounts)) and max(map(abs, amounts)) * float(factor) < limit


def _slot(f: Field, column: Column | MonthColumn, sheet_unit: str | None) -> _Slot:
    unit = column.unit or (sheet_unit if f.type.is_money else None) or f.unit or "元"
    return _Slot(f, column.index, column.header, unit, values.parser(f.type, unit))


BLANK_ROW, TOTAL_ROW, NOTE_ROW, HEADER_AGAIN = "空行", "合计行", "说明行", "重复的表头行"
EXAMPLE_ROW, NO_MONTH = "模板示例行", "没有填写任何月份的产值"


def _skip_reason(
    cells: list[Any], used: frozenset[int], header: list[Any], flagged: bool
) -> str | None:
    """Why the row is not data: a total, a note, blank (in the recognised columns, none
    ``flagged`` unreadable), or the header repeated; None when it is data."""
    texts = [str(v).replace(" ", "").replace("\u3000", "") for v in cells if not values.is_blank(v)]
    if any(_TOTAL.fullmatch(t) for t in texts):
        return TOTAL_ROW
    all_text = bool(texts) and all(isinstance(v, str) for v in cells)
    if all_text and all(t.startswith(_NOTE_PREFIXES) for t in texts):
        return NOTE_ROW
    if not flagged and all(values.is_blank(cells[i]) for i in used):
        return BLANK_ROW
    return HEADER_AGAIN if cells == header else None


def _folded(text: str) -> str:
    """Half-width (（示例） as (示例)) and without spaces, for comparing names."""
    return "".join(values.half_width(text).split())


_EXAMPLE_ZONE = _folded(EXAMPLE_ZONE)


def _examples(names: list[str], columns: list[list[Any]]) -> set[int]:
    """Offsets of the template's example rows: the example's made-up credit code or, on a sheet
    without codes (开发区), its made-up zone name. A （示例） prefix alone would be too broad: the
    bundled sample county's zones are named （示例）…, and real rows may name them."""
    if "uscc" in names:
        codes = columns[names.index("uscc")]
        if EXAMPLE_USCC not in codes:  # one quick scan of a large sheet's codes
            return set()
        return {o for o, c in enumerate(codes) if c == EXAMPLE_USCC}
    if "name" in names:
        found = columns[names.index("name")]
        return {o for o, n in enumerate(found) if n and _folded(n) == _EXAMPLE_ZONE}
    return set()


class _SheetReader:
    """Reads one sheet's data rows by its layout."""

    def __init__(self, sheet: RawSheet, layout: Layout) -> None:
        by_name = {f.name: f for f in SPECS[layout.kind].fields}
        unit = layout.sheet_unit
        self.sheet = sheet
        self.layout = layout
        self.slots = [_slot(by_name[n], col, unit) for n, col in layout.columns.items()]
        output = by_name.get("output")
        self.months = [(m, _slot(output, m, unit)) for m in layout.months] if output else []
        self.used = frozenset({s.index for s in self.slots} | {m.index for m in layout.months})
        self.skipped = 0
        self.skipped_rows: list[SkippedRow] = []

    def row_number(self, index: int) -> int:
        return self.sheet.first_row + index

    def _skip(self, index: int, reason: str) -> None:
        """Row ``index`` is not data: counted, and itemised while the list is short."""
        self.skipped += 1
        if len(self.skipped_rows) < SKIPPED_LISTED:
            self.skipped_rows.append(SkippedRow(self.row_number(index), reason))

    def _problem(self, index: int, slot: _Slot, why: str) -> CellProblem:
        raw = self.sheet.rows[index][slot.index]
        text = "" if (index, slot.index) in self.sheet.bad_cells else values.quoted(raw)
        return CellProblem(self.row_number(index), slot.header, text, why)

    def _columns(
        self, slots: list[_Slot], start: int, stop: int
    ) -> tuple[list[str], list[list[Any]], dict[int, list[tuple[_Slot, str]]]]:
        """Field names, their value columns (a month split into year and month), problems."""
        names: list[str] = []
        columns: list[list[Any]] = []
        problems: dict[int, list[tuple[_Slot, str]]] = {}
        for slot in slots:
            found, whys = slot.column(self.sheet, start, stop)
            if slot.field.type is ValueType.month:
                names += ["year", "month"]
                columns += [[ym and ym[0] for ym in found], [ym and ym[1] for ym in found]]
            else:
                names.append(slot.field.name)
                columns.append(found)
            for offset, why in whys.items():
                problems.setdefault(offset, []).append((slot, why))
        if self.layout.sheet_county is not None:  # every row's county is the sheet's name
            names.append("county")
            columns.append([self.layout.sheet_county] * (stop - start))
        return names, columns, problems

    def _suspects(self, problems: dict[int, list[tuple[_Slot, str]]], count: int) -> set[int]:
        """Offsets of rows that may be blank, total or note rows: all but those with a good code."""
        if "uscc" not in self.layout.columns:
            return set(range(count))
        return {o for o, found in problems.items() if any(s.field.name == "uscc" for s, _ in found)}

    @property
    def size(self) -> int:
        """How many spreadsheet rows lie below the header."""
        return max(len(self.sheet.rows) - self.layout.data_index, 0)

    def parts(self, size: int, position: int) -> Iterator[RowsPart]:
        """The data rows, ``size`` spreadsheet rows at a time, as parts of sheet ``position``
        (one part, without rows, when there are none); the cells are let go after the last."""
        start, end = self.layout.data_index, len(self.sheet.rows)
        for first in range(start, max(end, start + 1), size):
            stop = min(first + size, end)
            skipped, listed = self.skipped, len(self.skipped_rows)
            with gc_paused():
                rows = self.rows(first, stop) if stop > first else ParsedRows()
            new = self.skipped_rows[listed:]
            yield RowsPart(position, rows, max(stop - first, 0), self.skipped - skipped, new,
                           last=stop >= end)  # fmt: skip
        del self.sheet.rows[start:]

    def rows(self, start: int, stop: int) -> ParsedRows:
        """The data rows among rows ``start`` to ``stop``, by column; a wide monthly row gives
        one per filled month."""
        count = stop - start
        names, columns, problems = self._columns(self.slots, start, stop)
        header = self.sheet.rows[self.layout.data_index - 1]
        flagged = {
            r - start for r, c in self.sheet.bad_cells if c in self.used and start <= r < stop
        }
        reasons = dict.fromkeys(_examples(names, columns), EXAMPLE_ROW)
        for offset in self._suspects(problems, count):
            cells = self.sheet.rows[start + offset]
            why = _skip_reason(cells, self.used, header, offset in flagged)
            if why is not None and offset not in reasons:
                reasons[offset] = why
        for offset in sorted(reasons):
            self._skip(start + offset, reasons[offset])
        dropped = reasons.keys()
        kept = [o for o in range(count) if o not in dropped]
        position = {offset: i for i, offset in enumerate(kept)}
        cell_problems: dict[int, Sequence[CellProblem]] = {
            position[offset]: [self._problem(start + offset, s, w) for s, w in found]
            for offset, found in problems.items()
            if offset not in dropped
        }
        if dropped:
            columns = [[column[o] for o in kept] for column in columns]
        first = self.row_number(start)
        parsed = ParsedRows(tuple(names), [first + o for o in kept], columns, cell_problems)
        if self.months:
            indexes = [start + o for o in kept]
            return ParsedRows.from_rows(
                month
                for index, row in zip(indexes, parsed, strict=True)
                for month in self._wide(index, row)
            )
        if self.layout.kind in ORDERED_DATES:
            self._check_dates(parsed, *ORDERED_DATES[self.layout.kind])
        return parsed

    def _check_dates(self, rows: ParsedRows, earlier: str, later: str, why: str) -> None:
        """A lease's (a problem's) dates must run forwards."""
        header = self.layout.columns[later].header if later in rows.fields else ""
        pairs = zip(rows.column(earlier), rows.column(later), strict=True)
        for i, (start, end) in enumerate(pairs):
            if start and end and end < start:
                problem = CellProblem(rows.numbers[i], header, end.isoformat(), why)
                rows.problems[i] = [*rows.problems.get(i, ()), problem]

    def _wide(self, index: int, common: ParsedRow) -> Iterator[ParsedRow]:
        """One row per filled month of a wide monthly row."""
        cells = self.sheet.rows[index]
        filled = 0
        for month, slot in self.months:
            bad = self.sheet.bad_cells.get((index, month.index))
            if values.is_blank(cells[month.index]) and bad is None:
                continue
            filled += 1
            output, why = (None, bad) if bad else slot.outcome(cells[month.index])
            found = {**common.values, "year": month.year, "month": month.month, "output": output}
            problems = common.problems
            if why is not None:
                problems = [*problems, self._problem(index, slot, why)]
            yield ParsedRow(common.row, found, problems)
        if not filled:
            self._skip(index, NO_MONTH)


def _fill_merged_down(sheet: RawSheet, data_index: int) -> None:
    """A cell merged down over several data rows (a county for a block of enterprises)
    belongs to each of them; the file only holds it in the top one."""
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 < data_index or r1 == r0:
            continue
        value = sheet.rows[r0][c0]
        for r in range(r0, min(r1 + 1, len(sheet.rows))):
            for c in range(c0, min(c1 + 1, len(sheet.rows[r]))):
                sheet.rows[r][c] = value


def _cover_flagged(sheet: RawSheet) -> None:
    """Blank rows down to the last unreadable cell: a row holding nothing but formulas without
    a cached value lies beyond the cells calamine reads, and must be reported, not lost."""
    last = max((r for r, _ in sheet.bad_cells), default=-1)
    width = len(sheet.rows[0]) if sheet.rows else 0
    sheet.rows += [[""] * width for _ in range(last + 1 - len(sheet.rows))]


class SheetRows:
    """A recognised sheet, its data rows to be read part by part (``parts``); ``sheet`` is used
    up (blank rows added down to its last unreadable cell, merged cells filled in, data rows
    let go once read)."""

    def __init__(self, sheet: RawSheet, layout: Layout) -> None:
        _cover_flagged(sheet)
        _fill_merged_down(sheet, layout.data_index)
        self.reader = _SheetReader(sheet, layout)
        self.size = self.reader.size
        self.parts = self.reader.parts

    def parsed(self) -> ParsedSheet:
        """The sheet as recognised, without its rows (nor the rows skipped among them)."""
        return _parsed(self.reader.sheet.name, self.reader.layout, self.reader)


def parse_sheet(sheet: RawSheet, layout: Layout) -> ParsedSheet:
    """The ParsedSheet of a recognised sheet, all its rows read; ``sheet`` is used up."""
    rows = SheetRows(sheet, layout)
    parsed, found = rows.parsed(), ParsedRows()
    for part in rows.parts(PART_ROWS, 0):
        parsed.count_skipped(part)
        found.extend(part.rows)
    parsed.rows = found
    return parsed


def _parsed(name: str, layout: Layout, reader: _SheetReader) -> ParsedSheet:
    message = f"未使用的列：{'、'.join(layout.ignored)}" if layout.ignored else None
    columns = {name: col.header for name, col in layout.columns.items()}
    columns |= {f"output:{m.year}-{m.month:02d}": m.header for m in layout.months}
    return ParsedSheet(
        name=name,
        kind=layout.kind,
        header_row=reader.row_number(layout.header_index),
        columns=columns,
        rows=ParsedRows(),
        skipped=0,
        message=message,
        unused=list(layout.ignored),
        county_from_sheet=layout.sheet_county,
    )
