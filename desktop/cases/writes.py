"""Writing many cases, moves and payments at once, as the ORM's flush would write them.

Rows go in by one ``executemany`` per statement, and the change log gets the very lines the
ORM's ``after_flush`` writes (an insert line per new row under its ``log_key``, an update line
per changed column with the old and new text), attributed to the session's operator and source.
The session's objects are kept current (new values set as loaded, the collections the new rows
joined expired where loaded), so callers go on using them. 20,000 cases move in a fraction of
the time the unit of work takes over them one object at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from operator import itemgetter
from typing import Any, Protocol

from sqlalchemy import Connection, Table, inspect
from sqlalchemy.orm import Session

from desktop.models import Base
from desktop.store import dialects
from desktop.store.changelog import (
    AUDIT_KEY,
    AuditContext,
    Line,
    bind_processor,
    encode_value,
    write_lines,
)

Values = Mapping[str, Any]  # column → its Python value, as the model holds it


def _context(session: Session) -> AuditContext:
    ctx = session.info.get(AUDIT_KEY)
    if not isinstance(ctx, AuditContext):
        raise RuntimeError("business data written without an AuditContext (operator, source)")
    return ctx


def _driver_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """``rows`` (Python values of ``columns``) as the driver receives them, a column at a time."""
    by_column = [list(c) for c in zip(*rows, strict=True)] or [[] for _ in columns]
    for index, name in enumerate(columns):
        processor = bind_processor(conn.dialect, table.c[name])
        if processor is not None:
            process = _by_value(processor)
            by_column[index] = [None if v is None else process(v) for v in by_column[index]]
    return list(zip(*by_column, strict=True))


def _by_value(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``convert`` answering once per value (and type: ``True`` is not ``1``): a bulk write
    converts the same few dates, states and amounts thousands of times. Equal values get the
    same answer (``Decimal("1.0")`` that of ``Decimal("1.00")``), as from the column types and
    the log's text, which keep two places whatever the places given."""
    memo: dict[tuple[type, Any], Any] = {}

    def converted(value: Any) -> Any:
        key = (type(value), value)
        try:
            return memo[key]
        except KeyError:
            memo[key] = answer = convert(value)
            return answer

    return converted


def _numbers(ctx: AuditContext, count: int, given: Sequence[int | None] | None) -> list[Any]:
    """Each line's source row: as given, else the context's."""
    return (
        [ctx.source_row if n is None else n for n in given] if given else [ctx.source_row] * count
    )


def insert_rows(
    session: Session,
    model: type[Base],
    rows: Sequence[Values],
    keys: Sequence[str],
    source_rows: Sequence[int | None] | None = None,
) -> list[int]:
    """Insert ``rows`` (every column but the id) into ``model``'s table with new ids in
    order (``dialects.next_ids``), and log each under its key in ``keys``; the new ids."""
    if not rows:
        return []
    session.flush()  # what the session holds goes first, as a flush would order it
    conn, ctx, table = session.connection(), _context(session), model.__table__
    ids = dialects.next_ids(conn, table.name, len(rows))
    columns = ["id", *(c.name for c in table.columns if c.name != "id")]
    quote = conn.dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, columns))}) "
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    given = itemgetter(*columns[1:])
    values = [(i, *given(r)) for i, r in zip(ids, rows, strict=True)]
    dialects.execute(conn, sql, _driver_rows(conn, table, columns, values), many=True)
    numbers = _numbers(ctx, len(rows), source_rows)
    logged = _plain(table.name)
    write_lines(
        conn,
        ctx,
        [(n, logged, i, k, "insert", None, None, None)
         for i, k, n in zip(ids, keys, numbers, strict=True)],
    )  # fmt: skip
    return ids


class Row(Protocol):
    """A row as a writer holds it: an ORM object, or a lighter record of the same columns."""

    @property
    def id(self) -> int: ...


def update_rows(
    session: Session,
    model: type[Base],
    changes: Sequence[tuple[Row, str, Values]],
    source_rows: Sequence[int | None] | None = None,
) -> None:
    """Set the columns given of each row of ``model``'s table (``(row, its log key, new
    values)``; the old values are read from ``row``); log every column whose value changes, as a
    flush would, and keep any object of those rows the session holds as the database now has it.
    """
    if not changes:
        return
    session.flush()
    conn, ctx, table = session.connection(), _context(session), model.__table__
    logged, lines, encode = _plain(table.name), list[Line](), _by_value(encode_value)
    written: dict[int, dict[str, Any]] = {}
    by_columns: dict[tuple[str, ...], list[list[Any]]] = defaultdict(list)
    for (row, key, values), number in zip(changes, _numbers(ctx, len(changes), source_rows),
                                          strict=True):  # fmt: skip
        row_id, changed = row.id, {}
        for name in _in_table_order(table, tuple(values)):
            old, new = getattr(row, name), values[name]
            if old != new:
                changed[name] = new
                lines.append((number, logged, row_id, key, "update", name,
                              encode(old), encode(new)))  # fmt: skip
        if changed:
            written[row_id] = changed
            by_columns[tuple(changed)].append([*changed.values(), row_id])
    quote = conn.dialect.identifier_preparer.quote
    for columns, rows in by_columns.items():
        sets = ", ".join(f"{quote(c)} = ?" for c in columns)
        dialects.execute(
            conn,
            f"UPDATE {quote(table.name)} SET {sets} WHERE id = ?",
            _driver_rows(conn, table, [*columns, "id"], rows),
            many=True,
        )
    write_lines(conn, ctx, lines)
    for obj in held(session, model, written):
        # As set_committed_value, less its bookkeeping: the session was flushed first, so the
        # object has no history or expiry to cancel on these attributes.
        vars(obj).update(written[obj.id])  # type: ignore[attr-defined]


def update_objects(
    session: Session,
    changes: Sequence[tuple[Base, Values]],
    source_rows: Sequence[int | None] | None = None,
) -> None:
    """:func:`update_rows` of ORM objects (one table), each logged under its ``log_key``."""
    if changes:
        model = type(changes[0][0])
        keyed = [(obj, str(obj.log_key), values) for obj, values in changes]  # type: ignore[attr-defined]
        update_rows(session, model, keyed, source_rows)  # type: ignore[arg-type]


def held(session: Session, model: type[Base], ids: Iterable[int]) -> Iterator[Base]:
    """The objects of rows ``ids`` of ``model`` the session holds (none is loaded for this)."""
    identities = session.identity_map
    # An identity key is (class, primary key tuple, token): made once, then only the id varies
    # (identity_key() per row costs more than the rest of a bulk move's bookkeeping).
    cls, _, token = inspect(model).identity_key_from_primary_key((0,))
    for row_id in ids:
        obj = identities.get((cls, (row_id,), token))
        if obj is not None:
            yield obj


@cache
def _in_table_order(table: Table, names: tuple[str, ...]) -> tuple[str, ...]:
    """``names`` in the order of the table's columns (the order a flush logs them in)."""
    return tuple(_plain(c.name) for c in table.columns if c.name in names)


def _plain(name: str) -> str:
    """A table's or column's name as a plain ``str``: SQLAlchemy's own subclass would have
    sqlite3 ask it for ``__conform__`` on every log line (a third of a bulk move's logging)."""
    return str(name)


def expire(session: Session, model: type[Base], ids: Iterable[int], collection: str) -> None:
    """Forget ``collection`` (which new rows joined) of the rows ``ids`` the session holds with
    it loaded: read again on use."""
    for obj in held(session, model, ids):
        if collection in obj.__dict__:
            session.expire(obj, [collection])
