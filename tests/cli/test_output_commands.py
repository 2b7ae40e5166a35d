"""``export`` and ``print-forms`` on the sample county, with the rules' results stood in for."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from desktop.cli import main
from desktop.rules import catalogue, engine
from desktop.rules.result import Result, Verdict
from desktop.samples import load_sample
from desktop.store import open_database
from desktop.store.settings import set_setting

XINFU, YUANPING, DINGXIANG = "91140902MA0XY0001F", "91140981MA0XY00020", "91140921MA0XY00036"
UNKNOWN = "91140902MA0XY9999X"


def result(uscc: str, county: str, verdict: Verdict, amount: str | None) -> Result:
    return Result(
        measure="12",
        uscc=uscc,
        name=f"企业{uscc[-4:]}",
        county=county,
        period="2023-Q1",
        verdict=verdict,
        amount=Decimal(amount) if amount else None,
        expected=False,
        clause="第十二条",
        explanation=("2023年1月产值同比增长60.00%",),
        facts=(("最高同比增速", Decimal("0.6")),),
    )


RESULTS = [
    result(XINFU, "忻府区", Verdict.ELIGIBLE, "250000.00"),
    result(YUANPING, "原平市", Verdict.ELIGIBLE, "500000.00"),
    result(DINGXIANG, "定襄县", Verdict.INCOMPLETE, None),
]


@pytest.fixture
def sample_db(db_target: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The sample county, filing unit set; the rules engine answering RESULTS (its checks of
    measure and county kept)."""
    database = open_database(db_target, operator="测试员")
    load_sample(database)
    with database.session() as session:
        set_setting(session, "filing_unit", "忻州市工业和信息化局")
    database.close()

    def evaluate_roster(session, *, measures: Sequence[str] | None = None, county=None, **_):
        wanted = [m.key for m in catalogue.measures(measures)]
        catalogue.check_county(session, county)
        return [r for r in RESULTS if county in (None, r.county) and r.measure in wanted]

    monkeypatch.setattr(engine, "evaluate_roster", evaluate_roster)
    return db_target


def run(db_target: str, *args: str) -> int:
    return main(["--db", db_target, *args])


def test_export_filing_sheet_lists_eligible_and_reports_incomplete(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "第十二条.xlsx"
    assert run(sample_db, "export", "--measure", "12", "-o", str(out)) == 1
    captured = capsys.readouterr()
    assert "符合条件企业 2 条，金额合计 750,000.00 元" in captured.out
    assert captured.err.splitlines() == [
        "1 家企业资料不全，未列入申报汇总表（原因见台账）",
        "其中 2 家是示例数据（虚构企业），文件中已标明，不得上报；可在「设置」中删除示例数据",
    ]  # the two listed are the sample county's
    rows = list(openpyxl.load_workbook(out).active.values)
    values = [v for row in rows for v in row]
    assert "忻州市工业和信息化局" in "".join(v for v in values if isinstance(v, str))
    assert XINFU in values and YUANPING in values and DINGXIANG not in values
    assert str(rows[0][0]).endswith("申报汇总表（含示例数据，不得上报）")
    assert [row[-1] for row in rows if row[2] in (XINFU, YUANPING)] == ["示例数据（虚构企业）"] * 2


def test_export_without_samples_says_nothing_of_them(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(sample_db, "sample", "remove") == 0
    capsys.readouterr()
    database = open_database(sample_db)
    with database.session() as session:
        set_setting(session, "filing_phone", "0350-3030303")
    database.close()
    out = tmp_path / "第十二条.xlsx"
    run(sample_db, "export", "--measure", "12", "-o", str(out))
    assert "示例" not in capsys.readouterr().err
    rows = list(openpyxl.load_workbook(out).active.values)
    assert "示例" not in str(rows[0][0])
    assert "联系电话：0350-3030303" in [v for row in rows for v in row]


def test_export_one_county(sample_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out.xlsx"
    assert run(sample_db, "export", "--measure", "12", "--county", "原平市", "-o", str(out)) == 0
    assert "符合条件企业 1 条，金额合计 500,000.00 元" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--measure", "7"], "措施编号「7」无效"),
        (["export", "--measure", "12", "--county", "太原市"], "没有名为「太原市」的县（市、区）"),
        (["export", "--ledger", "--county", "太原市"], "没有名为「太原市」的县（市、区）"),
        (["print-forms", "--measure", "12", "--uscc", UNKNOWN], f"{UNKNOWN} 不在企业名录中"),
        (["print-forms", "--measure", "12", "--uscc", DINGXIANG], "不符合第十二条，无申请表"),
        (["print-forms", "--measure", "13"], "第十三条没有符合条件的企业"),
    ],
)
def test_nothing_to_do_is_one_line_and_exit_2(
    sample_db: Path, tmp_path: Path, capsys, qapp, args: list[str], message: str
) -> None:
    out = tmp_path / "out.file"
    assert run(sample_db, *args, "-o", str(out)) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not out.exists()


def test_missing_output_folder_is_refused(sample_db: Path, tmp_path: Path, capsys) -> None:
    assert run(sample_db, "export", "--ledger", "-o", str(tmp_path / "no" / "l.xlsx")) == 2
    assert "输出文件夹不存在" in capsys.readouterr().err


def test_export_ledger(sample_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "ledger.xlsx"
    assert run(sample_db, "export", "--ledger", "-o", str(out)) == 0
    assert openpyxl.load_workbook(out).sheetnames == ["企业总表", "第十二条"]
    assert "测算结果 3 条" in capsys.readouterr().out


def test_the_city_filing_sheet_has_a_subtotal_per_unit_in_code_order(
    sample_db: Path, tmp_path: Path
) -> None:
    """忻府区 (140902) before 原平市 (140981), as the database's division codes order them (by
    name 原平市 would come first); 定襄县, none eligible, has no group."""
    out = tmp_path / "city.xlsx"
    assert run(sample_db, "export", "--measure", "12", "-o", str(out)) == 1  # 定襄县 incomplete
    rows = list(
        openpyxl.load_workbook(out).active.iter_rows(min_row=5, max_row=9, values_only=True)
    )
    assert [(r[0], r[1], r[3], r[5]) for r in rows] == [
        (1, "企业001F", "忻府区", 250000),
        ("小计", "1户", "忻府区", 250000),
        (2, "企业0020", "原平市", 500000),
        ("小计", "1户", "原平市", 500000),
        ("合计", "2户", None, 750000),
    ]


def test_the_ledger_of_one_county(sample_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "ledger.xlsx"
    assert run(sample_db, "export", "--ledger", "--county", "原平市", "-o", str(out)) == 0
    assert "测算结果 1 条，金额合计 500,000.00 元" in capsys.readouterr().out
    for sheet in openpyxl.load_workbook(out):
        assert [r[2:4] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
            (YUANPING, "原平市")
        ]


def test_the_city_ledger_names_the_unit_on_every_row(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "ledger.xlsx"
    assert run(sample_db, "export", "--ledger", "-o", str(out)) == 0
    for sheet in openpyxl.load_workbook(out):
        assert sheet["D1"].value == "所属县（市、区）"
        named = {r[2]: r[3] for r in sheet.iter_rows(min_row=2, values_only=True)}
        assert named == {XINFU: "忻府区", YUANPING: "原平市", DINGXIANG: "定襄县"}


def test_a_terminal_sees_the_export_progress(
    sample_db: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal, standard error shows the percentage redrawn up to 100%; output unchanged."""
    monkeypatch.setattr("desktop.cli.common.on_terminal", lambda: True)
    assert run(sample_db, "export", "--ledger", "-o", str(tmp_path / "l.xlsx")) == 0
    captured = capsys.readouterr()
    progress = captured.err.split("\n")[0]  # the lines after it say other things
    assert progress.startswith("\r正在导出台账… ") and progress.endswith("… 100%")
    shown = [int(part.split("… ")[1].rstrip("%")) for part in progress.split("\r")[1:]]
    assert shown == sorted(set(shown)) and shown[-1] == 100  # redrawn only as it grows
    assert captured.out.startswith("已写出")


def test_no_progress_when_not_on_a_terminal(sample_db: Path, tmp_path: Path, capsys) -> None:
    assert run(sample_db, "export", "--ledger", "-o", str(tmp_path / "l.xlsx")) == 0
    err = capsys.readouterr().err
    assert "正在" not in err and "\r" not in err


def test_print_forms_one_page_per_eligible_enterprise(
    sample_db: Path, tmp_path: Path, capsys, qapp
) -> None:
    out = tmp_path / "forms.pdf"
    assert run(sample_db, "print-forms", "--measure", "12", "-o", str(out)) == 0
    captured = capsys.readouterr()
    assert "申请表 2 份" in captured.out
    assert captured.err == "其中 2 家是示例数据（虚构企业），不得上报；可在「设置」中删除示例数据\n"
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert text.count("\f") == 2
    assert "62000000000000002" in text  # the bank account, from the roster


def test_print_forms_partly_known_codes_exit_1(
    sample_db: Path, tmp_path: Path, capsys, qapp
) -> None:
    out = tmp_path / "forms.pdf"
    args = ["--uscc", XINFU, "--uscc", UNKNOWN]
    assert run(sample_db, "print-forms", "--measure", "12", *args, "-o", str(out)) == 1
    captured = capsys.readouterr()
    assert "申请表 1 份" in captured.out and f"{UNKNOWN} 不在企业名录中" in captured.err


@pytest.mark.qt
def test_print_forms_needs_no_display(sample_db: Path, tmp_path: Path) -> None:
    """A fresh process without DISPLAY or QT_QPA_PLATFORM renders offscreen by itself."""
    out = tmp_path / "forms.pdf"
    script = (
        "import sys; from desktop.cli import main;"
        f"sys.exit(main(['--db', {str(sample_db)!r}, 'print-forms', '--measure', '12',"
        f" '-o', {str(out)!r}]))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "申请表 2 份" in done.stdout  # the sample county's two white-list awards
    assert out.read_bytes().startswith(b"%PDF")
