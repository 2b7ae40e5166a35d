"""Versions on business rows: a save over a row saved meanwhile is refused and explained.

Every business row counts its saves (``desktop.models.base.Versioned``). The ORM writes a row only
over the version it read (``StaleDataError`` otherwise), and so do the bulk writers
(``desktop.cases.writes``). Either way the refusal becomes one :class:`RowChanged`, built here:
the officer's values beside those stored now, and who stored them when, from the change log.

An ORM save loses its pending values when the failed flush rolls back, so :func:`remember_saves`
(before every flush) keeps what each versioned row was about to write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Column, Connection, Engine, Table, inspect, select
from sqlalchemy.orm import MANYTOONE, InstanceState, Session, UOWTransaction
from sqlalchemy.orm.attributes import set_committed_value

from desktop.models import Base, ChangeRecord, Money, column_label, table_label
from desktop.models.base import VERSION
from desktop.store.changelog import BOOKKEEPING, encode_value, row_key
from desktop.store.errors import FieldClash, RowChanged, StoreError, saved_by

LOG = ChangeRecord.__table__
SAVES_KEY = "versioned_saves"
EMPTY = "（空）"


@dataclass(frozen=True, slots=True)
class PendingSave:
    """What a flush was about to write over one versioned row: over which version, and the
    new value of each column it changes (``mine``)."""

    table: Table
    row_id: int
    row_key: str
    version: int
    mine: Mapping[str, Any]


def based_on(obj: Base, version: int | None) -> None:
    """Save ``obj`` (just read) only over ``version``, the one the officer's edit started from:
    when the row has moved on since, its flush raises ``StaleDataError``. None: no check."""
    if version is not None:
        set_committed_value(obj, VERSION, version)  # as if read so: the flush counts on from it


def remember_saves(session: Session, flush: UOWTransaction, instances: object) -> None:
    """Keep what this flush writes over versioned rows (``before_flush``), to explain a refusal."""
    saves = []
    for obj in (*session.dirty, *session.deleted):
        state = inspect(obj)
        if not isinstance(obj, Base) or VERSION not in obj.__table__.c or state.identity is None:
            continue
        mine = _pending_columns(state)
        version = state.committed_state.get(VERSION, obj.__dict__.get(VERSION))
        if version is not None and (mine or obj in session.deleted):
            saves.append(PendingSave(obj.__table__, state.identity[0], row_key(obj), version, mine))
    session.info[SAVES_KEY] = saves


def _pending_columns(state: InstanceState[Any]) -> dict[str, Any]:
    """The new value of each column a flush of ``state`` writes: set directly, or through a
    many-to-one relationship (its foreign key, which the flush itself sets)."""
    mine = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if attr.key not in BOOKKEEPING and history.added:
            mine[attr.key] = history.added[0]
    for relation in state.mapper.relationships:
        if relation.direction is not MANYTOONE:
            continue
        history = state.attrs[relation.key].history  # passive: loads nothing
        if not history.added:
            continue
        target = history.added[0]
        for local, remote in relation.local_remote_pairs:
            if local.key not in mine and local.key is not None:
                mine[local.key] = None if target is None else getattr(target, str(remote.key))
    return mine


def refusal(reads: Engine, session: Session) -> StoreError:
    """The refusal of the stale save ``session`` failed on (its flush's pending saves read
    against the rows as they stand now)."""
    saves: list[PendingSave] = session.info.get(SAVES_KEY, [])
    with reads.connect() as conn:
        for save in saves:
            now = conn.execute(select(save.table.c[VERSION]).where(save.table.c.id == save.row_id))
            if now.scalar() != save.version:
                return row_changed(
                    conn, save.table, save.row_id, save.row_key, save.mine, save.version
                )
    return StoreError("数据在您编辑期间已被他人修改，未保存您的改动；请重新打开后再改")


def row_changed(
    conn: Connection, table: Table, row_id: int, key: str, mine: Mapping[str, Any], base: int
) -> StoreError:
    """:class:`RowChanged` for a save of ``mine`` over version ``base`` of row ``row_id`` of
    ``table``, saved meanwhile (a plain StoreError, saying who, when it is gone).

    Each save since ``base`` counted the version up once and wrote its update lines at one
    time: the newest (version now − ``base``) such saves are those made meanwhile, and a field
    none of them changed is named as saved by no one."""
    label = table_label(table.name)
    row = conn.execute(select(table).where(table.c.id == row_id)).first()
    lines = (
        select(LOG.c.field, LOG.c.operator, LOG.c.at, LOG.c.action)
        .where(LOG.c.table_name == table.name, LOG.c.row_id == row_id)
        .order_by(LOG.c.id.desc())
    )
    if row is None:
        gone = conn.execute(lines.where(LOG.c.action == "delete").limit(1)).first()
        who = saved_by(None, None) if gone is None else saved_by(gone.operator, gone.at)
        return StoreError(f"{label} {key} 在您编辑期间已被{who}删除，未保存您的改动")
    newest: dict[str | None, Any] = {}
    saves: set[tuple[Any, str]] = set()
    for line in conn.execute(lines.where(LOG.c.action == "update")):
        saves.add((line.at, line.operator))
        if len(saves) > row._mapping[VERSION] - base:
            break  # saved before the version the save rested on
        newest.setdefault(line.field, line)
        newest.setdefault(None, line)
    clashes = tuple(
        _clash(conn, table.c[name], value, row._mapping[name], newest.get(name))
        for name, value in mine.items()
        if value != row._mapping[name]
    )
    last = newest.get(None)
    return RowChanged(
        table.name,
        label,
        row_id,
        key,
        row._mapping[VERSION],
        clashes,
        None if last is None else last.operator,
        None if last is None else last.at,
    )


def _clash(conn: Connection, column: Column[Any], mine: Any, theirs: Any, line: Any) -> FieldClash:
    return FieldClash(
        column.name,
        column_label(column.table.name, column.name),
        mine,
        theirs,
        value_words(conn, column, mine),
        value_words(conn, column, theirs),
        None if line is None else line.operator,
        None if line is None else line.at,
    )


def value_words(conn: Connection, column: Column[Any], value: Any) -> str:
    """A stored value as the officer reads it: a referenced row by its name, 是/否, 元."""
    if value is None:
        return EMPTY
    for fk in column.foreign_keys:
        target = fk.column.table
        if "name" in target.c:
            name = conn.execute(select(target.c.name).where(fk.column == value)).scalar()
            return str(name) if name is not None else str(value)
    if isinstance(column.type, Boolean):
        return "是" if value else "否"
    text = encode_value(value) or EMPTY
    return f"{text} 元" if isinstance(column.type, Money) else text
