"""Who else is working on this database, in the status bar (TEAM.md "Several officers at once").

The window registers when it opens and beats every 30 s off the UI thread (a beat waits for
the database at most its busy timeout, which must never freeze the window); each beat brings
the others seen within 90 s, and the label shows them (nothing when alone). A beat that fails
(the database busy or out of reach) is skipped without a word and tried again at the next.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from desktop.qt.core import QTimer
from desktop.qt.widgets import QLabel, QWidget
from desktop.store import Database
from desktop.store.presence import (
    FAILURES,
    HEARTBEAT,
    TIMEOUT,
    Clock,
    Registration,
    Seen,
    database_now,
)
from desktop.ui.background import BackgroundOp

LEAVE_WAIT_S = 15  # at most a beat's wait for the database (busy or lock timeout, 10 s)
NAMED = 2  # people named in the bar; the rest are in its tooltip
COMMAND = "命令行"


@dataclass(frozen=True)
class Person:
    """An officer at one PC: the earliest start of their programs; only commands, or a window."""

    operator: str
    host: str
    since: datetime
    commands_only: bool

    def text(self, now: datetime) -> str:
        """「张三（县工信局-PC1，10:02 起）」 in the time zone of ``now``."""
        since = self.since.astimezone(now.tzinfo)
        day = "" if since.date() == now.date() else f"{since.month}月{since.day}日 "
        when = f"{day}{since:%H:%M}"
        how = f"{COMMAND}，" if self.commands_only else ""
        return f"{self.operator}（{self.host}，{how}{when} 起）"


def people(seen: Sequence[Seen]) -> list[Person]:
    """The programs seen, one entry per officer and PC (a window and an import are one person)."""
    found: dict[tuple[str, str], Person] = {}
    for s in seen:
        key = (s.operator, s.host)
        before = found.get(key)
        commands_only = s.kind == "command" and (before is None or before.commands_only)
        since = s.since if before is None else min(before.since, s.since)
        found[key] = Person(s.operator, s.host, since, commands_only)
    return sorted(found.values(), key=lambda p: p.since)


def describe(seen: Sequence[Seen], now: datetime) -> tuple[str, str]:
    """The bar's text and tooltip: 「另有 2 人在用：张三（…）、李四（…）」, empty when alone."""
    found = [p.text(now) for p in people(seen)]
    if not found:
        return "", ""
    more = "等" if len(found) > NAMED else ""
    text = f"另有 {len(found)} 人在用：{'、'.join(found[:NAMED])}{more}"
    return text, "同时在用这个数据库的：\n" + "\n".join(found)


class PresenceBar(QLabel):
    """The others working on the database; registers this window and keeps it present."""

    def __init__(
        self, db: Database, parent: QWidget | None = None, *, clock: Clock = database_now
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._me = Registration(db, "window", clock)
        self._op: BackgroundOp | None = None
        self._last_shown = time.monotonic()
        self._timer = QTimer(self, interval=int(HEARTBEAT.total_seconds() * 1000))
        self._timer.timeout.connect(self.beat)
        self.setStyleSheet("QLabel { color: #1f5f99; margin-left: 12px; }")  # set off from 操作人
        self.hide()

    def start(self) -> None:
        """Register now (off the UI thread) and beat every 30 s."""
        self.beat()
        self._timer.start()

    def beat(self) -> BackgroundOp | None:
        """Beat off the UI thread; skipped (None) while the last beat still waits."""
        if self._op is not None and not self._op.is_done():
            return None
        me = self._me
        op = self._op = BackgroundOp(lambda _progress: me.beat())  # no parent: one each 30 s
        op.succeeded.connect(lambda seen, source=me: self._show(seen, source))
        op.failed.connect(self._missed)
        op.start()
        return op

    def _show(self, seen: list[Seen], source: Registration) -> None:
        if source is not self._me:  # a beat on the database this window no longer shows
            return
        text, tip = describe(seen, datetime.now().astimezone())
        self.setText(text)
        self.setToolTip(tip)
        self.setVisible(bool(text))
        self._last_shown = time.monotonic()

    def _missed(self, _error: BaseException) -> None:
        """A failed beat: keep what is shown, unless it is older than who counts as present."""
        if time.monotonic() - self._last_shown > TIMEOUT.total_seconds():
            self.clear()
            self.hide()

    def set_database(self, db: Database) -> None:
        """Work on ``db`` now (after a restore): register there."""
        self._me = Registration(db, "window", self._clock)
        self._op = None  # a beat still under way on the old database is ignored
        self.start()

    def leave(self) -> None:
        """Stop beating and delete this window's row (closing, or before a restore); a
        database that cannot be written now is left to forget it (its row goes stale)."""
        self._timer.stop()
        if self._op is not None:
            self._op.wait(LEAVE_WAIT_S)  # a beat under way may be registering this window
        with suppress(*FAILURES):
            self._me.leave()
