"""An import's report and the recorded imports as the lines of the window's tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from desktop.importing.batches import BatchInfo
from desktop.importing.mapping import UNRECOGNISED, kind_title
from desktop.importing.rejects import template_value, yuan_header
from desktop.importing.report import ImportReport, SheetReport
from desktop.sheets.fields import SPECS, ValueType
from desktop.sheets.parsed import ParsedRows, ParsedSheet

PREVIEW_ROWS = 200  # the first rows of a sheet the preview shows


@dataclass
class SheetLine:
    """What one sheet did (or would do, in a preview), and what was not read of it."""

    file: str
    sheet: str
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejected: int = 0
    outcome: str = ""
    unused: str = ""


@dataclass
class RejectLine:
    """One reason a row was rejected."""

    file: str
    sheet: str
    row: int | None
    column: str
    value: str
    message: str


@dataclass
class SkipLine:
    """One row not read as data, and why."""

    file: str
    sheet: str
    row: int
    reason: str


@dataclass
class RowsPreview:
    """The first rows of a sheet as read: headers (行, the fields in template order with money
    in 元, 问题), each row's values; ``total`` how many data rows the sheet has."""

    headers: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    total: int = 0


@dataclass
class BatchLine:
    """One recorded import."""

    batch: int
    file: str
    operator: str
    imported_at: str
    created: int
    updated: int
    rejected: int
    undone: str


def _when(at: datetime | None) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at else ""


def report_lines(report: ImportReport) -> tuple[list[SheetLine], list[RejectLine]]:
    """The per-sheet counts (sheets not recognised too) and every rejection of a report."""
    sheets: list[SheetLine] = []
    rejects: list[RejectLine] = []
    for f in report.files:
        name = f.path.name
        if f.error:
            sheets.append(SheetLine(name, "", "", outcome=f.error))
            continue
        outcome = "已写入" if f.committed else ("预览，未写入" if report.dry_run else "未写入")
        for s in f.sheets:
            counts = (s.created, s.updated, s.unchanged, s.skipped, len(s.rejected_rows))
            said = f"；所属县取自工作表名：{s.county_from_sheet}" if s.county_from_sheet else ""
            unused = "、".join(s.unused_columns)
            sheets.append(SheetLine(name, s.sheet, kind_title(s.kind), *counts,
                                    outcome=outcome + said, unused=unused))  # fmt: skip
            rejects += [
                RejectLine(name, s.sheet, r.row, r.column, r.value, r.message) for r in s.rejected
            ]
        sheets += [SheetLine(name, u.sheet, UNRECOGNISED, outcome=u.reason) for u in f.unrecognised]
        rejects += [RejectLine(name, "", None, "", "", note) for note in f.notes]
    return sheets, rejects


def skipped_lines(report: ImportReport) -> list[SkipLine]:
    """Every itemised skipped row of a report, sheet by sheet, and the count beyond them."""
    lines: list[SkipLine] = []
    for f in report.files:
        for s in f.sheets:
            lines += [SkipLine(f.path.name, s.sheet, r.row, r.reason) for r in s.skipped_rows]
            if s.skipped > len(s.skipped_rows):
                more = f"另有 {s.skipped - len(s.skipped_rows)} 行跳过，未逐行列出"
                lines.append(SkipLine(f.path.name, s.sheet, 0, more))
    return lines


def skipped_text(report: SheetReport, shown: int = 10) -> str:
    """The skipped rows of a sheet in one line, by reason: 「空行 第 3、4 行；合计行 第 5 行」
    (at most ``shown`` row numbers a reason; "" when none was skipped)."""
    by_reason: dict[str, list[int]] = {}
    for skipped in report.skipped_rows:
        by_reason.setdefault(skipped.reason, []).append(skipped.row)
    parts = []
    for reason, rows in by_reason.items():
        listed = "、".join(map(str, rows[:shown])) + ("…" if len(rows) > shown else "")
        parts.append(f"{reason} 第 {listed} 行")
    return "；".join(parts)


def rows_preview(sheet: ParsedSheet, limit: int = PREVIEW_ROWS) -> RowsPreview:
    """The first ``limit`` data rows of a recognised ``sheet``, values as read (flags 是/否,
    months 2023-01, money in 元), with each row's problems."""
    if sheet.kind is None:
        return RowsPreview()
    rows_read = sheet.rows
    if isinstance(rows_read, ParsedRows):
        present = set(rows_read.fields)
    else:  # a hand-made sheet's list of rows
        present = {name for row in rows_read[:1] for name in row.values}
    fields = [
        f
        for f in SPECS[sheet.kind].fields
        if f.name in present or (f.type is ValueType.month and "year" in present)
    ]
    headers = ["行", *(yuan_header(f) for f in fields), "问题"]
    field_of = {header: name for name, header in sheet.columns.items()}
    rows = []
    for i in range(min(limit, len(sheet.rows))):
        row = sheet.rows[i]
        unread = {field_of.get(p.column): p.value for p in row.problems}  # kept as written
        cells = (unread[f.name] if f.name in unread else template_value(f, row.values)
                 for f in fields)  # fmt: skip
        problems = "；".join(f"{p.column}：{p.message}" for p in row.problems)
        rows.append((row.row, *cells, problems))
    return RowsPreview(headers, rows, len(sheet.rows))


def batch_line(b: BatchInfo) -> BatchLine:
    """One recorded import as a line."""
    t = b.totals()
    return BatchLine(b.id, b.file_name, b.operator, _when(b.imported_at), t["created"],
                     t["updated"], t["rejected"], _when(b.undone_at))  # fmt: skip
