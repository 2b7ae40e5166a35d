"""The bundled sample county (示例数据): fictional enterprises that exercise every measure.

The sample is written as an import workbook (template headers, money in 元) from the bundled
data and imported like any file — one writer path for an enterprise — as one batch logged with
source ``sample``, its enterprises marked ``is_sample``; undoing that batch takes it away.
No backup is taken first: the sample is offered to an empty roster.

:func:`remove_sample` takes it away in one step whatever was done since (edits, visits, problems
of sample enterprises): every sample enterprise with every row pointing at it, and the sample's
zones and chains that the officer's own data does not use, each row logged as a delete. A sample
enterprise with a subsidy case stays (a case is never deleted, CASES.md), and is said to.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.changes import Changes
from desktop.importing import FileReport, import_files
from desktop.importing.rejects import yuan_header
from desktop.models import (
    Base,
    Case,
    ChangeRecord,
    County,
    Enterprise,
    ImportBatch,
    KeyChain,
    ProvincialAward,
    Zone,
    utcnow,
)
from desktop.progress import Progress
from desktop.sheets import read_workbook
from desktop.sheets.fields import SPECS
from desktop.sheets.parsed import ParsedFile, ParsedRows, SheetKind
from desktop.store import Database, StoreError
from desktop.store.changelog import LINES

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


def sample_codes(session: Session, county: str | None = None) -> frozenset[str]:
    """The credit codes of the sample enterprises in the roster (``is_sample``), of ``county``
    when given."""
    query = select(Enterprise.uscc).where(Enterprise.is_sample)
    if county is not None:
        query = query.join(Enterprise.county).where(County.name == county)
    return frozenset(session.scalars(query))


def sample_warning(count: int, *, marked: bool) -> str | None:
    """The officer's line for paperwork listing ``count`` sample enterprises (``marked``: the
    file itself says which); None for none. Said, not refused: the sample is there to try
    the paperwork on."""
    if not count:
        return None
    where = "文件中已标明，" if marked else ""
    return f"其中 {count} 家是示例数据（虚构企业），{where}不得上报；可在「设置」中删除示例数据"


@dataclass(frozen=True)
class SampleRemoval:
    """What :func:`remove_sample` deleted, and what of the sample it had to keep."""

    enterprises: int
    rows: int  # every row deleted: enterprises, their figures, cases …, zones, chains
    kept: tuple[str, ...]  # what stayed, each saying why: enterprises with cases, zones in use
    changes: Changes

    def __str__(self) -> str:
        kept = f"；保留：{'、'.join(self.kept)}" if self.kept else ""
        return f"已删除示例数据：{self.enterprises} 家企业及其数据，共 {self.rows} 行{kept}"


def remove_sample(db: Database) -> SampleRemoval:
    """Delete the sample county in one transaction, logged with source ``sample``; its import
    batch is marked undone. StoreError when there is no sample to remove."""
    data = sample_data()
    with db.reader() as s:
        batch_id = _sample_batch(s)
    with db.session(source=SOURCE, batch_id=batch_id) as session:  # logged with the sample's batch
        with_cases = Enterprise.id.in_(select(Case.enterprise_id))  # a case is never deleted
        ids = list(session.scalars(select(Enterprise.id).where(Enterprise.is_sample, ~with_cases)))
        kept = [f"{name}（已有兑现事项，兑现事项不删除）" for name in session.scalars(
            select(Enterprise.name).where(Enterprise.is_sample, with_cases))]  # fmt: skip
        deleted: Counter[str] = Counter()
        _delete_with_users(session, Enterprise, ids, deleted)
        whole = not kept  # every sample enterprise went
        for model, ref_id, name in _sample_references(session, data):
            if _used(session, model, ref_id):
                kept.append(f"{name}（仍有数据使用）")
            else:
                _delete_with_users(session, model, [ref_id], deleted)
        if not deleted:
            why = f"（保留：{'、'.join(kept)}）" if kept else ""
            raise StoreError(f"没有示例数据可删除{why}")
        batch = session.get(ImportBatch, batch_id) if batch_id is not None else None
        if batch is not None and whole:
            batch.undone_at, batch.undone_by = utcnow(), db.operator
    changes = Changes.of_tables(deleted) | Changes.BATCHES
    return SampleRemoval(len(ids), deleted.total(), tuple(kept), changes)


def _sample_batch(session: Session) -> int | None:
    """The id of the import batch that loaded the sample, unless it was undone."""
    loaded = select(LINES.c.batch_id).where(LINES.c.source == SOURCE)
    return session.scalar(
        select(ImportBatch.id)
        .where(ImportBatch.id.in_(loaded), ImportBatch.undone_at.is_(None))
        .order_by(ImportBatch.id.desc())
        .limit(1)
    )


def _sample_references(session: Session, data: dict[str, Any]) -> list[tuple[type[Base], int, str]]:
    """The sample's zones and chains still in the database: (table, id, name)."""
    wanted: tuple[tuple[type[Zone | KeyChain], list[str]], ...] = (
        (Zone, [z["name"] for z in data["zones"]]),
        (KeyChain, list(data["chains"])),
    )
    found: list[tuple[type[Base], int, str]] = []
    for model, names in wanted:
        rows = session.execute(select(model.id, model.name).where(model.name.in_(names)))
        found += [(model, row_id, name) for row_id, name in rows]
    return found


def _users(model: type[Base]) -> list[tuple[type[Base], Any]]:
    """Each table (as its class) with a column pointing at ``model``'s rows, and that column."""
    target = model.__table__
    return [
        (mapper.class_, fk.parent)
        for mapper in Base.registry.mappers
        for fk in mapper.local_table.foreign_keys
        if fk.column.table is target and mapper.class_ is not ChangeRecord
    ]


def _used(session: Session, model: type[Base], row_id: int) -> bool:
    """True when a row of another table points at row ``row_id`` of ``model``."""
    return any(
        session.scalar(select(func.count()).where(column == row_id))
        for _user, column in _users(model)
    )


def _delete_with_users(
    session: Session, model: type[Base], ids: Sequence[int], deleted: Counter[str]
) -> None:
    """Delete the rows ``ids`` of ``model``, every row pointing at them first (through the
    ORM, so that each delete is logged); ``deleted`` counts the rows by table."""
    if not ids:
        return
    for user, column in _users(model):
        pointing = list(session.scalars(select(user.id).where(column.in_(ids))))  # type: ignore[attr-defined]
        _delete_with_users(session, user, pointing, deleted)
    for row in session.scalars(select(model).where(model.id.in_(ids))):  # type: ignore[attr-defined]
        session.delete(row)
        deleted[model.__tablename__] += 1
    session.flush()  # children are gone before their parents go
