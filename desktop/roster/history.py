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

TABLE_LABELS = {
    "enterprise": "企业", "monthly_output": "月度产值", "annual_figures": "年度数据",
    "lease": "厂房租赁", "provincial_award": "省级奖励", "zone": "开发区", "key_chain": "产业链",
    "county": "县（市、区）",
}  # fmt: skip
SOURCE_LABELS = {
    "window": "窗口编辑", "import": "导入", "undo": "撤销导入", "sample": "示例数据",
    "command": "命令行",
}  # fmt: skip
ACTION_LABELS = {"insert": "新增", "update": "修改", "delete": "删除"}


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
    """The lines ``ids`` as shown (``LOG_COLUMNS`` order; local time, Chinese words)."""
    query = select(ChangeRecord).where(ChangeRecord.id.in_(ids))
    rows = {}
    for r in session.scalars(query):
        at = r.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        rows[r.id] = (
            at, r.operator, label(SOURCE_LABELS, r.source), label(TABLE_LABELS, r.table_name),
            r.row_key, label(ACTION_LABELS, r.action), r.field, r.old_value, r.new_value,
        )  # fmt: skip
    return rows


def distinct_values(session: Session, column: str) -> list[str]:
    """The different operators (or tables) the log holds, for the filter lists."""
    col = getattr(ChangeRecord, column)
    return list(session.scalars(select(col).distinct().order_by(col)))
