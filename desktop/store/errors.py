"""Errors the store raises, each with a message an officer can act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any


class StoreError(Exception):
    """A database problem that stops the operation; ``str()`` is the officer's message."""


class PasswordNeeded(StoreError):
    """The server wants a password that was not given, or refused the one given."""


class DatabaseDamaged(StoreError):
    """The database file failed its check; it was not written to."""

    def __init__(self, path: Path, detail: str, newest_backup: Path | None) -> None:
        self.path = path
        self.detail = detail
        self.newest_backup = newest_backup
        offer = (
            f'可用最新备份恢复：relief-desk restore "{newest_backup}"'
            if newest_backup
            else "没有找到可用的备份"
        )
        super().__init__(f"数据库文件已损坏，未作任何写入（{path}：{detail}）。{offer}")


class NotOurDatabase(StoreError):
    """The path holds something other than a Relief Desk database; it was left unchanged."""


class NotPermitted(StoreError):
    """The server refused a write this login may not make (its role's grants, its unit's rows);
    the transaction was rolled back: nothing of it was written."""


class DatabaseNewer(StoreError):
    """The file was written by a newer Relief Desk; opening it here could damage it."""


class DatabaseBusy(StoreError):
    """Another program held the write lock for longer than the busy timeout; nothing was written."""

    def __init__(self, path: Path | str, waited_seconds: float) -> None:
        self.path = path
        self.waited_seconds = waited_seconds
        super().__init__(
            f"数据库正被另一个程序写入（{path}，已等待 {waited_seconds:g} 秒），请稍后再试"
        )


class DatabaseInUse(StoreError):
    """Another program kept the database open; a restore or a migration, which need it alone,
    did nothing (``what`` names the step: 恢复, 升级)."""

    def __init__(
        self, path: Path | str, holders: list[str], waited_seconds: float, what: str = "恢复"
    ) -> None:
        self.path = path
        self.holders = holders
        who = "、".join(holders) if holders else "另一个程序"
        super().__init__(
            f"数据库正被{who}打开（{path}，已等待 {waited_seconds:g} 秒），未{what}；"
            "请先关闭该程序再试"
        )


@dataclass(frozen=True)
class FieldClash:
    """One field of a refused save: the value the officer saved and the one stored meanwhile
    (``*_text`` as the officer reads them), and who stored it when (None: not since logged)."""

    field: str
    label: str
    mine: Any
    theirs: Any
    mine_text: str
    theirs_text: str
    operator: str | None = None
    at: datetime | None = None


class RowChanged(StoreError):
    """A save over a row someone else saved meanwhile: refused, nothing written.

    ``version`` is the row's version now (a save resting on it may go through); ``fields`` the
    fields where the officer's values differ from those stored; ``operator`` and ``at`` who
    saved the row last, and when (the change log's newest update line of it).
    """

    def __init__(
        self,
        table: str,
        table_label: str,
        row_id: int,
        row_key: str,
        version: int,
        fields: tuple[FieldClash, ...],
        operator: str | None,
        at: datetime | None,
    ) -> None:
        self.table, self.row_id, self.row_key, self.version = table, row_id, row_key, version
        self.fields, self.operator, self.at = fields, operator, at
        self.table_label = table_label
        listed = "；".join(
            f"{f.label}：您的「{f.mine_text}」，已保存的「{f.theirs_text}」" for f in fields
        )
        super().__init__(
            f"{table_label} {row_key} 在您编辑期间已被{saved_by(operator, at)}修改，未保存您的改动"
            + (f"（{listed}）" if listed else "")
            + "；请重新打开后再改"
        )


def saved_by(operator: str | None, at: datetime | None) -> str:
    """Who saved and when, as a message says it: 张三（2026-12-01 21:05）, else 他人."""
    if operator is None:
        return "他人"
    when = f"（{at.astimezone().strftime('%Y-%m-%d %H:%M')}）" if at is not None else ""
    return f"{operator}{when}"
