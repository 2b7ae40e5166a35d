"""Packages between a county and the city (TEAM.md): each row's global key, what was sent and
received, and the conflicts kept for an officer to resolve."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base, UtcDateTime, labelled, one_of, utcnow

GLOBAL_KEY = "uid"
"""The column holding a row's global key (an enterprise's is its credit code instead)."""
OWNER = "enterprise_id"
KEYED_BY_PERIOD = {"monthly_output": ("year", "month"), "annual_figures": ("year",)}
"""The tables of an enterprise's figures, each row known everywhere by its enterprise (the
credit code) and period, spelled as the change log names the row (``USCC 2022-03``, ``USCC
2022``): no column holds their key. The period's columns, by table."""

CONFLICT_STATES = ("open", "resolved")
RESOLUTIONS = ("mine", "theirs", "value", "agreed")


def new_key() -> str:
    """A new global key: 32 hexadecimal digits of a random UUID."""
    return uuid4().hex


class GlobalKeyed:
    """A row's global key, the same in every database the row travels to; given at creation.

    A row written by plain SQL without one gets one from the database (a trigger on SQLite, the
    column's default on PostgreSQL; migration 0010).
    """

    uid: Mapped[str] = mapped_column(
        String(32),
        default=new_key,
        nullable=True,  # filled by the database at once when plain SQL gives none
        unique=True,
        index=True,
        sort_order=999,
        info=labelled("全局编号"),
    )


class PackageSent(Base):
    """One package this database wrote: to whom, its number, and the change log it reached."""

    __tablename__ = "package_sent"
    __table_args__ = (
        UniqueConstraint("sender", "destination", "sequence"),
        {"info": labelled("已发出的数据包")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sender: Mapped[str] = mapped_column(String(40), info=labelled("发出单位"))
    destination: Mapped[str] = mapped_column(String(40), info=labelled("接收单位"))
    sequence: Mapped[int] = mapped_column(Integer, info=labelled("序号"))
    last_log_id: Mapped[int] = mapped_column(Integer, info=labelled("截至操作记录"))
    rows: Mapped[int] = mapped_column(Integer, info=labelled("行数"))
    sha256: Mapped[str] = mapped_column(String(64), info=labelled("内容摘要"))
    operator: Mapped[str] = mapped_column(String(50), info=labelled("操作人"))
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, info=labelled("时间"))


class PackageReceived(Base):
    """One package received: applied (with the import batch its changes are logged under), or
    waiting for a missing earlier one (its content kept until then)."""

    __tablename__ = "package_received"
    __table_args__ = (
        UniqueConstraint("sender", "destination", "sequence"),
        one_of("state", ("applied", "waiting")),
        {"info": labelled("已收到的数据包")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sender: Mapped[str] = mapped_column(String(40), info=labelled("发出单位"))
    destination: Mapped[str] = mapped_column(String(40), info=labelled("接收单位"))
    sequence: Mapped[int] = mapped_column(Integer, info=labelled("序号"))
    sha256: Mapped[str] = mapped_column(String(64), info=labelled("内容摘要"))
    state: Mapped[str] = mapped_column(String(10), info=labelled("状态"))
    content: Mapped[bytes | None] = mapped_column(LargeBinary, info=labelled("数据包内容"))
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="RESTRICT"), index=True, info=labelled("导入批次")
    )
    operator: Mapped[str] = mapped_column(String(50), info=labelled("操作人"))
    received_at: Mapped[datetime] = mapped_column(
        UtcDateTime, default=utcnow, info=labelled("时间")
    )


class SyncConflict(Base):
    """A field changed on both sides to different values (or a row deleted on one side and
    edited on the other: ``field`` empty), kept with the base and both values until resolved.

    Values are the change log's texts (a reference as the referenced row's global key); a whole
    row, where a deletion meets an edit, is its JSON object, and a deleted side is empty.
    """

    __tablename__ = "sync_conflict"
    __table_args__ = (
        one_of("state", CONFLICT_STATES),
        one_of("resolution", RESOLUTIONS),
        {"info": labelled("数据冲突")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40), info=labelled("数据表"))
    row_key: Mapped[str] = mapped_column(String(40), index=True, info=labelled("全局编号"))
    label: Mapped[str] = mapped_column(String(100), info=labelled("数据"))  # as the log names it
    field: Mapped[str | None] = mapped_column(String(40), info=labelled("字段"))
    base: Mapped[str | None] = mapped_column(Text, info=labelled("原值"))
    mine: Mapped[str | None] = mapped_column(Text, info=labelled("本方值"))
    theirs: Mapped[str | None] = mapped_column(Text, info=labelled("对方值"))
    mine_by: Mapped[str | None] = mapped_column(String(50), info=labelled("本方修改人"))
    mine_at: Mapped[datetime | None] = mapped_column(UtcDateTime, info=labelled("本方修改时间"))
    theirs_by: Mapped[str | None] = mapped_column(String(50), info=labelled("对方修改人"))
    theirs_at: Mapped[datetime | None] = mapped_column(UtcDateTime, info=labelled("对方修改时间"))
    sender: Mapped[str] = mapped_column(String(40), info=labelled("对方单位"))
    sequence: Mapped[int] = mapped_column(Integer, info=labelled("数据包序号"))
    state: Mapped[str] = mapped_column(String(10), default="open", info=labelled("状态"))
    resolution: Mapped[str | None] = mapped_column(String(10), info=labelled("处理方式"))
    resolved_value: Mapped[str | None] = mapped_column(Text, info=labelled("采用值"))
    resolved_by: Mapped[str | None] = mapped_column(String(50), info=labelled("处理人"))
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, info=labelled("处理时间"))
