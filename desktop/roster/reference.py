"""The lists the officer keeps: development zones (level, kind) and key chains."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from desktop.changes import Changes
from desktop.models import Enterprise, KeyChain, Zone
from desktop.roster.fields import ZONE_FIELDS
from desktop.store import Database, StoreError
from desktop.values import ValueProblem


@dataclass
class ZoneRow:
    """A zone as the settings table shows it (``id`` None for one not saved yet)."""

    name: str
    level: str | None = None
    kind: str | None = None
    id: int | None = None


def list_zones(db: Database) -> list[ZoneRow]:
    """Every zone, in the order they were added."""
    with db.reader() as s:
        zones = s.scalars(select(Zone).order_by(Zone.id))
        return [ZoneRow(z.name, z.level, z.kind, z.id) for z in zones]


def list_chains(db: Database) -> list[tuple[int | None, str]]:
    """(id, name) of every key chain."""
    with db.reader() as s:
        return [(c.id, c.name) for c in s.scalars(select(KeyChain).order_by(KeyChain.id))]


def _check_names(names: Sequence[str], what: str) -> None:
    if any(not (n or "").strip() for n in names):
        raise StoreError(f"{what}名称不能为空")
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise StoreError(f"{what}「{name}」重复")
        seen.add(name)


def _detach(session: Session, column: InstrumentedAttribute, ref_id: int, attr: str) -> None:
    """Clear a reference through the ORM (so the change log sees it) before its target goes."""
    for ent in session.scalars(select(Enterprise).where(column == ref_id)):
        setattr(ent, attr, None)


def _checked_zone(row: ZoneRow) -> ZoneRow:
    """``row`` with its 级别 and 类型 read as the import reads them (one of the fixed words)."""
    given = {}
    for name in ("level", "kind"):
        f, value = ZONE_FIELDS[name], getattr(row, name)
        try:
            given[name] = f.parse(value)
        except ValueProblem as problem:
            raise StoreError(
                f"开发区「{row.name}」的{f.label}「{value}」不可用，{problem}"
            ) from None
    return replace(row, **given)


def _changes(
    kind: Changes, before: Sequence[object], after: Sequence[object], gone: bool
) -> Changes:
    """``kind`` if the list changed at all; the enterprises too if an entry ``gone``."""
    if before == after:
        return Changes.NONE
    return kind | (Changes.ENTERPRISES if gone else Changes.NONE)


def save_zones(db: Database, rows: Sequence[ZoneRow]) -> Changes:
    """Make the zone list ``rows``: rename and edit by id, add new, delete the missing (the
    enterprises in a deleted zone then have none); a 级别 or 类型 outside the fixed words is
    refused."""
    _check_names([r.name for r in rows], "开发区")
    rows = [_checked_zone(r) for r in rows]
    before = list_zones(db)
    try:
        with db.session(source="window") as s:
            existing = {z.id: z for z in s.scalars(select(Zone))}
            keep = {r.id for r in rows if r.id is not None}
            for zone_id, zone in existing.items():
                if zone_id not in keep:
                    _detach(s, Enterprise.zone_id, zone_id, "zone")
                    s.delete(zone)
            s.flush()  # free the names of deleted zones before renaming others onto them
            for row in rows:
                zone = existing.get(row.id) if row.id is not None else None
                if zone is None:
                    s.add(Zone(name=row.name.strip(), level=row.level, kind=row.kind))
                else:
                    zone.name, zone.level, zone.kind = row.name.strip(), row.level, row.kind
    except IntegrityError as exc:
        raise StoreError("有厂房租赁记录仍在使用要删除的开发区，未作任何修改") from exc
    return _changes(Changes.ZONES, before, list_zones(db), bool(existing.keys() - keep))


def save_chains(db: Database, rows: Sequence[tuple[int | None, str]]) -> Changes:
    """Make the key-chain list ``rows`` (id or None, name); enterprises of a removed chain
    keep no chain."""
    _check_names([name for _, name in rows], "产业链")
    before = list_chains(db)
    with db.session(source="window") as s:
        existing = {c.id: c for c in s.scalars(select(KeyChain))}
        keep = {chain_id for chain_id, _ in rows if chain_id is not None}
        for chain_id, chain in existing.items():
            if chain_id not in keep:
                _detach(s, Enterprise.chain_id, chain_id, "chain")
                s.delete(chain)
        s.flush()
        for chain_id, name in rows:
            chain = existing.get(chain_id) if chain_id is not None else None
            if chain is None:
                s.add(KeyChain(name=name.strip()))
            else:
                chain.name = name.strip()
    return _changes(Changes.CHAINS, before, list_chains(db), bool(existing.keys() - keep))
