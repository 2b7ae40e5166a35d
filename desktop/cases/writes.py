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

from sqlalchemy import Connection, Table, inspect, select
from sqlalchemy.orm import Session

from desktop.cases.facts import CHUNK
from desktop.models import Base
from desktop.models.base import VERSION
from desktop.store import dialects
from desktop.store.changelog import (
    AUDIT_KEY,
    BOOKKEEPING,
    AuditContext,
    Line,
    bind_processor,
    encode_value,
    write_lines,
)
from desktop.store.versions import row_changed

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
    """Insert ``rows`` (every column but the id and the version, which starts at its default)
    into ``model``'s table with new ids in order (``dialects.next_ids``), and log each under
    its key in ``keys``; the new ids."""
    if not rows:
        return []
    session.flush()  # what the session holds goes first, as a flush would order it
    conn, ctx, table = session.connection(), _context(session), model.__table__
    ids = dialects.next_ids(conn, table.name, len(rows))
    columns = ["id", *(c.name for c in table.columns if c.name not in BOOKKEEPING)]
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

    Each row written counts its version up. A row that carries its version (an ORM object) is
    written only over that version, as a flush would: :class:`RowChanged` refuses them all when
    one was saved meanwhile.
    """
    if not changes:
        return
    session.flush()
    conn, ctx, table = session.connection(), _context(session), model.__table__
    logged, lines, encode = _plain(table.name), list[Line](), _by_value(encode_value)
    written: dict[int, dict[str, Any]] = {}
    carried: dict[int, int] = {}  # the version a row was read at, where it says
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
            version = getattr(row, VERSION, None)
            if version is not None:
                carried[row_id] = version
    _refuse_stale(conn, table, carried, {row.id: key for row, key, _ in changes}, written)
    quote = conn.dialect.identifier_preparer.quote
    for columns, rows in by_columns.items():
        sets = ", ".join([*(f"{quote(c)} = ?" for c in columns), f"{VERSION} = {VERSION} + 1"])
        dialects.execute(
            conn,
            f"UPDATE {quote(table.name)} SET {sets} WHERE id = ?",
            _driver_rows(conn, table, [*columns, "id"], rows),
            many=True,
        )
    write_lines(conn, ctx, lines)
    _keep_held_current(session, model, written, carried)


def _refuse_stale(
    conn: Connection,
    table: Table,
    carried: Mapping[int, int],
    keys: Mapping[int, str],
    written: Mapping[int, Values],
) -> None:
    """Raise :class:`RowChanged` for the first row whose version is no longer the one it
    carried; the rows are locked until the transaction ends (PostgreSQL; SQLite's writer holds
    the whole file), so none can change between this check and the update."""
    ids = list(carried)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        query = select(table.c.id, table.c[VERSION]).where(table.c.id.in_(chunk))
        now = {i: v for i, v in conn.execute(query.with_for_update())}
        stale = next((i for i in chunk if now.get(i) != carried[i]), None)
        if stale is not None:
            raise row_changed(conn, table, stale, keys[stale], written[stale], carried[stale])


def _keep_held_current(
    session: Session, model: type[Base], written: Mapping[int, Values], carried: Mapping[int, int]
) -> None:
    """The session's objects of the rows written, as the database now has them (their versions
    too: one more than they carried, else read)."""
    objects = list(held(session, model, written))
    unknown = [o.id for o in objects if o.id not in carried]  # type: ignore[attr-defined]
    table = model.__table__
    read = select(table.c.id, table.c[VERSION]).where(table.c.id.in_(unknown))
    versions = {i: v for i, v in session.execute(read)} if unknown else {}
    versions.update((i, v + 1) for i, v in carried.items())
    for obj in objects:
        row_id = obj.id  # type: ignore[attr-defined]
        # As set_committed_value, less its bookkeeping: the session was flushed first, so the
        # object has no history or expiry to cancel on these attributes.
        vars(obj).update(written[row_id], version=versions[row_id])


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
