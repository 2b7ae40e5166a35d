"""Packages benchmark: C counties × N enterprises with a year of monthly figures, each county's
package exported and all of them imported at the city, against the floor.

    python -m benchmarks.bench_packages [--counties C] [--size N]  # 14, 5000

The fixture (not timed): each county's database, made new and filled by plain inserts with the
change log's insert lines (as an import writes them), its unit set. Ours: ``export_package``
in every county, then ``import_packages`` of the 14 files at a new city database (checked,
applied in a transaction each, logged). The floor, on another new city database: plain sqlite3
``ATTACH`` of each county's file and ``INSERT … SELECT`` of the same rows (enterprises, then
their monthly figures joined to the new ids), one transaction per county. Both are checked to
hold the same rows. Target: within LIMIT× the floor.

Two more floors (:mod:`benchmarks.package_floors`) do the least an exchange must: a file with
its digest per county, and a change-log line per row at the city, as zipped JSON lines (the
package format) or as zipped SQLite files; ours is printed against each.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

from benchmarks import package_floors
from benchmarks.synth import make_uscc
from desktop.models import County, Enterprise, MonthlyOutput
from desktop.store import open_database
from desktop.store.changelog import write_lines
from desktop.sync.export import export_package
from desktop.sync.receive import import_packages
from desktop.sync.units import own_unit
from desktop.values import COUNTIES

LIMIT = 3.0
COPIED = {
    "enterprise": ("uscc", "name", "county_id", "industry_code", "above_scale", "white_list",
                   "chain_leader", "is_sample", "version"),
    "monthly_output": ("year", "month", "output", "version"),
}  # fmt: skip


def make_county(template: Path, path: Path, number: int, size: int) -> None:
    """County ``number``'s database: ``size`` enterprises, 12 months of 2022 each, logged."""
    shutil.copyfile(template, path)
    db = open_database(path, operator=f"县{number}")
    name = COUNTIES[number]
    with db.engine.begin() as conn:
        ctx = db.audit("import")
        own_unit(conn, ctx, name)
        county_id = conn.execute(select(County.id).where(County.name == name)).scalar_one()
        first = number * 100_000
        rows = [
            {"id": first + i + 1, "uscc": make_uscc("140902", first + i),
             "name": f"合成企业{number}-{i}", "county_id": county_id, "industry_code": "C30",
             "above_scale": i % 3 == 0}
            for i in range(size)
        ]  # fmt: skip
        conn.execute(insert(Enterprise), rows)
        months = [
            {"enterprise_id": r["id"], "year": 2022, "month": m, "output": Decimal(1000 * m + i)}
            for i, r in enumerate(rows)
            for m in range(1, 13)
        ]
        conn.execute(insert(MonthlyOutput), months)
        ids = conn.execute(
            select(MonthlyOutput.id, MonthlyOutput.enterprise_id, MonthlyOutput.month)
        ).all()
        uscc = {r["id"]: r["uscc"] for r in rows}
        write_lines(conn, ctx, [(None, "enterprise", r["id"], r["uscc"], "insert", None, None, None)
                                for r in rows])  # fmt: skip
        write_lines(conn, ctx, [(None, "monthly_output", i, f"{uscc[e]} 2022-{m:02d}", "insert",
                                 None, None, None) for i, e, m in ids])  # fmt: skip
    db.close()


def floor(city: Path, counties: list[Path]) -> float:
    """Copy every county's rows into ``city`` with ATTACH and INSERT … SELECT; seconds taken."""
    start = time.perf_counter()
    conn = sqlite3.connect(city, isolation_level=None)
    for path in counties:
        conn.execute("ATTACH DATABASE ? AS c", (str(path),))
        conn.execute("BEGIN IMMEDIATE")
        columns = ", ".join(COPIED["enterprise"])
        conn.execute(f"INSERT INTO enterprise ({columns}) SELECT {columns} FROM c.enterprise")
        month = ", ".join(f"m.{c}" for c in COPIED["monthly_output"])
        conn.execute(
            f"INSERT INTO monthly_output (enterprise_id, {', '.join(COPIED['monthly_output'])}) "
            f"SELECT e2.id, {month} FROM c.monthly_output m "
            "JOIN c.enterprise e ON e.id = m.enterprise_id "
            "JOIN main.enterprise e2 ON e2.uscc = e.uscc"
        )
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE c")
    conn.close()
    return time.perf_counter() - start


def ours(city: Path, counties: list[Path], folder: Path) -> tuple[float, float]:
    """Export each county's package and import them all at ``city``: seconds for each step."""
    start = time.perf_counter()
    packages = []
    for number, path in enumerate(counties):
        db = open_database(path, operator=f"县{number}")
        out = folder / f"county-{number}.rdpkg"
        export_package(db, out)
        db.close()
        packages.append(out)
    exported = time.perf_counter()
    db = open_database(city, operator="市")
    outcomes = import_packages(db, packages)
    db.close()
    assert all(o.status == "applied" and o.counts.applied for o in outcomes), outcomes
    return exported - start, time.perf_counter() - exported


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COPIED}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=14, help="counties (default 14)")
    parser.add_argument("--size", type=int, default=5000, help="enterprises each (default 5000)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        template = folder / "template.sqlite3"
        open_database(template, operator="benchmark").close()
        start = time.perf_counter()
        paths = [folder / f"county-{n}.sqlite3" for n in range(args.counties)]
        for number, path in enumerate(paths):
            make_county(template, path, number, args.size)
        print(f"fixture: {args.counties} counties × {args.size} enterprises × 12 months, "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        cities = {n: folder / f"{n}-city.sqlite3" for n in ("floor", "json", "member", "ours")}
        for city in cities.values():
            shutil.copyfile(template, city)
        base = floor(cities["floor"], paths)
        json_s = package_floors.json_lines(cities["json"], paths, folder)
        member_s = package_floors.sqlite_member(cities["member"], paths, folder)
        export_s, import_s = ours(cities["ours"], paths, folder)
        for city in cities.values():
            assert counts(city) == counts(cities["floor"]), (city, counts(city))
        size = sum(p.stat().st_size for p in folder.glob("*.rdpkg"))
        total = export_s + import_s
        print(f"rows: {counts(cities['ours'])}; packages {size / 1e6:.1f} MB")
        print(f"ours: export {export_s:.2f} s + import {import_s:.2f} s = {total:.2f} s; "
              f"floor (ATTACH, INSERT … SELECT) {base:.2f} s: {total / base:.2f}× "
              f"(target ≤ {LIMIT}×)")  # fmt: skip
        for name, seconds in (("zipped JSON lines", json_s), ("zipped SQLite files", member_s)):
            print(f"least exchange as {name}, logged: {seconds:.2f} s = {seconds / base:.2f}× "
                  f"the floor; ours {total / seconds:.2f}× it")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
