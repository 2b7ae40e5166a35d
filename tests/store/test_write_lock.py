"""Writes begin as writes (BEGIN IMMEDIATE); a busy database is a clear error, never a traceback."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.cli import main
from desktop.importing import import_files
from desktop.models import Enterprise
from desktop.roster.records import load_record, save_record
from desktop.samples import load_sample
from desktop.store import Database, StoreError, open_database
from desktop.store import engine as store_engine
from desktop.store.errors import DatabaseBusy
from tests.cli.test_data_commands import _code, _roster

pytestmark = pytest.mark.sqlite_only  # the SQLite file's own behaviour (servers: test_server_*.py)

CODE = "91140902MA0XY0001F"  # an enterprise of the sample county


@contextmanager
def other_writer(path: Path) -> Iterator[sqlite3.Connection]:
    """Another program holding a write transaction on the file."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    finally:
        conn.rollback()
        conn.close()


def _can_write(path: Path) -> bool:
    conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.rollback()
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """A busy timeout of 50 ms, so that waiting out another writer takes no time."""
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_MS", 50)


def test_a_write_session_takes_the_write_lock_at_its_first_read(db: Database) -> None:
    load_sample(db)
    with db.session() as s:
        s.scalar(select(func.count(Enterprise.id)))
        assert not _can_write(db.path)  # nobody can commit between our read and our write
    assert _can_write(db.path)


def test_a_reader_takes_no_write_lock_and_cannot_write(db: Database) -> None:
    load_sample(db)
    with db.reader() as s:
        assert s.scalar(select(func.count(Enterprise.id))) == 14
        assert _can_write(db.path)
        with pytest.raises(Exception, match="readonly"):
            s.add(Enterprise(name="x", uscc="1" * 18))
            s.flush()


def test_a_save_waits_then_says_the_database_is_busy(db_path: Path, short_wait: None) -> None:
    db = open_database(db_path, "测试员")
    load_sample(db)
    with db.reader() as s:
        record = load_record(s, CODE)
    with other_writer(db_path), pytest.raises(DatabaseBusy, match="正被另一个程序写入"):
        save_record(db, replace(record, white_list=not record.white_list), CODE)
    save_record(db, replace(record, white_list=not record.white_list), CODE)  # free again
    with db.reader() as s:
        assert load_record(s, CODE).white_list is not record.white_list
    db.close()


def test_an_import_under_another_writer_is_refused_whole(
    short_wait: None, db: Database, tmp_path: Path
) -> None:
    book = _roster(tmp_path / "名录.xlsx", [("甲企业", _code(1), "忻府区")])
    with other_writer(db.path), pytest.raises(StoreError, match="正被另一个程序写入"):
        import_files(db, [book])
    assert db.enterprise_count() == 0


def test_reading_commands_work_under_another_writer(
    db_path: Path, short_wait: None, capsys: pytest.CaptureFixture[str]
) -> None:
    open_database(db_path, "测试员").close()
    with other_writer(db_path):
        assert main(["--db", str(db_path), "log"]) == 0


def test_undo_import_under_another_writer_is_one_line_exit_2(
    db_path: Path, short_wait: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = _roster(tmp_path / "名录.xlsx", [("甲企业", _code(1), "忻府区")])
    assert main(["--db", str(db_path), "import", str(book)]) == 0
    capsys.readouterr()
    with other_writer(db_path):
        assert main(["--db", str(db_path), "undo-import", "1"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "正被另一个程序写入" in line
    assert main(["--db", str(db_path), "undo-import", "1"]) == 0
