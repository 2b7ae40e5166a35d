"""Two programs saving the same enterprise at once: one wins, the other is told, nothing lost.

Each process reads the enterprise, waits at a barrier until the other has read it too, then
saves its own name over the version both read (no sleeps: the barrier and the database's own
write serialisation decide the order).
"""

from __future__ import annotations

import multiprocessing
import sys
from dataclasses import replace
from multiprocessing.synchronize import Barrier
from typing import Any

from sqlalchemy import select

from desktop.models import ChangeRecord, Enterprise
from desktop.roster.records import load_record, save_record
from desktop.store import Database, open_database
from desktop.store.errors import RowChanged
from tests.cases.conftest import add_enterprises, code
from tests.conftest import cli_db

SAVED, REFUSED = 0, 3  # the exit codes of a worker
OFFICERS = {"张三": "张三改的名称", "李四": "李四改的名称"}


def _save(where: str, operator: str, name: str, barrier: Barrier, told: Any) -> None:
    """Read enterprise 1, wait for the other, save ``name``; exit saying how it went."""
    db = open_database(where, operator)
    try:
        with db.reader() as s:
            base = load_record(s, code(1))
        barrier.wait(timeout=120)
        try:
            save_record(db, replace(base, name=name), code(1))
        except RowChanged as refused:
            (field,) = refused.fields
            told.put((operator, field.field, field.mine, field.theirs, refused.operator))
            sys.exit(REFUSED)
    finally:
        db.close()
    sys.exit(SAVED)


def test_two_processes_saving_one_enterprise_one_wins_the_other_is_told(db: Database) -> None:
    with db.session(source="command") as s:
        add_enterprises(s, 1)
    spawn = multiprocessing.get_context("spawn")
    barrier, told = spawn.Barrier(len(OFFICERS)), spawn.Queue()
    workers = {
        operator: spawn.Process(target=_save, args=(cli_db(db), operator, name, barrier, told))
        for operator, name in OFFICERS.items()
    }
    for worker in workers.values():
        worker.start()
    for worker in workers.values():
        worker.join(timeout=180)
    codes = {operator: worker.exitcode for operator, worker in workers.items()}
    assert sorted(codes.values()) == [SAVED, REFUSED], codes
    winner = next(o for o, c in codes.items() if c == SAVED)
    loser = next(o for o, c in codes.items() if c == REFUSED)
    # the loser was told what it typed, what the winner saved, and who the winner was
    assert told.get(timeout=10) == (loser, "name", OFFICERS[loser], OFFICERS[winner], winner)
    with db.reader() as s:
        stored = s.scalars(select(Enterprise)).one()
        assert (stored.name, stored.version) == (OFFICERS[winner], 2)
        lines = s.scalars(
            select(ChangeRecord).where(
                ChangeRecord.action == "update", ChangeRecord.field == "name"
            )
        ).all()
    assert [(r.operator, r.old_value, r.new_value) for r in lines] == [
        (winner, "测试企业1", OFFICERS[winner])
    ]
