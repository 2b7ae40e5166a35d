"""The rejected-rows workbook: where each row came from, why, and its cells to fix."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from desktop.importing import ImportReport, write_rejects_report
from desktop.importing.importer import Importer
from desktop.importing.report import FileReport
from desktop.sheets.parsed import CellProblem, ParsedRow, SheetKind
from desktop.store import Database
from tests.importing.conftest import code, parsed_file, roster_row, sheet

K = SheetKind


def test_every_rejected_row_with_reason_and_cells(db: Database, tmp_path: Path) -> None:
    roster = sheet(K.roster, [roster_row(1, name='=HYPERLINK("x")', county="外县")])
    monthly = sheet(K.monthly, [])
    monthly.columns = {"uscc": "统一社会信用代码", "month": "年月", "output": "产值（万元）"}
    problems = [
        CellProblem(7, "产值（万元）", "abc", "不是数字"),
        CellProblem(7, "年月", "13月", "月份无效"),
    ]
    monthly.rows = [
        ParsedRow(7, {"uscc": code(1), "year": None, "month": None, "output": None}, problems),
        ParsedRow(8, {"uscc": code(1), "year": 2023, "month": 1, "output": Decimal("12.5")}),
    ]
    report = ImportReport([Importer(db).import_parsed(parsed_file(roster, monthly))])
    report.files.append(FileReport(Path("坏.xlsx"), error="文件「坏.xlsx」不是电子表格"))
    out = write_rejects_report(report, tmp_path / "问题行.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["企业名录", "月度产值", "未导入的文件"]
    header, row = wb["企业名录"].iter_rows(values_only=True)
    assert header[:6] == ("文件", "工作表", "行号", "列", "值", "问题")
    assert header[6:9] == ("企业名称", "统一社会信用代码", "所属县（市、区）")
    assert row[:6] == (
        "名录.xlsx",
        "企业名录",
        2,
        "所属县（市、区）",
        "外县",
        "不是忻州市的县级单位",
    )
    assert row[6:9] == ('=HYPERLINK("x")', code(1), "外县")
    assert wb["企业名录"]["G2"].data_type == "s"  # text, never a formula
    rows = list(wb["月度产值"].iter_rows(values_only=True))
    assert rows[0][6:] == ("统一社会信用代码", "年月", "工业总产值（元）")
    assert rows[1][2:6] == (7, "产值（万元）；年月", "abc；13月", "不是数字；月份无效")
    assert rows[1][6:] == (code(1), "13月", "abc")  # unread cells keep their text
    assert rows[2][2] == 8 and rows[2][6:] == (code(1), "2023-01", 12.5)
    assert list(wb["未导入的文件"].iter_rows(values_only=True))[1] == (
        "坏.xlsx", "文件「坏.xlsx」不是电子表格",
    )  # fmt: skip


def test_nothing_rejected_still_gives_a_workbook(tmp_path: Path) -> None:
    out = write_rejects_report(ImportReport(), tmp_path / "r.xlsx")
    assert load_workbook(out).sheetnames == ["未导入的文件"]


def test_columns_are_wide_enough_for_codes_names_and_reasons(db: Database, tmp_path: Path) -> None:
    long_name = "忻州市某某新能源装备制造有限公司"  # 16 CJK characters: 32 widths
    roster = sheet(K.roster, [roster_row(1, name=long_name, county="外县")])
    report = ImportReport([Importer(db).import_parsed(parsed_file(roster))])
    wb = load_workbook(write_rejects_report(report, tmp_path / "问题行.xlsx"))
    widths = {c: wb["企业名录"].column_dimensions[c].width for c in "ABCDEFGH"}
    assert widths["H"] >= 18 + 1  # the credit code, 18 characters, never shown as ####
    assert widths["G"] >= 32  # the name
    assert widths["F"] >= 2 * len("不是忻州市的县级单位")  # the reason
    assert widths["C"] < 12  # a row number stays narrow
