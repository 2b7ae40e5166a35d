"""The one vocabulary through the command line: fixed choices, Excel's text forms, 无 in a
number cell, negative amounts, a restricted-industry column not given, typed calculator
arguments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from stdnum.cn import uscc as uscc_code

from desktop.cli import main
from desktop.models import AnnualFigures, Enterprise
from desktop.store import open_database


def _code(n: int) -> str:
    body = f"91140902MA{n:07d}"
    return body + uscc_code.calc_check_digit(body)


def _csv(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _import(capsys: pytest.CaptureFixture[str], db_target: str, path: Path) -> tuple[int, dict]:
    code = main(["--db", db_target, "import", str(path), "--json"])
    return code, json.loads(capsys.readouterr().out)["files"][0]["sheets"][0]


def _roster(tmp_path: Path, capsys: pytest.CaptureFixture[str], db_target: str) -> None:
    lines = ("企业名称,统一社会信用代码,所属县（市、区）", f"甲公司,{_code(1)},忻府区")
    assert _import(capsys, db_target, _csv(tmp_path / "名录.csv", *lines))[0] == 0


def test_a_zone_level_outside_the_choices_is_refused_with_them_listed(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(tmp_path / "开发区.csv", "开发区名称,级别,类型", "甲园区,省级开发区,工业类",
                "乙园区,省级,工业类")  # fmt: skip
    code, sheet = _import(capsys, db_target, path)
    assert code == 1 and sheet["created"] == 1
    (refused,) = sheet["rejected"]
    assert (refused["row"], refused["column"], refused["value"]) == (2, "级别", "省级开发区")
    assert refused["message"] == "应为：国家级、省级、市级、县级"


def test_credit_codes_in_excel_text_forms_are_read_as_codes(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(tmp_path / "名录.csv", "企业名称,统一社会信用代码,所属县（市、区）,联系电话",
                f"甲公司,'{_code(1)},忻府区,'03501234567",
                f'乙公司,="{_code(2)}",原平市,="13800000000"')  # fmt: skip
    code, sheet = _import(capsys, db_target, path)
    assert (code, sheet["created"], sheet["rejected"]) == (0, 2, [])
    db = open_database(db_target, "测试员")
    with db.reader() as s:
        found = {e.uscc: e.phone for e in s.scalars(select(Enterprise))}
    db.close()
    assert found == {_code(1): "03501234567", _code(2): "13800000000"}


def test_negative_monthly_output_is_refused_on_import(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _roster(tmp_path, capsys, db_target)
    path = _csv(tmp_path / "产值.csv", "统一社会信用代码,年月,工业总产值（万元）",
                f"{_code(1)},2023-01,-5", f"{_code(1)},2023-02,12.5")  # fmt: skip
    code, sheet = _import(capsys, db_target, path)
    assert code == 1 and sheet["created"] == 1
    (refused,) = sheet["rejected"]
    assert (refused["row"], refused["message"]) == (2, "不能为负数")


def test_none_in_a_number_cell_is_empty_and_a_loss_is_a_taxable_income(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _roster(tmp_path, capsys, db_target)
    header = "统一社会信用代码,年度,工业总产值（万元）,应纳税所得额（万元）"
    path = _csv(tmp_path / "年度.csv", header, f"{_code(1)},2022,无,-12.5")
    code, sheet = _import(capsys, db_target, path)
    assert (code, sheet["created"], sheet["rejected"]) == (0, 1, [])
    db = open_database(db_target, "测试员")
    with db.reader() as s:
        figures = s.scalars(select(AnnualFigures)).one()
        assert figures.output is None
        assert str(figures.taxable_income) == "-125000.00"
        assert figures.restricted_industry is None  # the sheet had no such column: not given
    db.close()


def test_a_restricted_industry_column_left_blank_means_no(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _roster(tmp_path, capsys, db_target)
    path = _csv(tmp_path / "年度.csv", "统一社会信用代码,年度,限制或禁止行业",
                f"{_code(1)},2022,", f"{_code(1)},2023,是")  # fmt: skip
    assert _import(capsys, db_target, path)[0] == 0
    db = open_database(db_target, "测试员")
    with db.reader() as s:
        found = dict(s.execute(select(AnnualFigures.year, AnnualFigures.restricted_industry)).all())
    db.close()
    assert found == {2022: False, 2023: True}


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["acceptance", "--kind", "煤矿", "--cause", "疫情", "--days", "3"], "自行组织验收"),
        (["guarantee", "--principal", "100万", "--rate", "1.5%", "--date", "2023年1月10日"],
         "金额：7500.00 元"),
        (["deferral", "--month", "2023年2月"], "可申请缓缴"),
        (["employment", "--people", "5", "--per-person", "0.1万"], "金额：5000.00 元"),
    ],
)  # fmt: skip
def test_calculator_arguments_are_read_as_the_import_reads_values(
    db_target: str, capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    assert main(["--db", db_target, "calc", *argv]) == 0
    assert words in capsys.readouterr().out


def test_an_enterprise_kind_outside_the_choices_lists_them(
    db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["calc", "acceptance", "--kind", "煤矿企业", "--cause", "疫情", "--days", "3"]
    assert main(["--db", db_target, *argv]) == 2
    assert (
        capsys.readouterr()
        .err.strip()
        .endswith("企业类型「煤矿企业」：应为：煤矿、化工企业、其他企业")
    )
