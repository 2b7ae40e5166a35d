"""The task force's subcommands (CLI.md) on the fixture county of tests/taskforce/golden."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from desktop.cli import main
from desktop.models import ChangeRecord, Problem
from tests.conftest import cli_db
from tests.taskforce.conftest import FixtureCounty, code, golden
from tests.taskforce.conftest import county as county  # the fixture

PROBLEM_KEYS = {"id", "uscc", "state", "deadline", "warning"}


def run(county: FixtureCounty, *args: str) -> int:
    return main(["--db", cli_db(county.db), "--operator", "李科员", *args])


def out_json(capsys: pytest.CaptureFixture[str]) -> object:
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("written", ["2023-03", "2023-W10"])
def test_bulletin_json_is_the_hand_worked_one(
    county: FixtureCounty, tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    # Both periods are long past: problems are judged on the period's last day (golden/README).
    out = tmp_path / "bulletin.xlsx"
    assert run(county, "bulletin", "--period", written, "-o", str(out), "--json") == 0
    assert out_json(capsys) == golden(f"bulletin_{written}.json")
    assert out.exists()


def test_bulletin_of_one_county(
    county: FixtureCounty, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "b.xlsx"
    assert run(county, "bulletin", "--period", "2023年3月", "--county", "定襄县", "-o", str(out),
               "--json") == 0  # fmt: skip
    found = out_json(capsys)
    assert isinstance(found, dict)
    expected = golden("bulletin_2023-03.json")["units"][1]
    assert found["units"] == [expected]
    assert found["total"] == {**expected, "unit": "合计"}


def test_bulletin_workbook_one_sheet_per_table(
    county: FixtureCounty, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bulletin.xlsx"
    assert run(county, "bulletin", "--period", "2023-03", "-o", str(out)) == 0
    assert "已写出" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [
        "报送情况", "生产状态", "产值及增速", "产值降幅较大企业", "问题办理", "走访服务"
    ]  # fmt: skip
    assert (
        wb["报送情况"]["A1"].value
        == "忻州市工业企业复工复产运行情况通报（2023年3月）　表1 报送情况"
    )
    rows = {r[0]: r[1:] for r in wb["生产状态"].iter_rows(min_row=4, values_only=True)}
    # 忻府区: 停产 5; 部分复工 4, 9; 全面复工 2, 3, 6; 达产达效 1 → 4/7
    assert rows["忻府区"][:4] == (1, 2, 3, 1)
    assert rows["忻府区"][4] == pytest.approx(4 / 7)
    assert rows["原平市"][4] == "—"  # nobody reported: no rate
    output = {r[0]: r[1:] for r in wb["产值及增速"].iter_rows(min_row=4, values_only=True)}
    assert output["合计"][0] == 2510 and output["合计"][1] == 2610 and output["合计"][3] == 2335
    assert wb["产值及增速"]["B7"].number_format == "#,##0.00"
    decliners = list(wb["产值降幅较大企业"].iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[2], r[6]) for r in decliners] == [
        (1, code(11), 200), (2, code(14), 80), (3, code(5), 60), (4, code(2), 50)
    ]  # fmt: skip
    problems = {r[0]: r[1:] for r in wb["问题办理"].iter_rows(min_row=4, values_only=True)}
    assert problems["合计"] == (8, 4, 2, 3, pytest.approx(0.25))
    visits = {r[0]: r[1:] for r in wb["走访服务"].iter_rows(min_row=4, values_only=True)}
    assert visits["合计"] == (7, 3, pytest.approx(3 / 7))


def test_bulletin_refusals_exit_2(
    county: FixtureCounty, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(county, "bulletin", "--period", "2023-13", "-o", str(tmp_path / "b.xlsx")) == 2
    assert "月份应在1到12之间" in capsys.readouterr().err
    assert run(county, "bulletin", "--period", "2023-03", "-o", str(tmp_path / "b.csv")) == 2
    assert "输出文件应为 .xlsx 或 .pdf" in capsys.readouterr().err
    existing = tmp_path / "existing.xlsx"
    existing.write_bytes(b"kept")
    assert run(county, "bulletin", "--period", "2023-03", "-o", str(existing)) == 2
    assert "--force" in capsys.readouterr().err
    assert existing.read_bytes() == b"kept"
    bad = ["bulletin", "--period", "2023-03", "--county", "太原市", "-o", str(tmp_path / "b.xlsx")]
    assert run(county, *bad) == 2
    assert "没有名为「太原市」的县（市、区）" in capsys.readouterr().err


def test_problems_json_and_filters(
    county: FixtureCounty, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = county.problems
    assert run(county, "problems", "--json") == 0
    every = out_json(capsys)
    assert isinstance(every, list) and len(every) == 10
    assert all(set(p) == PROBLEM_KEYS for p in every)
    p7 = next(p for p in every if p["id"] == ids["P7"])
    assert p7 == {"id": ids["P7"], "uscc": code(12), "state": "new", "deadline": "2023-03-15",
                  "warning": "red"}  # fmt: skip
    assert run(county, "problems", "--state", "new", "--state", "申请延期", "--json") == 0
    chosen = {p["id"] for p in out_json(capsys)}  # type: ignore[union-attr]
    assert chosen == {ids[p] for p in ("P4", "P7", "P10", "P5", "P8")}
    assert run(county, "problems", "--overdue", "--county", "忻府区", "--json") == 0
    # not solved, all long past their deadline: P2 (assigned), P4 (new), P5 (extension)
    assert {p["id"] for p in out_json(capsys)} == {ids["P2"], ids["P4"], ids["P5"]}  # type: ignore[union-attr]
    assert run(county, "problems", "--state", "done") == 2
    assert "没有办理状态「done」" in capsys.readouterr().err
    assert run(county, "problems", "--county", "太原市") == 2
    assert "没有名为「太原市」的县（市、区）" in capsys.readouterr().err


def test_problem_move_allowed_is_logged(
    county: FixtureCounty, capsys: pytest.CaptureFixture[str]
) -> None:
    p7 = county.problems["P7"]
    args = ("problem", "move", str(p7), "--to", "assigned", "--deadline", "2030-01-31",
            "--reason", "交县工信局办理")  # fmt: skip
    assert run(county, *args) == 0
    assert "已改为「办理中」" in capsys.readouterr().out
    with county.db.reader() as s:
        problem = s.get(Problem, p7)
        assert problem is not None
        assert (problem.state, problem.deadline.isoformat()) == ("assigned", "2030-01-31")
        logged = s.scalars(
            select(ChangeRecord).where(
                ChangeRecord.table_name == "problem", ChangeRecord.field == "state"
            )
        ).all()
    assert [(r.operator, r.source, r.old_value, r.new_value) for r in logged] == [
        ("李科员", "command", "new", "assigned")
    ]


def test_problem_move_refused_names_the_allowed_moves(
    county: FixtureCounty, capsys: pytest.CaptureFixture[str]
) -> None:
    p2 = county.problems["P2"]  # 办理中
    assert run(county, "problem", "move", str(p2), "--to", "closed") == 2
    err = capsys.readouterr().err.strip()
    assert "当前为「办理中」，不能改为「已销号」；可改为：申请延期、已办结" in err
    assert len(err.splitlines()) == 1
    p6 = county.problems["P6"]  # 已回访: 不满意 goes back, not to 已销号
    args = ("problem", "move", str(p6), "--to", "closed", "--satisfaction", "不满意")
    assert run(county, *args) == 2
    assert "企业不满意，应不满意时重新交办" in capsys.readouterr().err
    assert run(county, "problem", "move", "999", "--to", "assigned") == 2
    assert "没有编号为 999 的问题" in capsys.readouterr().err
    p7 = str(county.problems["P7"])
    assert run(county, "problem", "move", p7, "--to", "assigned", "--deadline", "2023-02-30") == 2
    assert capsys.readouterr().err.startswith("--deadline「2023-02-30」")
    with county.db.reader() as s:
        assert [s.get(Problem, i).state for i in (p2, p6)] == ["assigned", "reviewed"]  # type: ignore[union-attr]


def test_problem_moves_through_review_to_closed(
    county: FixtureCounty, capsys: pytest.CaptureFixture[str]
) -> None:
    p3 = str(county.problems["P3"])  # 已办结
    assert run(county, "problem", "move", p3, "--to", "reviewed", "--reason", "已协调用工") == 0
    assert run(county, "problem", "move", p3, "--to", "已销号", "--satisfaction", "满意") == 0
    with county.db.reader() as s:
        problem = s.get(Problem, int(p3))
        assert problem is not None
        assert (problem.state, problem.result, problem.satisfaction) == (
            "closed", "已协调用工", "满意"
        )  # fmt: skip


def test_coverage_json(county: FixtureCounty, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(county, "coverage", "--json") == 0
    found = out_json(capsys)
    assert isinstance(found, dict)
    expected = golden("coverage.json")
    assert (found["team"], found["leader"]) == (expected["team"], expected["leader"])
    assert set(found["not_covered"][0]) == {"uscc", "name", "county", "missing"}
    assert run(county, "coverage") == 0
    assert "规上企业有服务小组：5／19（0.2632）" in capsys.readouterr().out


def test_desk_json(county: FixtureCounty, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(county, "desk", "--json") == 0
    found = out_json(capsys)
    assert isinstance(found, dict) and set(found) == {"items"}
    items = found["items"]
    assert all(set(i) == {"kind", "warning", "uscc", "text"} for i in items)
    kinds = {i["kind"] for i in items}
    assert {"problem", "visit", "report"} <= kinds
    # today is long after every deadline: each unsolved problem is red
    assert sum(1 for i in items if i["kind"] == "problem" and i["warning"] == "red") == 6
    assert run(county, "desk") == 0
    assert "【超期】问题" in capsys.readouterr().out


@pytest.mark.qt  # where PySide6 is installed, or nothing could load it
def test_the_workbook_and_the_lists_need_no_qt(county: FixtureCounty, tmp_path: Path) -> None:
    out = tmp_path / "b.xlsx"
    script = (
        "import sys\n"
        "from desktop.cli import main\n"
        f"db = {cli_db(county.db)!r}\n"
        f"assert main(['--db', db, 'bulletin', '--period', '2023-03', '-o', {str(out)!r}]) == 0\n"
        "for args in (['problems'], ['coverage'], ['desk']):\n"
        "    assert main(['--db', db, *args]) == 0\n"
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'desktop.qt'))]\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.exists()
