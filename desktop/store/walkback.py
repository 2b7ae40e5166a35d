"""An inserted row's values, read back: its current values walked back through its later lines.

An insert line keeps no values (a database made before that keeps them, and they are used as
they are). A row's life runs from its insert line to its delete line, if any; ids can be given
again after a delete, so a later insert line of the same id starts another life. The values a
row was inserted with are where its life ends (the delete line's old row, or the row as stored
now), with every later update line's old text put back, newest first.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Row,
    Select,
    Table,
    and_,
    func,
    insert,
    literal_column,
    select,
)

from desktop.models import Base
from desktop.store.changelog import LINES, encode_value, logged_columns, row_json_sql

LOG = LINES  # every line, the import lines among them
IN_CLAUSE = 900

LaterLine = Row[Any, Any, Any, Any, Any]  # a log line after an insert: id, row, action, field, old


@dataclass(frozen=True, slots=True)
class InsertLine:
    """An insert line to read: its log id and the row it added."""

    id: int
    table_name: str
    row_id: int


def inserted_rows(conn: Connection, lines: Iterable[InsertLine]) -> dict[int, str]:
    """Each insert line's row as the JSON object the log used to keep, by log id.

    A line whose row can no longer be told (its table unknown, or the row gone unlogged) is left
    out.
    """
    by_table: dict[str, list[InsertLine]] = defaultdict(list)
    for line in lines:
        by_table[line.table_name].append(line)
    rows: dict[int, str] = {}
    for name, of_table in by_table.items():
        table = Base.metadata.tables.get(name)
        if table is not None:
            rows.update(_of_table(conn, table, of_table))
    return rows


def _of_table(conn: Connection, table: Table, lines: list[InsertLine]) -> dict[int, str]:
    """The rows of ``lines``, all of ``table``: their later lines and current rows read at once."""
    row_ids = sorted({line.row_id for line in lines})
    wanted = set(row_ids)
    later: dict[int, list[LaterLine]] = defaultdict(list)
    query = select(LOG.c.id, LOG.c.row_id, LOG.c.action, LOG.c.field, LOG.c.old_value).where(
        LOG.c.table_name == table.name, LOG.c.id > min(line.id for line in lines)
    )
    rows = select(table)
    if len(row_ids) <= IN_CLAUSE:  # a page of lines: their rows only; many: one pass over all
        query, rows = query.where(LOG.c.row_id.in_(row_ids)), rows.where(table.c.id.in_(row_ids))
    for record in conn.execute(query.order_by(LOG.c.id)):
        if record.row_id in wanted:
            later[record.row_id].append(record)
    columns = [c.name for c in logged_columns(table)]
    current = {
        row.id: {c: encode_value(getattr(row, c)) for c in columns}
        for row in conn.execute(rows)
        if row.id in wanted
    }
    walked = (
        (line.id, _walk_back(line, later[line.row_id], current.get(line.row_id))) for line in lines
    )
    return {i: json.dumps(values, ensure_ascii=False) for i, values in walked if values is not None}


def _walk_back(
    line: InsertLine,
    later: list[LaterLine],
    current: Mapping[str, str | None] | None,
) -> dict[str, str | None] | None:
    """The values ``line`` inserted: the end of its row's life, its updates taken back."""
    updates = []
    end = current
    for record in later:
        if record.id <= line.id:
            continue
        if record.action == "update":
            updates.append(record)
            continue
        deleted = record.action == "delete" and record.old_value is not None
        end = json.loads(record.old_value) if deleted else None
        break  # a delete ends this life; another insert means the row was gone unlogged
    if end is None:
        return None
    values = dict(end)
    for record in reversed(updates):
        values[record.field] = record.old_value
    return values


def walk_into(conn: Connection, target: Table, shown: Select[Any]) -> None:
    """Fill ``target`` (log_id, row) with the rows of the value-less insert lines among ``shown``.

    A row with no line after its insert is its insert's row as it stands: written in SQL, one
    statement per table. The few others are walked back as :func:`inserted_rows` does.
    """
    unvalued = (LOG.c.action == "insert", LOG.c.new_value.is_(None), LOG.c.id.in_(shown))
    tables = conn.execute(select(LOG.c.table_name).where(*unvalued).distinct()).scalars()
    quote = conn.dialect.identifier_preparer.quote
    for table in (Base.metadata.tables[t] for t in list(tables) if t in Base.metadata.tables):
        last = (
            select(LOG.c.row_id, func.max(LOG.c.id).label("last"))
            .where(LOG.c.table_name == table.name)
            .group_by(LOG.c.row_id)
            .subquery()
        )
        columns = logged_columns(table)
        named = quote(table.name)
        whole = row_json_sql(columns, conn.dialect.name, partial(_qualified, quote, named))
        settled = (
            select(LOG.c.id, literal_column(whole))
            .join_from(LOG, last, and_(last.c.row_id == LOG.c.row_id, last.c.last == LOG.c.id))
            .join(table, table.c.id == LOG.c.row_id)
            .where(LOG.c.table_name == table.name, *unvalued)
        )
        conn.execute(insert(target).from_select(list(target.c.keys()), settled))
    done = select(target.c[0])
    rest = select(LOG.c.id, LOG.c.table_name, LOG.c.row_id).where(*unvalued, LOG.c.id.not_in(done))
    rows = inserted_rows(conn, (InsertLine(*line) for line in conn.execute(rest)))
    if rows:
        keys = target.c.keys()
        conn.execute(insert(target), [dict(zip(keys, r, strict=True)) for r in rows.items()])


def _qualified(quote: Callable[[str], str], table: str, column: Column[Any]) -> str:
    """``"table"."column"`` for SQL over a joined table."""
    return f"{table}.{quote(column.name)}"
