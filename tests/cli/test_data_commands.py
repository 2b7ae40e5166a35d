"""``template``, ``import``, ``batches``, ``undo-import``: JSON shapes and exit codes (CLI.md)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from stdnum.cn import uscc as uscc_code

from desktop.cases.moves import Move, move_cases
from desktop.cases.opening import open_cases
from desktop.cases.states import State
from desktop.cli import main
from desktop.store import open_database
from tests.cases.conftest import BASIS, PARAMETERS, add_enterprises, code, result

SHEET_KEYS = {"sheet", "kind", "header_row", "created", "updated", "unchanged", "skipped",
              "rejected", "unused_columns"}  # fmt: skip


def _code(n: int) -> str:
    body = f"91140902MA{n:07d}"
    return body + uscc_code.calc_check_digit(body)


def _roster(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A roster with a title row, a blank row, the header on row 3 and a 合计 row at the end."""
    wb = Workbook()
    ws = wb.active
    ws.title = "企业名录"
    ws.append(["忻府区工业企业名录"])
    ws.append([])
    ws.append(["序号", "企业名称", "统一社会信用代码", "所属县（市、区）"])
    for n, row in enumerate(rows, start=1):
        ws.append([n, *row])
    ws.append(["合计", None, None, None])
    wb.save(path)
    return path


def _run(capsys: pytest.CaptureFixture[str], db_target: str, *args: str) -> tuple[int, str, str]:
    code = main(["--db", db_target, "--operator", "王科长", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_json_shape_and_exit_0(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = _roster(tmp_path / "名录.xlsx", [("甲公司", _code(1), "忻府区"),
                                              ("乙公司", _code(2), "原平市")])  # fmt: skip
    code, out, err = _run(capsys, db_target, "import", str(roster), "--json")
    assert (code, err) == (0, "")
    payload = json.loads(out)
    assert list(payload) == ["files"]
    (file,) = payload["files"]
    assert list(file) == ["file", "committed", "sheets", "unrecognised"]
    assert (file["file"], file["committed"]) == ("名录.xlsx", True)
    (sheet,) = file["sheets"]
    assert set(sheet) == SHEET_KEYS
    assert (sheet["sheet"], sheet["kind"], sheet["header_row"]) == ("企业名录", "roster", 3)
    assert (sheet["created"], sheet["updated"], sheet["unchanged"]) == (2, 0, 0)
    assert sheet["skipped"] == 1 and sheet["rejected"] == []
    assert (sheet["unused_columns"], file["unrecognised"]) == ([], [])


def test_rejected_rows_exit_1_with_report(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = _roster(tmp_path / "名录.xlsx", [("甲公司", _code(1), "忻府区"),
                                              ("乙公司", _code(1), "忻府区")])  # fmt: skip
    report = tmp_path / "问题行.xlsx"
    code, out, _ = _run(capsys, db_target, "import", str(roster), "--json", "--report", str(report))
    assert code == 1
    (rejected,) = json.loads(out)["files"][0]["sheets"][0]["rejected"]
    assert list(rejected) == ["row", "column", "value", "message"]
    assert (rejected["row"], rejected["column"], rejected["value"]) == (5, "统一社会信用代码",
                                                                         _code(1))  # fmt: skip
    assert "与第4行重复" in rejected["message"]
    assert list(load_workbook(report)["企业名录"].iter_rows(values_only=True))[1][2] == 5
    # The report is itself a roster: imported on its own, the second row would rename the first.
    code, out, _ = _run(capsys, db_target, "import", str(report), "--json", "--dry-run")
    (again,) = json.loads(out)["files"][0]["sheets"]
    assert (again["kind"], again["created"], again["updated"], again["rejected"]) == (
        "roster", 0, 1, [],
    )  # fmt: skip


def test_unreadable_file_exit_2_one_line(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "名录.xlsx"
    fake.write_bytes(b"%PDF-1.4 not a workbook")
    code, out, err = _run(capsys, db_target, "import", str(fake))
    assert code == 2
    (line,) = err.strip().splitlines()
    assert "名录.xlsx" in line
    code, out, _ = _run(capsys, db_target, "batches", "--json")
    assert json.loads(out) == []


def test_one_good_one_refused_file_exit_1(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _roster(tmp_path / "名录.xlsx", [("甲公司", _code(1), "忻府区")])
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    code, out, err = _run(capsys, db_target, "import", str(good), str(empty), "--json")
    assert code == 1
    assert [f["committed"] for f in json.loads(out)["files"]] == [True, False]
    (line,) = err.strip().splitlines()
    assert "空.xlsx" in line


def test_dry_run_commits_nothing(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = _roster(tmp_path / "名录.xlsx", [("甲公司", _code(1), "忻府区")])
    code, out, _ = _run(capsys, db_target, "import", str(roster), "--dry-run", "--json")
    (file,) = json.loads(out)["files"]
    assert (code, file["committed"], file["sheets"][0]["created"]) == (0, False, 1)
    code, out, _ = _run(capsys, db_target, "batches", "--json")
    assert json.loads(out) == []


def test_batches_and_undo(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = _roster(tmp_path / "名录.xlsx", [("甲公司", _code(1), "忻府区")])
    assert _run(capsys, db_target, "import", str(roster))[0] == 0
    code, out, _ = _run(capsys, db_target, "batches", "--json")
    (batch,) = json.loads(out)
    assert (batch["batch"], batch["file"], batch["operator"]) == (1, "名录.xlsx", "王科长")
    assert batch["sheets"][0]["created"] == 1 and batch["undone_at"] is None
    code, out, _ = _run(capsys, db_target, "undo-import", "1")
    assert (code, out.strip()) == (0, "已撤销批次 1：删除 1 行，恢复 0 行")
    code, _, err = _run(capsys, db_target, "undo-import", "1")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "不能再次撤销" in err
    code, out, _ = _run(capsys, db_target, "batches")
    assert "已于" in out and "王科长 撤销" in out


def test_template_is_written(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out_path = tmp_path / "模板.xlsx"
    code, out, _ = _run(capsys, db_target, "template", str(out_path))
    assert code == 0 and "模板" in out
    assert "企业名录" in load_workbook(out_path).sheetnames


def test_text_output_names_sheet_rows_and_notes(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = _roster(tmp_path / "名录.xlsx", [("甲公司", _code(1), "忻府区"),
                                              ("乙公司", _code(2), "外省县")])  # fmt: skip
    code, out, _ = _run(capsys, db_target, "import", str(roster))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "名录.xlsx：已导入，批次 1"
    assert (
        "企业名录（企业名录，表头在第 3 行）：新增 1，更新 0，未变 0，跳过 1，拒绝 1 行" in lines[1]
    )
    assert lines[2].strip().startswith("第 5 行「所属县（市、区）」外省县：")


def test_undo_waiting_for_a_later_batch_names_it(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _roster(tmp_path / "名录.xlsx", [("甲公司", _code(1), "忻府区")])
    later = _roster(tmp_path / "更名.xlsx", [("甲有限公司", _code(1), "忻府区")])
    for path in (first, later):
        assert _run(capsys, db_target, "import", str(path))[0] == 0
    code, _, err = _run(capsys, db_target, "undo-import", "1")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert err.strip().endswith("请先撤销批次 2，再撤销批次 1")


def test_the_text_output_says_which_rows_were_skipped_and_why(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = _roster(tmp_path / "名录.xlsx", [("甲公司", _code(1), "忻府区")])
    code, out, _ = _run(capsys, db_target, "import", str(roster), "--dry-run")
    assert code == 0
    assert "    跳过的行：合计行 第 5 行" in out.splitlines()


START, END = date(2023, 6, 5), date(2023, 6, 12)  # a Monday, and five working days after


def test_a_payments_file_imported_and_undone_as_a_reversal(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(db_target, "王科长")
    with db.session(source="command") as s:
        add_enterprises(s, 1)
        cases = open_cases(s, [result(1)], BASIS, PARAMETERS)
        for move, day in (
            (Move(State.RECEIVED), START),
            (Move(State.APPROVED), START),
            (Move(State.PUBLICITY, on=START), START),
            (Move(State.PUBLICIZED), END),
        ):
            move_cases(s, cases, move, PARAMETERS, day)  # fmt: skip
    db.close()
    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "支持事项", "拨付金额（元）", "拨付日期", "凭证号"])
    ws.append([code(1), "第十二条", 250000, "2023-07-01", "记-1"])
    ws.append([code(1), "第十二条", 1, "2023-07-02", "记-2"])  # over the approved amount
    wb.save(tmp_path / "拨付.xlsx")
    status, out, _ = _run(capsys, db_target, "import", str(tmp_path / "拨付.xlsx"), "--json")
    (sheet,) = json.loads(out)["files"][0]["sheets"]
    assert (status, sheet["kind"], sheet["created"]) == (1, "payments", 1)
    assert [(r["row"], r["column"]) for r in sheet["rejected"]] == [(3, "拨付金额（元）")]
    status, out, _ = _run(capsys, db_target, "undo-import", "1")
    assert (status, out.strip()) == (0, "已撤销批次 1：删除 0 行，恢复 0 行，冲销拨付 1 笔")
