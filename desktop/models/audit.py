"""Who changed what: import batches, the change log (with its import lines) and the settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base, UtcDateTime, labelled, utcnow


class ImportBatch(Base):
    """One imported file: what it was, who imported it, what it did, and whether it was undone."""

    __tablename__ = "import_batch"
    __table_args__ = ({"info": labelled("导入批次")},)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(260))
    sha256: Mapped[str] = mapped_column(String(64))
    operator: Mapped[str] = mapped_column(String(50))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON: per sheet kind and outcome
    undone_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    undone_by: Mapped[str | None] = mapped_column(String(50))


class ChangeRecord(Base):
    """One field of one row changed (or one row inserted or deleted), never edited afterwards.

    The rows an import inserts are logged as :class:`ImportLine`s instead, in the same ids
    (on SQLite ``AUTOINCREMENT`` keeps ids an import line took from being given again); read
    the two together through ``desktop.store.changelog.LINES``.
    """

    __tablename__ = "change_log"
    __table_args__ = (
        Index("ix_change_log_row", "table_name", "row_id"),  # a row's lines (an import line's key)
        {"info": labelled("操作记录"), "sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    operator: Mapped[str] = mapped_column(String(50))
    source: Mapped[str] = mapped_column(String(20))  # window, import, undo, sample, command
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="RESTRICT"), index=True
    )
    source_row: Mapped[int | None] = mapped_column(Integer)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int] = mapped_column(Integer)
    row_key: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(10))  # insert, update, delete
    field: Mapped[str | None] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class ImportLine(Base):
    """A row an import inserted, logged short: which batch, sheet row, table and row.

    Its time, operator and source are its batch's (NULL here), unless the line says otherwise
    (a line converted from an older log keeps its own where they differ); its id is a change-log
    id, taken from the log's ids, never edited afterwards.
    """

    __tablename__ = "import_line"
    __table_args__ = ({"info": labelled("导入记录")},)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="RESTRICT"))
    source_row: Mapped[int | None] = mapped_column(Integer)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int] = mapped_column(Integer)
    row_key: Mapped[str] = mapped_column(String(100))  # '': read off the row (LINES)
    at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    operator: Mapped[str | None] = mapped_column(String(50))
    source: Mapped[str | None] = mapped_column(String(20))  # NULL: import


class Setting(Base):
    """A named setting kept with the data (filing unit, backups to keep, operator …)."""

    __tablename__ = "setting"
    __table_args__ = ({"info": labelled("设置")},)

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
