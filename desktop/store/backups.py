"""Backups: one consistent copy in a single step (VACUUM INTO), rotation, and restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from desktop.store.engine import check_file
from desktop.store.errors import StoreError
from desktop.store.paths import backup_dir

SIDE_FILES = ("-wal", "-shm")
BACKUP_SUFFIX = ".sqlite3"


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def backup_to(db_path: Path, dest: Path) -> Path:
    """Write a consistent copy of ``db_path`` to ``dest`` (which must not exist yet)."""
    dest = dest.resolve()
    if dest.exists():
        raise StoreError(f"备份目标已存在，不覆盖：{dest}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("VACUUM INTO ?", (str(dest),))
    except sqlite3.Error as exc:
        raise StoreError(f"备份失败（{db_path} → {dest}）：{exc}") from exc
    finally:
        conn.close()
    return dest


def list_backups(db_path: Path) -> list[Path]:
    """The automatic backups of ``db_path``, newest first."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.suffix == BACKUP_SUFFIX and p.is_file()]
    return sorted(found, key=lambda p: p.name, reverse=True)


def auto_backup(db_path: Path, reason: str, keep: int) -> Path | None:
    """Back up before a risky step (``reason`` names it), keeping the newest ``keep`` copies."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    dest = backup_dir(db_path) / f"{_stamp()}-{reason}{BACKUP_SUFFIX}"
    backup_to(db_path, dest)
    for old in list_backups(db_path)[max(keep, 1) :]:
        for suffix in ("", *SIDE_FILES):
            Path(f"{old}{suffix}").unlink(missing_ok=True)
    return dest


def newest_backup(db_path: Path) -> Path | None:
    """The most recent backup that passes its check, if any."""
    return next((p for p in list_backups(db_path) if check_file(p) is None), None)


def _set_aside(db_path: Path) -> Path:
    """Move the current file (and its WAL files, so nothing committed is lost) aside."""
    aside = backup_dir(db_path) / f"{_stamp()}-replaced{BACKUP_SUFFIX}"
    aside.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", *SIDE_FILES):
        src = Path(f"{db_path}{suffix}")
        if src.exists():
            shutil.move(src, f"{aside}{suffix}")
    return aside


def restore_from(db_path: Path, source: Path) -> Path | None:
    """Put ``source`` in place of ``db_path``; returns where the replaced file was kept."""
    source = source.resolve()
    if not source.is_file():
        raise StoreError(f"找不到备份文件：{source}")
    problem = check_file(source)
    if problem:
        raise StoreError(f"备份文件未通过检查，未恢复（{source}：{problem}）")
    staged = db_path.with_name(f".{db_path.name}.restoring")
    shutil.copyfile(source, staged)
    aside = _set_aside(db_path) if db_path.exists() else None
    os.replace(staged, db_path)
    return aside
