"""The change log in the officer's words: filtered id lists (newest first) and rows by id.

Tables and fields read as the schema labels them (``info``; so a field reads the same
everywhere), flags as 是/否, money in 元, county/zone/chain ids as their names and whole rows
as 字段：值 without their own ids (an inserted row walked back from the row as it stands, see
:mod:`desktop.store.walkback`). The text search finds what is shown: those field names and
names too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Integer,
    MetaData,
    Row,
    Select,
    Table,
    Text,
    and_,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session

from desktop.models import GLOBAL_KEY, Base, Money, column_label, table_label
from desktop.store.changelog import LINES
from desktop.store.engine import temporary_writes
from desktop.store.walkback import InsertLine, inserted_rows, walk_into

LOG = LINES  # every line, the import lines among them
Record = Row[Any]  # one line of LOG
LOG_COLUMNS: tuple[tuple[str, str], ...] = (
    ("at", "时间"),
    ("operator", "操作人"),
    ("source", "来源"),
    ("table_name", "数据表"),
    ("row_key", "记录"),
    ("action", "操作"),
    ("field", "字段"),
    ("old_value", "原值"),
    ("new_value", "新值"),
)

SOURCE_LABELS = {
    "window": "窗口编辑", "import": "导入", "undo": "撤销导入", "sample": "示例数据",
    "command": "命令行", "migration": "数据库升级", "package": "数据包", "conflict": "冲突处理",
}  # fmt: skip
ACTION_LABELS = {"insert": "新增", "update": "修改", "delete": "删除"}

LOGGED_TABLES = (
    "enterprise", "monthly_output", "annual_figures", "lease", "provincial_award", "zone",
    "key_chain", "county",
)  # fmt: skip
FLAG_WORDS = {"1": "是", "0": "否", "true": "是", "false": "否"}
NAMED_TABLES = ("county", "zone", "key_chain")  # a column referring to one reads as its name
Names = Mapping[str, Mapping[str, str]]
"""Per named table, each row's name by its id as logged (see :func:`reference_names`)."""
NO_NAMES: Names = MappingProxyType({})


def _named(column: Column) -> str | None:
    """The named table ``column`` refers to (county_id → county), if any."""
    targets = (fk.column.table.name for fk in column.foreign_keys)
    return next((t for t in targets if t in NAMED_TABLES), None)


def _columns(table: str) -> Sequence[Column]:
    return tuple(Base.metadata.tables[table].columns) if table in Base.metadata.tables else ()


FIELDS: dict[str, dict[str, Column]] = {
    t: {c.name: c for c in _columns(t) if "label" in c.info} for t in LOGGED_TABLES
}
"""Per table, its labelled columns (the schema's ``info``), by name."""
REFERENCES: dict[str, dict[str, str]] = {
    t: {c.name: ref for c in _columns(t) if (ref := _named(c))} for t in LOGGED_TABLES
}


def reference_names(session: Session) -> Names:
    """The names of the counties, zones and chains by id, to read the logged ids by."""
    tables = (Base.metadata.tables[t] for t in NAMED_TABLES)
    return {
        t.name: {str(i): name for i, name in session.execute(select(t.c.id, t.c.name))}
        for t in tables
    }


def field_label(table: str, name: str) -> str:
    """The Chinese name of column ``name`` of ``table`` (the name itself when it has none)."""
    return column_label(table, name)


def value_text(
    table: str, name: str | None, value: str | None, names: Names = NO_NAMES
) -> str | None:
    """A logged value as read: 是/否, money in 元, ids as names, a whole row as 字段：值；…"""
    if value is None:
        return None
    if name is None:
        return _row_text(table, value, names)
    ref = REFERENCES.get(table, {}).get(name)
    if ref is not None:
        return names.get(ref, {}).get(value, value)  # a row deleted since keeps its id
    found = FIELDS.get(table, {}).get(name)
    if found is not None and isinstance(found.type, Boolean):
        return FLAG_WORDS.get(value.lower(), value)
    if found is not None and isinstance(found.type, Money):
        return f"{value} 元"  # stored in yuan, whatever unit the sheet used
    return value


def _row_text(table: str, value: str, names: Names) -> str:
    """An inserted or deleted row's JSON as 字段：值；… without empty fields or its own ids (its
    global key among them)."""
    try:
        row = json.loads(value)
    except ValueError:
        return value
    if not isinstance(row, dict):
        return value
    fields = FIELDS.get(table, {})
    return "；".join(
        f"{field_label(table, k)}：{value_text(table, k, str(v), names)}"
        for k, v in row.items()
        if v is not None and k != GLOBAL_KEY and (k in fields or not k.endswith("_id"))
    )


def labelled_keys(text: str) -> dict[str, list[str]]:
    """Per table, the columns whose Chinese name contains ``text`` (规上 finds above_scale)."""
    found = {
        table: [name for name, c in fields.items() if text in c.info["label"]]
        for table, fields in FIELDS.items()
    }
    return {table: names for table, names in found.items() if names}


# The insert lines' walked-back rows, for the search: a temporary table of the reading session.
_walked = Table(
    "walked_row", MetaData(), Column("log_id", Integer, primary_key=True), Column("row", Text),
    prefixes=["TEMPORARY"],
)  # fmt: skip
WHOLE_ROW = func.coalesce(LOG.c.new_value, _walked.c.row, LOG.c.old_value)
"""An inserted or deleted row's JSON (the search joins :func:`_walk_inserts`' table for it)."""


def _like(text: str) -> str:
    """A LIKE pattern for ``text`` anywhere, its own % and _ taken literally (escape ``\\``)."""
    quoted = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{quoted}%"


def _shown(name: str) -> str:
    """How a whole row's JSON starts the value of column ``name``: '"name": "' (not null)."""
    return json.dumps({name: ""})[1:-2]


def _label_match(text: str) -> ColumnElement[bool]:
    """Lines of a column named ``text`` in Chinese: updates of it, or whole rows that show it."""
    matches = [false()]
    for table, names in labelled_keys(text).items():
        shown = [_like(_shown(n)) for n in names]
        whole = or_(*(WHOLE_ROW.like(p, escape="\\") for p in shown))
        of_table = or_(LOG.c.field.in_(names), and_(LOG.c.field.is_(None), whole))
        matches.append(and_(LOG.c.table_name == table, of_table))
    return or_(*matches)


def _name_match(text: str, names: Names) -> ColumnElement[bool]:
    """Lines showing a county, zone or chain whose name contains ``text`` (logged by id)."""
    matches = [false()]
    for table, refs in REFERENCES.items():
        for column, named in refs.items():
            folded = text.casefold()  # as LIKE: ASCII letters in any case
            ids = [i for i, name in names.get(named, {}).items() if folded in name.casefold()]
            if not ids:
                continue
            update = and_(
                LOG.c.field == column,
                or_(LOG.c.old_value.in_(ids), LOG.c.new_value.in_(ids)),
            )
            shown = (_like(_shown(column) + i + '"') for i in ids)
            whole = and_(
                LOG.c.field.is_(None), or_(*(WHOLE_ROW.like(p, escape="\\") for p in shown))
            )
            matches.append(and_(LOG.c.table_name == table, or_(update, whole)))
    return or_(*matches)


def label(mapping: dict[str, str], value: str | None) -> str | None:
    """The Chinese word for a stored code, or the code itself when it has none."""
    return None if value is None else mapping.get(value, value)


@dataclass(frozen=True)
class LogFilter:
    """What the officer narrowed the log to; empty means any. Days are local dates."""

    operator: str = ""
    table_name: str = ""
    since: date | None = None
    until: date | None = None
    text: str = ""


def _local_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


def _where(query: Select, flt: LogFilter, names: Names) -> Select:
    if flt.operator:
        query = query.where(LOG.c.operator == flt.operator)
    if flt.table_name:
        query = query.where(LOG.c.table_name == flt.table_name)
    if flt.since:
        query = query.where(LOG.c.at >= _local_midnight_utc(flt.since))
    if flt.until:
        query = query.where(LOG.c.at < _local_midnight_utc(flt.until + timedelta(days=1)))
    text = flt.text.strip()
    if text:
        cols = (LOG.c.row_key, LOG.c.field, LOG.c.old_value,
                LOG.c.new_value, _walked.c.row)  # fmt: skip
        query = query.where(
            or_(
                *(c.like(_like(text), escape="\\") for c in cols),
                _label_match(text),
                _name_match(text, names),
            )
        )
    return query


def _walk_inserts(session: Session, flt: LogFilter) -> None:
    """Fill the temporary table of walked-back rows of the insert lines the filter may show."""
    conn = session.connection()
    with temporary_writes(conn):
        _walked.drop(conn, checkfirst=True)
        _walked.create(conn)
        walk_into(conn, _walked, _where(select(LOG.c.id), replace(flt, text=""), NO_NAMES))


def log_ids(session: Session, flt: LogFilter) -> list[int]:
    """Ids of the matching change-log lines, newest first."""
    query = select(LOG.c.id)
    names = NO_NAMES
    if flt.text.strip():
        names = reference_names(session)
        _walk_inserts(session, flt)
        query = query.outerjoin(_walked, _walked.c.log_id == LOG.c.id)
    query = _where(query, flt, names).order_by(LOG.c.id.desc())
    return list(session.scalars(query))


def walked_back(session: Session, records: Sequence[Record]) -> dict[int, str]:
    """The rows ``records``' insert lines added, as their JSON, where the line keeps none."""
    lines = [
        InsertLine(r.id, r.table_name, r.row_id)
        for r in records
        if r.action == "insert" and r.new_value is None
    ]
    return inserted_rows(session.connection(), lines) if lines else {}


def readable(r: Record, names: Names, walked: Mapping[int, str] = NO_NAMES) -> tuple:
    """One line as shown (``LOG_COLUMNS`` order): local time, Chinese words and values.

    ``walked`` holds inserted rows by line id where the line keeps none (:func:`walked_back`).
    """
    at = r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    table = r.table_name
    return (
        at, r.operator, label(SOURCE_LABELS, r.source), table_label(table), r.row_key,
        label(ACTION_LABELS, r.action), r.field and field_label(table, r.field),
        value_text(table, r.field, r.old_value, names),
        value_text(table, r.field, walked.get(r.id, r.new_value), names),
    )  # fmt: skip


def fetch_log_rows(session: Session, ids: Sequence[int]) -> dict[int, tuple]:
    """The lines ``ids`` as shown, by id (see :func:`readable`)."""
    names = reference_names(session)
    records = list(session.execute(select(LOG).where(LOG.c.id.in_(ids))))
    walked = walked_back(session, records)
    return {r.id: readable(r, names, walked) for r in records}


def distinct_values(session: Session, column: str) -> list[str]:
    """The different operators (or tables) the log holds, for the filter lists."""
    col = LOG.c[column]
    return list(session.scalars(select(col).distinct().order_by(col)))
