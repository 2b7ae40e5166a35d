"""The status bar names the others working on the same database, refreshed on each heartbeat
(off the UI thread); a failed beat is skipped quietly; the window leaves when it closes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.models import Presence
from desktop.qt.widgets import QApplication, QDialog
from desktop.store import Database, DatabaseBusy, open_database
from desktop.store.presence import Program, Registration, Seen
from desktop.ui.background import running
from desktop.ui.main_window import MainWindow
from desktop.ui.presence_bar import PresenceBar, describe
from tests.ui.conftest import OFFICE_SCREEN, screenshot

CST = timezone(timedelta(hours=8))  # 忻州
NOW = datetime(2026, 12, 1, 10, 30, tzinfo=CST)


def _at(hour: int, minute: int, day: int = 1) -> datetime:
    """That time in 忻州, in UTC as the database keeps it (day 30 is in November)."""
    month = 12 if day == 1 else 11
    return datetime(2026, month, day, hour, minute, tzinfo=CST).astimezone(UTC)


def test_the_text_names_each_officer_at_each_pc() -> None:
    seen = [
        Seen("张三", "县工信局-PC1", "window", _at(10, 2)),
        Seen("李四", "县工信局-PC2", "command", _at(10, 5)),
        Seen("张三", "县工信局-PC1", "command", _at(10, 20)),  # 张三's import: still one person
    ]
    text, tip = describe(seen, NOW)
    assert (
        text
        == "另有 2 人在用：张三（县工信局-PC1，10:02 起）、李四（县工信局-PC2，命令行，10:05 起）"
    )
    assert tip.splitlines()[1:] == [
        "张三（县工信局-PC1，10:02 起）",
        "李四（县工信局-PC2，命令行，10:05 起）",
    ]
    assert describe([], NOW) == ("", "")


def test_more_than_two_are_counted_and_yesterday_is_dated() -> None:
    seen = [
        Seen("王五", "财政局-PC", "window", _at(16, 40, day=30)),  # since yesterday
        Seen("赵六", "县工信局-PC3", "window", _at(9, 0)),
        Seen("钱七", "县工信局-PC4", "window", _at(9, 30)),
    ]
    text, tip = describe(seen, NOW)
    assert (
        text
        == "另有 3 人在用：王五（财政局-PC，11月30日 16:40 起）、赵六（县工信局-PC3，09:00 起）等"
    )
    assert "钱七（县工信局-PC4，09:30 起）" in tip


class Others:
    """Two other programs on the window's database (their own Database objects)."""

    def __init__(self, db: Database) -> None:
        where = db.url if db.url is not None else db.file
        self.databases = [open_database(where, "张三"), open_database(where, "李四")]
        self.start = datetime.now(UTC) - timedelta(seconds=20)
        self.programs = []
        for database, name, host, kind in zip(
            self.databases,
            ("张三", "李四"),
            ("县工信局-PC1", "县工信局-PC2"),
            ("window", "command"),
            strict=True,
        ):
            program = Registration(database, kind, self._clock)
            program.program = Program(name, host, 4000, kind)
            program.beat()
            self.programs.append(program)

    def _clock(self, _session: Session) -> datetime:
        return self.start  # recent: within 90 s of the window's clock

    def close(self) -> None:
        for database in self.databases:
            database.close()


@pytest.fixture
def others(db: Database) -> Iterator[Others]:
    found = Others(db)
    yield found
    found.close()


@pytest.fixture
def bar(qtbot: QtBot, db: Database, others: Others) -> Iterator[PresenceBar]:
    """The bar on its own (on each engine), started: its first beat has arrived."""
    found = PresenceBar(db)
    qtbot.addWidget(found)
    found.start()
    qtbot.waitUntil(lambda: found.text() != "")
    yield found
    found.leave()


@pytest.fixture
def win(qtbot: QtBot, db: Database, others: Others) -> Iterator[MainWindow]:
    window = MainWindow(db, remember=False)
    qtbot.addWidget(window)
    window.resize(*OFFICE_SCREEN)
    window.show()
    qtbot.waitUntil(lambda: window.presence.isVisible())  # the first beat, at opening
    yield window
    window.close()


def _expected(others: Others) -> str:
    when = f"{others.start.astimezone():%H:%M}"
    return (
        f"另有 2 人在用：张三（县工信局-PC1，{when} 起）、李四（县工信局-PC2，命令行，{when} 起）"
    )


def _beat(qtbot: QtBot, bar: PresenceBar) -> None:
    """What the timer does every 30 s: one beat, waited for until its result is shown."""
    op = bar.beat()
    assert op is not None and op.wait(10)
    qtbot.waitUntil(lambda: running() == 0)  # the result has reached the UI thread


def _rows(db: Database) -> int:
    with db.reader() as s:
        return s.scalar(select(func.count(Presence.id))) or 0


def test_the_status_bar_shows_the_two_others(win: MainWindow, others: Others) -> None:
    assert win.presence.text() == _expected(others)
    assert win.presence.toolTip().startswith("同时在用这个数据库的：")
    assert win.presence in win.statusBar().findChildren(PresenceBar)
    assert _rows(win.db) == 3  # the window registered itself
    screenshot(win, "presence-two-others")


def test_each_heartbeat_refreshes_the_bar(qtbot: QtBot, bar: PresenceBar, others: Others) -> None:
    assert bar.text() == _expected(others)
    timer = bar._timer
    assert timer.isActive() and timer.interval() == 30_000
    others.programs[1].leave()
    _beat(qtbot, bar)
    assert bar.text().startswith("另有 1 人在用：张三（县工信局-PC1，")
    others.programs[0].leave()
    _beat(qtbot, bar)
    assert bar.text() == "" and bar.isHidden()  # alone: nothing


def test_a_failed_beat_is_skipped_quietly_and_tried_again(
    qtbot: QtBot, bar: PresenceBar, others: Others, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Registration.beat
    release = threading.Event()

    def busy(self: Registration) -> list[Seen]:
        release.wait(10)
        raise DatabaseBusy(self.db.where, 10)

    monkeypatch.setattr(Registration, "beat", busy)
    failing = bar.beat()
    assert failing is not None
    assert bar.beat() is None  # the last beat still waits: this one is skipped
    with qtbot.waitSignal(failing.failed):
        release.set()
    QApplication.processEvents()
    assert bar.text() == _expected(others)  # kept as it was; no dialog
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog)]
    bar._last_shown -= 91  # what is shown is now older than who counts as present
    assert bar.beat() is not None  # fails at once (released)
    qtbot.waitUntil(bar.isHidden)  # no longer shown as if current
    assert bar.text() == ""
    monkeypatch.setattr(Registration, "beat", real)
    others.programs[0].leave()
    _beat(qtbot, bar)  # the next beat goes through
    assert bar.text().startswith("另有 1 人在用：李四")


def test_leaving_deletes_the_row(bar: PresenceBar, db: Database, others: Others) -> None:
    assert _rows(others.databases[0]) == 3
    bar.leave()
    assert _rows(others.databases[0]) == 2
    assert not bar._timer.isActive()


def test_the_window_leaves_when_it_closes(win: MainWindow, others: Others) -> None:
    win.close()
    assert _rows(others.databases[0]) == 2
