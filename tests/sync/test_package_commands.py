"""``package export|import`` and ``conflicts [resolve]`` on the command line: output, JSON and
exit codes (CLI.md: 0 done, 1 done but waiting or conflicts left, 2 nothing done)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.store import Database
from tests.conftest import cli_db
from tests.sync.helpers import city_and_counties, edit

HARD = "91140981MA0XY00020"


@pytest.fixture
def two(sample_db: Database, _migrated_template: Path, tmp_path: Path) -> tuple[str, str]:
    """The city's database and 忻府区's made from it, closed, as ``--db`` for the command line."""
    (county,) = city_and_counties(sample_db, _migrated_template, tmp_path, ("忻府区",))
    edit(county, HARD, phone="0350-2222222")
    edit(sample_db, HARD, phone="0350-3333333")
    county.close()
    sample_db.close()
    return cli_db(sample_db), cli_db(county)


def _json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    return json.loads(capsys.readouterr().out)


def test_export_import_and_resolve_from_the_command_line(
    two: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    city, county = two
    out = tmp_path / "out.rdpkg"
    assert main(["--db", county, "package", "export", "-o", str(out)]) == 0
    assert "忻府区 → 忻州市 第 1 号数据包" in capsys.readouterr().out
    assert main(["--db", city, "package", "import", str(out), "--dry-run", "--json"]) == 1
    trial = _json(capsys)
    assert trial["dry_run"] is True
    assert main(["--db", city, "package", "import", str(out), "--json"]) == 1
    (file,) = _json(capsys)["files"]  # type: ignore[misc]
    assert file == {
        "file": "out.rdpkg", "status": "applied", "sender": "忻府区", "destination": "忻州市",
        "sequence": 1, "applied": 0, "dropped": 0, "merged": 0, "conflicts": 1, "waiting": 0,
        "missing": [], "reason": None, "released": [],
    }  # fmt: skip
    assert trial["files"] == [file]
    assert main(["--db", city, "package", "import", str(out)]) == 0  # already: a no-op
    assert "已导入过" in capsys.readouterr().out

    assert main(["--db", city, "conflicts", "--json"]) == 0
    (conflict,) = _json(capsys)["conflicts"]  # type: ignore[misc]
    assert conflict["key"] == HARD and conflict["what"] == "企业名录·联系电话"
    assert conflict["base"] == "0350-0000000"
    assert conflict["mine"]["value"] == "0350-3333333" and conflict["mine"]["by"] == "测试员"
    assert conflict["theirs"]["value"] == "0350-2222222"
    assert conflict["theirs"]["by"] == "忻府区·忻府区officer"
    number = str(conflict["id"])
    assert main(["--db", city, "conflicts", "resolve", number, "--take", "theirs"]) == 0
    assert main(["--db", city, "conflicts"]) == 0
    assert "没有待处理的冲突" in capsys.readouterr().out
    assert main(["--db", city, "conflicts", "resolve", number, "--take", "mine"]) == 2
    assert f"冲突 {number} 已由" in capsys.readouterr().err  # a dry run may draw an id too


def test_a_waiting_package_exits_1_and_a_refused_one_2(
    two: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    city, county = two
    first, second = tmp_path / "1.rdpkg", tmp_path / "2.rdpkg"
    assert main(["--db", county, "package", "export", "-o", str(first)]) == 0
    assert main(["--db", county, "package", "export", "-o", str(second)]) == 0
    capsys.readouterr()
    assert main(["--db", city, "package", "import", str(second)]) == 1
    assert "等待第 1 号数据包" in capsys.readouterr().out
    bad = tmp_path / "bad.rdpkg"
    bad.write_bytes(b"PK\x03\x04 not a package")
    assert main(["--db", city, "package", "import", str(bad), "--json"]) == 2
    (file,) = _json(capsys)["files"]  # type: ignore[misc]
    assert file["status"] == "refused" and "损坏" in file["reason"]


def test_a_value_is_read_by_the_fields_own_parser(
    two: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    city, county = two
    out = tmp_path / "out.rdpkg"
    main(["--db", county, "package", "export", "-o", str(out)])
    main(["--db", city, "package", "import", str(out)])
    capsys.readouterr()
    assert main(["--db", city, "conflicts", "resolve", "1", "--take", "0350-4444444"]) == 0
    assert "采用：0350-4444444" in capsys.readouterr().out
    assert main(["--db", city, "conflicts", "resolve", "9", "--take", "mine"]) == 2
    assert "没有编号为 9 的冲突" in capsys.readouterr().err


def test_export_needs_the_unit_of_a_new_database(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db.close()
    out = tmp_path / "out.rdpkg"
    assert main(["--db", cli_db(db), "package", "export", "-o", str(out)]) == 2
    assert "--from" in capsys.readouterr().err and not out.exists()
    assert main(["--db", cli_db(db), "package", "export", "-o", str(out), "--from", "代县"]) == 0
    assert out.exists()


def test_parse_value_uses_the_money_parser_and_names_the_field() -> None:
    from desktop.models import MonthlyOutput
    from desktop.sync.conflicts import ConflictError, parse_value

    table = MonthlyOutput.__table__
    assert parse_value(table, "output", "150万") == "1500000.00"
    with pytest.raises(ConflictError, match="工业总产值"):
        parse_value(table, "output", "很多")
