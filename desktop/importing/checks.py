"""Checking each row before it is staged: reject it (and say why), or pass on its values."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from desktop.importing.kinds import Target
from desktop.importing.lookups import Lookups
from desktop.importing.report import RejectedRow, Rejection, SheetReport
from desktop.importing.stage import StagedRow
from desktop.sheets.parsed import ParsedRow, ParsedSheet, SheetKind

REQUIRED = "必填，不能为空"
UNKNOWN_ENTERPRISE = (
    "企业不在名录中（数据库和本次导入的企业名录里都没有这个统一社会信用代码），请先导入该企业"
)


def _first_taken(
    seen: dict[str, dict[tuple[Any, ...], int]], key: tuple[Any, ...]
) -> tuple[str, int] | None:
    """The sheet and row that took ``key`` already, if any."""
    for name, keys in seen.items():
        found = keys.get(key)
        if found is not None:
            return name, found
    return None


class RowChecker:
    """Checks one file's rows, chunk by chunk, against ``lookups``.

    Keys already taken in this file are remembered across sheets, so a key given twice is
    rejected at its second row with a message naming the first. A roster row that passes makes
    its enterprise known to the figures and leases that follow.
    """

    def __init__(self, lookups: Lookups) -> None:
        self.lookups = lookups
        # Per kind, per sheet: key → the row that took it (a tuple per row would cost 20 MB).
        self.seen: dict[SheetKind | None, dict[str, dict[tuple[Any, ...], int]]] = defaultdict(dict)

    def accept(
        self,
        target: Target,
        sheet: ParsedSheet,
        fields: tuple[str, ...],
        rows: Sequence[ParsedRow],
        report: SheetReport,
    ) -> list[StagedRow]:
        """The rows that pass, as (row number, *fields); rejections go to ``report``."""
        seen = self.seen[target.kind]
        taken = seen.setdefault(sheet.name, {})
        accepted: list[StagedRow] = []
        key_fields, required = target.key, target.required
        alone = len(seen) == 1  # the first sheet of its kind: only its own keys to look at
        known = self.lookups.enterprises
        owner = "uscc" in target.references  # figures and leases need a known enterprise
        roster = target.kind is SheetKind.roster
        counties = self.lookups.counties if "county" in fields else None
        for row in rows:
            values = row.values
            key = tuple(map(values.get, key_fields))
            taken_at = taken.get(key) if alone else None
            if (
                row.problems
                or taken_at is not None
                or (not alone and _first_taken(seen, key) is not None)
                or None in map(values.get, required)
                or (owner and values["uscc"] not in known)
                or (counties is not None and values["county"] not in counties)
            ):  # a row that may be refused is looked at closely: such rows are few
                reasons = self._reasons(target, sheet, row, _first_taken(seen, key))
                if reasons:
                    report.rejected_rows.append(RejectedRow(row.row, values, reasons))
                    continue
            taken[key] = row.row
            accepted.append((row.row, *map(values.get, fields)))
            if roster:
                known.add(values["uscc"])
        return accepted

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
                row.row, target.header(sheet, "uscc"), values["uscc"], UNKNOWN_ENTERPRISE
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
