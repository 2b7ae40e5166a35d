"""A Relief Desk database on a PostgreSQL server: the engine, what the database holds, and the
migration under an exclusive advisory lock (a second program waits, then is told who holds it).

psycopg 3 is the driver: it is maintained by PostgreSQL's own contributors, ships binary wheels
with libpq inside (nothing to install on a county PC), and supports ``COPY`` for the import.
"""

from __future__ import annotations

import getpass
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum

import psycopg
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, ExceptionContext

from desktop.store.errors import DatabaseBusy, DatabaseInUse, StoreError
from desktop.store.location import shown

LOCK_TIMEOUT_MS = 10_000  # as SQLite's busy timeout: a write waits this long for a row or lock
CONNECT_TIMEOUT_S = 10
MIGRATION_LOCK = 0x52444B31  # the advisory lock key of migrations and restores ("RDK1")
IMPORT_LOCK = 0x52444B32  # held by an import's (and an undo's) transaction: one at a time ("RDK2")
APPLICATION = "relief-desk"
BUSY_STATES = frozenset({"55P03", "40001", "40P01"})  # lock timeout, serialization, deadlock


class ServerKind(Enum):
    """What a server database holds."""

    EMPTY = "empty"  # no tables: a new Relief Desk database
    OURS = "ours"
    FOREIGN = "foreign"  # tables, but not ours


def application_name() -> str:
    """How this program names itself to the server (pg_stat_activity): login and host."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "unknown"
    return f"{APPLICATION} {login}@{socket.gethostname()}"[:63]


def _busy_on_server(url: URL) -> Callable[[ExceptionContext], None]:
    """A ``handle_error`` listener turning a lock wait that timed out into :class:`DatabaseBusy`."""

    def handle(context: ExceptionContext) -> None:
        original = context.original_exception
        if isinstance(original, psycopg.Error) and original.sqlstate in BUSY_STATES:
            raise DatabaseBusy(shown(url), LOCK_TIMEOUT_MS / 1000) from original

    return handle


def make_server_engine(url: URL) -> Engine:
    """A pooled engine on the server at ``url``: writes wait at most :data:`LOCK_TIMEOUT_MS`."""
    engine = create_engine(
        url,
        pool_pre_ping=True,
        connect_args={
            "application_name": application_name(),
            "connect_timeout": CONNECT_TIMEOUT_S,
            "options": f"-c lock_timeout={LOCK_TIMEOUT_MS} -c TimeZone=UTC",
        },
    )
    event.listen(engine, "handle_error", _busy_on_server(url))
    return engine


def cannot_connect(url: URL, exc: BaseException) -> StoreError:
    """The officer's sentence for a server that cannot be reached or refuses the login."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return StoreError(f"无法连接数据库服务器 {shown(url)}：{reason}")


def server_kind(conn: Connection) -> ServerKind:
    """Whether the database is new, ours (our tables and Alembic's), or another program's."""
    tables = set(inspect(conn).get_table_names())
    if not tables:
        return ServerKind.EMPTY
    if {"alembic_version", "enterprise", "change_log"} <= tables:
        return ServerKind.OURS
    return ServerKind.FOREIGN


def lock_holders(conn: Connection, key: int = MIGRATION_LOCK) -> list[str]:
    """「程序（登录@地址）」 for every other session holding the advisory lock ``key``."""
    rows = conn.execute(
        text(
            "SELECT a.application_name, a.usename, a.client_addr FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
            "AND l.granted AND l.objid = :key AND l.pid <> pg_backend_pid()"
        ),
        {"key": key & 0xFFFFFFFF},
    )
    return [f"{app or '程序'}（{user}@{addr or '本机'}）" for app, user, addr in rows]


@contextmanager
def advisory_lock(conn: Connection, what: str, key: int = MIGRATION_LOCK) -> Iterator[None]:
    """Hold the exclusive advisory lock ``key`` on ``conn`` while the block runs (a migration,
    a restore); waits :data:`LOCK_TIMEOUT_MS`, then raises :class:`DatabaseInUse` naming who
    holds it. ``what`` names the step for that message (升级, 恢复)."""
    try:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
    except DatabaseBusy as exc:
        conn.rollback()
        url = conn.engine.url
        raise DatabaseInUse(shown(url), lock_holders(conn, key), exc.waited_seconds, what) from exc
    try:
        yield
    finally:
        conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
        conn.commit()
