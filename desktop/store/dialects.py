"""The one place where SQL differs between SQLite and PostgreSQL: hand-written statements go to
the driver through :func:`execute`, and the few expressions the two engines spell differently
come from the functions here, chosen by the connection's dialect.

Statements are written with ``?`` (or numbered ``?N``) marks as SQLite takes them; for psycopg
they become ``%s`` (or ``%(pN)s``) and a literal ``%`` is doubled.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, CursorResult, Select
from sqlalchemy.exc import IntegrityError

_NUMBERED = re.compile(r"\?(\d+)")
Params = Sequence[Any] | Sequence[Sequence[Any]] | None


@cache
def for_driver(sql: str, paramstyle: str) -> tuple[str, bool]:
    """``sql`` in the driver's paramstyle, and whether its parameters must be named."""
    if paramstyle == "qmark":
        return sql, False
    escaped = sql.replace("%", "%%")
    if _NUMBERED.search(escaped) or "?" not in escaped:
        # Named, as are those without marks: psycopg ignores the names a statement leaves out
        # (an engine's spelling may use fewer of the numbered values than the other's).
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


BULK_WORK_MEM = "64MB"  # 300,000 monthly figures' resolved rows sort in about 45 MB


def bulk_settings(conn: Connection) -> None:
    """Settings for the rest of a bulk write's transaction (an import's): on PostgreSQL its sorts
    and hashes of a county's rows are done in memory (with the default 4 MB they spill to
    temporary files, and reading them back took a fifth of the merge's time). Nothing on SQLite.
    """
    if not is_sqlite(conn):
        execute(conn, f"SET LOCAL work_mem = '{BULK_WORK_MEM}'")


def position_column(dialect: str) -> str:
    """The column ``pos`` numbering a temporary table's rows: on SQLite its rowid (free, and the
    order rows were added in); on PostgreSQL a plain column, as nothing looks a row up by it (a
    primary key would be an index for ``COPY`` to fill: twice its time)."""
    return "pos INTEGER PRIMARY KEY" if dialect == "sqlite" else "pos INTEGER"


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


def month_code(year: str, month: str) -> str:
    """SQL for the code ``2023-03`` of a ``year`` and ``month`` (one spelling for both)."""
    return f"{year} || '-' || CASE WHEN {month} < 10 THEN '0' ELSE '' END || {month}"


def date_text(value: str, dialect: str) -> str:
    """SQL for the ISO text of a stored date ``value`` (SQLite keeps the text itself)."""
    return value if dialect == "sqlite" else f"CAST({value} AS TEXT)"


def typed_mark(mark: str, type_sql: str, dialect: str) -> str:
    """``mark`` (``?3``) for a value of the SQL type ``type_sql`` where the statement alone
    cannot tell it (a value selected into a new table): PostgreSQL would take an untyped NULL
    as text; SQLite keeps values as given (its CAST to DATE would make a number of a date's
    text)."""
    return mark if dialect == "sqlite" else f"CAST({mark} AS {type_sql})"


@dataclass(frozen=True, slots=True)
class NewRows:
    """How SQL over a merge's resolved rows (made new rows first, then the existing, each in
    sheet order) numbers its new rows; its statements take ``?1`` from :meth:`base`.

    On SQLite the n-th new row is rowid n of the resolved table and takes id ``?1`` (the
    table's largest id) + n. On PostgreSQL other sessions insert at the same time, so ids come
    from the table's sequence (``?1``): ``column`` draws them while the resolved rows are made,
    after their sort (PostgreSQL evaluates volatile output expressions after ORDER BY), so they
    too follow the sheet's order.
    """

    column: str  # the resolved table's column of new ids ("" when none is kept)
    new_id: str  # a new row's id
    new: str  # the condition picking new rows
    existing: str  # the condition picking existing rows
    order: str  # new rows in sheet order (SQLite's rowid: read in order, never sorted)

    def base(self, conn: Connection, table: str) -> int | str:
        """``?1``: the largest id of ``table`` on SQLite, the sequence of its ids on PostgreSQL."""
        return _largest_id(conn, table) if is_sqlite(conn) else id_sequence(conn, table)


def new_rows(dialect: str, stored_id: str) -> NewRows:
    """How new rows are numbered in ``dialect``; ``stored_id`` is the resolve's SQL of the id
    of the row already stored (NULL for a new row)."""
    if dialect == "sqlite":
        return NewRows("", "?1 + rowid", "rowid <= ?2", "rowid > ?2", "rowid")
    column = f"CASE WHEN {stored_id} IS NULL THEN nextval(CAST(?1 AS regclass)) END AS new_id, "
    return NewRows(column, "new_id", "existing_id IS NULL", "existing_id IS NOT NULL", "new_id")


_SEQUENCE = "pg_get_serial_sequence(?1, 'id')"  # of the table ?1, whatever its name


def _largest_id(conn: Connection, table: str) -> int:
    return int(execute(conn, f"SELECT coalesce(max(id), 0) FROM {table}").scalar_one())


def id_sequence(conn: Connection, table: str) -> str:
    """The sequence giving ``table``'s ids on PostgreSQL (its SERIAL id's)."""
    return str(execute(conn, f"SELECT {_SEQUENCE}", (table,)).scalar_one())


def next_ids(conn: Connection, table: str, count: int) -> list[int]:
    """``count`` new ids for ``table``, increasing: max + 1 … on SQLite (its writer is alone),
    from the table's sequence on PostgreSQL (never max + 1: others insert at the same time)."""
    if is_sqlite(conn):
        top = _largest_id(conn, table)
        return list(range(top + 1, top + 1 + count))
    drawn = (  # the sequence looked up once, then drawn from ``count`` times in one statement
        f"WITH s AS MATERIALIZED (SELECT CAST({_SEQUENCE} AS regclass) AS id) "
        "SELECT nextval(s.id) FROM s, generate_series(1, ?2) ORDER BY 1"
    )
    return list(execute(conn, drawn, (table, count)).scalars())


@dataclass(frozen=True, slots=True)
class LogIds:
    """How SQL numbers the lines it adds to the change log beside it (in ``import_line``): the
    n-th line of ``order`` takes ``sql``, which reads ``?`` mark ``mark`` from :meth:`base`.

    On SQLite the n-th takes the log's top id (reserved beyond it: the log's ``AUTOINCREMENT``
    never gives those ids again) + n, n being the statement's ``rowid``; on PostgreSQL each
    draws from the log's sequence, after the sort (as :class:`NewRows`' ids).
    """

    mark: str

    def sql(self, dialect: str) -> str:
        if dialect == "sqlite":
            return f"{self.mark} + rowid"
        return f"nextval(CAST({self.mark} AS regclass))"

    def base(self, conn: Connection, count: int) -> int | str:
        """The value of the mark for ``count`` new lines (on SQLite reserving their ids)."""
        if not is_sqlite(conn):
            return id_sequence(conn, LOG_TABLE)
        top = int(execute(conn, _LOG_TOP).scalar_one())
        if not execute(conn, _RESERVE, (top + count,)).rowcount:
            execute(conn, "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)",
                    (LOG_TABLE, top + count))  # fmt: skip
        return top


LOG_TABLE = "change_log"
_LOG_TOP = (  # the largest id the log has given, in either table
    f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{LOG_TABLE}'), 0), "
    f"coalesce((SELECT max(id) FROM {LOG_TABLE}), 0), "
    "coalesce((SELECT max(id) FROM import_line), 0))"
)
_RESERVE = f"UPDATE sqlite_sequence SET seq = ? WHERE name = '{LOG_TABLE}'"


def copy_rows(
    conn: Connection, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Append ``rows`` (driver values of ``columns``, already quoted) to ``table``: one
    ``executemany`` on SQLite, ``COPY`` on PostgreSQL (a tenth of the time of an INSERT a row)."""
    if is_sqlite(conn):
        marks = ", ".join("?" * len(columns))
        conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        return
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def driver_rows(conn: Connection, statement: Select[Any]) -> list[tuple[Any, ...]]:
    """The rows of a Core ``statement`` as the driver returns them (no type processing)."""
    compiled = statement.compile(dialect=conn.dialect)
    params = compiled.construct_params()
    given: Any = [params[k] for k in compiled.positiontup or ()] if compiled.positional else params
    cursor = conn.connection.cursor()
    try:
        cursor.execute(str(compiled), given)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def breaks_unique(exc: IntegrityError, table: str, column: str) -> bool:
    """Whether ``exc`` refused a second row with the same ``column`` of ``table`` (SQLite names
    the column; PostgreSQL the constraint, named by the models' naming convention)."""
    said = str(exc.orig)
    return f"UNIQUE constraint failed: {table}.{column}" in said or f'"uq_{table}_{column}"' in said
