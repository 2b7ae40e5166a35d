"""Writing planned rows: one SQLite upsert per chunk (Core, executemany) and their log lines."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, Insert, Table
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from desktop.store.changelog import AuditContext, Entry, encode_value, write_entries


@dataclass(slots=True)
class Change:
    """One row to write: the whole row as it will be, and (for an update) what it was.

    ``old`` holds the earlier values of the changed columns only; ``None`` for a new row.
    """

    row_id: int
    source_row: int
    row_key: str
    values: dict[str, Any]
    old: dict[str, Any] | None = None

    def entries(self, table: str) -> Iterator[Entry]:
        """Its change-log lines: the new row as JSON, or one line per changed column."""
        if self.old is None:
            shown = dict(zip(self.values, map(encode_value, self.values.values()), strict=True))
            del shown["id"]
            new = json.dumps(shown, ensure_ascii=False)
            yield Entry(table, self.row_id, self.row_key, "insert", new_value=new,
                        source_row=self.source_row)  # fmt: skip
            return
        for column, before in self.old.items():
            yield Entry(
                table,
                self.row_id,
                self.row_key,
                "update",
                column,
                encode_value(before),
                encode_value(self.values[column]),
                self.source_row,
            )


@cache
def upsert(table: Table) -> Insert:
    """Insert whole rows by id; an existing id has every other column replaced in place.

    ON CONFLICT DO UPDATE keeps the row (REPLACE would delete it and cascade to its children).
    """
    stmt = sqlite_insert(table)
    others = {c.name: stmt.excluded[c.name] for c in table.columns if c.name != "id"}
    return stmt.on_conflict_do_update(index_elements=[table.c.id], set_=others)


def write_changes(
    conn: Connection, ctx: AuditContext, table: Table, changes: Sequence[Change]
) -> None:
    """Write ``changes`` to ``table`` and log them, in the caller's transaction."""
    if not changes:
        return
    conn.execute(upsert(table), [c.values for c in changes])
    write_entries(conn, ctx, [e for c in changes for e in c.entries(table.name)])
