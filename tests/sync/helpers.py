"""Databases that exchange packages: a county made from the city's package, offline edits, and
dumps keyed by global key to compare databases row by row."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop.models import Base, Enterprise, Lease, MonthlyOutput
from desktop.store import Database, open_database
from desktop.sync.export import export_package
from desktop.sync.keys import KeyMap, synced_tables
from desktop.sync.package import CITY
from desktop.sync.receive import Received, import_packages
from desktop.sync.rows import texts_of

_numbers = itertools.count(1)
Counties = Callable[[Database, tuple[str, ...]], list[Database]]  # the conftest's counties


def copy_database(template: Path, path: Path, operator: str) -> Database:
    """A new database at ``path``: the migrated template copied (fast), opened by ``operator``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return open_database(path, operator=operator)


def export(db: Database, folder: Path, to: str | None = None, sender: str | None = None) -> Path:
    """A package from ``db`` to ``to`` (the city by default), written under ``folder``."""
    out = folder / f"package-{next(_numbers)}.rdpkg"
    export_package(db, out, to, sender)
    return out


def receive(db: Database, *packages: Path, dry_run: bool = False) -> list[Received]:
    return import_packages(db, list(packages), dry_run=dry_run)


def send(source: Database, target: Database, folder: Path, to: str | None = None) -> Received:
    """Export from ``source`` to ``to`` and import it at ``target``; the one outcome."""
    (outcome,) = receive(target, export(source, folder, to))
    return outcome


def dump(db: Database) -> dict[tuple[str, str], dict[str, str | None]]:
    """Every synced row by table and global key: its field texts, references as global keys."""
    rows: dict[tuple[str, str], dict[str, str | None]] = {}
    with db.reads.connect() as conn:
        keys = KeyMap(conn)
        for table in synced_tables():
            for row in conn.execute(select(table)):
                key = keys.key_of(table, row.id)
                assert key is not None
                rows[(table.name, key)] = texts_of(keys, table, row)
    return rows


def every_row(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the change log and the packages' own included), in id order."""
    with db.reads.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key))]
            for t in Base.metadata.sorted_tables
        }


def edit(db: Database, uscc: str, **values: Any) -> None:
    """Change fields of enterprise ``uscc`` in the window's way (ORM, logged)."""
    with db.session() as s:
        found = s.scalars(select(Enterprise).where(Enterprise.uscc == uscc)).one()
        for name, value in values.items():
            setattr(found, name, value)


def edit_month(db: Database, uscc: str, year: int, month: int, output: Decimal) -> None:
    """Change an enterprise's output of one month."""
    with db.session() as s:
        found = s.scalars(
            select(MonthlyOutput)
            .join(Enterprise)
            .where(
                Enterprise.uscc == uscc, MonthlyOutput.year == year, MonthlyOutput.month == month
            )
        ).one()
        found.output = output


def lease_of(db: Database, uscc: str) -> Lease:
    with db.session() as s:
        return s.scalars(select(Lease).join(Enterprise).where(Enterprise.uscc == uscc)).first()  # type: ignore[return-value]


def edit_lease(db: Database, uid: str, **values: Any) -> None:
    with db.session() as s:
        found = s.scalars(select(Lease).where(Lease.uid == uid)).one()
        for name, value in values.items():
            setattr(found, name, value)


def delete_lease(db: Database, uid: str) -> None:
    with db.session() as s:
        s.delete(s.scalars(select(Lease).where(Lease.uid == uid)).one())


def new_enterprise(db: Database, uscc: str, name: str, months: int = 3) -> None:
    """A new enterprise of the database's county with ``months`` monthly outputs."""
    from desktop.models import County

    with db.session() as s:
        county = s.scalars(select(County).order_by(County.id)).first()
        found = Enterprise(uscc=uscc, name=name, county=county)
        found.monthly_outputs = [
            MonthlyOutput(year=2023, month=m, output=Decimal(1000 * m))
            for m in range(1, months + 1)
        ]
        s.add(found)


def city_and_counties(
    city: Database, template: Path, folder: Path, counties: tuple[str, ...]
) -> list[Database]:
    """The counties' databases, each made new and filled by the city's first package to it."""
    made = []
    for number, name in enumerate(counties):
        county = copy_database(template, folder / f"county-{number}.sqlite3", f"{name}officer")
        package = export(city, folder, name, sender=CITY if number == 0 else None)
        (outcome,) = receive(county, package)
        assert outcome.status == "applied", outcome
        made.append(county)
    return made
