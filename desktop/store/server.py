"""A Relief Desk database on a PostgreSQL server: the engine, what the database holds, and the
advisory locks of migrations, restores, imports and undos (a second program waits, then is
told who holds it).

psycopg 3 is the driver: it is maintained by PostgreSQL's own contributors, ships binary wheels
with libpq inside (nothing to install on a county PC), and supports ``COPY`` for the import.
"""

from __future__ import annotations

import getpass
import socket
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from enum import Enum
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, ExceptionContext
from sqlalchemy.exc import SQLAlchemyError

from desktop.store.errors import (
    DatabaseBusy,
    DatabaseInUse,
    NotPermitted,
    PasswordNeeded,
    StoreError,
)
from desktop.store.grants import Role
from desktop.store.location import shown
from desktop.store.roles import Login, hidden_duplicate, login_of, refusal

LOCK_TIMEOUT_MS = 10_000  # as SQLite's busy timeout: a write waits this long for a row or lock
LOCK_WAIT = LOCK_TIMEOUT_MS / 1000
CONNECT_TIMEOUT_S = 10
# A session's buffers for its temporary tables (the default is 8 MB): an import stages and
# resolves a county's rows in temporary tables (300,000 monthly figures: about 60 MB), which
# otherwise go out to files and are read back. Taken only as pages are used; settable only
# before the session's first temporary table, hence at connection.
TEMP_BUFFERS = "128MB"
# The advisory lock keys, every one here (pg_locks shows a key's low 32 bits as objid):
MIGRATION_LOCK = 0x52444B31  # migrations and restores: the database alone ("RDK1")
BULK_LOCK = 0x52444B32  # an import or an undo, and a restore: one at a time ("RDK2")
APPLICATION = "relief-desk"
NAME_BYTES = 63  # the longest application_name the server keeps (NAMEDATALEN - 1)
PUNYCODE = "xn--"  # what starts a name spelt in punycode (IDNA's prefix)
OUR_TABLES = frozenset({"alembic_version", "enterprise", "change_log"})  # a database is ours
BUSY_STATES = frozenset({"55P03", "40001", "40P01"})  # lock timeout, serialization, deadlock
BAD_PASSWORD = "28P01"
NO_PASSWORD = "no password supplied"  # libpq's words (no SQLSTATE: the client gave up)
NOT_PERMITTED = "42501"  # insufficient_privilege: a grant missing, a row-level security policy
DUPLICATE = "23505"  # unique_violation: for a county login, maybe a row of a unit it cannot see


class ServerKind(Enum):
    """What a server database holds."""

    EMPTY = "empty"  # no tables: a new Relief Desk database
    OURS = "ours"
    FOREIGN = "foreign"  # tables, but not ours


def application_name() -> str:
    """How this program names itself to the server (pg_stat_activity): login and host, in
    ASCII, since the server keeps printable ASCII only (a PC named 县工信局-PC1 would show as
    ????-PC1); :func:`program_shown` reads it back."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "unknown"
    who = f"{login}@{socket.gethostname()}"
    room = NAME_BYTES - len(APPLICATION) - 1
    while len(_ascii(who)) > room:  # cut whole characters: a cut code cannot be read back
        who = who[:-1]
    return f"{APPLICATION} {_ascii(who)}"


def _ascii(text: str) -> str:
    """``text`` itself when ASCII, else its punycode after ``xn--``, as a Chinese host name
    is spelt in DNS (two or three letters a character: 12 of them fit in the name)."""
    return text if text.isascii() else PUNYCODE + text.encode("punycode").decode("ascii")


def program_shown(name: str | None) -> str:
    """The officer's words for a session's ``application_name``: ours in Chinese again,
    another program's as it named itself, 程序 when it named itself nothing."""
    ours = f"{APPLICATION} {PUNYCODE}"
    if name and name.startswith(ours):
        with suppress(UnicodeError):
            return f"{APPLICATION} " + name.removeprefix(ours).encode("ascii").decode("punycode")
    return name or "程序"


def _errors_on_server(url: URL) -> Callable[[ExceptionContext], None]:
    """A ``handle_error`` listener turning a lock wait that timed out into :class:`DatabaseBusy`
    and a write the login may not make into :class:`NotPermitted`."""

    def handle(context: ExceptionContext) -> None:
        original = context.original_exception
        if not isinstance(original, psycopg.Error):
            return
        if original.sqlstate in BUSY_STATES:
            raise DatabaseBusy(shown(url), LOCK_TIMEOUT_MS / 1000) from original
        if original.sqlstate == NOT_PERMITTED:
            user, login = _who(context)
            message = original.diag.message_primary or str(original)
            raise NotPermitted(refusal(login, user, message, context.statement or "")) from original
        if original.sqlstate == DUPLICATE:
            _, login = _who(context)
            if login is not None and login.role is Role.COUNTY:
                table = original.diag.table_name or ""
                raise NotPermitted(hidden_duplicate(login, table)) from original

    return handle


_asking: ContextVar[bool] = ContextVar("asking_who_was_refused", default=False)


def _who(context: ExceptionContext) -> tuple[str, Login | None]:
    """The login refused and its binding, read on a connection of its own (the refused one is
    in a failed transaction)."""
    engine = context.engine
    user, login = (engine.url.username if engine else None), None
    if engine is not None and not _asking.get():
        token = _asking.set(True)  # this look-up refused in turn is not looked up again
        try:
            with engine.connect() as conn:
                user = str(conn.execute(text("SELECT session_user")).scalar_one())
                login = login_of(conn)
        except (SQLAlchemyError, StoreError):  # said all the same, without the binding
            login = None
        finally:
            _asking.reset(token)
    return user or "?", login


def make_server_engine(url: URL) -> Engine:
    """A pooled engine on the server at ``url``: writes wait at most :data:`LOCK_TIMEOUT_MS`."""
    engine = create_engine(
        url,
        pool_pre_ping=True,
        connect_args={
            "application_name": application_name(),
            "connect_timeout": CONNECT_TIMEOUT_S,
            "options": f"-c lock_timeout={LOCK_TIMEOUT_MS} -c TimeZone=UTC "
            f"-c temp_buffers={TEMP_BUFFERS}",
        },
    )
    event.listen(engine, "handle_error", _errors_on_server(url))
    return engine


def cannot_connect(url: URL, exc: BaseException) -> StoreError:
    """The officer's sentence for a server that cannot be reached or refuses the login
    (:class:`PasswordNeeded` when a password is missing or wrong: the window asks for one)."""
    original = getattr(exc, "orig", None) or exc
    reason = str(original).strip().splitlines()[0]
    message = f"无法连接数据库服务器 {shown(url)}：{reason}"
    if getattr(original, "sqlstate", None) == BAD_PASSWORD or NO_PASSWORD in reason:
        return PasswordNeeded(message)
    return StoreError(message)


def server_kind(conn: Connection) -> ServerKind:
    """Whether the database is new, ours (our tables and Alembic's), or another program's."""
    tables = set(inspect(conn).get_table_names())
    if not tables:
        return ServerKind.EMPTY
    if tables >= OUR_TABLES:
        return ServerKind.OURS
    return ServerKind.FOREIGN


_HOLDERS = (
    "SELECT DISTINCT a.application_name, a.usename, a.client_addr FROM pg_locks l "
    "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.granted AND l.pid <> pg_backend_pid() AND "
)
_HERE = "l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
# An advisory lock is its database's: the same key held on another database of the server is
# another database's migration or import, no holder here.
_ADVISORY = f"l.locktype = 'advisory' AND l.objid = :key AND {_HERE}"
_TABLES = (
    f"l.locktype = 'relation' AND a.backend_type = 'client backend' AND {_HERE} "
    "AND l.relation IN (SELECT oid FROM pg_class "
    "WHERE relnamespace = current_schema()::regnamespace)"
)


def _named(rows: Iterable[Any]) -> list[str]:
    return [f"{program_shown(app)}（{user}@{addr or '本机'}）" for app, user, addr in rows]


def lock_holders(conn: Connection, key: int = MIGRATION_LOCK) -> list[str]:
    """「程序（登录@地址）」 for every other session holding the advisory lock ``key``."""
    return _named(conn.execute(text(_HOLDERS + _ADVISORY), {"key": key & 0xFFFFFFFF}))


def table_lock_holders(conn: Connection) -> list[str]:
    """「程序（登录@地址）」 for every other session holding a lock on a table of this database
    (an open transaction that has read or written)."""
    return _named(conn.execute(text(_HOLDERS + _TABLES)))


def _wait_at_most(conn: Connection, seconds: float) -> None:
    """Lock waits of the current transaction give up after ``seconds``."""
    conn.execute(
        text("SELECT set_config('lock_timeout', :ms, true)"), {"ms": f"{round(seconds * 1000)}"}
    )


def _take(conn: Connection, lock: str, key: int, what: str, wait_seconds: float) -> None:
    """Run ``lock`` (a ``pg_advisory…lock`` of ``key``) waiting at most ``wait_seconds``, else
    raise :class:`DatabaseInUse` naming who holds ``key`` (looked up on a connection of its
    own: ``conn``'s transaction failed)."""
    try:
        _wait_at_most(conn, wait_seconds)
        conn.execute(text(f"SELECT {lock}(:key)"), {"key": key})
    except DatabaseBusy as exc:
        with conn.engine.connect() as other:
            holders = lock_holders(other, key)
        raise DatabaseInUse(shown(conn.engine.url), holders, wait_seconds, what) from exc
    _wait_at_most(conn, LOCK_WAIT)  # what the transaction does next waits as usual


@contextmanager
def advisory_lock(
    conn: Connection, what: str, key: int = MIGRATION_LOCK, wait_seconds: float = LOCK_WAIT
) -> Iterator[None]:
    """Hold the exclusive advisory lock ``key`` on ``conn`` while the block runs (a migration,
    a restore); waits ``wait_seconds``, then raises :class:`DatabaseInUse` naming who holds
    it. ``what`` names the step for that message (升级, 恢复)."""
    try:
        _take(conn, "pg_advisory_lock", key, what, wait_seconds)
    except DatabaseInUse:
        conn.rollback()
        raise
    try:
        yield
    finally:
        conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
        conn.commit()


def transaction_lock(
    conn: Connection, what: str, key: int = BULK_LOCK, wait_seconds: float | None = None
) -> None:
    """On a server, take the advisory lock ``key`` until ``conn``'s transaction ends (an undo,
    an import: one at a time); waits ``wait_seconds`` (:data:`LOCK_WAIT` by default), then
    raises :class:`DatabaseInUse` naming who holds it. On SQLite nothing: its write lock already
    lets one writer in."""
    if conn.dialect.name == "postgresql":
        wait = LOCK_WAIT if wait_seconds is None else wait_seconds
        _take(conn, "pg_advisory_xact_lock", key, what, wait)
