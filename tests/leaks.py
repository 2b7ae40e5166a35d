"""Every database connection a test opens is closed by its end: a Database left open is a
connection that garbage collection closes later, in another test, where psycopg's
ResourceWarning is an error (``filterwarnings = error``) that names the wrong test. Here the
test that left it open fails, naming what it left, and a server's connection is closed."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

# Each server (psycopg) connection open now, by id: what it is, and a weak reference to it.
_open: dict[int, tuple[str, Callable[[], Any] | None]] = {}


def _what(dbapi_connection: Any) -> str:
    dbname = getattr(getattr(dbapi_connection, "info", None), "dbname", None)  # psycopg's
    return f"PostgreSQL {dbname}" if dbname else type(dbapi_connection).__module__


@event.listens_for(Pool, "connect")
def _opened(dbapi_connection: Any, _record: Any) -> None:
    try:
        ref: Callable[[], Any] | None = weakref.ref(dbapi_connection)
    except TypeError:  # sqlite3's: Python 3.11 closes it silently when collected; not followed
        return
    _open[id(dbapi_connection)] = (_what(dbapi_connection), ref)


@event.listens_for(Pool, "close")
def _closed(dbapi_connection: Any, _record: Any) -> None:
    _open.pop(id(dbapi_connection), None)


@event.listens_for(Pool, "close_detached")
def _closed_detached(dbapi_connection: Any) -> None:
    _open.pop(id(dbapi_connection), None)


@pytest.fixture(autouse=True)
def _every_database_closed() -> Iterator[None]:
    """Fail the test that leaves a database connection open (checked after the test's own
    fixtures have closed theirs), closing what it left that can still be reached."""
    before = set(_open)
    yield
    gc.collect()  # what only garbage holds (a caught error's frames) is closed as it goes
    left = [_open.pop(key) for key in set(_open) - before]
    for _, ref in left:
        connection = ref() if ref else None
        if connection is not None:
            connection.close()
    if left:
        names = ", ".join(sorted(what for what, _ in left))
        pytest.fail(f"database connections left open: {names} (close the Database)")
