"""No command writes over the database, its WAL, a backup, or (without --force) any file."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli import main
from desktop.samples import load_sample
from desktop.store import open_database
from tests.conftest import sha256_of


@pytest.fixture
def county(db_path: Path) -> Path:
    db = open_database(db_path, "测试员")
    load_sample(db)
    db.backup("manual")
    db.close()
    return db_path


def _refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    return line


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_template_never_writes_over_the_database(
    county: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = Path(f"{county}{suffix}")
    target.touch()
    before = sha256_of(county)
    line = _refused(capsys, "--db", str(county), "template", str(target), "--force")
    assert "数据库文件本身" in line
    assert sha256_of(county) == before


def test_export_never_writes_over_a_backup(
    county: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (backup,) = (county.parent / "relief-backups").iterdir()
    before = sha256_of(backup)
    line = _refused(capsys, "--db", str(county), "export", "--ledger", "-o", str(backup), "--force")
    assert "备份" in line
    copy = county.parent / "copy.sqlite3"
    copy.write_bytes(backup.read_bytes())  # a backup kept elsewhere is recognised by its mark
    line = _refused(capsys, "--db", str(county), "template", str(copy), "--force")
    assert "Relief Desk 的数据库或备份" in line
    assert sha256_of(backup) == before == sha256_of(copy)


def test_an_existing_output_needs_force(
    county: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "台账.xlsx"
    out.write_bytes(b"the officer's own file")
    line = _refused(capsys, "--db", str(county), "export", "--ledger", "-o", str(out))
    assert "已存在" in line and "--force" in line
    assert out.read_bytes() == b"the officer's own file"
    assert main(["--db", str(county), "export", "--ledger", "-o", str(out), "--force"]) == 0
    assert out.read_bytes().startswith(b"PK")


def test_backup_never_writes_over_the_database(
    county: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sha256_of(county)
    line = _refused(capsys, "--db", str(county), "backup", str(county))
    assert "数据库文件本身" in line
    assert sha256_of(county) == before
