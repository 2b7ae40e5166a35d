"""Issue 18 points 10 and 13: every Relief Desk file has an id of its own that every write puts
in the WAL, so a WAL copied from another Relief Desk file is refused unchanged, while a crash's
own WAL is recovered as before."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sqlite3
from contextlib import closing
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest
from sqlalchemy import select, text

from desktop.cli import main
from desktop.models import Enterprise
from desktop.store import Database, open_database
from desktop.store.backups import auto_backup, backup_to, restore_from
from desktop.store.engine import check_file
from desktop.store.identity import header_file_id, read_header
from desktop.store.settings import set_setting
from desktop.store.wal import committed
from tests.conftest import sha256_of
from tests.store.faults import content

pytestmark = pytest.mark.sqlite_only  # the SQLite file's header and its write-ahead log


def file_id(path: Path) -> int:
    return header_file_id(read_header(path))


def _names(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [name for (name,) in conn.execute("SELECT name FROM enterprise ORDER BY id")]


def _rename_first(db: Database, name: str) -> None:
    with db.session() as s:
        first = s.scalars(select(Enterprise).order_by(Enterprise.id)).first()
        assert first is not None
        first.name = name


def test_every_write_puts_the_files_id_in_the_wal(db: Database) -> None:
    own = file_id(db.path)
    assert own != 0
    for keep in ("3", "4", "5"):  # an update of one row: SQLite alone leaves page 1 out
        with db.session() as s:
            set_setting(s, "backup_keep", keep)
    images = committed(Path(f"{db.path}-wal")).page_ones
    assert [header_file_id(image) for image in images] == [own, own, own]
    db.close()
    assert file_id(db.path) == own  # checkpointed: the file keeps its id


def test_a_file_from_before_ids_gets_one_on_its_next_write(db: Database) -> None:
    db.close()
    with closing(sqlite3.connect(db.path)) as conn:
        conn.execute("PRAGMA user_version=0")
        conn.commit()
    db = open_database(db.path, "测试员")
    assert db.backup_keep() == 5  # reading gives it none
    with db.reads.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA user_version").scalar() == 0
    with db.session() as s:
        set_setting(s, "backup_keep", "6")
    db.close()
    assert file_id(db.path) != 0


def test_backups_get_ids_of_their_own_and_a_restore_keeps_the_databases(
    sample_db: Database, tmp_path: Path
) -> None:
    sample_db.close()
    county = sample_db.path
    own = file_id(county)
    manual = backup_to(county, tmp_path / "b.sqlite3")
    automatic = auto_backup(county, "test", 5)
    assert automatic is not None
    ids = {own, file_id(manual), file_id(automatic)}
    assert len(ids) == 3 and 0 not in ids
    aside = restore_from(county, manual)
    assert aside is not None
    assert file_id(county) == own  # the same file, its content replaced
    assert file_id(aside) not in {*ids, 0}  # the replaced content kept aside is a copy
    gone = tmp_path / "gone" / "relief.sqlite3"
    gone.parent.mkdir()
    restore_from(gone, manual)  # nothing there: a new file from the backup
    assert file_id(gone) not in {*ids, 0} and _names(gone) == _names(county)
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".")]  # no staged copies


def _write_then_die_holding_a_write(path: str, name: str, ready: Event, never: Event) -> None:
    """Rename the first enterprise (committed), then hold a write until killed."""
    db = open_database(Path(path), "测试员")
    _rename_first(db, name)
    with db.session() as s:
        s.execute(text("UPDATE enterprise SET name = '未提交的改动'"))
        ready.set()
        never.wait()


def _killed_mid_write(path: Path, name: str) -> None:
    """A program that wrote to ``path`` and was killed (SIGKILL) while holding a write."""
    spawn = multiprocessing.get_context("spawn")
    ready, never = spawn.Event(), spawn.Event()
    writer = spawn.Process(
        target=_write_then_die_holding_a_write, args=(str(path), name, ready, never)
    )
    writer.start()
    try:
        assert ready.wait(60)
    finally:
        assert writer.pid is not None
        os.kill(writer.pid, signal.SIGKILL)
        writer.join(60)
    assert writer.exitcode == -signal.SIGKILL
    assert Path(f"{path}-wal").stat().st_size > 0  # what it committed is only in its WAL


@pytest.fixture
def two_counties(sample_db: Database, tmp_path: Path) -> tuple[Path, Path]:
    """Two Relief Desk files with the same pages (one restored from a backup of the other),
    each written to since: the case where SQLite would take one's WAL for the other's."""
    sample_db.close()
    ours = sample_db.path
    other = backup_to(ours, tmp_path / "other" / "relief.sqlite3")
    restore_from(ours, other)
    db = open_database(other, "测试员")
    with db.session() as s:
        set_setting(s, "backup_keep", "7")
    db.close()
    return ours, other


def test_a_wal_of_another_relief_desk_file_is_refused_unchanged(
    two_counties: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ours, other = two_counties
    before, digest = content(other), sha256_of(other)
    _killed_mid_write(ours, "甲县改的名字")
    stray = Path(f"{other}-wal")
    shutil.copyfile(f"{ours}-wal", stray)
    wal = stray.read_bytes()

    scratch = tmp_path / "scratch"  # what SQLite alone would make of it: taken, and "healthy"
    scratch.mkdir()
    shutil.copyfile(other, scratch / other.name)
    shutil.copyfile(stray, scratch / stray.name)
    assert _names(scratch / other.name)[0] == "甲县改的名字"
    assert check_file(scratch / other.name) is None

    assert main(["--db", str(other), "log"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    (line,) = err.strip().splitlines()
    assert "与数据库不符：它属于另一个 Relief Desk 数据库" in line and "未作任何改动" in line
    assert "损坏" not in line.replace("数据库本身未损坏", "")
    assert sha256_of(other) == digest and stray.read_bytes() == wal
    stray.unlink()  # as the sentence asks: the WAL moved away, nothing else
    assert main(["--db", str(other), "log", "--limit", "1"]) == 0
    assert content(other) == before


def test_a_crashs_own_wal_is_recovered(two_counties: tuple[Path, Path]) -> None:
    ours, _ = two_counties
    _killed_mid_write(ours, "甲县改的名字")
    db = open_database(ours, "测试员")
    db.close()
    names = _names(ours)
    assert names[0] == "甲县改的名字" and "未提交的改动" not in names
    assert not Path(f"{ours}-wal").exists()  # applied and checkpointed


def test_a_wal_without_page_one_is_judged_as_before(sample_db: Database, tmp_path: Path) -> None:
    """A WAL written without our id (an older program's): nothing tells whose it is, and one
    that leaves the file whole is applied, as before file ids."""
    sample_db.close()
    county = sample_db.path
    twin = tmp_path / "twin.sqlite3"
    shutil.copyfile(county, twin)
    conn = sqlite3.connect(twin, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("UPDATE enterprise SET name = '旧程序改的' WHERE id = 1")
    shutil.copyfile(f"{twin}-wal", f"{county}-wal")
    conn.close()
    assert committed(Path(f"{county}-wal")).page_one is None
    db = open_database(county, "测试员")
    db.close()
    assert _names(county)[0] == "旧程序改的"


def test_a_wal_of_another_programs_database_says_so(
    sample_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample_db.close()
    county = sample_db.path
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE notes (body TEXT)")
    shutil.copyfile(f"{foreign}-wal", f"{county}-wal")
    conn.close()
    digest = sha256_of(county)
    assert main(["--db", str(county), "log"]) == 2
    line = capsys.readouterr().err.strip()
    assert "与数据库不符：它属于另一个程序的数据库" in line and "未作任何改动" in line
    assert sha256_of(county) == digest
