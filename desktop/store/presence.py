"""Who is working on this database: each running program keeps one row in ``presence``
(operator, PC, process, window or command, since, last seen) and beats every
:data:`HEARTBEAT`; the others seen within :data:`TIMEOUT` are working. A crashed program's row
is ignored once stale and deleted after :data:`SWEEP_AFTER` by whoever beats next.

The clock is the database's: on PostgreSQL the server's ``now()``, so PCs whose clocks are wrong
still agree; on SQLite this PC's clock, which every program on the file shares (a SQLite file
is used on the PC it is on, never over a network share). Tests inject their own clock.

The rows are not business data and are not in the change log; the rows a restored backup
brings back are stale: ignored, then swept.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from desktop.models import Presence, utcnow
from desktop.store.database import Database
from desktop.store.errors import StoreError

HEARTBEAT = timedelta(seconds=30)  # how often a program says it is still there
TIMEOUT = timedelta(seconds=90)  # not seen for this long: gone (three beats missed)
SWEEP_AFTER = timedelta(hours=1)  # a row not seen for this long is deleted
Clock = Callable[[Session], datetime]


def database_now(session: Session) -> datetime:
    """The database's time, aware, in UTC: the server's ``now()``, or this PC's on SQLite."""
    if session.get_bind().dialect.name == "sqlite":
        return utcnow()
    return session.execute(select(func.now())).scalar_one()


@dataclass(frozen=True)
class Program:
    """This program, as the others see it."""

    operator: str
    host: str
    pid: int
    kind: str  # window or command

    @classmethod
    def this(cls, operator: str, kind: str) -> Program:
        """The running process on this PC, for ``operator``."""
        return cls(operator[:50], socket.gethostname()[:100] or "本机", os.getpid(), kind)


@dataclass(frozen=True)
class Seen:
    """Another program working on the database."""

    operator: str
    host: str
    kind: str
    since: datetime


@dataclass(frozen=True)
class Mine:
    """This program's row: its id, and the PC, process and start that no other running
    program's row shares (an id freed by a sweep may be given to another program on SQLite)."""

    id: int
    host: str
    pid: int
    since: datetime

    def row(self) -> ColumnElement[bool]:
        """The condition selecting this row, and only it."""
        return and_(
            Presence.id == self.id,
            Presence.host == self.host,
            Presence.pid == self.pid,
            Presence.since == self.since,
        )


def register(session: Session, program: Program, now: datetime, since: datetime) -> Mine:
    """Add ``program``'s row (working since ``since``, seen ``now``)."""
    values = {
        "operator": program.operator,
        "host": program.host,
        "pid": program.pid,
        "kind": program.kind,
        "since": since,
        "last_seen": now,
    }
    key = session.connection().execute(insert(Presence).values(values)).inserted_primary_key
    assert key is not None
    return Mine(int(key[0]), program.host, program.pid, since)


def heartbeat(session: Session, mine: Mine, now: datetime) -> bool:
    """Mark ``mine`` seen ``now``; False when it is gone (swept while this PC slept)."""
    seen = update(Presence).where(mine.row()).values(last_seen=now)
    return bool(session.connection().execute(seen).rowcount)


def leave(session: Session, mine: Mine) -> None:
    """Delete ``mine``: this program stops working."""
    session.execute(delete(Presence).where(mine.row()))


def sweep(session: Session, now: datetime) -> None:
    """Delete the rows not seen for :data:`SWEEP_AFTER` (programs that crashed or were killed)."""
    session.execute(delete(Presence).where(Presence.last_seen < now - SWEEP_AFTER))


def others(session: Session, now: datetime, excluding: Mine | None = None) -> list[Seen]:
    """The programs seen within :data:`TIMEOUT` of ``now`` but ``excluding``, earliest first."""
    query = (
        select(Presence.operator, Presence.host, Presence.kind, Presence.since)
        .where(Presence.last_seen >= now - TIMEOUT)
        .order_by(Presence.since, Presence.id)
    )
    if excluding is not None:
        query = query.where(Presence.id != excluding.id)
    return [Seen(*row) for row in session.execute(query)]


class Registration:
    """This program's row on ``db``: :meth:`beat` registers it (again, if it was swept),
    keeps it fresh and reads the others; :meth:`leave` deletes it."""

    def __init__(self, db: Database, kind: str, clock: Clock = database_now) -> None:
        self.db = db
        self.program = Program.this(db.operator, kind)
        self.mine: Mine | None = None
        self._clock = clock

    def beat(self) -> list[Seen]:
        """Say this program is still working, sweep stale rows, and return the others: one
        short write transaction. Raises StoreError or SQLAlchemyError when the database is busy
        or gone (the caller skips this beat and tries again)."""
        with self.db.session("presence") as session:
            now = self._clock(session)
            if self.mine is None or not heartbeat(session, self.mine, now):
                since = self.mine.since if self.mine else now
                self.mine = register(session, self.program, now, since)
            sweep(session, now)
            return others(session, now, excluding=self.mine)

    def leave(self) -> None:
        """Delete this program's row (at exit); nothing when it never registered."""
        if self.mine is None:
            return
        with self.db.session("presence") as session:
            leave(session, self.mine)
        self.mine = None


FAILURES = (StoreError, SQLAlchemyError)  # a busy or unreachable database: skip the beat


@contextmanager
def working(db: Database, kind: str = "command") -> Iterator[Registration]:
    """Registered on ``db`` while the block runs, beating every :data:`HEARTBEAT` on a thread
    (a long command); a beat or leave that fails is skipped: presence never stops the work."""
    me = Registration(db, kind)
    stop = threading.Event()

    def beat() -> None:
        with suppress(*FAILURES):
            me.beat()

    def beating() -> None:
        while not stop.wait(HEARTBEAT.total_seconds()):
            beat()

    beat()
    thread = threading.Thread(target=beating, name="presence", daemon=True)
    thread.start()
    try:
        yield me
    finally:
        stop.set()
        thread.join()
        with suppress(*FAILURES):
            me.leave()
