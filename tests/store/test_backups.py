"""Backups, restore, rotation, and a damaged file refused without a write."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.samples import load_sample
from desktop.store import Database, DatabaseDamaged, StoreError, open_database
from desktop.store.backups import auto_backup, backup_to, list_backups, restore_from
from tests.conftest import damage_database, sha256_of

pytestmark = pytest.mark.sqlite_only  # the SQLite file's own behaviour (servers: test_server_*.py)


def _count(path: Path, table: str = "enterprise") -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_backup_and_restore_round_trip(db: Database, tmp_path: Path) -> None:
    load_sample(db)
    copy = backup_to(db.path, tmp_path / "copy.sqlite3")
    assert _count(copy) == 14
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM monthly_output")
    db.close()
    aside = restore_from(db.path, copy)
    assert _count(db.path, "monthly_output") > 0
    assert aside is not None and _count(aside, "monthly_output") == 0  # the replaced file kept


def test_backup_refuses_to_overwrite(db: Database, tmp_path: Path) -> None:
    target = tmp_path / "exists.sqlite3"
    target.write_bytes(b"keep me")
    with pytest.raises(StoreError, match="不覆盖"):
        backup_to(db.path, target)
    assert target.read_bytes() == b"keep me"


def test_restore_refuses_a_damaged_backup(db: Database, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database at all" * 100)
    before = sha256_of(db.path)
    with pytest.raises(StoreError, match="未通过检查"):
        restore_from(db.path, bad)
    assert sha256_of(db.path) == before


def test_automatic_backups_rotate(db: Database) -> None:
    for _ in range(5):
        auto_backup(db.path, "test", keep=3)
    backups = list_backups(db.path)
    assert len(backups) == 3
    assert backups == sorted(backups, reverse=True)


def test_a_damaged_file_is_refused_without_a_write(db_path: Path) -> None:
    before = damage_database(db_path)
    with pytest.raises(DatabaseDamaged) as caught:
        open_database(db_path, "测试员")
    assert sha256_of(db_path) == before
    assert caught.value.newest_backup is not None
    assert "restore" in str(caught.value)


def test_not_a_database_is_refused_by_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"\x00junk" * 1000)
    before = sha256_of(junk)
    assert main(["--db", str(junk), "log"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "不是 SQLite 数据库文件" in err[0]  # not damaged: not ours (18.13)
    assert sha256_of(junk) == before


def test_backup_and_restore_commands(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path, "测试员")
    load_sample(db)
    db.close()
    out = tmp_path / "b.sqlite3"
    assert main(["--db", str(db_path), "backup", str(out)]) == 0
    with closing(sqlite3.connect(db_path)) as conn, conn:  # closed: restore waits for others
        conn.execute("DELETE FROM provincial_award")
    assert main(["--db", str(db_path), "restore", str(out)]) == 0
    assert _count(db_path, "provincial_award") == 1


def test_backups_are_kept_by_count_day_and_week(tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    from desktop.store.backups import STAMP, to_keep

    now = datetime(2026, 12, 1, 12, 0)
    hours = [0, 1, 2, 3, 4, 5, 6, 30, 31, 24 * 6, 24 * 10, 24 * 12, 24 * 40, 24 * 80]
    names = {h: tmp_path / f"{(now - timedelta(hours=h)).strftime(STAMP)}-x.sqlite3" for h in hours}
    kept = to_keep(list(names.values()), 5, now)
    # The newest 5 (0–4 h). Daily for a week: 12-01 (0 h), 11-30 (30 h), 11-25 (144 h); 6 h and
    # 31 h are not their day's newest. Weekly (ISO weeks, Monday first) for 9 weeks: 11-21
    # (240 h, Sat) is the newest of 11-16..22, so 11-19 (288 h, Thu) goes; 10-22 (960 h) stays
    # alone in its week; 80 days is beyond two months.
    expected = {0, 1, 2, 3, 4, 30, 24 * 6, 24 * 10, 24 * 40}
    assert kept == {names[h] for h in expected}
