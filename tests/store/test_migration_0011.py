"""Migration 0011 on a 0010 database: an import's insert lines move to ``import_line`` and every
line reads as it did (``log --json`` and the history), its own time and operator kept."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from desktop.cli.admin_commands import log_record_json
from desktop.models import Enterprise
from desktop.roster.history import LogFilter, fetch_log_rows, log_ids, walked_back
from desktop.roster.records import load_record, save_record
from desktop.samples import load_sample
from desktop.store import Database
from desktop.store.changelog import LINES
from desktop.store.migrate import alembic_config, run_migration

OLD_AT = datetime(2026, 3, 4, 5, 6, 7, 123456)  # an older import's line: a time of its own


def _log(db: Database) -> tuple[list[dict[str, Any]], dict[int, tuple[Any, ...]]]:
    """``log --json`` of every line, oldest first, and the history as the log page shows it."""
    with db.reader() as s:
        lines = list(s.execute(select(LINES).order_by(LINES.c.id)))
        walked = walked_back(s, lines)
        return [log_record_json(r, walked) for r in lines], fetch_log_rows(
            s, log_ids(s, LogFilter())
        )


def _count(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _rename_first(db: Database, name: str) -> None:
    with db.reader() as s:
        uscc = s.scalars(select(Enterprise.uscc).order_by(Enterprise.id)).first()
        assert uscc is not None
        record = load_record(s, uscc)
    save_record(db, record.__class__(**{**record.__dict__, "name": name}), uscc)


def test_a_0010_log_reads_the_same_after_0011(db: Database) -> None:
    load_sample(db)  # a batch of import lines
    _rename_first(db, "改名公司")  # and a window edit after it
    config = alembic_config()
    run_migration(db.engine, config, "0010", downgrade=True)
    lines = _count(db, "change_log")
    with db.engine.begin() as conn:  # an older import's line: its own time and operator
        batch = conn.execute(text("SELECT max(batch_id) FROM change_log")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO change_log (at, operator, source, batch_id, source_row, table_name, "
                "row_id, row_key, action) VALUES (:at, '旧操作员', 'import', :batch, 99, "
                "'zone', 999, '旧园区', 'insert')"
            ),
            {"at": OLD_AT, "batch": batch},
        )
    run_migration(db.engine, config, "head")
    before_json, before_history = _log(db)
    assert len(before_json) == lines + 1  # not a line lost
    moved = _count(db, "import_line")
    assert moved > 0 and _count(db, "change_log") == lines + 1 - moved
    (old,) = [line for line in before_json if line["operator"] == "旧操作员"]
    assert (old["at"], old["source_row"], old["key"], old["action"]) == (
        OLD_AT.replace(tzinfo=UTC).isoformat(), 99, "旧园区", "insert")  # fmt: skip
    with db.engine.connect() as conn:
        kept = conn.execute(text("SELECT at, operator, source FROM import_line WHERE row_id = 999"))
        assert kept.one()[1:] == ("旧操作员", None)  # the source is the batch's: import
    # Down and up again: the same lines, read the same.
    run_migration(db.engine, config, "0010", downgrade=True)
    assert _count(db, "change_log") == lines + 1
    run_migration(db.engine, config, "head")
    assert _log(db) == (before_json, before_history)
    # A line written after it takes an id above every line's; the import lines stay as written.
    _rename_first(db, "又改名公司")
    after, _ = _log(db)
    assert after[:-1] == before_json and after[-1]["id"] > before_json[-1]["id"]
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("UPDATE import_line SET row_key = 'x'"))
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("DELETE FROM import_line"))
