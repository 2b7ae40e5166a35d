"""Errors the store raises, each with a message an officer can act on."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """A database problem that stops the operation; ``str()`` is the officer's message."""


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
