"""Every SQLite connection gets a page cache large enough for an import's indexes (SQLite's
default of 2 MiB spilled the merge's pages and doubled the monthly figures' merge)."""

from __future__ import annotations

from pathlib import Path

from desktop.store.engine import CACHE_KIB, make_engine, reads_of


def test_writer_and_reader_connections_have_the_large_page_cache(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "cache.sqlite3")
    try:
        for each in (engine, reads_of(engine)):
            with each.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -CACHE_KIB
    finally:
        engine.dispose()
