"""The SQLite engine: pragmas on every connection, writes begun as writes, busy as an error.

A transaction on the engine begins with ``BEGIN IMMEDIATE``: it takes the write lock first
(waiting up to the busy timeout), so a save that reads, then writes never fails half-way
because another program committed in between (SQLITE_BUSY_SNAPSHOT). The reader engine
(:func:`reads_of`) begins ``DEFERRED`` with ``query_only`` on: it never takes the write lock.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, ExceptionContext
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry, NullPool

from desktop.store.errors import DatabaseBusy, StoreError
from desktop.store.identity import carry_file_id, read_only

BUSY_TIMEOUT_MS = 10_000
READ_ONLY = "relief_desk_read_only"  # the execution option of the reader engine
DISK_FULL_BYTES = 1 << 20  # less free than this, and SQLite cannot make its WAL files
# The page cache of a connection, in KiB (SQLite's default is 2 MiB). An import writes a
# county's rows into tables whose indexes (the random global keys above all) are touched all
# over: with the default cache SQLite spills and rereads pages, and writing 300,000 monthly
# figures took twice the time. Taken only as pages are used; 64 MiB was no faster and put the
# import benchmark's peak memory over its 400 MB.
CACHE_KIB = 32 * 1024


def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # Autocommit at the driver; the "begin" event below issues BEGIN itself, so PRAGMAs
    # (foreign_keys above all) can be set outside a transaction, where SQLite honours them.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cursor.close()


def _on_begin(conn: Connection) -> None:
    """``BEGIN IMMEDIATE`` for a write, carrying the file's id; a read begins deferred and may
    not write."""
    reading = bool(conn.get_execution_options().get(READ_ONLY))
    conn.exec_driver_sql(f"PRAGMA query_only={int(reading)}")
    conn.exec_driver_sql("BEGIN DEFERRED" if reading else "BEGIN IMMEDIATE")
    if not reading:
        carry_file_id(conn)


@contextmanager
def temporary_writes(conn: Connection) -> Iterator[None]:
    """Let a read fill TEMPORARY tables (they live in the connection's own temp database and take
    no lock on the file): ``query_only`` is lifted meanwhile, and restored for a read. On a
    server the reader needs nothing lifted: its transactions are not read-only (the login's
    grants are what forbid writes there)."""
    if conn.dialect.name != "sqlite":  # a server's reader is a plain transaction
        yield
        return
    reading = bool(conn.get_execution_options().get(READ_ONLY))
    conn.exec_driver_sql("PRAGMA query_only=0")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA query_only={int(reading)}")


def is_busy(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" (SQLITE_BUSY and its extended codes)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(exc, sqlite3.OperationalError) and code is not None and code & 0xFF == 5


def _busy_as_store_error(path: Path) -> Callable[[ExceptionContext], None]:
    """A ``handle_error`` listener turning SQLITE_BUSY into :class:`DatabaseBusy`."""

    def handle(context: ExceptionContext) -> None:
        if is_busy(context.original_exception):
            raise DatabaseBusy(path, BUSY_TIMEOUT_MS / 1000) from context.original_exception

    return handle


def database_url(path: Path) -> URL:
    """The URL of the file at ``path``, built so that ``?`` or ``%`` in a name stay the name's."""
    return URL.create("sqlite", database=str(path))


def _exclusive(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    dbapi_connection.execute("PRAGMA locking_mode=EXCLUSIVE")


def make_engine(path: Path, *, exclusive: bool = False) -> Engine:
    """An engine on the file at ``path`` with foreign keys, WAL and synchronous=FULL.

    With ``exclusive`` each connection (not pooled) holds the file's exclusive lock from its
    first use until it closes: no other program reads or writes meanwhile (a migration).
    """
    engine = create_engine(database_url(path), poolclass=NullPool if exclusive else None)
    if exclusive:
        event.listen(engine, "connect", _exclusive)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    event.listen(engine, "handle_error", _busy_as_store_error(path))
    return engine


def reads_of(engine: Engine) -> Engine:
    """The same engine (and pool) for reading only: on SQLite deferred transactions with
    ``query_only``, which never take the write lock (on a server, plain transactions)."""
    return engine.execution_options(**{READ_ONLY: True})


DAMAGE_CODES = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB


def check_file(path: Path, *, full: bool = False) -> str | None:
    """``None`` when the file passes ``quick_check`` (``integrity_check`` when ``full``), else
    the damage found; never writes. A file that cannot be checked for another reason (a full
    disk, no permission) raises :class:`StoreError` saying so: that is not damage."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        conn = read_only(path)
        try:
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF in DAMAGE_CODES:
            return str(exc)
        raise StoreError(cannot_open(path, exc)) from exc
    problems = [r[0] for r in rows if r[0] != "ok"]
    return "；".join(problems[:3]) if problems else None


def cannot_open(path: Path, exc: BaseException) -> str:
    """Why ``path`` cannot be opened when it is not damaged: a full disk, a read-only folder…"""
    if free_bytes(path.parent) < DISK_FULL_BYTES:
        return f"磁盘空间已满，无法打开数据库 {path}（文件本身未损坏）；请先清理磁盘"
    if not writable(path):
        return f"数据库所在位置只读，无法打开 {path}（文件本身未损坏）；请换到可写的文件夹"
    return f"无法打开数据库 {path}（{exc}）"


def free_bytes(folder: Path) -> int:
    """Free space where ``folder`` is (unknown counts as plenty)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return DISK_FULL_BYTES


def writable(path: Path) -> bool:
    """True when this program may write ``path`` and create files beside it (-wal, -shm)."""
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))
