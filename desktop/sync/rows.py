"""Reading and writing synced rows by global key, every write with its change-log lines.

Values are the change log's texts; references are global keys here and local ids in the table
and the log (:class:`desktop.sync.keys.KeyMap` turns one into the other).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, Row, Table, select

from desktop.models import OWNER
from desktop.models.base import VERSION
from desktop.store.changelog import (
    AuditContext,
    decode_value,
    encode_value,
    logged_columns,
    write_lines,
)
from desktop.sync.keys import (
    ENTERPRISES,
    KeyMap,
    by_period,
    chunks,
    fields,
    key_column,
    parse_period_key,
)
from desktop.sync.staged import Staged, Texts


def read_rows(conn: Connection, table: Table, keys: list[str]) -> dict[str, Row[Any]]:
    """The rows of ``table`` with the global keys ``keys`` that are here, by key."""
    if by_period(table):
        return _read_by_period(conn, table, keys)
    column = key_column(table)
    found: dict[str, Row[Any]] = {}
    for part in chunks(keys):
        query = select(table).where(column.in_(part))
        found.update((r._mapping[column], r) for r in conn.execute(query))
    return found


def _read_by_period(conn: Connection, table: Table, keys: list[str]) -> dict[str, Row[Any]]:
    """:func:`read_rows` of a table keyed by enterprise and period: one query a key."""
    owners, period = ENTERPRISES.alias("owner"), by_period(table)
    found: dict[str, Row[Any]] = {}
    for key in keys:
        if (parsed := parse_period_key(table, key)) is None:
            continue
        owner, values = parsed
        query = (
            select(table)
            .join(owners, owners.c.id == table.c[OWNER])
            .where(
                owners.c.uscc == owner,
                *(table.c[p] == v for p, v in zip(period, values, strict=True)),
            )
        )
        if (row := conn.execute(query).first()) is not None:
            found[key] = row
    return found


def texts_of(keys: KeyMap, table: Table, row: Row[Any]) -> Texts:
    """The field texts of ``row``, references as global keys."""
    return keys.to_keys(table, {f: encode_value(getattr(row, f)) for f in fields(table)})


def typed(keys: KeyMap, table: Table, values: Texts) -> dict[str, Any]:
    """Column values for ``values`` (texts with references as global keys)."""
    local = keys.to_ids(table, values)
    return {f: decode_value(table, f, t) for f, t in local.items()}


def _local(keys: KeyMap, table: Table, name: str, text: str | None) -> str | None:
    """The text the log keeps for ``text`` of field ``name`` (a reference as the local id)."""
    return keys.to_ids(table, {name: text})[name]


def insert_rows(
    conn: Connection,
    ctx: AuditContext,
    keys: KeyMap,
    table: Table,
    rows: list[tuple[str, str, Texts]],
) -> None:
    """Insert ``rows`` (key, label, texts) into ``table`` as one set, with their log lines."""
    if not rows:
        return
    with Staged(conn, table, rows) as staged:
        staged.insert(ctx)
    keys.forget(table)


def update_row(
    conn: Connection,
    ctx: AuditContext,
    keys: KeyMap,
    table: Table,
    row: Row[Any],
    label: str,
    new: Texts,
) -> None:
    """Set the fields ``new`` of ``row``, counting up its version; one log line per field."""
    old = texts_of(keys, table, row)
    changed = {f: t for f, t in new.items() if old.get(f) != t}
    if not changed:
        return
    values = typed(keys, table, changed)
    if VERSION in table.c:
        values[VERSION] = table.c[VERSION] + 1
    conn.execute(table.update().where(table.c.id == row.id).values(**values))
    write_lines(
        conn,
        ctx,
        [
            (
                None,
                table.name,
                row.id,
                label,
                "update",
                f,
                encode_value(getattr(row, f)),
                _local(keys, table, f, t),
            )
            for f, t in changed.items()
        ],
    )


def delete_row(
    conn: Connection, ctx: AuditContext, table: Table, row: Row[Any], label: str
) -> None:
    """Delete ``row``, the log keeping its whole old values (as an ORM delete's line has them)."""
    conn.execute(table.delete().where(table.c.id == row.id))
    values = {c.name: encode_value(row._mapping[c.name]) for c in logged_columns(table)}
    old = json.dumps(values, ensure_ascii=False)
    write_lines(conn, ctx, [(None, table.name, row.id, label, "delete", None, old, None)])


def log_line(
    conn: Connection,
    ctx: AuditContext,
    table: Table,
    row_id: int,
    label: str,
    action: str,
    field: str | None = None,
    old: str | None = None,
    new: str | None = None,
) -> None:
    """One line in the log for a decision that changes no value here but must travel."""
    write_lines(conn, ctx, [(None, table.name, row_id, label, action, field, old, new)])
