"""Presence: programs on one database see each other; a crashed one fades out and is swept;
rows are kept by the database's clock and never logged. Two programs are two ``Database``
objects (two engines, two pools) on the same file or the same server database."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.cli import main, output_commands
from desktop.filing.operations import ExportOutcome
from desktop.models import ChangeRecord, Presence
from desktop.store import Database, DatabaseBusy, open_database
from desktop.store import presence as presence_module
from desktop.store.presence import Registration, Seen, working

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in 忻州


class Clock:
    """An injected database clock, moved on by hand (no sleeps)."""

    def __init__(self) -> None:
        self.at = T0

    def __call__(self, _session: Session) -> datetime:
        return self.at

    def later(self, **elapsed: float) -> None:
        self.at += timedelta(**elapsed)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def second(db: Database) -> Iterator[Database]:
    """Another program on the same database: the same file, or the same server URL."""
    other = open_database(db.url if db.url is not None else db.file, "李四")
    yield other
    other.close()


def _rows(db: Database) -> int:
    with db.reader() as s:
        return s.scalar(select(func.count(Presence.id))) or 0


def test_two_programs_on_one_database_see_each_other(
    db: Database, second: Database, clock: Clock
) -> None:
    mine, theirs = Registration(db, "window", clock), Registration(second, "command", clock)
    assert mine.beat() == []  # alone
    clock.later(seconds=5)
    host = mine.program.host
    assert theirs.beat() == [Seen("测试员", host, "window", T0)]
    clock.later(seconds=25)
    assert mine.beat() == [Seen("李四", host, "command", T0 + timedelta(seconds=5))]
    assert _rows(db) == 2
    with db.reader() as s:
        pids = set(s.scalars(select(Presence.pid)))
    assert pids == {os.getpid()}  # one process here; each program's row is its own


def test_a_crashed_program_fades_out_then_is_swept(
    db: Database, second: Database, clock: Clock
) -> None:
    mine, crashed = Registration(db, "window", clock), Registration(second, "window", clock)
    crashed.beat()  # and never again, never leaves
    clock.later(seconds=90)
    assert [s.operator for s in mine.beat()] == ["李四"]  # seen 90 s ago: still working
    clock.later(seconds=1)
    assert mine.beat() == []  # three beats missed: ignored
    assert _rows(db) == 2  # but its row stays for a while
    clock.later(minutes=59)
    mine.beat()
    assert _rows(db) == 1  # an hour unseen: swept


def test_leaving_deletes_only_ones_own_row(db: Database, second: Database, clock: Clock) -> None:
    mine, theirs = Registration(db, "window", clock), Registration(second, "window", clock)
    mine.beat()
    theirs.beat()
    theirs.leave()
    assert mine.beat() == [] and _rows(db) == 1
    theirs.leave()  # twice is harmless
    assert _rows(db) == 1


def test_a_program_swept_while_asleep_comes_back_with_its_start(
    db: Database, second: Database, clock: Clock
) -> None:
    awake, sleeper = Registration(second, "window", clock), Registration(db, "window", clock)
    awake.beat()
    sleeper.beat()  # the highest id
    assert sleeper.mine is not None
    freed = sleeper.mine.id
    clock.later(hours=2)  # the PC slept; the other program sweeps its row
    awake.beat()
    newcomer = Registration(second, "command", clock)
    newcomer.beat()
    assert newcomer.mine is not None
    if not db.on_server:
        assert newcomer.mine.id == freed  # SQLite gives the freed id again
    sleeper.beat()  # wakes: registered again with its start; the newcomer's row untouched
    host, woke = sleeper.program.host, T0 + timedelta(hours=2)
    assert awake.beat() == [Seen("测试员", host, "window", T0), Seen("李四", host, "command", woke)]
    sleeper.leave()
    assert awake.beat() == [Seen("李四", host, "command", woke)]


def test_presence_is_not_in_the_change_log(db: Database, clock: Clock) -> None:
    with db.reader() as s:
        before = s.scalar(select(func.count(ChangeRecord.id)))
    mine = Registration(db, "window", clock)
    mine.beat()
    clock.later(seconds=30)
    mine.beat()
    mine.leave()
    with db.reader() as s:
        assert s.scalar(select(func.count(ChangeRecord.id))) == before


def test_the_database_clock_is_used_whatever_this_pc_says(
    db: Database, second: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a server a PC with a wrong clock still agrees with the others (the server's now());
    on SQLite the PC's clock is the database's (everyone on the file is on this PC)."""
    wrong = datetime(2001, 1, 1, tzinfo=UTC)
    monkeypatch.setattr(presence_module, "utcnow", lambda: wrong)
    mine, theirs = Registration(db, "window"), Registration(second, "window")
    mine.beat()
    seen = theirs.beat()
    assert [s.operator for s in seen] == ["测试员"]  # both keep the same time: seen
    if db.on_server:
        assert seen[0].since.year > 2001  # the server's clock, not the PC's
    else:
        assert seen[0].since == wrong


def test_a_command_is_present_while_it_works_and_gone_after(db: Database, second: Database) -> None:
    watcher = Registration(db, "window")
    with working(second) as command:
        assert command.mine is not None
        assert [(s.operator, s.kind) for s in watcher.beat()] == [("李四", "command")]
    assert watcher.beat() == [] and _rows(db) == 1


def test_a_busy_database_never_stops_a_command(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def busy(_self: Registration) -> list[Seen]:
        raise DatabaseBusy(db.where, 10)

    monkeypatch.setattr(Registration, "beat", busy)
    with working(db) as command:  # neither entering nor leaving raises
        pass
    assert command.mine is None and _rows(db) == 0


def test_an_export_is_shown_to_the_others_while_it_runs(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long command (import, undo-import, export) registers while it works, then leaves."""
    watcher, seen = Registration(db, "window"), []
    real = output_commands.export_ledger

    def watched(*args: Any, **kwargs: Any) -> ExportOutcome:
        seen.extend((s.operator, s.kind) for s in watcher.beat())
        return real(*args, **kwargs)

    monkeypatch.setattr(output_commands, "export_ledger", watched)
    where = db.url.render_as_string(hide_password=False) if db.url else str(db.file)
    out = tmp_path / "台账.xlsx"
    assert main(["--db", where, "--operator", "王科长", "export", "--ledger", "-o", str(out)]) == 0
    assert seen == [("王科长", "command")]
    assert watcher.beat() == [] and _rows(db) == 1  # the command left


def test_a_long_command_keeps_beating(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    real, beats, third = Registration.beat, [], threading.Event()

    def counted(self: Registration) -> list[Seen]:
        found = real(self)
        beats.append(self.mine)
        if len(beats) == 3:
            third.set()
        return found

    monkeypatch.setattr(Registration, "beat", counted)
    monkeypatch.setattr(presence_module, "HEARTBEAT", timedelta(milliseconds=10))
    with working(db):
        assert third.wait(10)  # registered on entry, then beating on its thread
    assert len(set(beats)) == 1 and _rows(db) == 0  # one row all along, gone at the end
