"""Conflicts left by packages: kept, listed, and resolved by an officer (never by the program).

A *field* conflict is one field changed on both sides to different values since the base; a
*row* conflict (``field`` empty) is a row deleted on one side and edited on the other. Each is
kept with the base, both values, and who changed each and when.

Resolving one writes its decision here, logged (source ``conflict``), in a form that travels
in the next packages so that every database comes to the same row: taking the other side's
value sets it; keeping one's own writes a log line whose old text is the other side's value, so
the other side, which has that value, takes ours. Resolve a conflict in one place (the city):
the same conflict, kept on the other side too, is closed there when the decision arrives.

For the window's review page and ``conflicts`` on the command line alike:
:func:`list_conflicts`, :func:`resolve_conflict`, :func:`parse_value`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Connection, Row, Table, select

from desktop import values
from desktop.changes import TABLES, Changes
from desktop.models import (
    PackageReceived,
    SyncConflict,
    column_label,
    table_label,
    utcnow,
)
from desktop.models.base import Money
from desktop.store import Database
from desktop.store.changelog import LINES, AuditContext, encode_value
from desktop.sync.keys import KeyMap, by_period, key_column, references, synced
from desktop.sync.rows import (
    Texts,
    delete_row,
    insert_rows,
    log_line,
    read_rows,
    texts_of,
    update_row,
)

CONFLICTS = SyncConflict.__table__
LOG = LINES  # every line, the import lines among them
RECEIVED = PackageReceived.__table__
MINE, THEIRS = "mine", "theirs"
SOURCE = "conflict"


class ConflictError(ValueError):
    """The resolution was refused; ``str()`` is the officer's reason. Nothing was written."""


@dataclass(frozen=True)
class Conflict:
    """One conflict as the review page and ``conflicts --json`` show it."""

    id: int
    table: str
    row_key: str
    label: str
    field: str | None
    base: str | None
    mine: str | None
    theirs: str | None
    mine_by: str | None
    mine_at: datetime | None
    theirs_by: str | None
    theirs_at: datetime | None
    sender: str
    sequence: int
    state: str
    resolution: str | None
    resolved_value: str | None
    resolved_by: str | None
    resolved_at: datetime | None

    @property
    def what(self) -> str:
        """The table and field as the officer names them (整行 for a row conflict)."""
        name = table_label(self.table)
        return f"{name}·{column_label(self.table, self.field) if self.field else '整行'}"

    def to_json(self) -> dict[str, Any]:
        def when(at: datetime | None) -> str | None:
            return at.isoformat() if at else None

        return {
            "id": self.id,
            "table": self.table,
            "key": self.row_key,
            "label": self.label,
            "field": self.field,
            "what": self.what,
            "base": self.base,
            "mine": {"value": self.mine, "by": self.mine_by, "at": when(self.mine_at)},
            "theirs": {"value": self.theirs, "by": self.theirs_by, "at": when(self.theirs_at),
                       "unit": self.sender, "sequence": self.sequence},
            "state": self.state,
            "resolution": self.resolution,
            "resolved_value": self.resolved_value,
            "resolved_by": self.resolved_by,
            "resolved_at": when(self.resolved_at),
        }  # fmt: skip


@dataclass(frozen=True)
class Side:
    """One side of a conflict: its value (text, or a row's JSON; ``None`` when deleted), who
    changed it and when."""

    value: str | None
    by: str | None
    at: datetime | None


def list_conflicts(db: Database, *, everything: bool = False) -> list[Conflict]:
    """The open conflicts, oldest first (with ``everything``, the resolved ones too)."""
    query = select(CONFLICTS).order_by(CONFLICTS.c.id)
    if not everything:
        query = query.where(CONFLICTS.c.state == "open")
    with db.reads.connect() as conn:
        return [_conflict(r) for r in conn.execute(query)]


def _conflict(row: Row[Any]) -> Conflict:
    found = dict(row._mapping)
    found["table"] = found.pop("table_name")
    return Conflict(**found)


def open_conflict(conn: Connection, table: str, key: str, field: str | None) -> Row[Any] | None:
    """The open conflict on ``field`` (``None``: the whole row) of row ``key``, if any."""
    query = select(CONFLICTS).where(
        CONFLICTS.c.state == "open",
        CONFLICTS.c.table_name == table,
        CONFLICTS.c.row_key == key,
        CONFLICTS.c.field.is_(None) if field is None else CONFLICTS.c.field == field,
    )
    return conn.execute(query).first()


def last_change(conn: Connection, table: str, row_id: int | None, field: str | None) -> Side:
    """Who last changed ``field`` (or the row) of local row ``row_id`` here, and when; a change
    that came in a package is named by the unit that sent it."""
    if row_id is None:
        return Side(None, None, None)
    query = select(LOG.c.operator, LOG.c.at, LOG.c.batch_id, RECEIVED.c.sender).where(
        LOG.c.table_name == table, LOG.c.row_id == row_id
    )
    query = query.outerjoin(RECEIVED, RECEIVED.c.batch_id == LOG.c.batch_id)
    if field is not None:
        query = query.where(LOG.c.field == field)
    found = conn.execute(query.order_by(LOG.c.id.desc()).limit(1)).first()
    if found is None:
        return Side(None, None, None)
    by = (
        found.operator
        if found.sender is None
        else f"{found.sender}（数据包，{found.operator}导入）"
    )
    return Side(None, by, found.at)


def keep_conflict(
    conn: Connection,
    *,
    table: str,
    key: str,
    label: str,
    field: str | None,
    base: str | None,
    mine: Side,
    theirs: Side,
    sender: str,
    sequence: int,
) -> None:
    """Record a conflict (or, when one is open on the same field, bring its other side up to
    date)."""
    values_ = {
        "base": base,
        "theirs": theirs.value,
        "theirs_by": theirs.by,
        "theirs_at": theirs.at,
        "sender": sender,
        "sequence": sequence,
    }
    standing = open_conflict(conn, table, key, field)
    if standing is not None:
        conn.execute(CONFLICTS.update().where(CONFLICTS.c.id == standing.id).values(**values_))
        return
    conn.execute(
        CONFLICTS.insert().values(
            table_name=table, row_key=key, label=label[:100], field=field, state="open",
            mine=mine.value, mine_by=mine.by, mine_at=mine.at, **values_,
        )
    )  # fmt: skip


def close_conflict(
    conn: Connection, conflict_id: int, how: str, value: str | None, by: str
) -> None:
    """Mark a conflict resolved: ``how`` (mine, theirs, value, agreed), the value kept, who."""
    conn.execute(
        CONFLICTS.update()
        .where(CONFLICTS.c.id == conflict_id)
        .values(state="resolved", resolution=how, resolved_value=value, resolved_by=by,
                resolved_at=utcnow())
    )  # fmt: skip


def kind_of(column: Column[Any]) -> values.ValueType:
    """The kind of value ``column`` holds, whose one parser reads an officer's VALUE."""
    if isinstance(column.type, Money):
        return (
            values.ValueType.signed_money
            if column.name == "taxable_income"
            else values.ValueType.money
        )
    python_type = column.type.python_type
    if python_type is bool:
        return values.ValueType.tristate if column.nullable else values.ValueType.flag
    if python_type is date:
        return values.ValueType.date
    if python_type is int:
        return values.ValueType.integer
    if python_type is Decimal:
        return values.ValueType.decimal
    return values.ValueType.text


def parse_value(table: Table, field: str, text: str) -> str | None:
    """An officer's VALUE for ``field`` of ``table`` as the log's text (a reference: the referred
    row's global key, given as is); refused in Chinese when the field's parser refuses it."""
    if field in references(table):
        return text.strip() or None
    column = table.c[field]
    try:
        parsed = values.optional(kind_of(column), column.info.get("unit", "元"))(text)
    except (values.ValueProblem, ValueError) as problem:
        raise ConflictError(
            f"「{column_label(table.name, field)}」的值「{text}」有误：{problem}"
        ) from None
    if parsed is None and not column.nullable:
        raise ConflictError(f"「{column_label(table.name, field)}」不能为空")
    return encode_value(parsed)


@dataclass(frozen=True)
class Resolved:
    """What a resolution did: the value kept and what changed (for the window)."""

    conflict: int
    value: str | None
    changes: Changes


def resolve_conflict(db: Database, conflict_id: int, take: str) -> Resolved:
    """Resolve conflict ``conflict_id``: ``take`` is ``mine``, ``theirs`` or a value for the
    field (read by the one parser of its kind). Logged; all or nothing."""
    with db.engine.begin() as conn:
        found = conn.execute(select(CONFLICTS).where(CONFLICTS.c.id == conflict_id)).first()
        if found is None:
            raise ConflictError(f"没有编号为 {conflict_id} 的冲突")
        if found.state != "open":
            raise ConflictError(f"冲突 {conflict_id} 已由 {found.resolved_by} 处理")
        table = synced(found.table_name)
        assert table is not None
        ctx = AuditContext(db.operator, SOURCE)
        if found.field is None:
            value = _resolve_row(conn, ctx, table, found, take)
            how = take
        else:
            how = take if take in (MINE, THEIRS) else "value"
            value = {MINE: found.mine, THEIRS: found.theirs}.get(take)
            if how == "value":
                value = parse_value(table, found.field, take)
            _resolve_field(conn, ctx, table, found, value)
        close_conflict(conn, found.id, how, value, db.operator)
    return Resolved(found.id, value, TABLES.get(table.name, Changes.NONE) | Changes.PACKAGES)


def _resolve_field(
    conn: Connection, ctx: AuditContext, table: Table, found: Row[Any], value: str | None
) -> None:
    keys = KeyMap(conn)
    row = read_rows(conn, table, [found.row_key]).get(found.row_key)
    if row is None:
        raise ConflictError(f"{found.label} 已不在本库中，无法处理此冲突")
    if texts_of(keys, table, row)[found.field] != value:
        update_row(conn, ctx, keys, table, row, found.label, {found.field: value})
    elif found.theirs != value:  # ours kept: say so in a line that travels to them
        old = keys.to_ids(table, {found.field: found.theirs})[found.field]
        log_line(
            conn,
            ctx,
            table,
            row.id,
            found.label,
            "update",
            found.field,
            old,
            encode_value(getattr(row, found.field)),
        )


def _resolve_row(
    conn: Connection, ctx: AuditContext, table: Table, found: Row[Any], take: str
) -> str | None:
    """A deletion met an edit: keep the row (the side holding it) or its deletion."""
    if take not in (MINE, THEIRS):
        raise ConflictError("整行冲突（一方删除、一方修改）只能选 mine 或 theirs")
    chosen = found.mine if take == MINE else found.theirs
    keys = KeyMap(conn)
    row = read_rows(conn, table, [found.row_key]).get(found.row_key)
    if chosen is None:  # the deletion wins
        if row is not None:
            delete_row(conn, ctx, table, row, found.label)
        else:  # deleted here already: a line so that the other side deletes it too
            old = keys.to_ids(table, json.loads(found.theirs))
            if not by_period(table):  # such a row is named by its key, as the line's label
                old[key_column(table).name] = found.row_key
            log_line(
                conn,
                ctx,
                table,
                0,
                found.label,
                "delete",
                None,
                json.dumps(old, ensure_ascii=False),
            )
        return None
    texts: Texts = json.loads(chosen)
    if row is None:
        insert_rows(conn, ctx, keys, table, [(found.row_key, found.label, texts)])
    else:
        update_row(conn, ctx, keys, table, row, found.label, texts)
        log_line(conn, ctx, table, row.id, found.label, "insert")  # sent whole to the other side
    return chosen


def row_json(keys: KeyMap, table: Table, row: Row[Any]) -> str:
    """A row's field texts as the JSON a row conflict keeps."""
    return json.dumps(texts_of(keys, table, row), ensure_ascii=False)
