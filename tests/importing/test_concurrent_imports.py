"""Two imports at once are serialised by the database and neither loses rows (TEAM.md): the
second waits for the first (SQLite's write lock; PostgreSQL's transaction advisory lock
``BULK_LOCK``), then reads what it stored, so it updates the rows the first inserted instead
of failing on them; a wait longer than the bound is told, with nothing written."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from sqlalchemy import func, select, text

from desktop.importing import importer as importer_module
from desktop.importing.importer import Importer
from desktop.importing.report import FileReport
from desktop.models import Enterprise, ImportBatch, MonthlyOutput
from desktop.sheets.parsed import ParsedFile, SheetKind
from desktop.store import Database, DatabaseInUse, server
from desktop.store.changelog import LINES
from tests.importing.conftest import code, parsed_file, roster_row, sheet

COUNT = 40
WAIT_S = 30  # how long a test waits for the other thread at most (a hang fails, not blocks)


def _file(phone: str, name: str) -> ParsedFile:
    """The same COUNT enterprises (with ``phone``) and a month of their output."""
    roster = sheet(SheetKind.roster, [roster_row(n, phone=phone) for n in range(1, COUNT + 1)])
    monthly = sheet(SheetKind.monthly, [
        {"uscc": code(n), "year": 2023, "month": 1, "output": Decimal(n)}
        for n in range(1, COUNT + 1)
    ])  # fmt: skip
    return parsed_file(roster, monthly, name=name)


def _in_thread(run: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    """``run`` started in a thread; its result (or error) lands in the list."""
    out: list[Any] = []

    def target() -> None:
        try:
            out.append(run())
        except BaseException as exc:  # handed to the test's thread
            out.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    return thread, out


def test_two_imports_at_once_both_commit_and_lose_nothing(db: Database) -> None:
    barrier = threading.Barrier(2, timeout=WAIT_S)

    def run(phone: str) -> FileReport:
        barrier.wait()
        return Importer(db, backup=False).import_parsed(_file(phone, f"名录{phone}.xlsx"))

    threads = [_in_thread(lambda p=phone: run(p)) for phone in ("甲", "乙")]  # type: ignore[misc]
    for thread, _ in threads:
        thread.join(WAIT_S)
    reports = [out[0] for _, out in threads]
    assert [(r.committed, r.error) for r in reports] == [(True, None), (True, None)]
    first, second = sorted(reports, key=lambda r: r.batch_id)
    assert [s.created for s in first.sheets] == [COUNT, COUNT]
    assert [(s.created, s.updated) for s in second.sheets] == [(0, COUNT), (0, 0)]
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(Enterprise)) == COUNT
        assert s.scalar(select(func.count()).select_from(MonthlyOutput)) == COUNT
        phones = set(s.scalars(select(Enterprise.phone)))
        lines = s.execute(
            select(LINES.c.batch_id, LINES.c.action, func.count())
            .group_by(LINES.c.batch_id, LINES.c.action)
            .order_by(LINES.c.batch_id, LINES.c.action)
        ).all()
    assert phones == {second.path.stem.removeprefix("名录")}  # the later import's, every row
    assert lines == [
        (first.batch_id, "insert", 2 * COUNT),
        (second.batch_id, "update", COUNT),
    ]


def _waiting_for_the_lock(db: Database) -> bool:
    """Whether a session of the server waits for the import lock (pg_locks)."""
    with db.engine.connect() as conn:
        return bool(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                    "AND objid = :key AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"
                ),
                {"key": server.BULK_LOCK},
            ).scalar_one()
        )


def _on_a_server(db: Database) -> None:
    if not db.on_server:
        pytest.skip("an advisory lock of PostgreSQL's (SQLite's write lock is the whole file's)")


def test_an_import_waits_for_the_lock_another_holds_then_commits(db: Database) -> None:
    _on_a_server(db)
    with db.engine.connect() as holder:
        holder.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": server.BULK_LOCK})
        thread, out = _in_thread(
            lambda: Importer(db, backup=False).import_parsed(_file("甲", "名录.xlsx"))
        )
        deadline = time.monotonic() + WAIT_S
        while not _waiting_for_the_lock(db):  # the import's first statement waits there
            assert time.monotonic() < deadline and thread.is_alive(), out
        with db.reader() as s:
            assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0
        holder.commit()  # the other import ends: this one goes on
    thread.join(WAIT_S)
    (report,) = out
    assert report.committed and [s.created for s in report.sheets] == [COUNT, COUNT]


def test_a_wait_beyond_the_bound_is_told_and_writes_nothing(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _on_a_server(db)
    impatient = partial(server.transaction_lock, wait_seconds=0.2)
    monkeypatch.setattr(importer_module, "transaction_lock", impatient)
    with db.engine.connect() as holder:
        holder.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": server.BULK_LOCK})
        with pytest.raises(DatabaseInUse, match="未导入"):
            Importer(db, backup=False).import_parsed(_file("甲", "名录.xlsx"))
        holder.rollback()
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0
        assert s.scalar(select(func.count()).select_from(Enterprise)) == 0
