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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Table, select

from desktop.models import Base, ChangeRecord
from desktop.store.changelog import encode_value

LOG = ChangeRecord.__table__
IN_CLAUSE = 900


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


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    return (ids[i : i + IN_CLAUSE] for i in range(0, len(ids), IN_CLAUSE))


def _of_table(conn: Connection, table: Table, lines: list[InsertLine]) -> dict[int, str]:
    """The rows of ``lines``, all of ``table``: their later lines and current rows read at once."""
    row_ids = sorted({line.row_id for line in lines})
    first = min(line.id for line in lines)
    later: dict[int, list] = defaultdict(list)
    current: dict[int, dict[str, str | None]] = {}
    columns = [c for c in table.columns if c.name != "id"]
    for chunk in _chunks(row_ids):
        query = select(LOG.c.id, LOG.c.row_id, LOG.c.action, LOG.c.field, LOG.c.old_value).where(
            LOG.c.table_name == table.name, LOG.c.row_id.in_(chunk), LOG.c.id > first
        )
        for record in conn.execute(query.order_by(LOG.c.id)):
            later[record.row_id].append(record)
        for row in conn.execute(select(table).where(table.c.id.in_(chunk))):
            current[row.id] = {c.name: encode_value(getattr(row, c.name)) for c in columns}
    walked = (
        (line.id, _walk_back(line, later[line.row_id], current.get(line.row_id))) for line in lines
    )
    return {i: json.dumps(values, ensure_ascii=False) for i, values in walked if values is not None}


def _walk_back(
    line: InsertLine, later: list, current: Mapping[str, str | None] | None
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
