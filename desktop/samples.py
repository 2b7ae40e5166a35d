"""The bundled sample county (示例数据): fictional enterprises that exercise every measure.

The sample is written as an import workbook (template headers, money in 元) from the bundled
data and imported like any file — one writer path for an enterprise — as one batch logged with
source ``sample``, its enterprises marked ``is_sample``; undoing that batch takes it away.
No backup is taken first: the sample is offered to an empty roster.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select

from desktop.importing import FileReport, import_files
from desktop.importing.rejects import yuan_header
from desktop.models import Enterprise, ProvincialAward
from desktop.progress import Progress
from desktop.sheets import read_workbook
from desktop.sheets.fields import SPECS
from desktop.sheets.parsed import ParsedFile, ParsedRows, SheetKind
from desktop.store import Database, StoreError

SAMPLE_FILE = "sample_county.json"
WORKBOOK_NAME = "示例数据.xlsx"
SOURCE = "sample"  # the change log's source, shown as 示例数据


def sample_data() -> dict[str, Any]:
    """The sample county as shipped in ``resources/samples``."""
    text = (resources.files("desktop.resources") / "samples" / SAMPLE_FILE).read_text("utf-8")
    return json.loads(text)


def _cell(value: Any) -> Any:
    """A value as the workbook holds it: 是/否 for flags, exact amounts."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _month(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "month": f"{row['year']}-{row['month']:02d}"}


def _rows(data: dict[str, Any]) -> Iterator[tuple[SheetKind, dict[str, Any]]]:
    """Each row of the sample, by the sheet kind it goes in."""
    for zone in data["zones"]:
        yield SheetKind.zones, zone
    for ent in data["enterprises"]:
        yield SheetKind.roster, ent
        code = {"uscc": ent["uscc"]}
        for kind, key in ((SheetKind.monthly, "monthly"), (SheetKind.annual, "annual"),
                          (SheetKind.leases, "leases")):  # fmt: skip
            for row in ent.get(key, []):
                yield kind, code | (_month(row) if kind is SheetKind.monthly else row)


def write_sample_workbook(out: Path, data: dict[str, Any] | None = None) -> Path:
    """The sample county as an import workbook: one sheet per kind it has, template headers."""
    data = sample_data() if data is None else data
    workbook = Workbook(write_only=True)
    sheets = {}
    present = {kind for kind, _ in _rows(data)}  # the kinds the sample has rows of
    for spec in (s for s in SPECS.values() if s.kind in present):
        sheets[spec.kind] = workbook.create_sheet(spec.title)
        sheets[spec.kind].append([yuan_header(f) for f in spec.fields])
    for kind, row in _rows(data):
        sheets[kind].append([_cell(row.get(f.name)) for f in SPECS[kind].fields])
    workbook.save(out)
    return out


def _mark_samples(parsed: ParsedFile) -> None:
    """Every enterprise the roster sheet adds is a sample (``is_sample``)."""
    for sheet in parsed.sheets:
        if sheet.kind is SheetKind.roster and isinstance(sheet.rows, ParsedRows):
            sheet.rows.fields += ("is_sample",)
            sheet.rows.columns.append([True] * len(sheet.rows))


def _checked(report: FileReport) -> int:
    """The batch of a sample imported whole; a StoreError if any of it was not."""
    if report.error or report.rejected_count or report.unrecognised or report.batch_id is None:
        why = report.error or "；".join(f"第{r.row}行{r.message}" for s in report.sheets
                                        for r in s.rejected)  # fmt: skip
        raise StoreError(f"示例数据未能导入：{why or '有工作表未识别'}")
    return report.batch_id


def load_sample(db: Database, progress: Progress | None = None) -> int:
    """Import the sample county as one batch (``progress`` as the import's); returns how many
    enterprises it added."""
    data = sample_data()
    codes = [e["uscc"] for e in data["enterprises"]]
    with db.reader() as s:
        if s.scalar(select(Enterprise.id).where(Enterprise.uscc.in_(codes)).limit(1)):
            raise StoreError("示例数据已经载入过，未重复载入")
    with TemporaryDirectory() as folder:
        path = write_sample_workbook(Path(folder) / WORKBOOK_NAME, data)
        parsed = read_workbook(path, in_process=True)  # written just now, by this application
        _mark_samples(parsed)
        (report,) = import_files(
            db, [path], read=[parsed], source=SOURCE, backup=False, progress=progress
        ).files
    batch_id = _checked(report)
    _add_awards(db, data, batch_id)
    return len(codes)


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _add_awards(db: Database, data: dict[str, Any], batch_id: int) -> None:
    """The provincial awards (no sheet kind holds them), logged with the sample's batch."""
    awards = {e["uscc"]: e["provincial_award"] for e in data["enterprises"]
              if e.get("provincial_award")}  # fmt: skip
    with db.session(source=SOURCE, batch_id=batch_id) as session:
        for ent in session.scalars(select(Enterprise).where(Enterprise.uscc.in_(awards))):
            award = awards[ent.uscc]
            session.add(
                ProvincialAward(
                    enterprise=ent,
                    amount=Decimal(award["amount"]),
                    granted_on=_day(award.get("granted_on")),
                    document=award.get("document"),
                )
            )
