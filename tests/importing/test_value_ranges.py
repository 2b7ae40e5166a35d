"""Hostile values in real workbooks: each is a row-level refusal naming the value and the
allowed range, the other rows are written, nothing raises."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from desktop.importing import import_files
from desktop.store import Database
from tests.importing.conftest import code
from tests.importing.test_choices import workbook

YEARS = "年份应在1990到2100之间"


def _roster(db: Database, tmp_path: Path) -> None:
    rows = [["企业名称", "统一社会信用代码", "所属县（市、区）"], ["甲公司", code(1), "忻府区"]]
    path = workbook(tmp_path / "名录.xlsx", {"企业名录": rows})
    assert import_files(db, [path]).files[0].sheets[0].created == 1


def _refused(db: Database, path: Path) -> tuple[int, list[tuple[int, str, str, str]]]:
    """How many rows were created, and each refusal as (row, column, value, message)."""
    (found,) = import_files(db, [path]).files
    assert found.error is None
    (sheet,) = found.sheets
    return sheet.created, [
        (r.row, reason.column, reason.value, reason.message)
        for r in sheet.rejected_rows
        for reason in r.reasons
    ]


def test_counts_beyond_a_billion_are_refused(db: Database, tmp_path: Path) -> None:
    _roster(db, tmp_path)
    path = workbook(tmp_path / "年度.xlsx", {"年度数据": [
        ["统一社会信用代码", "年度", "从业人数"],
        [code(1), 2021, 1e30], [code(1), 2022, "1e19"], [code(1), 2023, 120]]})  # fmt: skip
    too_many = "数值过大（应为0到10亿之间的整数）"
    assert _refused(db, path) == (1, [(2, "从业人数", "1e+30", too_many),
                                      (3, "从业人数", "1e19", too_many)])  # fmt: skip


def test_an_absurd_lease_area_is_refused(db: Database, tmp_path: Path) -> None:
    _roster(db, tmp_path)
    path = workbook(tmp_path / "租赁.xlsx", {"厂房租赁": [
        ["统一社会信用代码", "开发区", "标准化厂房", "面积（平方米）", "月租金（元）", "起租日期",
         "到期日期"],
        [code(1), "甲园区", "是", "1e30", 1000, date(2023, 1, 1), date(2024, 1, 1)]]})  # fmt: skip
    assert _refused(db, path) == (
        0,
        [(2, "面积（平方米）", "1e30", "面积过大（应小于1亿平方米），请检查数值和单位")],
    )


def test_months_as_date_cells_and_as_text_share_one_range(db: Database, tmp_path: Path) -> None:
    _roster(db, tmp_path)
    path = workbook(tmp_path / "月度.xlsx", {"月度产值": [
        ["统一社会信用代码", "年月", "工业总产值（万元）"],
        [code(1), date(1899, 12, 31), 5], [code(1), date(9999, 12, 1), 5], [code(1), "9999-12", 5],
        [code(1), date(2023, 1, 1), 5]]})  # fmt: skip
    assert _refused(db, path) == (1, [(2, "年月", "1899-12-31", YEARS),
                                      (3, "年月", "9999-12-01", YEARS),
                                      (4, "年月", "9999-12", YEARS)])  # fmt: skip


def test_misgrouped_thousands_are_refused_not_run_together(db: Database, tmp_path: Path) -> None:
    _roster(db, tmp_path)
    path = workbook(tmp_path / "月度.xlsx", {"月度产值": [
        ["统一社会信用代码", "年月", "工业总产值（元）"],
        [code(1), "2023-01", "1,2,3"], [code(1), "2023-02", "1,234,567"]]})  # fmt: skip
    assert _refused(db, path) == (
        1,
        [(2, "工业总产值（元）", "1,2,3", "千分位分隔不正确（应每三位一组，如 1,234,567）")],
    )
