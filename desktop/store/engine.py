"""The SQLite engine: pragmas on every connection, real transactions, and the file check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry


def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # Autocommit at the driver; SQLAlchemy's "begin" event issues BEGIN itself, so PRAGMAs
    # (foreign_keys above all) can be set outside a transaction, where SQLite honours them.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(path: Path) -> Engine:
    """An engine on the file at ``path`` with foreign keys, WAL and synchronous=FULL."""
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    return engine


def check_file(path: Path) -> str | None:
    """``None`` when the file passes ``PRAGMA quick_check``, else what is wrong; never writes."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()
    problems = [r[0] for r in rows if r[0] != "ok"]
    return "；".join(problems[:3]) if problems else None
