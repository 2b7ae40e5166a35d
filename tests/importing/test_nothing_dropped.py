"""Nothing dropped or mistaken on import, through the command line (``import --json``):
columns not used are named, bureaus' and tax systems' headers recognised, a header naming a
field in other words never read as another field, per-county sheets, text files, 总计 rows."""

from __future__ import annotations

import codecs
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from desktop.cli import main
from desktop.importing.memory import ColumnMemory
from desktop.models import AnnualFigures, County, Enterprise, Lease, MonthlyOutput
from desktop.sheets.choice import layout_key
from desktop.store import open_database
from tests.sheets.conftest import code, write_xlsx

ROSTER = [["企业名称", "统一社会信用代码", "所属县（市、区）"],
          ["甲公司", code(1), "忻府区"], ["乙公司", code(2), "原平市"]]  # fmt: skip


def _import(db_path: Path, capsys: pytest.CaptureFixture[str], *paths: Path) -> dict[str, Any]:
    main(["--db", str(db_path), "import", *map(str, paths), "--json"])
    return json.loads(capsys.readouterr().out)


def _rows(db_path: Path, model: type) -> list[Any]:
    db = open_database(db_path, "测试员")
    try:
        with db.reader() as s:
            return list(s.scalars(select(model)))
    finally:
        db.close()


def test_a_bureau_s_annual_table_names_every_column_it_does_not_read(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A statistics bureau's export: title rows, a two-row header grouped under 主要指标."""
    bureau = write_xlsx(
        tmp_path / "统计局年报.xlsx",
        [("年报", [
            ["2023年规模以上工业企业主要经济指标"],
            ["单位：万元"],
            ["序号", "单位详细名称", "统一社会信用代码", "年份", "主要指标", "", "", ""],
            ["", "", "", "", "工业总产值", "营业收入", "资产总计", "从业人员期末人数"],
            [1, "甲公司", code(1), 2023, 1200, 1500, 3000, 85],
            ["", "总计", "", "", 1200, 1500, 3000, 85],
        ])],
        merges=["A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:H3"],
    )  # fmt: skip
    payload = _import(db_path, capsys, write_xlsx(tmp_path / "名录.xlsx", [("名录", ROSTER)]),
                      bureau)  # fmt: skip
    (sheet,) = payload["files"][1]["sheets"]
    assert (sheet["kind"], sheet["header_row"], sheet["created"]) == ("annual", 3, 1)
    assert sheet["unused_columns"] == ["单位详细名称", "营业收入"]
    assert sheet["skipped"] == 1  # the 总计 row
    (figures,) = _rows(db_path, AnnualFigures)
    assert (figures.output, figures.total_assets, figures.employees) == (12_000_000, 30_000_000,
                                                                          85)  # fmt: skip


def test_a_tax_export_is_read_by_its_own_words(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tax system's CSV (GBK): 纳税人识别号, 纳税人名称, 所属年度; 营业收入 is not a field."""
    tax = tmp_path / "税务导出.csv"
    tax.write_bytes(
        "纳税人识别号,纳税人名称,所属年度,应纳税所得额（万元）,营业收入（万元）,资产总额（万元）\n"
        f"{code(1)},甲公司,2022,120,900,2000\n".encode("gbk")
    )
    roster = write_xlsx(tmp_path / "名录.xlsx", [("名录", ROSTER)])
    (_, file) = _import(db_path, capsys, roster, tax)["files"]
    (sheet,) = file["sheets"]
    assert (sheet["kind"], sheet["created"], sheet["unused_columns"]) == (
        "annual", 1, ["纳税人名称", "营业收入（万元）"]
    )  # fmt: skip
    (figures,) = _rows(db_path, AnnualFigures)
    assert (figures.year, figures.taxable_income) == (2022, 1_200_000)


LEASE_HEAD = ["统一社会信用代码", "开发区", "标准化厂房", "面积（平方米）", "月租金（元）",
              "起租日期"]  # fmt: skip
LEASE_ROW = [code(1), "某园区", "是", 500, 8000, date(2023, 1, 1), date(2025, 12, 31)]


def test_a_lease_sheet_is_never_read_as_monthly_output(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Dates under an end-date header a lease sheet's own words name: a lease, or said to miss
    one column; never the dates taken for month columns of an output sheet."""
    zones = [["开发区名称", "级别", "类型"], ["某园区", "省级", "工业类"]]
    roster = write_xlsx(tmp_path / "名录.xlsx", [("名录", ROSTER), ("开发区", zones)])
    known = write_xlsx(tmp_path / "租赁.xlsx", [("租赁", [[*LEASE_HEAD, "租赁终止日期"],
                                                          LEASE_ROW])])  # fmt: skip
    unknown = write_xlsx(tmp_path / "租赁二.xlsx", [("租赁", [[*LEASE_HEAD, "租约届满"],
                                                              LEASE_ROW])])  # fmt: skip
    _, leases, other = _import(db_path, capsys, roster, known, unknown)["files"]
    (sheet,) = leases["sheets"]
    assert (sheet["kind"], sheet["created"], sheet["unused_columns"]) == ("leases", 1, [])
    assert other["sheets"] == [] and not other["committed"]
    (why,) = other["unrecognised"]
    assert why["sheet"] == "租赁"
    assert why["reason"] == "无法判断表格类型：最接近「厂房租赁」，但缺少列「到期日期」"
    assert [lease.end_date for lease in _rows(db_path, Lease)] == [date(2025, 12, 31)]
    assert _rows(db_path, MonthlyOutput) == []


def test_one_roster_sheet_per_county_takes_the_county_from_the_sheet_name(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = ["序号", "单位名称", "统一社会信用代码", "行业代码"]
    book = write_xlsx(tmp_path / "各县名录.xlsx", [
        ("忻府", [["忻府区工业企业名录"], head, [1, "甲公司", code(1), "C3311"]]),
        ("原平市", [head, [1, "乙公司", code(2), "C3511"], [2, "丙公司", code(3), "C3512"]]),
        ("汇总", [head, [1, "丁公司", code(4), "C3311"]]),
        ("填表说明", [["请按县分表填写"]]),
    ])  # fmt: skip
    (file,) = _import(db_path, capsys, book)["files"]
    assert [(s["sheet"], s["created"]) for s in file["sheets"]] == [("忻府", 1), ("原平市", 2)]
    assert file["unrecognised"] == [
        {"sheet": "汇总",
         "reason": "无法判断表格类型：最接近「企业名录」，但缺少列「所属县（市、区）」"},
        {"sheet": "填表说明", "reason": "无法判断表格类型：前30行中没有可识别的表头"
                                       "（如「企业名称」「统一社会信用代码」）"},
    ]  # fmt: skip
    counties = {c.id: c.name for c in _rows(db_path, County)}
    assert {e.name: counties[e.county_id] for e in _rows(db_path, Enterprise)} == {
        "甲公司": "忻府区", "乙公司": "原平市", "丙公司": "原平市",
    }  # fmt: skip


def test_a_county_column_wins_over_the_sheet_name(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = write_xlsx(tmp_path / "名录.xlsx", [("忻府区", ROSTER)])
    (sheet,) = _import(db_path, capsys, book)["files"][0]["sheets"]
    assert sheet["created"] == 2
    counties = {c.id: c.name for c in _rows(db_path, County)}
    assert {e.name: counties[e.county_id] for e in _rows(db_path, Enterprise)} == {
        "甲公司": "忻府区",
        "乙公司": "原平市",
    }  # the column's counties, not the sheet's 忻府区 for both


def test_text_output_and_report_name_what_was_not_read(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = write_xlsx(tmp_path / "各县.xlsx", [
        ("定襄", [["企业名称", "统一社会信用代码", "营业收入"], ["甲公司", code(1), 5]]),
        ("说明", [["本表由县工信局填报"]]),
    ])  # fmt: skip
    report = tmp_path / "报告.xlsx"
    assert main(["--db", str(db_path), "import", str(book), "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert "    所属县（市、区）取自工作表名：定襄县" in out
    assert "    未使用的列：营业收入" in out
    assert "  未识别：工作表「说明」无法判断表格类型：" in out
    said = list(load_workbook(report)["读取说明"].iter_rows(values_only=True))
    assert said[0] == ("文件", "工作表", "说明")
    assert ("各县.xlsx", "定襄", "未使用的列：营业收入") in said
    assert ("各县.xlsx", "定襄", "所属县（市、区）取自工作表名：定襄县") in said
    assert any(row[1] == "说明" and row[2].startswith("未识别：") for row in said)


def _unicode_text(path: Path, rows: list[list[str]]) -> Path:
    """What Excel writes as 「Unicode 文本」: UTF-16 LE with a BOM, tabs, CRLF."""
    text = "".join("\t".join(row) + "\r\n" for row in rows)
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    return path


def test_excel_unicode_text_and_gbk_text_files_are_read_like_csv(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = _unicode_text(tmp_path / "名录.txt", [
        ["企业名称", "统一社会信用代码", "所属县（市、区）", "备注"],
        ["甲公司", code(1), "忻府区", "新投产"],
        ["乙公司", code(2), "代县", ""],
    ])  # fmt: skip
    monthly = tmp_path / "产值.txt"
    monthly.write_bytes(
        "2023年1月工业总产值\n统一社会信用代码\t年月\t工业总产值（万元）\n"
        f'{code(1)}\t2023-01\t"1,200"\n{code(2)}\t2023-01\t300\n\t总 计\t1500\n'.encode("gbk")
    )
    names, figures = _import(db_path, capsys, roster, monthly)["files"]
    (sheet,) = names["sheets"]
    assert (sheet["sheet"], sheet["kind"], sheet["created"]) == ("名录", "roster", 2)
    assert sheet["unused_columns"] == ["备注"]
    (sheet,) = figures["sheets"]
    assert (sheet["kind"], sheet["header_row"], sheet["created"], sheet["skipped"]) == (
        "monthly", 2, 2, 1
    )  # fmt: skip
    assert sorted(m.output for m in _rows(db_path, MonthlyOutput)) == [3_000_000, 12_000_000]


@pytest.mark.parametrize(
    "total",
    [["总计", "", "", ""], ["", "总计", "", ""], ["", "", "全县总计", ""], ["总 计：", "", "", ""]],
)
def test_总计_rows_are_totals_in_any_column(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str], total: list[str]
) -> None:
    book = write_xlsx(tmp_path / "名录.xlsx", [("名录", [
        ["序号", "企业名称", "统一社会信用代码", "所属县（市、区）"],
        [1, "甲公司", code(1), "忻府区"], total,
    ])])  # fmt: skip
    (sheet,) = _import(db_path, capsys, book)["files"][0]["sheets"]
    assert (sheet["created"], sheet["skipped"], sheet["rejected"]) == (1, 1, [])


def test_the_command_line_reads_with_the_remembered_corrections_unless_told_not_to(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = ["企业名称", "统一社会信用代码", "所属县（市、区）"]
    rows = [[*head, "规模以上"], ["甲公司", code(1), "忻府区", "是"]]
    book = write_xlsx(tmp_path / "名录.xlsx", [("名录", rows)])
    ColumnMemory().remember(layout_key("roster", head), {"above_scale": "规模以上"})
    args = ["--db", str(db_path), "import", str(book), "--json", "--dry-run"]
    for extra, unused in (([], []), (["--no-memory"], ["规模以上"])):
        assert main([*args, *extra]) == 0
        (sheet,) = json.loads(capsys.readouterr().out)["files"][0]["sheets"]
        assert sheet["unused_columns"] == unused
    assert main(args[:-1]) == 0
    assert [e.above_scale for e in _rows(db_path, Enterprise)] == [True]
