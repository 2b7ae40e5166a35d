"""Global options, exit codes and the change-log command."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from desktop.cli import main
from desktop.roster.records import load_record, save_record
from desktop.samples import load_sample
from desktop.store import open_database
from desktop.store.database import resolve_operator
from desktop.store.settings import set_setting


def _err_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.strip().splitlines()


def test_bad_arguments_exit_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--bogus"]) == 2
    (line,) = _err_lines(capsys)
    assert "参数错误" in line


def test_db_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "env.sqlite3"
    monkeypatch.setenv("RELIEF_DESK_DB", str(path))
    assert main(["log"]) == 0
    assert path.is_file()


def test_log_json_newest_first_with_operator(
    db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(db_target, "王科长")
    load_sample(db)
    db.close()
    assert main(["--db", db_target, "log", "--limit", "3", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 3
    assert [r["id"] for r in records] == sorted((r["id"] for r in records), reverse=True)
    assert {r["operator"] for r in records} == {"王科长"}
    assert {r["source"] for r in records} == {"sample"}


def test_log_reads_in_chinese_but_its_json_keeps_the_stored_names(
    db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = "91140902MA0XY0001F"
    db = open_database(db_target, "王科长")
    load_sample(db)
    with db.reader() as s:
        record = load_record(s, code)
    save_record(db, replace(record, white_list=False), code)
    db.close()
    assert main(["--db", db_target, "log", "--limit", "100"]) == 0
    update, *inserts = capsys.readouterr().out.splitlines()  # the sample's leases, awards last
    assert update.endswith(f"  王科长  窗口编辑  企业名录 {code}  白名单企业：是 → 否")
    assert any(
        "  示例数据  年度数据 " in insert
        and "  新增 年度：2023；应纳税所得额：800000.00 元；" in insert
        for insert in inserts
    )
    assert main(["--db", db_target, "log", "--limit", "1", "--json"]) == 0
    (line,) = json.loads(capsys.readouterr().out)
    assert (line["source"], line["table"], line["field"]) == ("window", "enterprise", "white_list")
    assert (line["action"], line["old"], line["new"]) == ("update", "1", "0")


def test_log_limit_must_be_positive(db_target: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db_target, "log", "--limit", "0"]) == 2
    assert len(_err_lines(capsys)) == 1


def test_operator_precedence(db_target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RELIEF_DESK_OPERATOR", raising=False)
    assert resolve_operator(None, "") not in ("", None)  # the login name
    assert resolve_operator(None, "已保存") == "已保存"
    monkeypatch.setenv("RELIEF_DESK_OPERATOR", "环境")
    assert resolve_operator(None, "已保存") == "环境"
    assert resolve_operator("命令行", "已保存") == "命令行"


def test_saved_operator_is_used_when_none_given(
    db_target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RELIEF_DESK_OPERATOR", raising=False)
    db = open_database(db_target)
    with db.session() as s:
        set_setting(s, "operator", "李专员")
    db.close()
    # on a server the saved setting is the whole team's: the change log names the login
    login = make_url(db_target).username if db.on_server else None
    reopened = open_database(db_target)
    reopened.close()
    assert reopened.operator == (login or "李专员")


def test_output_to_a_reader_that_went_away_ends_quietly(db_target: str) -> None:
    db = open_database(db_target, "测试员")
    load_sample(db)
    db.close()
    command = [sys.executable, "-m", "desktop", "--db", db_target, "log"]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()  # as `| head` does once it has what it wants
    _, err = child.communicate(timeout=60)
    assert child.returncode == 0
    assert b"Traceback" not in err and b"BrokenPipe" not in err
