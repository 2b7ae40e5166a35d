"""The one check every writer of a file runs: never over the database, its WAL or a backup."""

from __future__ import annotations

import os
from pathlib import Path

from desktop.store.errors import StoreError
from desktop.store.identity import SIDE_FILES, Kind, identify
from desktop.store.location import Location
from desktop.store.migrate import known_revisions
from desktop.store.paths import backup_dir, server_backups_root


def _refuse_the_database(target: Path, location: Location) -> None:
    if isinstance(location, Path):
        guarded = [location, *(Path(f"{location}{s}") for s in SIDE_FILES)]
        if any(_same(target, p) for p in guarded):
            raise StoreError(f"不能写到数据库文件本身：{target}")
        backups = backup_dir(location.resolve())
    else:  # a server's: every server database's automatic backups, kept by count and age
        backups = server_backups_root().resolve()
    if target.resolve().is_relative_to(backups):
        raise StoreError(f"不能写到备份文件夹中：{target}")


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def check_output(target: Path, location: Location, *, force: bool = False) -> Path:
    """``target`` when it may be written; refuses the database file at ``location`` (and its
    side files), anything in its backup folder (a server database's: the folder of server
    backups), any Relief Desk database or backup, a folder, and an existing file unless
    ``force``. Raises :class:`StoreError` saying which."""
    target = target.expanduser()
    _refuse_the_database(target, location)
    if target.is_dir():
        raise StoreError(f"输出位置是一个文件夹：{target}")
    if not target.exists():
        return target
    if identify(target, known_revisions()).kind is Kind.OURS:
        raise StoreError(f"{target} 是 Relief Desk 的数据库或备份，不覆盖")
    if not force:
        raise StoreError(f"输出文件已存在，不覆盖：{target}（确需覆盖请加 --force）")
    return target
