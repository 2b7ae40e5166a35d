"""A second floor for the import benchmark: the same stored outcome, written the cheapest way.

python-calamine reads the roster and monthly workbooks; sqlite3 ``executemany`` writes the
enterprises and the monthly figures into the application's own tables (their indexes, unique
keys and foreign keys), and one ``INSERT … SELECT`` per table writes a change-log line per row
as the import stores them (attributed, without the row's values); no checks, no staging, no
conversions beyond the arithmetic. What the schema and the change log cost by themselves,
against which the import's own work can be judged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

# One log line per row, built by SQLite from the rows just written (cheaper than executemany).
LOG_FROM = (
    "INSERT INTO change_log (at, operator, source, batch_id, source_row, table_name, row_id, "
    "row_key, action) SELECT '2026-01-01 00:00:00', 'benchmark', 'import', 1, "
    "t.id + {row}, '{table}', t.id, {key}, 'insert' FROM {table} AS t {join}"
)


def _rows(path: Path) -> tuple[dict[str, int], list[list[Any]]]:
    """The first sheet's header (name → position) and data rows."""
    wb = CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_name(wb.sheet_names[0]).to_python()
    return {str(h): i for i, h in enumerate(rows[0])}, rows[1:]


def _roster(conn: sqlite3.Connection, path: Path) -> dict[str, int]:
    """Write the enterprises and their log lines; their ids by credit code."""
    at, rows = _rows(path)
    counties = dict(conn.execute("SELECT name, id FROM county"))
    name, code, county = at["企业名称"], at["统一社会信用代码"], at["所属县（市、区）"]
    ids = {row[code]: n for n, row in enumerate(rows, start=1)}
    conn.executemany(
        "INSERT INTO enterprise (id, uscc, name, county_id, above_scale, white_list, "
        "chain_leader, is_sample) VALUES (?, ?, ?, ?, ?, ?, 0, 0)",
        [(ids[r[code]], r[code], r[name], counties[r[county]], r[at["规上企业"]] == "是",
          r[at["白名单企业"]] == "是") for r in rows],
    )  # fmt: skip
    conn.execute(LOG_FROM.format(table="enterprise", row=1, key="t.uscc", join=""))
    return ids


def _monthly(conn: sqlite3.Connection, path: Path, ids: dict[str, int]) -> None:
    """Write the monthly figures (万元 to fen) and their log lines."""
    at, rows = _rows(path)
    code, month, output = at["统一社会信用代码"], at["年月"], at["工业总产值（万元）"]
    figures = [
        (n, ids[r[code]], int(r[month][:4]), int(r[month][5:]), round(r[output] * 1_000_000))
        for n, r in enumerate(rows, start=1)
    ]
    conn.executemany(
        "INSERT INTO monthly_output (id, enterprise_id, year, month, output) "
        "VALUES (?, ?, ?, ?, ?)",
        figures,
    )
    conn.execute(LOG_FROM.format(
        table="monthly_output", row=1, key="e.uscc || ' ' || t.year || '-' || t.month",
        join="JOIN enterprise AS e ON e.id = t.enterprise_id",
    ))  # fmt: skip


def schema_floor(paths: list[Path], db_path: Path) -> Callable[[], None]:
    """The phase: a new, empty application database opened first, then timed writing."""
    from desktop.store import open_database

    open_database(db_path, operator="benchmark").close()

    def run() -> None:
        conn = sqlite3.connect(db_path)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(
            "INSERT INTO import_batch (id, file_name, sha256, operator, imported_at, counts) "
            "VALUES (1, 'x', 'x', 'benchmark', '2026-01-01 00:00:00', '{}')"
        )
        ids = _roster(conn, paths[0])
        _monthly(conn, paths[1], ids)
        conn.commit()
        conn.close()

    return run
