"""Deciding what to do with each row: reject it (and say why), or create, update or leave it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from desktop.importing.kinds import Target
from desktop.importing.lookups import Lookups
from desktop.importing.report import RejectedRow, Rejection, SheetReport
from desktop.importing.write import Change
from desktop.models import CENT, KeyChain, Zone
from desktop.sheets.parsed import ParsedRow, ParsedSheet, SheetKind

REQUIRED = "必填，不能为空"
IN_CLAUSE = 900  # values per IN (…) when looking up existing rows
NAMED_TABLES = {"zone": Zone.__table__, "chain": KeyChain.__table__}


def _first_taken(
    seen: dict[str, dict[tuple[Any, ...], int]], key: tuple[Any, ...]
) -> tuple[str, int] | None:
    """The sheet and row that took ``key`` already, if any."""
    for name, keys in seen.items():
        found = keys.get(key)
        if found is not None:
            return name, found
    return None


class FilePlanner:
    """Plans one file's rows, chunk by chunk, against the database seen through ``conn``.

    Keys already taken in this file are remembered across sheets, so a key given twice is
    rejected at its second row with a message naming the first.
    """

    def __init__(self, conn: Connection, lookups: Lookups) -> None:
        self.conn = conn
        self.lookups = lookups
        # Per kind, per sheet: key → the row that took it (a tuple per row would cost 20 MB).
        self.seen: dict[SheetKind, dict[str, dict[tuple[Any, ...], int]]] = defaultdict(dict)

    def plan(
        self, target: Target, sheet: ParsedSheet, rows: Sequence[ParsedRow], report: SheetReport
    ) -> list[Change]:
        """The writes ``rows`` call for; rejections and counts go to ``report``."""
        seen = self.seen[target.kind]
        taken = seen.setdefault(sheet.name, {})
        accepted: list[tuple[ParsedRow, dict[str, Any]]] = []
        fields, alone = target.key, len(seen) == 1  # alone: the first sheet of its kind
        for row in rows:
            key = tuple(map(row.values.get, fields))
            if alone:
                found = taken.get(key)
                first = None if found is None else (sheet.name, found)
            else:
                first = _first_taken(seen, key)
            reasons = self._reasons(target, sheet, row, first)
            if reasons:
                report.rejected_rows.append(RejectedRow(row.row, row.values, reasons))
            else:
                taken[key] = row.row
                accepted.append((row, self._columns(target, row)))
        existing = self._existing(target, [values for _, values in accepted])
        changes = [self._classify(target, r, v, existing, report) for r, v in accepted]
        return [c for c in changes if c is not None]

    def _reasons(
        self, target: Target, sheet: ParsedSheet, row: ParsedRow, first: tuple[str, int] | None
    ) -> list[Rejection]:
        """Why ``row`` cannot be imported (empty when it can); ``first`` has its key already."""
        if row.problems:
            return [Rejection(p.row, p.column, p.value, p.message) for p in row.problems]
        values = row.values
        if None in map(values.get, target.required):
            missing = [f for f in target.required if values.get(f) is None]
            return [Rejection(row.row, target.header(sheet, f), "", REQUIRED) for f in missing]
        unknown = self._unknown_reference(target, sheet, row)
        if unknown is not None:
            return [unknown]
        if first is not None:
            return [self._duplicate(target, sheet, row, first)]
        return []

    def _unknown_reference(
        self, target: Target, sheet: ParsedSheet, row: ParsedRow
    ) -> Rejection | None:
        values = row.values
        if "uscc" in target.references and values["uscc"] not in self.lookups.enterprises:
            return Rejection(
                row.row,
                target.header(sheet, "uscc"),
                values["uscc"],
                "企业不在名录中（数据库和本次导入的企业名录里都没有这个统一社会信用代码），"
                "请先导入该企业",
            )
        county = values.get("county")
        if county is not None and county not in self.lookups.counties:
            return Rejection(
                row.row, target.header(sheet, "county"), str(county), "不是忻州市的县级单位"
            )
        return None

    @staticmethod
    def _duplicate(
        target: Target, sheet: ParsedSheet, row: ParsedRow, first: tuple[str, int]
    ) -> Rejection:
        where = "" if first[0] == sheet.name else f"工作表「{first[0]}」"
        field = target.key[0]
        return Rejection(
            row.row,
            target.header(sheet, field),
            str(row.values[field]),
            f"与{where}第{first[1]}行重复（{target.key_words}相同），本行未导入",
        )

    def _columns(self, target: Target, row: ParsedRow) -> dict[str, Any]:
        """The row's values as table columns: references resolved to ids, money to cents."""
        references, money, columns = target.references, target.money, target.columns
        out: dict[str, Any] = {}
        for name, value in row.values.items():
            if name in references:
                out[references[name]] = self._reference(name, value, row.row)
            elif name in money:
                out[name] = None if value is None else Decimal(value).quantize(CENT)
            elif name in columns:
                out[name] = value
        return out

    def _reference(self, field: str, value: Any, source_row: int) -> int | None:
        if value is None:
            return None
        if field == "uscc":
            return self.lookups.enterprises[value]
        if field == "county":
            return self.lookups.counties[value]
        return self.lookups.name_id(self.conn, NAMED_TABLES[field], value, source_row)

    def _existing(
        self, target: Target, rows: list[dict[str, Any]]
    ) -> dict[tuple[Any, ...], dict[str, Any]]:
        """The stored rows these rows would update, by their key."""
        table, lead = target.table, target.db_key[0]
        wanted = sorted({r[lead] for r in rows})
        found: dict[tuple[Any, ...], dict[str, Any]] = {}
        for start in range(0, len(wanted), IN_CLAUSE):
            part = wanted[start : start + IN_CLAUSE]
            for stored in self.conn.execute(select(table).where(table.c[lead].in_(part))):
                values = stored._asdict()
                found[tuple(values[k] for k in target.db_key)] = values
        return found

    def _classify(
        self,
        target: Target,
        row: ParsedRow,
        values: dict[str, Any],
        existing: dict[tuple[Any, ...], dict[str, Any]],
        report: SheetReport,
    ) -> Change | None:
        """A new row, an update of the changed columns, or None for a row already as given."""
        row_key = target.key_format.format_map(row.values)
        before = existing.get(tuple(map(values.__getitem__, target.db_key))) if existing else None
        if before is None:
            row_id = self.lookups.new_id(self.conn, target.table)
            self._register(target, values, row_id)
            report.created += 1
            full = {**target.defaults, **values, "id": row_id}
            return Change(row_id, row.row, row_key, full)
        old = {c: before[c] for c, v in values.items() if before[c] != v}
        if not old:
            report.unchanged += 1
            return None
        report.updated += 1
        return Change(before["id"], row.row, row_key, {**before, **values}, old)

    def _register(self, target: Target, values: dict[str, Any], row_id: int) -> None:
        """Make a new zone or enterprise known to the sheets that follow."""
        if target.kind is SheetKind.zones:
            self.lookups.zones[values["name"]] = row_id
        elif target.kind is SheetKind.roster:
            self.lookups.enterprises[values["uscc"]] = row_id
