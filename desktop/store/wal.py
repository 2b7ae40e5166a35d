"""A write-ahead log beside the database that does not belong to it (a stray ``-wal``).

SQLite applies whatever valid WAL it finds next to a file; one left there from another
database would silently replace the roster's pages. Two signs give it away without writing:
the application id seen through the WAL differs from the one in the file itself, or the file
passes its check alone but fails it with the WAL.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from desktop.store.engine import check_file
from desktop.store.identity import APPLICATION_ID, header_application_id, read_header, read_only


def _seen_application_id(path: Path) -> int | None:
    try:
        with closing(read_only(path)) as conn:
            return int(conn.execute("PRAGMA application_id").fetchone()[0])
    except sqlite3.Error:
        return None


def _passes_alone(path: Path) -> bool:
    """True when the file without its WAL passes ``quick_check`` (checked on a copy)."""
    with tempfile.TemporaryDirectory(prefix="relief-desk-check-") as folder:
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        return check_file(copy) is None


def stray_wal(path: Path, problem: str | None) -> str | None:
    """The officer's sentence when ``path``'s ``-wal`` is not its own, else None.

    ``problem`` is what the check of the file (read through its WAL) found.
    """
    wal = Path(f"{path}-wal")
    if not wal.is_file() or wal.stat().st_size == 0:
        return None
    marked = header_application_id(read_header(path)) == APPLICATION_ID
    foreign = marked and _seen_application_id(path) != APPLICATION_ID
    if not foreign and not (problem and _passes_alone(path)):
        return None
    return (
        f"数据库旁的日志文件 {wal.name} 与数据库不符（可能是从别处复制来的），数据库本身未损坏，"
        f"未作任何改动；请把 {wal} 移到别处后重试"
    )
