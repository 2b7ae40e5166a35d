"""Checking each row before it is staged: reject it (and say why), or pass on its values."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from desktop.importing.kinds import Target
from desktop.importing.lookups import Lookups
from desktop.importing.report import RejectedRow, Rejection, SheetReport
from desktop.importing.stage import StagedColumns
from desktop.sheets.parsed import ParsedRow, ParsedRows, ParsedSheet, SheetKind

REQUIRED = "必填，不能为空"
SHOWN_ZONES = 10  # the zones a refusal lists before 等
UNKNOWN_ENTERPRISE = (
    "企业不在名录中（数据库和本次导入的企业名录里都没有这个统一社会信用代码），请先导入该企业"
)


def first_taken(
    seen: dict[str, dict[tuple[Any, ...], int]], key: tuple[Any, ...]
) -> tuple[str, int] | None:
    """The sheet and row that took ``key`` already, if any."""
    for name, keys in seen.items():
        found = keys.get(key)
        if found is not None:
            return name, found
    return None


def _unknown(suspects: set[int], names: list[Any], known: set[Any] | frozenset[Any]) -> None:
    """Add to ``suspects`` the positions of ``names`` not among the ``known``."""
    if not known.issuperset(names):
        suspects.update(i for i, name in enumerate(names) if name not in known)


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
        rows: ParsedRows,
        report: SheetReport,
    ) -> StagedColumns:
        """The row numbers and ``fields`` columns of the rows that pass; rejections to ``report``.

        Each condition is tested a column at a time; only the rows some test picks out are
        looked at one by one, to say why (or find that they pass after all).
        """
        seen = self.seen[target.kind]
        taken = seen.setdefault(sheet.name, {})
        keys = list(zip(*map(rows.column, target.key), strict=True))
        suspects = self._suspects(target, rows)
        fresh = dict(zip(keys, rows.numbers, strict=True))
        if (
            not suspects
            and len(seen) == 1
            and len(fresh) == len(keys)
            and fresh.keys().isdisjoint(taken.keys())  # views: the smaller is walked
        ):  # the common case: every row passes
            taken.update(fresh)
            passed: list[int] | None = None
        else:
            passed = self._one_by_one(target, sheet, rows, keys, suspects, report)
        if target.kind is SheetKind.roster:
            uscc = rows.column("uscc")
            self.lookups.enterprises.update(
                uscc if passed is None else map(uscc.__getitem__, passed)
            )
        columns = list(map(rows.column, fields))
        if passed is None:
            return rows.numbers, columns
        return [rows.numbers[i] for i in passed], [[c[i] for i in passed] for c in columns]

    def _suspects(self, target: Target, rows: ParsedRows) -> set[int]:
        """Positions of the rows that may be refused: unreadable, incomplete, unknown names.

        Each column is first tested whole (``None in``, a subset of the known names), and
        walked row by row only when some row of it fails.
        """
        suspects = set(rows.problems)
        for name in target.required:
            column = rows.column(name)
            if None in column:
                suspects.update(i for i, value in enumerate(column) if value is None)
        if "uscc" in target.references:
            _unknown(suspects, rows.column("uscc"), self.lookups.enterprises)
        if target.kind is SheetKind.leases:
            _unknown(suspects, rows.column("zone"), self.lookups.zones)
        if "county" in rows.fields:
            _unknown(suspects, rows.column("county"), self.lookups.counties)
        return suspects

    def _one_by_one(
        self,
        target: Target,
        sheet: ParsedSheet,
        rows: ParsedRows,
        keys: list[tuple[Any, ...]],
        suspects: set[int],
        report: SheetReport,
    ) -> list[int]:
        """Positions of the rows that pass, each suspect or repeated key looked at in turn."""
        seen = self.seen[target.kind]
        taken = seen[sheet.name]
        passed: list[int] = []
        for i, key in enumerate(keys):
            first = first_taken(seen, key)
            if i in suspects or first is not None:
                row = rows[i]
                reasons = self._reasons(target, sheet, row, first)
                if reasons:
                    report.rejected_rows.append(RejectedRow(row.row, row.values, reasons))
                    continue
            taken[key] = rows.numbers[i]
            passed.append(i)
        return passed

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
        if target.kind is SheetKind.leases and values["zone"] not in self.lookups.zones:
            return Rejection(
                row.row, target.header(sheet, "zone"), values["zone"], self._unknown_zone()
            )
        county = values.get("county")
        if county is not None and county not in self.lookups.counties:
            return Rejection(
                row.row, target.header(sheet, "county"), str(county), "不是忻州市的县级单位"
            )
        return None

    def _unknown_zone(self) -> str:
        """Why a lease's zone is refused, with the zones it may name."""
        known = sorted(self.lookups.zones)
        listed = "、".join(known[:SHOWN_ZONES]) + ("等" if len(known) > SHOWN_ZONES else "")
        allowed = f"可选：{listed}" if known else "开发区名单为空"
        return f"不在开发区名单中（{allowed}），请先导入「开发区」表或在「设置」中添加"

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
