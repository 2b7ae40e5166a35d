"""Turning a recognised sheet's data rows into ParsedRows: skipping, converting, wide months."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from desktop.sheets import values
from desktop.sheets.fields import SPECS, Field, ValueType
from desktop.sheets.parsed import CellProblem, ParsedRow, ParsedSheet
from desktop.sheets.raw import RawSheet
from desktop.sheets.recognize import Column, Layout, MonthColumn

Converter = Callable[[Any], Any]
_TOTAL = re.compile(r".{0,8}(合计|小计|总计)|(合计|小计|总计).{0,8}")
_NOTE_PREFIXES = (
    "注", "说明", "备注", "填表", "填报", "制表", "审核", "负责人", "数据来源", "单位负责人",
)  # fmt: skip
_CONVERTERS: dict[ValueType, Callable[[Any, str], Any]] = {
    ValueType.text: lambda v, _u: values.text(v),
    ValueType.long_digits: lambda v, _u: values.long_digits(v),
    ValueType.uscc: lambda v, _u: values.uscc(v),
    ValueType.county: lambda v, _u: values.county(v),
    ValueType.industry: lambda v, _u: values.industry(v),
    ValueType.flag: lambda v, _u: values.flag(v),
    ValueType.tristate: lambda v, _u: values.flag(v),
    ValueType.money: values.money,
    ValueType.decimal: lambda v, _u: values.decimal(v),
    ValueType.integer: lambda v, _u: values.integer(v),
    ValueType.year: lambda v, _u: values.year(v),
    ValueType.month: lambda v, _u: values.month(v),
    ValueType.date: lambda v, _u: values.day(v),
}
BLANK_VALUE = {ValueType.flag: False}


@dataclass(frozen=True, slots=True)
class _Slot:
    """One column to read: where, under which header, and how."""

    field: Field
    index: int
    header: str
    unit: str


def _slot(f: Field, column: Column | MonthColumn, sheet_unit: str | None) -> _Slot:
    unit = column.unit or (sheet_unit if f.type is ValueType.money else None) or f.unit or "元"
    return _Slot(f, column.index, column.header, unit)


def _cell(cells: list[Any], index: int) -> Any:
    return cells[index] if index < len(cells) else ""


def _skippable(cells: list[Any], used: frozenset[int], header: list[Any]) -> bool:
    """Blank (in the recognised columns), total, note, or a repeated header row."""
    if all(values.is_blank(_cell(cells, i)) for i in used):
        return True
    texts = [str(v).replace(" ", "").replace("\u3000", "") for v in cells if not values.is_blank(v)]
    if any(_TOTAL.fullmatch(t) for t in texts):
        return True
    if all(isinstance(v, str) for v in cells) and all(t.startswith(_NOTE_PREFIXES) for t in texts):
        return True
    return cells[: len(header)] == header


class _RowReader:
    """Reads one sheet's data rows by its layout."""

    def __init__(self, sheet: RawSheet, layout: Layout) -> None:
        spec = SPECS[layout.kind]
        by_name = {f.name: f for f in spec.fields}
        self.sheet = sheet
        self.layout = layout
        self.slots = [
            _slot(by_name[n], col, layout.sheet_unit) for n, col in layout.columns.items()
        ]
        output = by_name.get("output")
        self.months = (
            [(m, _slot(output, m, layout.sheet_unit)) for m in layout.months] if output else []
        )
        self.used = frozenset({s.index for s in self.slots} | {m.index for m in layout.months})
        self.header = sheet.rows[layout.data_index - 1]

    def row_number(self, index: int) -> int:
        return self.sheet.first_row + index

    def read(self, index: int, cells: list[Any], slots: list[_Slot]) -> ParsedRow:
        """Convert ``slots`` of one row; each failure becomes a CellProblem."""
        row = ParsedRow(self.row_number(index), {})
        width = len(cells)
        for slot in slots:
            raw = cells[slot.index] if slot.index < width else ""
            bad = self.sheet.bad_cells.get((index, slot.index))
            if bad:
                row.values[slot.field.name] = None
                row.problems.append(CellProblem(row.row, slot.header, "", bad))
            elif values.is_blank(raw):
                self._blank(row, slot)
            else:
                self._convert(row, slot, raw)
        return row

    @staticmethod
    def _blank(row: ParsedRow, slot: _Slot) -> None:
        row.values[slot.field.name] = BLANK_VALUE.get(slot.field.type)
        if slot.field.required:
            row.problems.append(CellProblem(row.row, slot.header, "", "必填，不能为空"))

    @staticmethod
    def _convert(row: ParsedRow, slot: _Slot, raw: Any) -> None:
        try:
            value = _CONVERTERS[slot.field.type](raw, slot.unit)
        except values.ValueProblem as problem:
            row.values[slot.field.name] = None
            row.problems.append(CellProblem(row.row, slot.header, values.text(raw), str(problem)))
            return
        row.values[slot.field.name] = value

    def rows(self) -> Iterator[ParsedRow | None]:
        """One item per data row (None for a skipped one); wide rows yield one per month."""
        sheet_rows = self.sheet.rows
        for index in range(self.layout.data_index, len(sheet_rows)):
            cells = sheet_rows[index]
            if _skippable(cells, self.used, self.header):
                yield None
            elif self.months:
                yield from self._wide(index, cells)
            else:
                yield self._finish(self.read(index, cells, self.slots))

    def _finish(self, row: ParsedRow) -> ParsedRow:
        """Split a (year, month) into its fields, and check a lease's dates run forwards."""
        found = row.values
        if "month" in found:
            year_month = found.pop("month")
            found["year"], found["month"] = year_month if year_month else (None, None)
        start, end = found.get("start_date"), found.get("end_date")
        if start and end and end < start:
            header = self.layout.columns["end_date"].header
            row.problems.append(
                CellProblem(row.row, header, end.isoformat(), "到期日期早于起租日期")
            )
        return row

    def _wide(self, index: int, cells: list[Any]) -> Iterator[ParsedRow | None]:
        base = self.read(index, cells, self.slots)
        filled = [(m, s) for m, s in self.months if not values.is_blank(_cell(cells, m.index))]
        if not filled:
            yield None
        for month, slot in filled:
            row = self.read(index, cells, [slot])
            row.values = {**base.values, "year": month.year, "month": month.month, **row.values}
            row.problems = base.problems + row.problems
            yield row


def parse_sheet(sheet: RawSheet, layout: Layout) -> ParsedSheet:
    """The ParsedSheet of a recognised sheet."""
    reader = _RowReader(sheet, layout)
    parsed: list[ParsedRow] = []
    skipped = 0
    for row in reader.rows():
        if row is None:
            skipped += 1
        else:
            parsed.append(row)
    message = f"未使用的列：{'、'.join(layout.ignored)}" if layout.ignored else None
    columns = {name: col.header for name, col in layout.columns.items()}
    columns |= {f"output:{m.year}-{m.month:02d}": m.header for m in layout.months}
    return ParsedSheet(
        name=sheet.name,
        kind=layout.kind,
        header_row=reader.row_number(layout.header_index),
        columns=columns,
        rows=parsed,
        skipped=skipped,
        message=message,
    )
