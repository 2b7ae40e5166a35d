"""An import's report and the recorded imports as the lines of the window's tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from desktop.importing.batches import BatchInfo
from desktop.importing.mapping import UNRECOGNISED, kind_title
from desktop.importing.report import ImportReport


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


def batch_line(b: BatchInfo) -> BatchLine:
    """One recorded import as a line."""
    t = b.totals()
    return BatchLine(b.id, b.file_name, b.operator, _when(b.imported_at), t["created"],
                     t["updated"], t["rejected"], _when(b.undone_at))  # fmt: skip
