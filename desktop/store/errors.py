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


class DatabaseNewer(StoreError):
    """The file was written by a newer Relief Desk; opening it here could damage it."""


class DatabaseBusy(StoreError):
    """Another program held the write lock for longer than the busy timeout; nothing was written."""

    def __init__(self, path: Path, waited_seconds: float) -> None:
        self.path = path
        super().__init__(
            f"数据库正被另一个程序写入（{path}，已等待 {waited_seconds:g} 秒），请稍后再试"
        )
