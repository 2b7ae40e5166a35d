"""Who is working on this database now: one row per running program (not business data, not
in the change log)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base, UtcDateTime, labelled, one_of

PROGRAM_KINDS = ("window", "command")


class Presence(Base):
    """A running program: who, on which PC, since when, last seen (its heartbeat)."""

    __tablename__ = "presence"
    __table_args__ = (
        one_of("kind", PROGRAM_KINDS),
        {"info": labelled("在用程序")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    operator: Mapped[str] = mapped_column(String(50), info=labelled("操作人"))
    host: Mapped[str] = mapped_column(String(100), info=labelled("计算机"))
    pid: Mapped[int] = mapped_column(Integer, info=labelled("进程号"))
    kind: Mapped[str] = mapped_column(String(10), info=labelled("程序"))
    since: Mapped[datetime] = mapped_column(UtcDateTime, info=labelled("开始时间"))
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime, index=True, info=labelled("最近在线"))
