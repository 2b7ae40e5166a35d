"""Data rows: the template's example row is skipped and counted, real rows never are; rows of
formulas without a cached value are reported, not skipped or lost."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from desktop.sheets import read_workbook
from desktop.sheets.parsed import SheetKind
from desktop.sheets.raw import Limits, RawSheet
from desktop.sheets.recognize import recognise
from desktop.sheets.rows import parse_sheet
from desktop.sheets.template import EXAMPLE_USCC, EXAMPLE_ZONE, write_template
from desktop.sheets.xlsxscan import MISSING_CACHE
from tests.sheets.conftest import code

SAMPLE_ZONE = "（示例）忻州工业园区"  # a zone of the bundled sample county, not the template's


def parsed(rows: list[list[Any]]) -> tuple[list[dict[str, Any]], int]:
    """The values of each data row and the number of rows skipped."""
    raw = RawSheet("表", 1, 0, rows)
    sheet = parse_sheet(raw, recognise(raw))
    return [r.values for r in sheet.rows], sheet.skipped


def test_a_filled_in_template_reads_its_real_rows_only(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    write_template(out)
    workbook = load_workbook(out)
    workbook["企业名录"].append([2, "忻州甲机械有限公司", code(1), "忻府区", EXAMPLE_ZONE])
    workbook["月度产值"].append([code(1), "2023-02", 10])
    workbook.save(out)
    by_kind = {s.kind: s for s in read_workbook(out).sheets}
    for kind in (SheetKind.roster, SheetKind.monthly):
        sheet = by_kind[kind]
        assert ([r.row for r in sheet.rows], sheet.skipped) == ([3], 1)
        assert [(s.row, s.reason) for s in sheet.skipped_rows] == [(2, "模板示例行")]
        assert sheet.rows[0].values["uscc"] == code(1)
        assert list(sheet.rows[0].problems) == []


def test_the_example_code_is_recognised_however_written() -> None:
    rows, skipped = parsed([
        ["统一社会信用代码", "年月", "工业总产值（万元）"],
        [f" {EXAMPLE_USCC.lower()} ", "2023-01", 1],
        [code(1), "2023-01", 2],
        [EXAMPLE_USCC, "不是年月", ""],
    ])  # fmt: skip
    assert ([r["uscc"] for r in rows], skipped) == ([code(1)], 2)


def test_the_example_zone_is_recognised_with_half_width_brackets() -> None:
    rows, skipped = parsed([
        ["开发区名称", "级别", "类型"],
        ["(示例) 忻州某工业园区", "省级", "工业类"],
        ["忻州经济开发区", "国家级", "工业类"],
    ])  # fmt: skip
    assert ([r["name"] for r in rows], skipped) == (["忻州经济开发区"], 1)
    assert EXAMPLE_ZONE == "（示例）忻州某工业园区"


def test_real_rows_marked_as_examples_are_not_skipped() -> None:
    rows, skipped = parsed([
        ["企业名称", "统一社会信用代码", "所属县（市、区）", "所在开发区"],
        ["（示例）忻州某机械制造有限公司", code(1), "忻府区", EXAMPLE_ZONE],
        ["示例·定襄锻造有限公司", code(2), "定襄县", SAMPLE_ZONE],
    ])  # fmt: skip
    assert ([r["uscc"] for r in rows], skipped) == ([code(1), code(2)], 0)
    rows, skipped = parsed([["开发区名称", "级别", "类型"], [SAMPLE_ZONE, "省级", "工业类"]])
    assert ([r["name"] for r in rows], skipped) == ([SAMPLE_ZONE], 0)


def test_rows_of_formulas_without_values_are_reported(xlsx: Callable[..., Path]) -> None:
    """openpyxl writes formulas without a cached value; calamine reads them as blank and leaves
    out a row (here the last) that holds nothing else."""
    path = xlsx([
        ["统一社会信用代码", "年月", "工业总产值（万元）"],
        [code(1), "2023-01", 10],
        ["=A2", "=B2", "=C2"],
        [code(2), "=B2", 30],
        ["合计", "", "=SUM(C2:C4)"],
        ["=A2", "=B2", "=C2"],
    ])  # fmt: skip
    sheet = read_workbook(path).sheets[0]
    assert ([r.row for r in sheet.rows], sheet.skipped) == ([2, 3, 4, 6], 1)
    assert {(r.row, p.column, p.message) for r in sheet.rows for p in r.problems} == {
        (3, "统一社会信用代码", MISSING_CACHE), (3, "年月", MISSING_CACHE),
        (3, "工业总产值（万元）", MISSING_CACHE), (4, "年月", MISSING_CACHE),
        (6, "统一社会信用代码", MISSING_CACHE), (6, "年月", MISSING_CACHE),
        (6, "工业总产值（万元）", MISSING_CACHE),
    }  # fmt: skip


def test_a_formula_beyond_the_row_limit_is_left_alone(xlsx: Callable[..., Path]) -> None:
    rows: list[list[Any]] = [["开发区名称", "级别", "类型"], ["甲园区", "省级", "工业类"]]
    path = xlsx([*rows, *[[""]] * 97, ["=A2"]])  # row 100
    limits = Limits(max_rows=99)
    sheet = read_workbook(path, limits=limits).sheets[0]
    assert ([r.row for r in sheet.rows], sheet.skipped) == ([2], 0)
    assert [r.row for r in read_workbook(path).sheets[0].rows] == [2, 100]
