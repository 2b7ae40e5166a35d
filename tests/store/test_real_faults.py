"""Issue 18 points 4 and 13 (and the full disk of 2, 3 and the import) by real faults, not
injected ones: a small tmpfs mounted by the test, filled to the last byte or remounted
read-only, with the command line run as the officer runs it (its own process, real stderr).

Mounting needs root (CI runs as root); elsewhere each test is skipped saying why, and the
injected faults of ``test_faults.py`` stand in.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from stdnum.cn import uscc

from desktop.store import Database
from tests.conftest import sha256_of
from tests.store.faults import content, real_files

DISK_SIZE = "4m"  # the sample county is ~0.3 MB
# Each runs the command line in processes of its own (5–10 s), on a file on the small disk.
pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, text=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """An empty 4 MB tmpfs, mounted for the test and unmounted after it."""
    point = tmp_path / "disk"
    point.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a test filesystem needs root; the injected faults stand in")
    try:
        _mount("-t", "tmpfs", "-o", f"size={DISK_SIZE},mode=0755", "tmpfs", str(point))
    except subprocess.CalledProcessError as exc:
        pytest.skip(f"cannot mount a tmpfs here ({exc.stderr.strip()}); injected faults stand in")
    try:
        yield point
    finally:
        subprocess.run(["umount", str(point)], check=True)


@pytest.fixture
def county(small_disk: Path, sample_db: Database) -> Path:
    """The sample county's database on the small disk (closed, nothing beside it)."""
    sample_db.close()
    path = small_disk / "data" / "relief.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(sample_db.path, path)
    return path


def _fill(disk: Path, leave: int = 0) -> Path:
    """Fill ``disk`` to the last byte, then give back ``leave`` bytes; returns the filler."""
    filler = disk / "filler"
    block = b"\0" * (1 << 16)
    with filler.open("wb", buffering=0) as f:
        try:
            while True:
                f.write(block)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    with filler.open("r+b") as f:
        f.truncate(max(filler.stat().st_size - leave, 0))
    assert shutil.disk_usage(disk).free <= leave + 4096
    return filler


def _run(db: Path, *args: str) -> tuple[int, list[str]]:
    """``relief-desk --db DB ARGS`` in a process of its own: exit code and stderr's lines."""
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "RELIEF_DESK_OPERATOR": "测试员"},
        timeout=120,
    )
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    return done.returncode, done.stderr.strip().splitlines()


LOW_SPACE = "备份后磁盘剩余空间将不足 1 GB"  # the warning a backup gives first on a small disk


def _refusal(lines: list[str]) -> str:
    """The one line saying why, after at most the low-space warning."""
    *before, line = lines
    assert all(LOW_SPACE in other for other in before) and len(before) <= 1
    return line


def test_a_database_on_a_full_disk_is_said_to_be_on_a_full_disk(
    county: Path, small_disk: Path
) -> None:
    digest = sha256_of(county)
    filler = _fill(small_disk)
    code, lines = _run(county, "log", "--limit", "1")
    assert code == 2
    (line,) = lines
    assert "磁盘空间已满" in line and "未损坏" in line and "已损坏" not in line
    assert sha256_of(county) == digest
    filler.unlink()
    assert _run(county, "log", "--limit", "1") == (0, [])  # the file was whole all along


def test_a_database_on_a_read_only_mount_is_said_to_be_read_only(
    county: Path, small_disk: Path
) -> None:
    digest = sha256_of(county)
    _mount("-o", "remount,ro", str(small_disk))
    try:
        code, lines = _run(county, "log", "--limit", "1")
    finally:
        _mount("-o", "remount,rw", str(small_disk))
    assert code == 2
    (line,) = lines
    assert "只读" in line and "未损坏" in line and "已损坏" not in line
    assert sha256_of(county) == digest
    assert _run(county, "log", "--limit", "1") == (0, [])


def test_a_backup_that_fills_the_disk_leaves_nothing(county: Path, small_disk: Path) -> None:
    digest = sha256_of(county)
    _fill(small_disk, leave=100 << 10)  # room to open the database, not to copy it
    out = small_disk / "备份.sqlite3"
    code, lines = _run(county, "backup", str(out))
    assert code == 2
    assert _refusal(lines) == f"磁盘空间不足，未写出备份 {out}；原数据库未改动"
    assert real_files(small_disk) == {"data", "filler"}
    assert not [p for p in small_disk.rglob(".*")]  # no temporary either
    assert sha256_of(county) == digest


def _roster(path: Path, rows: int) -> Path:
    """A roster CSV of ``rows`` new enterprises with valid credit codes."""
    lines = ["企业名称,统一社会信用代码,所属县（市、区）"]
    for i in range(rows):
        body = f"91140902MA{i:07d}"
        lines.append(f"测试企业{i:05d}有限公司,{body}{uscc.calc_check_digit(body)},忻府区")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_import_that_fills_the_disk_imports_nothing(
    county: Path, small_disk: Path, tmp_path: Path
) -> None:
    roster = _roster(tmp_path / "名录.csv", 5000)
    before = content(county)
    filler = _fill(small_disk, leave=700 << 10)  # room for the backup, not for the rows
    code, lines = _run(county, "import", str(roster))
    assert code == 2
    assert "未导入任何数据" in _refusal(lines)
    assert content(county) == before  # the import registered itself (presence) and left
    assert not Path(f"{county}-wal").exists() or Path(f"{county}-wal").stat().st_size == 0
    filler.unlink()
    code, _ = _run(county, "import", str(roster))
    assert code == 0  # room again: the same file goes in whole


@pytest.mark.parametrize("leave", [0, 8 << 10], ids=["full", "filled-while-writing"])
def test_an_export_to_a_full_disk_is_one_line(
    sample_db: Database, small_disk: Path, leave: int
) -> None:
    """Point 3 on a real disk (a full USB stick, the database elsewhere): the workbook's zip
    and row writers, left open by the failed save, printed their own ENOSPC as tracebacks when
    collected after the one line."""
    sample_db.close()
    out = small_disk / "台账.xlsx"
    out.write_bytes(b"the earlier workbook")
    _fill(small_disk, leave)
    code, lines = _run(sample_db.path, "export", "--ledger", "-o", str(out), "--force")
    assert code == 2
    assert lines == [f"磁盘空间不足，未写出 {out}；原文件未改动"]
    assert out.read_bytes() == b"the earlier workbook"
    assert real_files(small_disk) == {"filler", "台账.xlsx"}
    assert not [p for p in small_disk.rglob(".*")]


def test_a_restore_that_fills_the_disk_leaves_the_database_and_no_half_copy(
    county: Path, small_disk: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "备份.sqlite3"
    assert _run(county, "backup", str(backup))[0] == 0  # elsewhere: the small disk is for ours
    digest, before = sha256_of(county), content(county)
    _fill(small_disk, leave=100 << 10)  # room to lock the database, not to keep it aside
    code, lines = _run(county, "restore", str(backup))
    assert code == 2
    assert _refusal(lines).startswith("恢复失败，数据库未改动")
    assert sha256_of(county) == digest and content(county) == before
    side = {"relief.sqlite3-wal", "relief.sqlite3-shm"}  # the lock's, as any connection's
    assert real_files(county.parent) - side <= {"relief.sqlite3", "relief-backups"}
    assert not list(county.parent.rglob("*-replaced.sqlite3"))  # no half copy under a real name
    assert not [p for p in small_disk.rglob(".*")]
