"""The package lines of rows new in an export's window, made by SQL.

The common case of a package is the rows an import inserted: each has one line in the window,
its insert, and no conflict's resolution. Such a row is sent whole (nothing changed since a
base, base version 0, by and at its line's), so its package line needs nothing of the log but
that line: SQL writes it, byte for byte as :meth:`RowChange.to_line` encoded by the package's
JSON encoder would, from the row as it is now. Every other row goes the general way
(:func:`desktop.sync.export.cut`), and so does a row SQL cannot write: of a table with a field
only Python can text, or referring to a row no longer here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    select,
)

from desktop.models.base import VERSION
from desktop.store import dialects
from desktop.store.changelog import LINES, logged_text_sql, period_key_sql
from desktop.sync.keys import OWNER, by_period, fields, key_column, references, synced
from desktop.sync.package import LINE, UPSERT

DECISION = "conflict"  # the source of the log lines a conflict's resolution writes

_TEMP = MetaData()
NEW = Table(
    "export_new",
    _TEMP,
    Column("table_name", String, primary_key=True),
    Column("row_id", Integer, primary_key=True),
    Column("line_id", Integer, nullable=False),
    Column("row_key", String),
    Column("at", LINES.c.at.type),
    Column("operator", String),
    prefixes=["TEMPORARY"],
)
"""The rows new in the window (their one line)."""
LINE_OF = Table(
    "export_line",
    _TEMP,
    Column("table_name", String, primary_key=True),
    Column("line_id", Integer, primary_key=True),
    Column("line", Text, nullable=False),
    prefixes=["TEMPORARY"],
)
"""The package line SQL made of each new row that it could, by table and line id."""
BY = Table(
    "export_by",
    _TEMP,
    Column("at", LINES.c.at.type, primary_key=True),
    Column("operator", String, primary_key=True),
    Column("tail", Text, nullable=False),
    prefixes=["TEMPORARY"],
)
"""Each time and author of the new rows' lines, and the end of their package lines."""


def text_sql(conn: Connection, table: Table, name: str, alias: str | None = None) -> str | None:
    """SQL for the logged text of column ``name`` as stored (None: Python makes it), of the
    table or of its ``alias``."""
    column = table.c[name]
    if name in references(table) or column.type.python_type not in (bool, int, str, Decimal, date):
        return None
    quote = conn.dialect.identifier_preparer.quote
    value = f"{alias or quote(table.name)}.{quote(name)}"
    return logged_text_sql(column, value, conn.dialect.name)


class FreshRows:
    """The rows new in the window ``where`` (conditions on :data:`LINES`), their package lines
    made, for the length of a ``with``."""

    def __init__(self, conn: Connection, where: list[ColumnElement[bool]]):
        self.conn = conn
        self.where = where

    def __enter__(self) -> FreshRows:
        for temporary in (NEW, BY, LINE_OF):
            temporary.create(self.conn)
        lines = LINES.c
        one = func.min
        single = (
            select(lines.table_name, lines.row_id, one(lines.id), one(lines.row_key),
                   one(lines.at), one(lines.operator))
            .where(*self.where)
            .group_by(lines.table_name, lines.row_id)
            .having(func.count() == 1, one(lines.action) == "insert",
                    one(lines.source) != DECISION, one(lines.operator).is_not(None))
        )  # fmt: skip
        names = ["table_name", "row_id", "line_id", "row_key", "at", "operator"]
        self.conn.execute(NEW.insert().from_select(names, single))
        self._tails()
        found = dialects.execute(self.conn, "SELECT DISTINCT table_name FROM export_new")
        for (name,) in list(found):
            table = synced(name)
            assert table is not None
            self._write(table)
        dialects.execute(  # the rows SQL wrote no line of go the general way
            self.conn,
            "DELETE FROM export_new WHERE NOT EXISTS "
            "(SELECT 1 FROM export_line AS l WHERE l.table_name = export_new.table_name "
            "AND l.line_id = export_new.line_id)",
        )
        return self

    def __exit__(self, error: type[BaseException] | None, *_exc: object) -> None:
        if error is None:  # after an error the transaction's rollback takes the tables away
            for temporary in (LINE_OF, BY, NEW):
                temporary.drop(self.conn)

    def _tails(self) -> None:
        """Each time and author's end of a line: by and at (as Python writes the time)."""
        found = dialects.execute(self.conn, "SELECT DISTINCT at, operator FROM export_new")
        typed = _result_processor(self.conn)
        rows = [
            (at, by, "," + LINE({"by": by, "at": typed(at).isoformat(), "decided": None})[1:])
            for at, by in cast(Iterable[tuple[Any, str]], found)
        ]
        if rows:
            insert = "INSERT INTO export_by (at, operator, tail) VALUES (?, ?, ?)"
            dialects.execute(self.conn, insert, rows, many=True)

    def _write(self, table: Table) -> None:
        """The package lines of the new rows of ``table``, where SQL can write them (the rest
        stay without one)."""
        line = line_sql(self.conn, table)
        if line is None:
            return
        text, joins, resolved = line
        dialects.execute(
            self.conn,
            f"INSERT INTO export_line (line_id, table_name, line) "
            f"SELECT export_new.line_id, export_new.table_name, {text} || b.tail "
            f"FROM export_new CROSS JOIN {joins} "  # each new row looks up its own
            "JOIN export_by AS b ON b.at = export_new.at AND b.operator = export_new.operator "
            f"WHERE export_new.table_name = ? AND t.id = export_new.row_id AND {resolved}",
            (table.name,),
        )

    def lines(self, table: Table) -> list[tuple[int, str]]:
        """The new rows' package lines of ``table`` with each one's line id, in its order."""
        query = "SELECT line_id, line FROM export_line WHERE table_name = ? ORDER BY line_id"
        found = dialects.execute(self.conn, query, (table.name,)).all()
        return cast(list[tuple[int, str]], found)


def line_sql(conn: Connection, table: Table) -> tuple[str, str, str] | None:
    """SQL of a new row's package line of ``table`` (``t``) up to its author, the joins it
    reads from and the condition that it refers to rows all here; ``None`` where a field has
    no text SQL can write."""
    quote, dialect = conn.dialect.identifier_preparer.quote, conn.dialect.name
    json: Callable[[str], str] = lambda sql: dialects.json_string(sql, dialect)  # noqa: E731
    refs = references(table)
    joins, members, resolved = [f"{quote(table.name)} AS t"], [], ["1 = 1"]
    texts: dict[str, str] = {}
    for name in fields(table):
        if name in refs:
            alias = f"r_{name}"
            target = refs[name]
            joins.append(
                f"LEFT JOIN {quote(target.name)} AS {alias} ON {alias}.id = t.{quote(name)}"
            )
            resolved.append(f"(t.{quote(name)} IS NULL OR {alias}.id IS NOT NULL)")
            texts[name] = f"{alias}.{quote(key_column(target).name)}"
        elif (sql := text_sql(conn, table, name, "t")) is not None:
            texts[name] = sql
        else:
            return None
        members.append(f"'{LINE(name)}:' || {json(texts[name])}")
    key = _key_sql(table, texts.get(OWNER, ""), quote)
    resolved.append(f"{key} IS NOT NULL")
    version = f"CAST(t.{VERSION} AS TEXT)" if VERSION in table.c else "'null'"
    head = LINE({"table": table.name})[:-1] + ',"key":'
    text = (
        f"'{head}' || {json(key)} || '{_pair('action', UPSERT)},\"label\":' || "
        f"{json('export_new.row_key')} || ',\"values\":{{' || "
        + " || ',' || ".join(members)
        + f' || \'}},"changed":null,"version":\' || {version} || \',"base_version":0\''
    )
    return text, " ".join(joins), " AND ".join(resolved)


def _pair(name: str, value: str) -> str:
    return "," + LINE({name: value})[1:-1]


def _key_sql(table: Table, owner: str, quote: Callable[[str], str]) -> str:
    """SQL of the row's global key (:func:`desktop.sync.keys.key_of_texts`); ``owner`` is the
    SQL of its enterprise's key where it is keyed by period."""
    period = by_period(table)
    if not period:
        return f"t.{quote(key_column(table).name)}"
    return period_key_sql(owner, [f"t.{quote(p)}" for p in period])


def _result_processor(conn: Connection) -> Callable[[Any], Any]:
    """What turns a stored time of the log, as the driver gives it, into the aware time."""
    process = LINES.c.at.type.dialect_impl(conn.dialect).result_processor(conn.dialect, None)
    return process if process is not None else (lambda value: value)
