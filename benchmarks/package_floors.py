"""Two more floors for the packages benchmark: the least work a package exchange does, in SQL.

Each county's rows changed since its log's start (every row, in the benchmark) go into a file
with its SHA-256, and the city checks the digest, writes the rows into its tables and one
change-log line per row, as the application's import must (every change attributable). No
checks, no conflicts, no Python per row. The two differ in the file:

- ``json_lines``: a zip of JSON lines, one object per row with its values as texts (the
  package format); the city stages the lines and reads them with ``json_extract``.
- ``sqlite_member``: a zip holding a SQLite file of the rows, references as global keys
  (TEAM.md allows "a SQLite file"); the city attaches it and copies by ``INSERT … SELECT``.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROWS_MEMBER = "rows"
WINDOW = "id IN (SELECT row_id FROM change_log WHERE id > 0 AND table_name = '{}')"
# One change-log line per row copied (ids above those the table had), labelled with its key.
LOG = (
    "INSERT INTO change_log (at, operator, source, batch_id, source_row, table_name, row_id, "
    "row_key, action) SELECT '2026-01-01 00:00:00.000000', 'benchmark', 'package', NULL, NULL, "
    "'{table}', t.id, {key}, 'insert' FROM {table} AS t {join} WHERE t.id > ?"
)
LOGS = {
    "enterprise": LOG.format(table="enterprise", key="t.uscc", join=""),
    "monthly_output": LOG.format(
        table="monthly_output", key="printf('%s %d-%02d', e.uscc, t.year, t.month)",
        join="JOIN enterprise AS e ON e.id = t.enterprise_id",
    ),
}  # fmt: skip
FLAGS = ("above_scale", "white_list", "chain_leader", "is_sample")
JSON_ROWS = (
    "SELECT json_object('table', 'enterprise', 'key', e.uscc, 'values', json_object('name', "
    "e.name, 'county_id', c.uid, 'industry_code', e.industry_code, "
    + ", ".join(f"'{f}', CAST(e.{f} AS TEXT)" for f in FLAGS)
    + "), 'version', e.version) FROM enterprise AS e JOIN county AS c ON c.id = e.county_id "
    f"WHERE e.{WINDOW.format('enterprise')} UNION ALL "
    "SELECT json_object('table', 'monthly_output', 'key', "
    "printf('%s %d-%02d', e.uscc, m.year, m.month), 'values', json_object('enterprise_id', "
    "e.uscc, 'year', CAST(m.year AS TEXT), "
    "'month', CAST(m.month AS TEXT), 'output', printf('%d.%02d', m.output / 100, "
    "m.output % 100)), 'version', m.version) FROM monthly_output AS m "
    f"JOIN enterprise AS e ON e.id = m.enterprise_id WHERE m.{WINDOW.format('monthly_output')}"
)
ENTERPRISE_COLUMNS = "uscc, name, county_id, industry_code, " + ", ".join(FLAGS) + ", version"


def _zip(path: Path, content: bytes) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(ROWS_MEMBER, content)
        archive.writestr("sha256", hashlib.sha256(content).hexdigest())


def _unzip(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        content = archive.read(ROWS_MEMBER)
        assert hashlib.sha256(content).hexdigest() == archive.read("sha256").decode()
    return content


def _ends(conn: sqlite3.Connection) -> list[int]:
    return [conn.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0] for t in LOGS]


def _log(conn: sqlite3.Connection, ends: list[int]) -> None:
    for sql, end in zip(LOGS.values(), ends, strict=True):
        conn.execute(sql, (end,))


def _json_export(county: Path, out: Path) -> None:
    with sqlite3.connect(county) as conn:
        lines = conn.execute(JSON_ROWS).fetchall()
    _zip(out, "".join(line + "\n" for (line,) in lines).encode())


def _json_import(conn: sqlite3.Connection, package: Path) -> None:
    lines = _unzip(package).decode().splitlines()
    conn.execute("BEGIN IMMEDIATE")
    ends = _ends(conn)
    conn.execute("CREATE TEMP TABLE line (pos INTEGER PRIMARY KEY, t TEXT, k TEXT, v TEXT)")
    conn.executemany(
        "INSERT INTO line (t, k, v) VALUES "
        "(json_extract(?1, '$.table'), json_extract(?1, '$.key'), json_extract(?1, '$.values'))",
        ((line,) for line in lines),
    )
    flags = ", ".join(f"CAST(json_extract(v, '$.{f}') AS INTEGER)" for f in FLAGS)
    conn.execute(
        f"INSERT INTO enterprise ({ENTERPRISE_COLUMNS}) SELECT k, json_extract(v, '$.name'), "
        f"c.id, json_extract(v, '$.industry_code'), {flags}, 1 FROM line "
        "JOIN county AS c ON c.uid = json_extract(v, '$.county_id') "
        "WHERE t = 'enterprise' ORDER BY pos"
    )
    conn.execute(
        "INSERT INTO monthly_output (enterprise_id, year, month, output, version) "
        "SELECT e.id, json_extract(v, '$.year'), json_extract(v, '$.month'), "
        "CAST(replace(json_extract(v, '$.output'), '.', '') AS INTEGER), 1 FROM line "
        "JOIN enterprise AS e ON e.uscc = json_extract(v, '$.enterprise_id') "
        "WHERE t = 'monthly_output' ORDER BY pos"
    )
    _log(conn, ends)
    conn.execute("DROP TABLE line")
    conn.execute("COMMIT")


def _member_export(county: Path, out: Path) -> None:
    rows = out.with_suffix(".sqlite3")
    conn = sqlite3.connect(county, isolation_level=None)
    conn.execute("ATTACH DATABASE ? AS p", (str(rows),))
    conn.execute(
        "CREATE TABLE p.enterprise (pos INTEGER PRIMARY KEY, uscc TEXT, name TEXT, county TEXT, "
        f"industry_code TEXT, {', '.join(f + ' INTEGER' for f in FLAGS)}, version INTEGER)"
    )
    conn.execute(
        "CREATE TABLE p.monthly_output (pos INTEGER PRIMARY KEY, owner TEXT, year INTEGER, "
        "month INTEGER, output INTEGER, version INTEGER)"
    )
    conn.execute("BEGIN")
    conn.execute(
        f"INSERT INTO p.enterprise ({ENTERPRISE_COLUMNS.replace('county_id', 'county')}) "
        f"SELECT e.uscc, e.name, c.uid, e.industry_code, {', '.join(FLAGS)}, e.version "
        f"FROM enterprise AS e JOIN county AS c ON c.id = e.county_id "
        f"WHERE e.{WINDOW.format('enterprise')}"
    )
    conn.execute(
        "INSERT INTO p.monthly_output (owner, year, month, output, version) "
        "SELECT e.uscc, m.year, m.month, m.output, m.version FROM monthly_output AS m "
        f"JOIN enterprise AS e ON e.id = m.enterprise_id WHERE m.{WINDOW.format('monthly_output')}"
    )
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE p")
    conn.close()
    _zip(out, rows.read_bytes())
    rows.unlink()


def _member_import(conn: sqlite3.Connection, package: Path) -> None:
    rows = package.with_suffix(".received.sqlite3")
    rows.write_bytes(_unzip(package))
    conn.execute("ATTACH DATABASE ? AS p", (str(rows),))
    conn.execute("BEGIN IMMEDIATE")
    ends = _ends(conn)
    conn.execute(
        f"INSERT INTO enterprise ({ENTERPRISE_COLUMNS}) SELECT r.uscc, r.name, c.id, "
        f"r.industry_code, {', '.join('r.' + f for f in FLAGS)}, 1 FROM p.enterprise AS r "
        "JOIN county AS c ON c.uid = r.county ORDER BY r.pos"
    )
    conn.execute(
        "INSERT INTO monthly_output (enterprise_id, year, month, output, version) "
        "SELECT e.id, r.year, r.month, r.output, 1 FROM p.monthly_output AS r "
        "JOIN main.enterprise AS e ON e.uscc = r.owner ORDER BY r.pos"
    )
    _log(conn, ends)
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE p")
    rows.unlink()


def _exchange(
    city: Path, counties: list[Path], folder: Path, kind: str,
    export: Callable[[Path, Path], None], receive: Callable[[sqlite3.Connection, Path], None],
) -> float:  # fmt: skip
    start = time.perf_counter()
    packages = [folder / f"{kind}-floor-{n}.zip" for n in range(len(counties))]
    for county, package in zip(counties, packages, strict=True):
        export(county, package)
    conn = sqlite3.connect(city, isolation_level=None)
    for package in packages:
        receive(conn, package)
    conn.close()
    return time.perf_counter() - start


def json_lines(city: Path, counties: list[Path], folder: Path) -> float:
    """Seconds to exchange every county's rows as zipped JSON lines, logged at ``city``."""
    return _exchange(city, counties, folder, "json", _json_export, _json_import)


def sqlite_member(city: Path, counties: list[Path], folder: Path) -> float:
    """Seconds to exchange every county's rows as zipped SQLite files, logged at ``city``."""
    return _exchange(city, counties, folder, "member", _member_export, _member_import)
