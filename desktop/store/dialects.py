"""The one place where SQL differs between SQLite and PostgreSQL: hand-written statements go to
the driver through :func:`execute`, and the few expressions the two engines spell differently
come from the functions here, chosen by the connection's dialect.

Statements are written with ``?`` (or numbered ``?N``) marks as SQLite takes them; for psycopg
they become ``%s`` (or ``%(pN)s``) and a literal ``%`` is doubled.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, CursorResult

_NUMBERED = re.compile(r"\?(\d+)")
Params = Sequence[Any] | Sequence[Sequence[Any]] | None


@cache
def for_driver(sql: str, paramstyle: str) -> tuple[str, bool]:
    """``sql`` in the driver's paramstyle, and whether its parameters must be named."""
    if paramstyle == "qmark":
        return sql, False
    escaped = sql.replace("%", "%%")
    if _NUMBERED.search(escaped):
        return _NUMBERED.sub(lambda m: f"%(p{m[1]})s", escaped), True
    return escaped.replace("?", "%s"), False


def _named(values: Sequence[Any]) -> dict[str, Any]:
    return {f"p{i}": v for i, v in enumerate(values, start=1)}


def execute(
    conn: Connection, sql: str, params: Params = None, *, many: bool = False
) -> CursorResult[Any]:
    """Run ``sql`` (SQLite's marks) with ``params`` (a list of rows when ``many``) on ``conn``."""
    text, named = for_driver(sql, conn.dialect.paramstyle)
    if params is None:
        return conn.exec_driver_sql(text)
    given: Any
    if named:
        given = [_named(row) for row in params] if many else _named(params)
    else:
        given = list(params) if many else tuple(params)
    return conn.exec_driver_sql(text, given)


def is_sqlite(conn: Connection) -> bool:
    """True on a SQLite file."""
    return conn.dialect.name == "sqlite"


def yuan_text_of_fen(value: str, dialect: str) -> str:
    """SQL for the text ``-12.30`` of a whole number of fen ``value`` (NULL stays NULL)."""
    if dialect == "sqlite":
        sign, fen = f"iif({value} < 0, '-', '')", f"abs({value})"
        return f"iif({value} IS NULL, NULL, printf('%s%d.%02d', {sign}, {fen} / 100, {fen} % 100))"
    return f"CAST(CAST(CAST({value} AS NUMERIC) / 100 AS NUMERIC(20, 2)) AS TEXT)"


def two_places_text(value: str, dialect: str) -> str:
    """SQL for the text of a decimal ``value`` with two places (NULL stays NULL)."""
    if dialect == "sqlite":
        return f"iif({value} IS NULL, NULL, printf('%.2f', {value}))"
    return f"CAST(round(CAST({value} AS NUMERIC), 2) AS TEXT)"


def json_string(value: str, dialect: str) -> str:
    """SQL for the JSON text of ``value`` as ``json.dumps`` writes it (``null`` for NULL)."""
    if dialect == "sqlite":
        return f"json_quote({value})"
    return f"coalesce(CAST(to_json({value}) AS TEXT), 'null')"


def two_digits(value: str, dialect: str) -> str:
    """SQL for the integer ``value`` as text of at least two digits (a month: ``03``)."""
    if dialect == "sqlite":
        return f"printf('%02d', {value})"
    return f"lpad(CAST({value} AS TEXT), 2, '0')"
