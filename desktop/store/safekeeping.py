"""Backups, restores and checks of a database wherever it is: the one place that picks the
file's way (store.backups: SQLite's own copy) or the server's (store.server_backups: pg_dump).
A restore and a check take the location, not an open database: a damaged file cannot be
opened, and that is when they are needed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL

from desktop.store import backups, server_backups
from desktop.store.errors import StoreError
from desktop.store.location import Location


def backup_to(location: Location, out: Path, *, replace: bool = False) -> Path:
    """A checked, consistent copy of the database at ``out`` (``backup OUT``)."""
    if isinstance(location, URL):
        return server_backups.dump_to(location, out, replace=replace)
    return backups.backup_to(location, out, replace=replace)


def auto_backup(
    location: Location, reason: str, keep: int, *, required: bool = False
) -> Path | None:
    """The automatic backup before a risky step, old ones thinned (None when none was taken;
    see ``server_backups.auto_dump`` for ``required``)."""
    if isinstance(location, URL):
        return server_backups.auto_dump(location, reason, keep, required=required)
    return backups.auto_backup(location, reason, keep)


def list_backups(location: Location) -> list[Path]:
    """The automatic backups, newest first."""
    if isinstance(location, URL):
        return server_backups.list_dumps(location)
    return backups.list_backups(location)


def backup_warning(location: Location, size: int, *, automatic: bool = True) -> str | None:
    """What the officer should know before a backup of ``size`` bytes (low disk space; before
    an ``automatic`` one on a server, that it is skipped for want of ``pg_dump``), else None."""
    if isinstance(location, URL):
        return server_backups.backup_warning(location, size, automatic=automatic)
    return backups.low_space_warning(location)


def restore(location: Location, source: Path) -> Path | None:
    """Put the backup ``source`` in place of the database; where what it replaced was kept."""
    if isinstance(location, URL):
        return server_backups.restore_dump(location, source)
    return backups.restore_from(location.expanduser().resolve(), source)


def check(location: Location) -> str:
    """The full check; what passed, else a StoreError saying what failed (reads only)."""
    if isinstance(location, URL):
        return server_backups.check_server(location)
    path = location.expanduser().resolve()
    if not path.exists():
        raise StoreError(f"数据库不存在：{path}")
    problem = backups.file_problem(path)
    if problem:
        raise StoreError(f"数据库未通过完整检查（{path}）：{problem}")
    return f"数据库完整检查通过：{path}"
