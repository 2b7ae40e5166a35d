"""One file, one transaction: an error, a cancel or a dry run leaves the database as it was."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest
from sqlalchemy.exc import OperationalError

from desktop.importing import import_files
from desktop.importing import importer as importer_module
from desktop.importing.importer import CANCELLED, Importer
from desktop.progress import Cancelled
from desktop.sheets.errors import SheetFileError
from desktop.sheets.parsed import SheetKind
from desktop.sheets.read import ReadStream
from desktop.store import Database
from desktop.store.backups import list_backups
from tests.importing.conftest import backups_of, code, dump, parsed_file, roster_row, sheet

K = SheetKind


def _file(first: int, count: int, name: str = "名录.xlsx"):
    roster = sheet(K.roster, [roster_row(n, phone=f"{n}") for n in range(first, first + count)])
    monthly = sheet(K.monthly, [
        {"uscc": code(n), "year": 2023, "month": 1, "output": Decimal(n)}
        for n in range(first, first + count)
    ])  # fmt: skip
    return parsed_file(roster, monthly, name=name)


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer_module, "CHUNK", 3)


def _fail_on_call(monkeypatch: pytest.MonkeyPatch, n: int, error: Exception) -> None:
    """The n-th merge of a sheet into its table fails (the roster is merged first)."""
    real, calls = importer_module.merge, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == n:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(importer_module, "merge", failing)


@pytest.mark.usefixtures("small_chunks")
def test_database_error_mid_write_leaves_everything_as_before(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    Importer(db).import_parsed(_file(1, 4))
    before = dump(db)
    update_and_add = _file(3, 10)  # updates 3 and 4, adds 5..12, over several chunks
    _fail_on_call(
        monkeypatch, 2, OperationalError("INSERT", {}, sqlite3.OperationalError("磁盘已满"))
    )
    report = Importer(db).import_parsed(update_and_add)
    assert not report.committed and report.sheets == []
    assert (
        report.error is not None and "未导入任何数据" in report.error and "磁盘已满" in report.error
    )
    assert dump(db) == before


@pytest.mark.usefixtures("small_chunks")
def test_unexpected_error_rolls_back_and_propagates(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    Importer(db).import_parsed(_file(1, 2))
    before = dump(db)
    _fail_on_call(monkeypatch, 2, RuntimeError("boom"))
    with pytest.raises(RuntimeError):
        Importer(db).import_parsed(_file(3, 10))
    assert dump(db) == before


@pytest.mark.usefixtures("small_chunks")
def test_cancel_rolls_back_the_file_and_stops(db: Database, files) -> None:
    first, second = files(_file(1, 10, "一.xlsx")), files(_file(20, 10, "二.xlsx"))
    before = dump(db)
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        if len(seen) >= 2:
            raise Cancelled  # as the window's progress does once the officer presses 取消
        seen.append((done, total))

    report = import_files(db, [first, second], progress=progress)
    assert report.cancelled
    assert [(f.path.name, f.committed, f.error) for f in report.files] == [
        ("一.xlsx", False, CANCELLED)
    ]
    assert dump(db) == before


@pytest.mark.usefixtures("small_chunks")
def test_progress_counts_rows_up_to_the_total(db: Database) -> None:
    seen: list[tuple[int, int]] = []
    Importer(db, progress=lambda d, t: seen.append((d, t))).import_parsed(_file(1, 4))
    assert seen == [(3, 8), (4, 8), (7, 8), (8, 8)]


def test_dry_run_writes_nothing_and_counts_what_would_happen(db: Database, files) -> None:
    Importer(db).import_parsed(_file(1, 2))
    backups = backups_of(db)
    before = dump(db)
    roster_first = files(parsed_file(sheet(K.roster, [roster_row(1, phone="新"), roster_row(3)]),
                                     name="名录.xlsx"))  # fmt: skip
    figures = files(parsed_file(sheet(K.monthly, [
        {"uscc": code(3), "year": 2023, "month": 1, "output": Decimal(5)},
    ]), name="产值.xlsx"))  # fmt: skip
    report = import_files(db, [roster_first, figures], dry_run=True)
    assert [f.committed for f in report.files] == [False, False]
    roster, monthly = report.files[0].sheets[0], report.files[1].sheets[0]
    assert (roster.created, roster.updated) == (1, 1)
    assert monthly.created == 1  # the enterprise the first file would add is known to the next
    assert dump(db) == before
    assert backups_of(db) == backups


def test_backup_precedes_each_committed_file(db: Database) -> None:
    if db.on_server:
        pytest.skip("a server database is backed up by pg_dump, not into files beside it")
    Importer(db).import_parsed(_file(1, 2))
    Importer(db).import_parsed(_file(3, 2))
    assert sum("before-import" in p.name for p in list_backups(db.path)) == 2


def test_dry_run_counts_what_the_real_run_then_does(db: Database) -> None:
    Importer(db).import_parsed(_file(1, 3))
    mixed = _file(2, 5)  # two rows already there (one changed below), three new
    mixed.sheets[0].rows[0].values["phone"] = "改"
    mixed.sheets[1].rows.append(mixed.sheets[1].rows[0])  # a duplicate, rejected
    with Importer(db, dry_run=True) as importer:
        dry = importer.import_parsed(mixed)
    real = Importer(db).import_parsed(mixed)
    assert [s.to_json() for s in dry.sheets] == [s.to_json() for s in real.sheets]
    assert [s.counts()["created"] for s in real.sheets] == [3, 3]


def test_cancel_while_reading_writes_nothing(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    def read(path, *, progress, **_kwargs):
        progress(1, 2)
        raise AssertionError("reading went on after cancel")

    monkeypatch.setattr(importer_module, "read_stream", read)
    before = dump(db)

    def cancelled(_done: int, _total: int) -> None:
        raise Cancelled

    report = import_files(db, ["名录.xlsx"], progress=cancelled)
    assert report.cancelled and report.files[0].error == CANCELLED
    assert dump(db) == before


def test_a_file_found_unreadable_part_way_writes_nothing(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    Importer(db).import_parsed(_file(1, 2))
    before = dump(db)
    broken = _file(3, 4, "坏.xlsx")
    why = "文件「坏.xlsx」读取时占用内存超过上限，已中止（文件可能过大或被恶意构造）"

    def read(path, **_kwargs) -> ReadStream:
        def roster_then_failure():  # as a child dying while it reads the monthly sheet
            yield from ReadStream.of(broken, 3).parts(0)
            raise SheetFileError(why)

        return ReadStream(broken, [4, 4], roster_then_failure())

    monkeypatch.setattr(importer_module, "read_stream", read)
    report = import_files(db, ["坏.xlsx"])
    assert report.files[0].error == why and not report.files[0].committed
    assert report.files[0].sheets == []
    assert dump(db) == before


def test_a_dry_run_goes_on_after_a_file_that_fails(
    db: Database, files, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = files(_file(1, 2, "一.xlsx")), files(_file(3, 2, "二.xlsx"))
    _fail_on_call(
        monkeypatch, 1, OperationalError("INSERT", {}, sqlite3.OperationalError("磁盘已满"))
    )
    before = dump(db)
    report = import_files(db, [first, second], dry_run=True)
    assert report.files[0].error is not None and "磁盘已满" in report.files[0].error
    assert report.files[1].error is None
    assert [s.created for s in report.files[1].sheets] == [2, 2]
    assert dump(db) == before
