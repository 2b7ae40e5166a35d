"""The change log: every insert, update and delete of business data, recorded by session events.

An insert line names the row and where it came from but not its values: they are the row's
current values walked back through its later lines (:mod:`desktop.store.walkback`). A delete
line keeps the whole old row, an update line the column's old and new text.

The rows an import inserts are logged short, in ``import_line`` (``ImportLine``): batch, sheet
row, table, row and key, the time, operator and source being the batch's. Every reader reads
the two tables as one through :data:`LINES`, whose lines are those the log kept before.

A session carries an :class:`AuditContext` in ``session.info``; ORM flushes are logged by the
``after_flush`` listener below. Bulk Core writes (import, undo) log through :func:`write_entries`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Dialect,
    Select,
    Subquery,
    Table,
    func,
    inspect,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session, UOWTransaction

from desktop.models import (
    CENT,
    Base,
    ChangeRecord,
    Enterprise,
    ImportBatch,
    ImportLine,
    Money,
    utcnow,
)
from desktop.models.base import VERSION
from desktop.models.sync import KEYED_BY_PERIOD, OWNER
from desktop.store import dialects

AUDIT_KEY = "audit"
UNLOGGED_TABLES = frozenset({"change_log", "import_line", "import_batch", "setting", "presence"})
IMPORT_SOURCE = "import"  # the source of an import line that names none


@dataclass(frozen=True)
class AuditContext:
    """Who is acting and through what: ``source`` is window, import, undo, sample or command."""

    operator: str
    source: str
    batch_id: int | None = None
    source_row: int | None = None


@dataclass(frozen=True)
class Entry:
    """One line of the change log, before it is written."""

    table_name: str
    row_id: int
    row_key: str
    action: str
    field: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    source_row: int | None = None


def encode_value(value: Any) -> str | None:
    """The text the log keeps for a column value (read back by :func:`decode_value`)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):  # money and areas alike: two places, as stored
        return str(value.quantize(CENT))
    return str(value)


def decode_value(table: Table, column: str, text: str | None) -> Any:
    """The column value a logged text stands for, typed as the column expects."""
    return None if text is None else decoder(table, column)(text)


@cache
def decoder(table: Table, column: str) -> Callable[[str], Any]:
    """What turns a logged text of ``column`` of ``table`` into the column's value."""
    python_type = table.c[column].type.python_type
    if python_type is bool:
        return lambda text: text == "1"
    if python_type in (date, datetime):
        return python_type.fromisoformat  # type: ignore[no-any-return]
    return python_type  # type: ignore[no-any-return]


def logged_text_sql(column: Column[Any], value: str, dialect: str) -> str:
    """SQL for the text ``encode_value`` logs for a stored value of ``column`` (in ``dialect``)."""
    python_type = column.type.python_type
    if python_type is bool:
        return f"CAST(CAST({value} AS INTEGER) AS TEXT)"  # 1/0, as encode_value writes
    if python_type is int:
        return f"CAST({value} AS TEXT)"
    if isinstance(column.type, Money):  # stored as whole fen: yuan with two places
        return dialects.yuan_text_of_fen(value, dialect)
    if python_type is Decimal:  # a plain NUMERIC (an area): two places, as encode_value writes
        return dialects.two_places_text(value, dialect)
    if python_type is str:
        return value
    if python_type is date:  # stored as ISO text on SQLite, as a date on a server
        return dialects.date_text(value, dialect)
    raise TypeError(f"no logged form for column {column} of type {python_type}")


def row_json_sql(
    columns: list[Column[Any]], dialect: str, ref: Callable[[Column[Any]], str] | None = None
) -> str:
    """SQL for the JSON object ``json.dumps`` writes of a row's logged texts (as a delete keeps it).

    ``ref`` gives the SQL of each column's stored value (by default the resolved ``n_`` column).
    """
    ref = ref or (lambda c: f"n_{c.name}")
    members = [
        f"'{encode_basestring(c.name)}: ' || "
        + dialects.json_string(logged_text_sql(c, ref(c), dialect), dialect)
        for c in columns
    ]
    return "'{' || " + " || ', ' || ".join(members) + " || '}'"


def period_key(owner: str, period: Sequence[Any]) -> str:
    """The key of the row of enterprise ``owner`` (its credit code) for ``period`` (year[,
    month]): ``USCC 2022-03``, ``USCC 2022``."""
    year, *month = (int(p) for p in period)
    return f"{owner} {year}" + "".join(f"-{m:02d}" for m in month)


def period_key_sql(owner: str, period: Sequence[str]) -> str:
    """SQL spelling :func:`period_key`: ``owner`` and ``period`` (year[, month]) are SQL."""
    year, *month = period
    return f"{owner} || ' ' || " + (dialects.month_code(year, month[0]) if month else year)


def row_key(obj: Base) -> str:
    """A key the officer recognises: the credit code, plus year-month or year where it applies
    (a row with a ``log_key`` names itself)."""
    own = getattr(obj, "log_key", None)
    if own is not None:
        return str(own)
    if isinstance(obj, Enterprise):
        return obj.uscc
    owner = obj.__dict__.get("enterprise")
    if owner is None and "enterprise" in inspect(obj).attrs:  # an orphan keeps its former owner
        owner = next(iter(inspect(obj).attrs.enterprise.history.deleted), None)
    who = owner.uscc if owner is not None else f"#{getattr(obj, 'enterprise_id', '')}"
    if period := KEYED_BY_PERIOD.get(getattr(obj, "__tablename__", "")):
        return period_key(who, [getattr(obj, p) for p in period])
    if hasattr(obj, "start_date"):
        return f"{who} {obj.start_date or ''}"
    return str(getattr(obj, "name", None) or who)


BOOKKEEPING = frozenset({"id", VERSION})
"""Columns no log line speaks of: a row's id is the line's own, and a version counts saves
(bookkeeping, not a fact of the row)."""


def logged_columns(table: Table) -> list[Column[Any]]:
    """The columns of ``table`` whose values the log keeps (as a delete line's row has them)."""
    return [c for c in table.columns if c.name not in BOOKKEEPING]


def _columns(obj: Base) -> list[str]:
    return [c.key for c in inspect(obj).mapper.column_attrs if c.key not in BOOKKEEPING]


def _entries_for(obj: Base, action: str) -> Iterable[Entry]:
    table = obj.__table__.name
    key = row_key(obj)
    row_id = inspect(obj).identity[0] if action == "delete" else obj.id  # type: ignore[attr-defined]
    if action == "insert":  # its values are walked back from the row when read (walkback)
        yield Entry(table, row_id, key, action)
    elif action == "delete":
        values = {c: encode_value(getattr(obj, c)) for c in _columns(obj)}
        yield Entry(table, row_id, key, action, None, json.dumps(values, ensure_ascii=False), None)
    else:
        state = inspect(obj)
        for name in _columns(obj):
            hist = state.attrs[name].history
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old != new:
                yield Entry(table, row_id, key, action, name, encode_value(old), encode_value(new))


# Every column of a log line but its id, in the order bulk writers give them.
LOG_COLUMNS = ("at", "operator", "source", "batch_id", "source_row", "table_name", "row_id",
               "row_key", "action", "field", "old_value", "new_value")  # fmt: skip
INSERT_INTO_LOG = f"INSERT INTO {ChangeRecord.__tablename__} ({', '.join(LOG_COLUMNS)}) "
_INSERT_LOG = INSERT_INTO_LOG + f"VALUES ({', '.join('?' * len(LOG_COLUMNS))})"


def write_entries(conn: Connection, ctx: AuditContext, entries: Sequence[Entry]) -> None:
    """Append ``entries`` to the log in the caller's transaction: one ``executemany``."""
    write_lines(
        conn,
        ctx,
        [(ctx.source_row if e.source_row is None else e.source_row, e.table_name, e.row_id,
          e.row_key, e.action, e.field, e.old_value, e.new_value) for e in entries],
    )  # fmt: skip


Line = tuple[int | None, str, int, str, str, str | None, str | None, str | None]
"""A log line after its time and attribution: source row, table, row id, row key, action,
field, old and new text (as :class:`Entry` has them), for writers of many lines."""


def write_lines(conn: Connection, ctx: AuditContext, lines: Sequence[Line]) -> None:
    """Append ``lines`` to the log, attributed to ``ctx``: one ``executemany``.

    The time is converted once by the column's own type, so it is stored exactly as an ORM
    write would store it (and reads back through ``ChangeRecord`` as the same aware time).
    """
    if not lines:
        return
    at = stored_value(conn, ChangeRecord.__table__.c.at, utcnow())
    head = (at, ctx.operator, ctx.source, ctx.batch_id)
    dialects.execute(conn, _INSERT_LOG, [head + line for line in lines], many=True)


READ_OFF_ROW = (Enterprise.__tablename__, *KEYED_BY_PERIOD)
"""The tables whose rows an import logs with their key empty: :func:`_read_key_sql` reads it
off the row (an enterprise's credit code; a figure's, with its period), saving a copy a row."""


def _read_key_sql() -> str:
    """SQL: an import line's key: the key it keeps; for an empty one (:data:`READ_OFF_ROW`), the
    row's as the log names it at the end of its life: on its delete line if it was deleted
    since (its id may have been given again), else read off the row as it stands (a credit
    code changed since is the new one; its update line keeps the old)."""
    deleted = (
        "(SELECT d.row_key FROM change_log AS d WHERE d.table_name = import_line.table_name "
        "AND d.row_id = import_line.row_id AND d.action = 'delete' AND d.id > import_line.id "
        "ORDER BY d.id LIMIT 1)"
    )
    owner = "(SELECT e.uscc FROM enterprise AS e WHERE e.id = {})"
    cases = [f"WHEN '{Enterprise.__tablename__}' THEN {owner.format('import_line.row_id')}"]
    for name, period in KEYED_BY_PERIOD.items():
        spelled = period_key_sql(owner.format(f"r.{OWNER}"), [f"r.{p}" for p in period])
        cases.append(
            f"WHEN '{name}' THEN (SELECT {spelled} "
            f"FROM {name} AS r WHERE r.id = import_line.row_id)"
        )
    return (
        f"COALESCE(NULLIF(import_line.row_key, ''), {deleted}, "
        f"CASE import_line.table_name {' '.join(cases)} END, '#' || import_line.row_id)"
    )


def _lines(limit: int | None = None) -> Subquery:
    """The change log's lines and the import lines, as one: each import line with its batch's
    time and operator where it keeps none, its source ``import`` where it names none. With
    ``limit``, only the newest ``limit`` lines of each table (read from its end)."""
    log, short, batch = ChangeRecord.__table__, ImportLine.__table__, ImportBatch.__table__
    full = select(log.c.id, *(log.c[name] for name in LOG_COLUMNS))
    imported = select(
        short.c.id,
        func.coalesce(short.c.at, batch.c.imported_at, type_=log.c.at.type).label("at"),
        func.coalesce(short.c.operator, batch.c.operator).label("operator"),
        func.coalesce(short.c.source, literal_column(f"'{IMPORT_SOURCE}'")).label("source"),
        short.c.batch_id,
        short.c.source_row,
        short.c.table_name,
        short.c.row_id,
        literal_column(_read_key_sql(), log.c.row_key.type).label("row_key"),
        literal_column("'insert'").label("action"),
        null().label("field"),
        null().label("old_value"),
        null().label("new_value"),
    ).join_from(short, batch, batch.c.id == short.c.batch_id)
    if limit is not None:  # each arm filtered by its own ids: no other line is computed
        full, imported = (
            arm.where(t.c.id.in_(select(t.c.id).order_by(t.c.id.desc()).limit(limit)))
            for arm, t in ((full, log), (imported, short))
        )
    return union_all(full, imported).subquery("log_line")


LINES = _lines()
"""Every line of the log, in the change log's columns: read it, never ``change_log`` alone."""


def newest(limit: int) -> Select[Any]:
    """The newest ``limit`` lines of :data:`LINES`, newest first (never every line made)."""
    lines = _lines(limit)
    return select(lines).order_by(lines.c.id.desc()).limit(limit)


def import_attribution(conn: Connection, ctx: AuditContext) -> tuple[str | None, str | None]:
    """The operator and source an import line of ``ctx`` keeps: each NULL where it is its
    batch's (the batch's operator; the source ``import``)."""
    batch = ImportBatch.__table__
    operator = conn.execute(select(batch.c.operator).where(batch.c.id == ctx.batch_id)).scalar()
    return (
        None if operator == ctx.operator else ctx.operator,
        None if ctx.source == IMPORT_SOURCE else ctx.source,
    )


def bind_processor(dialect: Dialect, column: Column[Any]) -> Callable[[Any], Any] | None:
    """What SQLAlchemy does to a value of ``column`` before handing it to the driver."""
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def stored_value(conn: Connection, column: Column[Any], value: Any) -> Any:
    """``value`` as the driver receives it for ``column``."""
    process = bind_processor(conn.dialect, column)
    return value if process is None else process(value)


def _logged(objs: Iterable[object]) -> list[Base]:
    return [o for o in objs if isinstance(o, Base) and o.__tablename__ not in UNLOGGED_TABLES]


def _deleted(session: Session, flush: UOWTransaction) -> list[object]:
    """Rows this flush deletes: the explicit ones and the orphans the cascade removes."""
    orphans = [
        state.obj()
        for state, (is_delete, list_only) in flush.states.items()
        if is_delete and not list_only and state.obj() not in session.deleted
    ]
    return [*session.deleted, *orphans]


def after_flush(session: Session, flush: UOWTransaction) -> None:
    """Log what this flush wrote; a session without an AuditContext may not write business data."""
    changed = (
        [(o, "insert") for o in _logged(session.new)]
        + [(o, "update") for o in _logged(session.dirty) if session.is_modified(o)]
        + [(o, "delete") for o in _logged(_deleted(session, flush))]
    )
    if not changed:
        return
    ctx = session.info.get(AUDIT_KEY)
    if not isinstance(ctx, AuditContext):
        raise RuntimeError("business data written without an AuditContext (operator, source)")
    entries = [e for obj, action in changed for e in _entries_for(obj, action)]
    write_entries(session.connection(), ctx, entries)
