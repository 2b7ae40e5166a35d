"""Backups, restores, checks and advisory locks of a database on a PostgreSQL server (pg_dump
and pg_restore); skipped, saying why, when no server is given (--pg URL)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import suppress
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import URL, make_url

from desktop.cli import main
from desktop.importing.importer import Importer
from desktop.models import AnnualFigures, County, Enterprise
from desktop.sheets.parsed import SheetKind
from desktop.store import Database, DatabaseInUse, StoreError, open_database
from desktop.store import server_backups as sb
from desktop.store.location import shown
from desktop.store.migrate import alembic_config, run_migration
from desktop.store.paths import server_backup_dir
from desktop.store.server import (
    BULK_LOCK,
    MIGRATION_LOCK,
    application_name,
    lock_holders,
    make_server_engine,
    program_shown,
    transaction_lock,
)
from tests import servers
from tests.conftest import sha256_of
from tests.importing.conftest import code, dump, parsed_file, roster_row, sheet

OTHER = "relief-desk wang@county-pc"  # how the other program names itself (ASCII only)


@pytest.fixture
def server(pg_option: str, _pg_migrated: str) -> Iterator[URL]:
    """A fresh migrated database on the server, with three enterprises and their figures."""
    with servers.copy_of(pg_option, _pg_migrated) as url:
        db = open_database(url, "测试员")
        with db.session(source="command") as s:
            county = s.scalar(select(County).where(County.name == "忻府区"))
            for n in range(3):
                ent = Enterprise(uscc=code(n), name=f"企业{n}", county=county)
                ent.annual_figures.append(AnnualFigures(year=2022, taxable_income=Decimal(n)))
                s.add(ent)
        db.close()
        yield url


@pytest.fixture
def server_db(server: URL) -> Iterator[Database]:
    db = open_database(server, "测试员")
    yield db
    db.close()


def _other(url: URL) -> psycopg.Connection[Any]:
    """A second program's connection to the database at ``url``."""
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(dsn, application_name=OTHER)


def _rows(url: URL) -> dict[str, list[tuple[Any, ...]]]:
    db = open_database(url, "测试员")
    try:
        return dump(db)
    finally:
        db.close()


def test_backup_and_restore_round_trip(server_db: Database, tmp_path: Path) -> None:
    before = dump(server_db)
    out = server_db.backup_to(tmp_path / "county.dump")
    assert sb.dump_problem(out) is None
    with server_db.session(source="command") as s:
        s.delete(s.scalars(select(Enterprise)).first())
    changed = dump(server_db)
    assert changed != before
    aside = server_db.restore(out)
    assert _rows(server_db.url) == before  # rows equal after, the change log's included
    assert aside is not None and "replaced" in aside.name and sb.dump_problem(aside) is None
    assert aside in server_db.backups()  # what was replaced is listed
    server_db.restore(aside)
    assert _rows(server_db.url) == changed  # …and puts back the database it replaced


def test_restore_waits_for_the_advisory_lock_then_names_who_holds_it(
    server_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = server_db.backup_to(tmp_path / "county.dump")
    with server_db.session(source="command") as s:
        s.delete(s.scalars(select(Enterprise)).first())
    before = dump(server_db)
    server_db.close()
    for key in (MIGRATION_LOCK, BULK_LOCK):  # a migration or a restore; an import or an undo
        with _other(server_db.url) as other:
            other.execute("SELECT pg_advisory_lock(%s)", (key,))  # held before the restore asks
            with pytest.raises(DatabaseInUse, match=f"{OTHER}（postgres@"):
                sb.restore_dump(server_db.url, out, wait_seconds=0.2)
        assert _rows(server_db.url) == before
    address = shown(server_db.url)
    assert main(["--db", address, "restore", str(out)]) == 0  # alone again: it goes ahead
    assert capsys.readouterr().out.startswith(f"已从 {out} 恢复到 {address}；原数据库已另存为 ")
    assert _rows(server_db.url) != before


def test_restore_refused_while_another_transaction_is_open(
    server_db: Database, tmp_path: Path
) -> None:
    out = server_db.backup_to(tmp_path / "county.dump")
    with server_db.session(source="command") as s:
        s.delete(s.scalars(select(Enterprise)).first())
    before = dump(server_db)
    server_db.close()
    with _other(server_db.url) as other:
        other.execute("SELECT count(*) FROM enterprise")  # a transaction open, reading
        with pytest.raises(DatabaseInUse) as refused:
            sb.restore_dump(server_db.url, out, wait_seconds=0.2)
        assert refused.value.holders == [f"{OTHER}（postgres@127.0.0.1）"]
        assert "未恢复" in str(refused.value)
        other.rollback()
    assert _rows(server_db.url) == before  # the restore's one transaction was rolled back


def test_backup_out_refuses_the_folder_of_the_automatic_backups(
    server_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file written there would be counted, then pruned, as one of the automatic backups;
    the folder of another server database's is refused too."""
    server_db.backup("before-import")
    (automatic,) = server_db.backups()
    before = sha256_of(automatic)
    address = shown(server_db.url)
    other = server_backup_dir(server_db.url.set(database="other")) / "mine.dump"
    other.parent.mkdir()  # another server database's backups
    for out in (automatic.parent / "mine.dump", automatic, other):
        assert main(["--db", address, "backup", str(out), "--force"]) == 2
        assert capsys.readouterr().err.strip() == f"不能写到备份文件夹中：{out}"
    assert server_db.backups() == [automatic] and sha256_of(automatic) == before
    assert not other.exists()


def test_without_pg_dump_backup_says_what_to_install(
    server: URL, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    monkeypatch.setattr(sb, "SERVER_BINS", ())
    out = tmp_path / "county.dump"
    assert main(["--db", shown(server), "backup", str(out)]) == 2
    assert capsys.readouterr().err.strip() == (
        "未找到 pg_dump，无法备份或恢复服务器上的数据库：请安装 PostgreSQL 客户端工具"
        "（Debian/Ubuntu：apt-get install postgresql-client；Windows：PostgreSQL 安装程序中的"
        "「Command Line Tools」），或把其 bin 文件夹加入 PATH"
    )
    assert not out.exists()
    db = open_database(server)
    try:
        assert "postgresql-client" in (db.backup_warning() or "")
        assert db.backup("before-import") is None  # the automatic one is skipped, as warned
    finally:
        db.close()


def test_the_backup_before_an_import_on_a_server_restores(server_db: Database) -> None:
    before = dump(server_db)
    rows = [roster_row(n, phone=f"{n}") for n in range(10, 13)]
    with suppress(StoreError):  # the import's SQL on a server is pgport's; the backup is ours
        Importer(server_db).import_parsed(parsed_file(sheet(SheetKind.roster, rows)))
    (backup,) = server_db.backups()
    assert "before-import" in backup.name and sb.dump_problem(backup) is None
    server_db.restore(backup)
    assert _rows(server_db.url) == before


def test_restore_refuses_what_is_not_our_backup(server_db: Database, tmp_path: Path) -> None:
    before = dump(server_db)
    bad = tmp_path / "bad.dump"
    bad.write_bytes(b"PGDMP but not really" * 50)
    with pytest.raises(StoreError, match="不是 pg_dump 的备份文件"):
        server_db.restore(bad)
    assert _rows(server_db.url) == before


def test_an_undo_waits_for_the_bulk_lock_then_names_who_holds_it(server_db: Database) -> None:
    with _other(server_db.url) as other:
        other.execute("SELECT pg_advisory_xact_lock(%s)", (BULK_LOCK,))  # an import under way
        with server_db.engine.connect() as conn, pytest.raises(DatabaseInUse) as refused:
            transaction_lock(conn, "撤销", wait_seconds=0.2)
        assert refused.value.holders == [f"{OTHER}（postgres@127.0.0.1）"]
        assert "未撤销" in str(refused.value)
    with server_db.engine.begin() as conn:  # its transaction ended: the lock is free
        transaction_lock(conn, "撤销", wait_seconds=0.2)


def test_a_lock_held_on_another_database_of_the_server_names_no_holder_here(
    server_db: Database, pg_option: str, _pg_migrated: str
) -> None:
    with servers.copy_of(pg_option, _pg_migrated) as elsewhere, _other(elsewhere) as other:
        other.execute("SELECT pg_advisory_xact_lock(%s)", (BULK_LOCK,))  # its own import
        with server_db.engine.begin() as conn:
            assert lock_holders(conn, BULK_LOCK) == []
            transaction_lock(conn, "撤销", wait_seconds=0.2)  # not in its way either
        with _other(server_db.url) as here:
            here.execute("SELECT pg_advisory_xact_lock(%s)", (BULK_LOCK,))
            with server_db.engine.connect() as conn:
                assert lock_holders(conn, BULK_LOCK) == [f"{OTHER}（postgres@127.0.0.1）"]


def test_a_holder_on_a_pc_with_a_chinese_name_is_named_in_chinese(
    server_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server keeps an ASCII application_name only: ours is spelt in punycode, read back."""
    monkeypatch.setattr("getpass.getuser", lambda: "张三")
    monkeypatch.setattr("socket.gethostname", lambda: "县工信局-PC1")
    holder = open_database(server_db.url, "张三")
    try:
        with holder.engine.begin() as held:
            held.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": BULK_LOCK})
            with server_db.engine.connect() as conn:
                assert lock_holders(conn, BULK_LOCK) == [
                    "relief-desk 张三@县工信局-PC1（postgres@127.0.0.1）"
                ]
    finally:
        holder.close()


def test_a_long_chinese_name_is_cut_between_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "张三")
    monkeypatch.setattr("socket.gethostname", lambda: "忻州市忻府区工业和信息化局办公室一号机")
    name = application_name()
    assert name.isascii() and len(name) <= 63
    assert program_shown(name) == "relief-desk 张三@忻州市忻府区工业和信息化局办"  # whole ones


def test_check_says_what_it_checked(server: URL, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", shown(server), "check"]) == 0
    assert capsys.readouterr().out.strip().endswith("；服务器未安装 amcheck 扩展，未检查索引）")
    with _other(server) as other:
        other.execute("CREATE EXTENSION amcheck")
        other.commit()
        indexes = other.execute(
            "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am am ON am.oid = c.relam WHERE am.amname = 'btree' "
            "AND c.relnamespace = 'public'::regnamespace"
        ).fetchone()
    assert main(["--db", shown(server), "check"]) == 0
    assert capsys.readouterr().out.strip().endswith(f"、索引 {indexes[0]} 个（amcheck））")
    with _other(server) as other:
        other.execute("DROP TABLE provincial_award")
    assert main(["--db", shown(server), "check"]) == 2
    assert "缺少数据表 provincial_award" in capsys.readouterr().err


def test_a_migration_on_a_server_is_backed_up_first_and_the_backup_restores(
    pg_option: str,
) -> None:
    url = servers.recreate(pg_option, f"relief_older_{os.getpid()}")
    try:
        engine = make_server_engine(url)
        run_migration(engine, alembic_config(), "0004")  # a database an older version left
        engine.dispose()
        db = open_database(url, "测试员")  # migrated to head
        (backup,) = db.backups()
        assert "before-migration" in backup.name and sb.dump_problem(backup) is None
        assert sb._revision_in(backup) == "0004"
        db.restore(backup)  # the tables 0005 and 0006 added are dropped with it
        with _other(url) as other:
            assert other.execute("SELECT version_num FROM alembic_version").fetchone() == ("0004",)
            assert other.execute("SELECT to_regclass('problem')").fetchone() == (None,)
        open_database(url, "测试员").close()  # and migrated again, as the first time
    finally:
        servers.drop(pg_option, url.database or "")


def test_the_password_goes_to_the_client_tools_environment_never_their_command_line() -> None:
    client = sb._Client(make_url("postgresql+psycopg://wang:秘密@city-server:5433/relief"))
    assert client.dbname() == "--dbname=postgresql://wang@city-server:5433/relief"
    assert client.env()["PGPASSWORD"] == "秘密"
