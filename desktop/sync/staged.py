"""A package's rows of one table in a temporary table, handled as sets.

The rows (global key, label, field texts) are staged once, each text converted by its column's
own type (as a Core write would store it); references stay global keys. One join then finds
the rows already here, and the new ones go in by one ``INSERT … SELECT`` (references resolved
by global key in the same statement, ids in package order) with their change-log lines by
another. Rows go into the stage by ``executemany`` on SQLite and ``COPY`` on PostgreSQL
(:func:`desktop.store.dialects.copy_rows`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy import Connection, Dialect, Row, Table, select

from desktop.models import OWNER, ChangeRecord, utcnow
from desktop.models.base import VERSION
from desktop.store import dialects
from desktop.store.changelog import (
    INSERT_INTO_LOG,
    AuditContext,
    bind_processor,
    decoder,
    period_key_sql,
    stored_value,
)
from desktop.sync.keys import ENTERPRISES, by_period, chunks, fields, key_column, references

Texts = dict[str, str | None]
STAGE = "sync_stage"
LOG = ChangeRecord.__table__


def _converter(table: Table, name: str, dialect: Dialect) -> Callable[[str], Any] | None:
    """What turns a logged text of column ``name`` into the value the driver is given (``None``
    where the text is that value already: plain text, and references, staged as keys)."""
    column = table.c[name]
    if name in references(table) or column.type.python_type is str:
        return None
    decode, process = decoder(table, name), bind_processor(dialect, column)
    if process is None:
        return decode
    return lambda t: process(decode(t))


@cache
def _layout(table: Table, dialect: Dialect, given: tuple[str, ...]) -> tuple[str, str, str, str]:
    """The stage's CREATE, the join from it to the rows here with its keys, and the INSERT of
    its new rows into ``table`` and of their log lines (these two take ?1 … ?4: the lines'
    time, operator, source and batch)."""
    quote = dialect.identifier_preparer.quote
    name = quote(table.name)
    staged = [f"{quote(f)} {_stage_type(table, f, dialect)}" for f in given]
    create = (
        f"CREATE TEMP TABLE {STAGE} (pos INTEGER PRIMARY KEY, row_key TEXT NOT NULL, "
        f"label TEXT NOT NULL, todo INTEGER NOT NULL{''.join(', ' + c for c in staged)})"
    )
    joins, values = [], []
    for number, field in enumerate(given):
        target = references(table).get(field)
        if target is None:
            values.append(f"s.{quote(field)}")
            continue
        alias = f"r{number}"
        joins.append(
            f"LEFT JOIN {quote(target.name)} AS {alias} "
            f"ON {alias}.{quote(key_column(target).name)} = s.{quote(field)}"
        )
        values.append(f"{alias}.id")
    version = [VERSION] if VERSION in table.c else []
    key, keys = ([], []) if by_period(table) else ([quote(key_column(table).name)], ["s.row_key"])
    insert = (
        f"INSERT INTO {name} ({', '.join([*map(quote, given), *key, *version])}) "
        f"SELECT {', '.join([*values, *keys, *(['1'] if version else [])])} "
        f"FROM {STAGE} AS s {' '.join(joins)} WHERE s.todo = 1 ORDER BY s.pos"
    )
    match = _match(table, quote)
    log = (
        INSERT_INTO_LOG + f"SELECT ?1, ?2, ?3, ?4, NULL, '{table.name}', t.id, s.label, 'insert', "
        f"NULL, NULL, NULL FROM {STAGE} AS s {match} WHERE s.todo = 1 ORDER BY s.pos"
    )
    return create, match, insert, log


def _match(table: Table, quote: Callable[[str], str]) -> str:
    """The join from the stage ``s`` to the rows ``t`` of ``table`` with its keys: by the key's
    column, or by enterprise and period (which the stage then holds)."""
    name = quote(table.name)
    if not (period := by_period(table)):
        return f"JOIN {name} AS t ON t.{quote(key_column(table).name)} = s.row_key"
    same = " AND ".join(f"t.{quote(p)} = s.{quote(p)}" for p in period)
    return (
        f"JOIN {quote(ENTERPRISES.name)} AS o ON o.uscc = s.{quote(OWNER)} "
        f"JOIN {name} AS t ON t.{quote(OWNER)} = o.id AND {same}"
    )


def _stage_type(table: Table, name: str, dialect: Dialect) -> str:
    if name in references(table):
        return "TEXT"
    return str(table.c[name].type.compile(dialect=dialect))


class Staged:
    """Rows (global key, label, texts) of one table staged for the length of a ``with``;
    position n is the n-th row given."""

    def __init__(self, conn: Connection, table: Table, rows: list[tuple[str, str, Texts]]):
        self.conn = conn
        self.table = table
        self.rows = rows
        named = set().union(*(texts for _, _, texts in rows)) if rows else set()
        if period := by_period(table):  # the key's parts, always staged (see :meth:`misnamed`)
            named |= {OWNER, *period}
        self.given = tuple(f for f in fields(table) if f in named)
        layout = _layout(table, conn.dialect, self.given)
        self.create, self.match, self.insert_sql, self.log_sql = layout

    def __enter__(self) -> Staged:
        dialects.execute(self.conn, self.create)
        columns = [list(range(1, len(self.rows) + 1)), [k for k, _, _ in self.rows],
                   [label for _, label, _ in self.rows], [1] * len(self.rows)]  # fmt: skip
        for name in self.given:
            texts = [t.get(name) for _, _, t in self.rows]
            convert = _converter(self.table, name, self.conn.dialect)
            columns.append(texts if convert is None else [None if t is None else convert(t)
                                                          for t in texts])  # fmt: skip
        quote = self.conn.dialect.identifier_preparer.quote
        names = ["pos", "row_key", "label", "todo", *map(quote, self.given)]
        dialects.copy_rows(self.conn, STAGE, names, list(zip(*columns, strict=True)))
        return self

    def __exit__(self, error: type[BaseException] | None, *_exc: object) -> None:
        if error is None:  # after an error the transaction's rollback takes the table away
            dialects.execute(self.conn, f"DROP TABLE {STAGE}")

    def existing(self) -> dict[str, Row[Any]]:
        """The rows here with a staged key, by key; they are left out of :meth:`insert`."""
        pairs = dialects.execute(
            self.conn, f"SELECT s.row_key, t.id FROM {STAGE} AS s {self.match}"
        )
        ids: dict[int, str] = {row.id: row.row_key for row in pairs}
        found: dict[str, Row[Any]] = {}
        for part in chunks(list(ids)):
            query = select(self.table).where(self.table.c.id.in_(part))
            found.update((ids[r.id], r) for r in self.conn.execute(query))
        if found:
            here = f"SELECT s.pos FROM {STAGE} AS s {self.match}"
            dialects.execute(self.conn, f"UPDATE {STAGE} SET todo = 0 WHERE pos IN ({here})")
        return found

    def misnamed(self) -> str | None:
        """The label of a staged row whose key is not its enterprise and period (or that names
        neither), if any."""
        if not (period := by_period(self.table)):
            return None
        quote = self.conn.dialect.identifier_preparer.quote
        key = period_key_sql(f"s.{quote(OWNER)}", [f"s.{quote(p)}" for p in period])
        query = f"SELECT s.label FROM {STAGE} AS s WHERE COALESCE({key}, '') <> s.row_key"
        return dialects.execute(self.conn, query + " LIMIT 1").scalar()

    def leave_out(self, positions: list[int]) -> None:
        """Insert not the rows at ``positions``."""
        if positions:
            update = f"UPDATE {STAGE} SET todo = 0 WHERE pos = ?"
            dialects.execute(self.conn, update, [(n,) for n in positions], many=True)

    def insert(self, ctx: AuditContext) -> None:
        """Insert the staged rows not left out (version 1), each with its log line."""
        dialects.execute(self.conn, self.insert_sql)
        at = stored_value(self.conn, LOG.c.at, utcnow())
        dialects.execute(self.conn, self.log_sql, (at, ctx.operator, ctx.source, ctx.batch_id))
