"""Backups: whole or absent (a checked temporary renamed into place), kept by age and count,
recognised only when they are ours, and restored under the database's exclusive lock.

Every copy made here is a file of its own with a new file id (``store.identity``); a restore
keeps the id of the database it restores into, so a WAL of either is never taken as the
other's."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from datetime import datetime, timedelta
from pathlib import Path

from desktop.oserrors import os_error_text
from desktop.store.engine import check_file, free_bytes, is_busy
from desktop.store.errors import DatabaseInUse, StoreError
from desktop.store.holders import holders
from desktop.store.identity import (
    SIDE_FILES,
    Kind,
    identify,
    new_file_id,
    read_only,
    revision_of,
    set_file_id,
)
from desktop.store.migrate import known_revisions, tables_at
from desktop.store.paths import backup_dir

BACKUP_SUFFIX = ".sqlite3"
PARTIAL_SUFFIX = ".partial"
STAMP = "%Y%m%d-%H%M%S-%f"
KEEP_DAILY = timedelta(days=7)  # one a day for a week
KEEP_WEEKLY = timedelta(weeks=9)  # one a week for two months
LOW_SPACE = 1 << 30  # warn before a backup would leave less than 1 GB free
RESTORE_WAIT_SECONDS = 10.0
SQLITE_FULL = 13


def stamp() -> str:
    """Now, as the start of an automatic backup's name (its names sort by time)."""
    return datetime.now().strftime(STAMP)


def partial_of(dest: Path) -> Path:
    """The temporary a backup to ``dest`` is written under (hidden, never listed)."""
    return dest.with_name(f".{dest.name}{PARTIAL_SUFFIX}")


def _remove(path: Path) -> None:
    for suffix in ("", *SIDE_FILES):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _copy_failed(exc: sqlite3.Error, db_path: Path, dest: Path) -> StoreError:
    if getattr(exc, "sqlite_errorcode", None) == SQLITE_FULL or "full" in str(exc):
        return StoreError(f"磁盘空间不足，未写出备份 {dest}；原数据库未改动")
    return StoreError(f"备份失败（{db_path} → {dest}）：{exc}；未写出备份")


def backup_to(db_path: Path, dest: Path, *, replace: bool = False) -> Path:
    """Write a checked, consistent copy of ``db_path`` to ``dest`` (refused if it exists,
    unless ``replace``). The copy is made under a temporary name beside ``dest`` and renamed
    only after it passes ``integrity_check``; on any failure nothing is left behind."""
    dest = dest.resolve()
    if dest.exists() and not replace:
        raise StoreError(f"备份目标已存在，不覆盖：{dest}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_of(dest)
    _remove(partial)  # left by a backup that was killed
    try:
        try:
            vacuum_into(db_path, partial)
        except sqlite3.Error as exc:
            raise _copy_failed(exc, db_path, dest) from exc
        problem = check_file(partial, full=True)
        if problem:
            raise StoreError(f"备份副本未通过完整性检查（{problem}），未写出备份 {dest}")
        fsync_file(partial)
        os.replace(partial, dest)
    finally:
        _remove(partial)
    return dest


def vacuum_into(db_path: Path, dest: Path) -> None:
    """SQLite's consistent copy of ``db_path`` (WAL included) written to ``dest``."""
    conn = sqlite3.connect(db_path)
    try:
        _copy_into(conn, dest)
    finally:
        conn.close()


def _copy_into(conn: sqlite3.Connection, dest: Path) -> None:
    """A consistent copy of ``conn``'s database at ``dest``, with a file id of its own."""
    conn.execute("VACUUM INTO ?", (str(dest),))
    set_file_id(dest, new_file_id())


def fsync_file(path: Path) -> None:
    """Flush ``path`` to the disk (before it is renamed into place)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_problem(path: Path) -> str | None:
    """``None`` when ``path`` is a whole Relief Desk database or backup (our mark or tables at
    a known revision, every table, ``integrity_check`` and ``foreign_key_check`` passed),
    else what it is instead. Reads only: the full check of ``check`` and of every restore."""
    known = known_revisions()
    try:
        identity = identify(path, known)
    except OSError as exc:
        return f"无法读取：{os_error_text(exc)}"
    if identity.kind is not Kind.OURS:
        return identity.refusal()
    revision = revision_of(path)
    if revision not in known:
        return f"由更新版本的程序创建（版本 {revision}）" if revision else "没有版本记录"
    return check_file(path, full=True) or _missing_tables(path, revision)


def _missing_tables(path: Path, revision: str | None) -> str | None:
    """Tables a file at ``revision`` must have and this one lacks, or references that point
    nowhere."""
    conn = read_only(path)
    try:
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    missing = sorted(tables_at(revision) - present) if revision else []
    if missing:
        return f"缺少数据表 {'、'.join(missing)}"
    return f"{len(broken)} 处无效引用（{broken[0][0]}）" if broken else None


def list_backups(db_path: Path) -> list[Path]:
    """The automatic backups of ``db_path``, newest first."""
    return backups_in(backup_dir(db_path), BACKUP_SUFFIX)


def backups_in(folder: Path, suffix: str) -> list[Path]:
    """The backups (files ending in ``suffix``, temporaries left out) in ``folder``, newest
    first."""
    if not folder.is_dir():
        return []
    found = [
        p
        for p in folder.iterdir()
        if p.suffix == suffix and not p.name.startswith(".") and p.is_file()
    ]
    return sorted(found, key=lambda p: p.name, reverse=True)


def taken_at(backup: Path) -> datetime:
    """When an automatic backup was taken (its name's stamp, else the file's time)."""
    try:
        return datetime.strptime(backup.name[:22], STAMP)
    except ValueError:
        return datetime.fromtimestamp(backup.stat().st_mtime)


def to_keep(backups: list[Path], last: int, now: datetime) -> set[Path]:
    """The newest ``last``, the newest of each day for a week and of each week for two months."""
    newest_first = sorted(backups, key=taken_at, reverse=True)
    keep = set(newest_first[: max(last, 1)])
    days: set[object] = set()
    weeks: set[object] = set()
    for backup in newest_first:
        when = taken_at(backup)
        if now - when <= KEEP_DAILY and when.date() not in days:
            days.add(when.date())
            keep.add(backup)
        week = when.isocalendar()[:2]
        if now - when <= KEEP_WEEKLY and week not in weeks:
            weeks.add(week)
            keep.add(backup)
    return keep


def auto_backup(db_path: Path, reason: str, keep: int) -> Path | None:
    """Back up before a risky step (``reason`` names it); old copies thinned by ``to_keep``."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    dest = backup_dir(db_path) / f"{stamp()}-{reason}{BACKUP_SUFFIX}"
    backup_to(db_path, dest)
    thin(list_backups(db_path), keep)
    return dest


def thin(backups: list[Path], keep: int) -> None:
    """Delete the automatic backups :func:`to_keep` does not keep."""
    kept = to_keep(backups, keep, datetime.now())
    for old in backups:
        if old not in kept:
            _remove(old)


def low_space_warning(db_path: Path) -> str | None:
    """A warning when a backup of ``db_path`` would leave less than 1 GB free, else None."""
    folder = backup_dir(db_path) if backup_dir(db_path).is_dir() else db_path.parent
    return space_warning(folder, db_path.stat().st_size)


def space_warning(folder: Path, needed: int) -> str | None:
    """A warning when writing ``needed`` bytes in ``folder`` would leave less than 1 GB free."""
    free = free_bytes(folder) - needed
    if free >= LOW_SPACE:
        return None
    left = f"约 {max(free, 0) / 2**20:.0f} MB"
    return f"备份后磁盘剩余空间将不足 1 GB（{left}），请先清理磁盘或删除旧备份"


def newest_backup(db_path: Path) -> Path | None:
    """The most recent backup that is whole and ours, if any."""
    return next((p for p in list_backups(db_path) if file_problem(p) is None), None)


@contextmanager
def exclusive(db_path: Path, wait_seconds: float) -> Iterator[sqlite3.Connection]:
    """A connection holding the database's exclusive lock (no other connection may read or
    write); waits up to ``wait_seconds`` for the others to close, then refuses naming them."""
    conn = sqlite3.connect(db_path, isolation_level=None, timeout=wait_seconds)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        try:
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("COMMIT")  # the lock stays: locking_mode is EXCLUSIVE
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                raise DatabaseInUse(db_path, holders(db_path), wait_seconds) from exc
            raise StoreError(f"无法锁定数据库 {db_path}：{exc}") from exc
        yield conn
    finally:
        conn.close()


def checked_source(source: Path, problem_of: Callable[[Path], str | None]) -> Path:
    """``source`` resolved, once it exists and ``problem_of`` finds nothing wrong with it (the
    check before any restore, of a file's backup or a server's dump); else StoreError."""
    source = source.resolve()
    if not source.is_file():
        raise StoreError(f"找不到备份文件：{source}")
    problem = problem_of(source)
    if problem:
        raise StoreError(f"备份文件未通过检查，未恢复（{source}：{problem}）")
    return source


def restore_from(
    db_path: Path, source: Path, *, wait_seconds: float = RESTORE_WAIT_SECONDS
) -> Path | None:
    """Put the content of ``source`` in place of ``db_path``; returns where the replaced file
    was kept. A healthy database is overwritten page by page under its exclusive lock (one
    transaction: no connection ever sees a file swapped under it); a missing or damaged one
    is replaced by a checked copy."""
    source = checked_source(source, file_problem)
    aside = backup_dir(db_path) / f"{stamp()}-replaced{BACKUP_SUFFIX}"
    if not _healthy(db_path):
        return _replace_file(db_path, source, aside)
    aside.parent.mkdir(parents=True, exist_ok=True)
    with exclusive(db_path, wait_seconds) as conn, _restoring(aside) as staged:
        _copy_whole(conn, aside)
        _stage(source, staged, _file_id(conn))
        with closing(read_only(staged)) as src:
            src.backup(conn)
    return aside


@contextmanager
def _restoring(beside: Path) -> Iterator[Path]:
    """A hidden name beside ``beside`` for the copy a restore writes in, removed after; a
    failure meanwhile is the officer's line, the database as it was."""
    staged = beside.with_name(f".{beside.name}.restoring")
    try:
        yield staged
    except (sqlite3.Error, OSError) as exc:
        reason = os_error_text(exc) if isinstance(exc, OSError) else exc
        raise StoreError(f"恢复失败，数据库未改动（{reason}）") from exc
    finally:
        _remove(staged)


def _copy_whole(conn: sqlite3.Connection, dest: Path) -> None:
    """A copy of ``conn``'s database at ``dest``, whole or absent (written under a hidden name)."""
    partial = partial_of(dest)
    try:
        _copy_into(conn, partial)
        os.replace(partial, dest)
    finally:
        _remove(partial)


def _file_id(conn: sqlite3.Connection) -> int:
    """The id of ``conn``'s database (a new one for a file from before file ids)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0]) or new_file_id()


def _stage(source: Path, staged: Path, file_id: int) -> None:
    """A copy of ``source`` at ``staged`` carrying ``file_id``: what a restore writes in."""
    shutil.copyfile(source, staged)
    set_file_id(staged, file_id)


def _healthy(db_path: Path) -> bool:
    with suppress(OSError):
        return identify(db_path, known_revisions()).kind is Kind.OURS and not check_file(db_path)
    return False


def _replace_file(db_path: Path, source: Path, aside: Path) -> Path | None:
    """Put a copy of ``source`` at ``db_path``, moving what is there (with its WAL) aside."""
    with _restoring(db_path) as staged:
        _stage(source, staged, new_file_id())  # what stood there keeps its id, aside with its WAL
        kept = None
        if db_path.exists():
            aside.parent.mkdir(parents=True, exist_ok=True)
            for suffix in ("", *SIDE_FILES):
                src = Path(f"{db_path}{suffix}")
                if src.exists():
                    shutil.move(src, f"{aside}{suffix}")
            kept = aside
        os.replace(staged, db_path)
    return kept
