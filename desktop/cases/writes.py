"""Writing many cases, moves and payments at once, as the ORM's flush would write them.

Rows go in by one ``executemany`` per statement, and the change log gets the very lines the
ORM's ``after_flush`` writes (an insert line per new row under its ``log_key``, an update line
per changed column with the old and new text), attributed to the session's operator and source.
The session's objects are kept current (new values set as loaded, the collections the new rows
join expired), so callers go on using them. 20,000 cases move in a fraction of the time the
unit of work takes over them one object at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from desktop.models import Base
from desktop.store.changelog import (
    AUDIT_KEY,
    AuditContext,
    Entry,
    bind_processor,
    encode_value,
    write_entries,
)

Values = Mapping[str, Any]  # column → its Python value, as the model holds it


def _context(session: Session) -> AuditContext:
    ctx = session.info.get(AUDIT_KEY)
    if not isinstance(ctx, AuditContext):
        raise RuntimeError("business data written without an AuditContext (operator, source)")
    return ctx


def _driver_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """``rows`` (Python values of ``columns``) as the driver receives them."""
    processes = [bind_processor(conn.dialect, table.c[c]) for c in columns]
    return [
        tuple(v if p is None or v is None else p(v) for p, v in zip(processes, row, strict=True))
        for row in rows
    ]


def insert_rows(
    session: Session,
    model: type[Base],
    rows: Sequence[Values],
    keys: Sequence[str],
    source_rows: Sequence[int | None] | None = None,
) -> list[int]:
    """Insert ``rows`` (every column but the id) into ``model``'s table with ids max + 1 … in
    order, and log each under its key in ``keys``; the new ids."""
    if not rows:
        return []
    session.flush()  # what the session holds goes first, as a flush would order it
    conn, ctx, table = session.connection(), _context(session), model.__table__
    top = conn.exec_driver_sql(f"SELECT ifnull(max(id), 0) FROM {table.name}").scalar_one()
    ids = list(range(top + 1, top + 1 + len(rows)))
    columns = [c.name for c in table.columns if c.name != "id"]
    quote = conn.dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} (id, {', '.join(map(quote, columns))}) "
        f"VALUES (?, {', '.join('?' * len(columns))})"
    )
    values = _driver_rows(conn, table, columns, ([r[c] for c in columns] for r in rows))
    conn.exec_driver_sql(sql, [(i, *v) for i, v in zip(ids, values, strict=True)])
    numbers = source_rows or [None] * len(rows)
    write_entries(
        conn,
        ctx,
        [Entry(table.name, i, k, "insert", source_row=n)
         for i, k, n in zip(ids, keys, numbers, strict=True)],
    )  # fmt: skip
    return ids


def update_objects(
    session: Session,
    changes: Sequence[tuple[Base, Values]],
    source_rows: Sequence[int | None] | None = None,
) -> None:
    """Set each object's columns to the values given, in the database and on the object; log
    every column whose value changes (under the object's ``log_key``), as a flush would."""
    if not changes:
        return
    session.flush()
    conn, ctx = session.connection(), _context(session)
    entries: list[Entry] = []
    by_columns: dict[tuple[Table, tuple[str, ...]], list[tuple[Any, ...]]] = defaultdict(list)
    numbers = source_rows or [None] * len(changes)
    for (obj, values), number in zip(changes, numbers, strict=True):
        table = obj.__table__
        changed = {
            c.name: values[c.name]
            for c in table.columns
            if c.name in values and getattr(obj, c.name) != values[c.name]
        }
        if not changed:
            continue
        key = str(obj.log_key)  # type: ignore[attr-defined]
        for name, new in changed.items():
            old = getattr(obj, name)
            entries.append(
                Entry(table.name, obj.id, key, "update", name, encode_value(old),  # type: ignore[attr-defined]
                      encode_value(new), number)
            )  # fmt: skip
            set_committed_value(obj, name, new)
        by_columns[(table, tuple(changed))].append((*changed.values(), obj.id))  # type: ignore[attr-defined]
    quote = conn.dialect.identifier_preparer.quote
    for (table, columns), rows in by_columns.items():
        sets = ", ".join(f"{quote(c)} = ?" for c in columns)
        conn.exec_driver_sql(
            f"UPDATE {quote(table.name)} SET {sets} WHERE id = ?",
            _driver_rows(conn, table, [*columns, "id"], rows),
        )
    write_entries(conn, ctx, entries)


def expire(session: Session, objects: Iterable[Base], *attributes: str) -> None:
    """Forget ``attributes`` (collections new rows joined) of ``objects``: read again on use."""
    for obj in objects:
        session.expire(obj, list(attributes))
