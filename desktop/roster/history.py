"""The change log as the window reads it: filtered id lists (newest first) and rows by id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from desktop.models import ChangeRecord

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


def _where(query: Select, flt: LogFilter) -> Select:
    if flt.operator:
        query = query.where(ChangeRecord.operator == flt.operator)
    if flt.table_name:
        query = query.where(ChangeRecord.table_name == flt.table_name)
    if flt.since:
        query = query.where(ChangeRecord.at >= _local_midnight_utc(flt.since))
    if flt.until:
        query = query.where(ChangeRecord.at < _local_midnight_utc(flt.until + timedelta(days=1)))
    if flt.text.strip():
        like = f"%{flt.text.strip()}%"
        cols = (ChangeRecord.row_key, ChangeRecord.field, ChangeRecord.old_value,
                ChangeRecord.new_value)  # fmt: skip
        query = query.where(or_(*(c.like(like) for c in cols)))
    return query


def log_ids(session: Session, flt: LogFilter) -> list[int]:
    """Ids of the matching change-log lines, newest first."""
    return list(
        session.scalars(_where(select(ChangeRecord.id), flt).order_by(ChangeRecord.id.desc()))
    )


def fetch_log_rows(session: Session, ids: Sequence[int]) -> dict[int, tuple]:
    """The values (``LOG_COLUMNS`` order; time as local text) of the lines ``ids``."""
    query = select(ChangeRecord).where(ChangeRecord.id.in_(ids))
    rows = {}
    for r in session.scalars(query):
        at = r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        rows[r.id] = (at, *(getattr(r, key) for key, _ in LOG_COLUMNS[1:]))
    return rows


def distinct_values(session: Session, column: str) -> list[str]:
    """The different operators (or tables) the log holds, for the filter lists."""
    col = getattr(ChangeRecord, column)
    return list(session.scalars(select(col).distinct().order_by(col)))
