"""Header rows, sheet kinds and column maps, worked on raw cells (no files, no child process)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from desktop.sheets.choice import SheetChoice
from desktop.sheets.parsed import SheetKind
from desktop.sheets.raw import RawSheet
from desktop.sheets.recognize import NotRecognised, normalise_header, recognise
from desktop.sheets.rows import parse_sheet
from tests.sheets.conftest import code


def sheet(rows: list[list[Any]], **extra: Any) -> RawSheet:
    width = max(len(r) for r in rows)
    return RawSheet("表", 1, 0, [r + [""] * (width - len(r)) for r in rows], **extra)


@pytest.mark.parametrize(
    ("raw", "key", "unit"),
    [("工业总产值（万元）*", "工业总产值", "万元"), ("产值(亿元)", "产值", "亿元"),
     ("月租金【元】", "月租金", "元"), ("企业（单位）名称", "企业(单位)名称", None),
     ("工业 总产值\n（单位：万元）", "工业总产值", "万元"),
     ("所属县（市、区）", "所属县(市、区)", None), ("租金（万元/月）", "租金", "万元")],
)  # fmt: skip
def test_header_normalisation(raw: str, key: str, unit: str | None) -> None:
    header = normalise_header(raw)
    assert (header.key, header.unit) == (key, unit)


def test_title_and_note_rows_above_a_synonym_header() -> None:
    raw = sheet([
        ["2023年忻州市规上工业企业名录"],
        ["填报单位：忻府区工信局", "", "", "单位：万元"],
        ["序号", "单位名称", "社会信用代码", "县区", "是否规上企业"],
        [1, "甲公司", code(1), "忻府", "√"],
    ])  # fmt: skip
    layout = recognise(raw)
    assert layout.kind is SheetKind.roster
    assert layout.header_index == 2
    assert {n: c.header for n, c in layout.columns.items()} == {
        "name": "单位名称", "uscc": "社会信用代码", "county": "县区", "above_scale": "是否规上企业",
    }  # fmt: skip
    parsed = parse_sheet(raw, layout)
    assert parsed.header_row == 3
    assert parsed.rows[0].values == {
        "name": "甲公司", "uscc": code(1), "county": "忻府区", "above_scale": True,
    }  # fmt: skip


def test_two_row_merged_header_is_joined() -> None:
    raw = sheet(
        [
            ["企业名称", "统一社会信用代码", "2023年", "", ""],
            ["", "", "1月", "2月", "3月产值（亿元）"],
            ["甲公司", code(1), 10, "", 0.5],
        ],
        merged=[((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (0, 4))],
    )
    layout = recognise(raw)
    assert (layout.kind, layout.header_rows, layout.data_index) == (SheetKind.monthly, 2, 2)
    rows = parse_sheet(raw, layout).rows
    assert [(r.values["month"], r.values["output"]) for r in rows] == [
        (1, 100000), (3, 50000000),  # 万元 by default; 亿元 where the header says so
    ]  # fmt: skip
    assert all(r.row == 3 and r.values["year"] == 2023 for r in rows)


def test_two_row_header_without_merge_information() -> None:
    """.ods and .csv carry no merges: a group header spans the blank cells to its right."""
    raw = sheet([
        ["统一社会信用代码", "2022年", "", "2023年", ""],
        ["", "1月", "2月", "1月", "2月"],
        [code(1), 1, 2, 3, 4],
    ])  # fmt: skip
    rows = parse_sheet(raw, recognise(raw)).rows
    assert [(r.values["year"], r.values["month"]) for r in rows] == [
        (2022, 1), (2022, 2), (2023, 1), (2023, 2),
    ]  # fmt: skip


def test_year_as_a_number_above_month_headers() -> None:
    raw = sheet([["统一社会信用代码", 2023, ""], ["", "11月", "12月"], [code(1), 1, 2]])
    rows = parse_sheet(raw, recognise(raw)).rows
    assert [(r.values["year"], r.values["month"]) for r in rows] == [(2023, 11), (2023, 12)]


def test_wide_monthly_with_date_headers_and_per_column_units() -> None:
    raw = sheet([
        ["信用代码", date(2023, 1, 1), "2023年2月产值（元）", "2023年1-2月累计"],
        [code(1), 1.5, 30000, 99],
    ])  # fmt: skip
    parsed = parse_sheet(raw, recognise(raw))
    assert [r.values["output"] for r in parsed.rows] == [15000, 30000]
    assert parsed.message == "未使用的列：2023年1-2月累计"


def test_kind_comes_from_columns_not_the_sheet_name() -> None:
    raw = RawSheet("企业名录", 1, 0, [["统一社会信用代码", "年度", "从业人数"], [code(1), 2022, 5]])
    assert recognise(raw).kind is SheetKind.annual


def test_figures_sheet_repeating_name_and_county_is_not_a_roster() -> None:
    raw = sheet(
        [
            ["企业名称", "统一社会信用代码", "县区", "年月", "工业总产值"],
            ["甲", code(1), "代县", "2023-01", 1],
        ]
    )
    assert recognise(raw).kind is SheetKind.monthly


@pytest.mark.parametrize(
    ("header", "kind"),
    [(["统一社会信用代码", "开发区", "标准化厂房", "租金", "起租日期", "到期日期"],
      SheetKind.leases),
     (["开发区名称", "级别", "类型"], SheetKind.zones),
     (["企业（单位）名称", "统一代码", "县（市、区）"], SheetKind.roster)],
)  # fmt: skip
def test_each_kind_by_its_synonyms(header: list[str], kind: SheetKind) -> None:
    assert recognise(sheet([header])).kind is kind


def test_a_sheet_matching_nothing_is_reported_not_guessed() -> None:
    with pytest.raises(NotRecognised, match="没有可识别的表头"):
        recognise(sheet([["姓名", "电话"], ["张三", "123"]]))
    with pytest.raises(NotRecognised, match=r"最接近「月度产值」.*「年月」"):
        recognise(sheet([["统一社会信用代码", "工业总产值"], [code(1), 1]]))


def test_overrides_force_the_column_map() -> None:
    raw = sheet([["代码", "期间", "数值"], [code(1), "2023-02", 5]])
    with pytest.raises(NotRecognised):
        recognise(raw)
    with pytest.raises(NotRecognised, match="未知的字段：code"):
        recognise(raw, {"code": "代码"})
    with pytest.raises(NotRecognised, match="找不到"):
        recognise(raw, {"uscc": "编码"})
    overrides = {"uscc": "代码", "month": "期间", "output": "数值"}
    parsed = parse_sheet(raw, recognise(raw, overrides))
    assert parsed.kind is SheetKind.monthly
    assert parsed.rows[0].values == {"uscc": code(1), "year": 2023, "month": 2, "output": 50000}


def test_sheet_unit_note_applies_to_money_columns_without_a_unit() -> None:
    raw = sheet([["单位：元"], ["统一社会信用代码", "年度", "工业总产值", "资产总额（万元）"],
                 [code(1), 2022, 1234, 2]])  # fmt: skip
    values = parse_sheet(raw, recognise(raw)).rows[0].values
    assert (values["output"], values["total_assets"]) == (1234, 20000)


def test_totals_blank_and_note_rows_are_skipped_and_counted() -> None:
    raw = sheet([
        ["序号", "统一社会信用代码", "年月", "工业总产值（万元）"],
        [1, code(1), "2023-01", "1,000"],
        [2, "", "", ""],
        ["", "", "", ""],
        ["合计", "", "", 1000],
        ["注：本表数据来源于统计局"],
        ["填表人：张三", "联系电话：123"],
        ["序号", "统一社会信用代码", "年月", "工业总产值（万元）"],
        [3, "9114", "2023-13", "abc"],
    ])  # fmt: skip
    parsed = parse_sheet(raw, recognise(raw))
    assert parsed.skipped == 6
    assert [(s.row, s.reason) for s in parsed.skipped_rows] == [
        (3, "空行"), (4, "空行"), (5, "合计行"), (6, "说明行"), (7, "说明行"), (8, "重复的表头行"),
    ]  # fmt: skip
    assert [r.row for r in parsed.rows] == [2, 9]
    bad = parsed.rows[1]
    assert [(p.column, p.value, p.message) for p in bad.problems] == [
        ("统一社会信用代码", "9114", "长度应为18位（实为4位）"),
        ("年月", "2023-13", "月份应在1到12之间"),
        ("工业总产值（万元）", "abc", "应为金额，如 1234.5 或 12.5万元"),
    ]
    assert bad.values == {"uscc": None, "year": None, "month": None, "output": None}


def test_blank_cells_absent_columns_and_required_ones() -> None:
    raw = sheet([["企业名称", "统一社会信用代码", "县区", "白名单企业", "链主作用认定"],
                 ["甲", code(1), "", "", ""]])  # fmt: skip
    row = parse_sheet(raw, recognise(raw)).rows[0]
    assert row.values == {"name": "甲", "uscc": code(1), "county": None, "white_list": False,
                          "chain_role_confirmed": None}  # fmt: skip
    assert [(p.column, p.message) for p in row.problems] == [("县区", "必填，不能为空")]


def test_unreadable_cells_are_problems_not_blanks() -> None:
    raw = sheet([["统一社会信用代码", "年度", "工业总产值"], [code(1), 2022, ""]],
                bad_cells={(1, 2): "公式没有计算结果"})  # fmt: skip
    row = parse_sheet(raw, recognise(raw)).rows[0]
    assert row.values["output"] is None
    assert [(p.column, p.value, p.message) for p in row.problems] == [
        ("工业总产值", "", "公式没有计算结果")
    ]


def test_lease_dates_must_run_forwards() -> None:
    raw = sheet([["统一社会信用代码", "开发区", "标准化厂房", "月租金", "起租日期", "到期日期"],
                 [code(1), "某园区", "是", "8,000", "2024-01-01", "2023-12-31"]])  # fmt: skip
    row = parse_sheet(raw, recognise(raw)).rows[0]
    assert row.values["monthly_rent"] == 8000
    assert [p.message for p in row.problems] == ["到期日期早于起租日期"]


def test_cells_merged_down_belong_to_every_row_they_span() -> None:
    raw = sheet(
        [["县区", "企业名称", "统一社会信用代码"], ["代县", "甲", code(1)], ["", "乙", code(2)],
         ["", "丙", code(3)], ["繁峙", "丁", code(4)]],
        merged=[((1, 0), (3, 0))],
    )  # fmt: skip
    rows = parse_sheet(raw, recognise(raw)).rows
    assert [r.values["county"] for r in rows] == ["代县", "代县", "代县", "繁峙县"]


def test_a_column_of_float_amounts_with_an_absurd_one() -> None:
    raw = sheet([["统一社会信用代码", "年月", "工业总产值（亿元）"],
                 [code(1), "2023-01", 1.25], [code(1), "2023-02", 1e300]])  # fmt: skip
    rows = parse_sheet(raw, recognise(raw)).rows
    assert rows[0].values["output"] == Decimal("125000000.00")
    assert rows[1].values["output"] is None
    assert [p.message for p in rows[1].problems] == [
        "金额过大（应小于1000万亿元），请检查数值和单位"
    ]


LEASE = ["统一社会信用代码", "开发区", "标准化厂房", "面积（平方米）", "月租金（元）", "起租日期"]


def test_dates_under_a_header_are_data_not_month_columns() -> None:
    """The row below a header is a second header row only under a group header: the dates
    of a lease row under 起租日期 and an unknown end-date header are not months."""
    row = [code(1), "某园区", "是", 500, 8000, date(2023, 1, 1), date(2025, 12, 31)]
    raw = sheet([[*LEASE, "租约届满"], row])
    with pytest.raises(NotRecognised, match=r"最接近「厂房租赁」，但缺少列「到期日期」"):
        recognise(raw)


def test_a_kind_read_within_a_stronger_one_is_not_taken() -> None:
    """A lease sheet lacking a column is not a 开发区 sheet for its 开发区 column, nor is a
    roster lacking its county."""
    with pytest.raises(NotRecognised, match="最接近「厂房租赁」"):
        recognise(sheet([LEASE, [code(1), "某园区", "是", 500, 8000, "2023-01-01"]]))
    with pytest.raises(NotRecognised, match=r"最接近「企业名录」.*所属县"):
        recognise(
            sheet([["企业名称", "统一社会信用代码", "所在开发区"], ["甲", code(1), "某园区"]])
        )
    chosen = recognise(sheet([LEASE]), choice=SheetChoice("zones"))  # unless the officer says so
    assert chosen.kind is SheetKind.zones


@pytest.mark.parametrize(
    ("name", "county"),
    [("忻府", "忻府区"), ("原平市", "原平市"), (" 代县 ", "代县"), ("五台山", "五台山风景名胜区")],
)
def test_a_roster_without_a_county_column_takes_its_sheet_s_county(name: str, county: str) -> None:
    raw = RawSheet(name, 1, 0, [["单位名称", "统一社会信用代码"], ["甲", code(1)]])
    layout = recognise(raw)
    assert (layout.kind, layout.sheet_county) == (SheetKind.roster, county)
    parsed = parse_sheet(raw, layout)
    assert (parsed.county_from_sheet, parsed.rows[0].values["county"]) == (county, county)


@pytest.mark.parametrize("name", ["忻府区名录", "Sheet1", "山西"])
def test_a_sheet_not_named_exactly_after_a_county_gives_none(name: str) -> None:
    with pytest.raises(NotRecognised, match="所属县"):
        recognise(RawSheet(name, 1, 0, [["单位名称", "统一社会信用代码"], ["甲", code(1)]]))


@pytest.mark.parametrize(
    ("header", "field"),
    [("资产总计", "total_assets"), ("年末资产总计", "total_assets"),
     ("从业人员期末人数", "employees"), ("所属年度", "year"),
     ("从事国家限制或禁止行业", "restricted_industry"),
     ("是否属于国家限制或禁止行业", "restricted_industry")],
)  # fmt: skip
def test_bureau_and_tax_headers_name_their_fields(header: str, field: str) -> None:
    layout = recognise(sheet([["统一社会信用代码", "年度" if field != "year" else "从业人数",
                               header, "营业收入"]]))  # fmt: skip
    assert layout.kind is SheetKind.annual
    assert layout.columns[field].header == header
    assert layout.ignored == ["营业收入"]


def test_a_column_of_data_without_a_header_is_named_by_its_letter() -> None:
    raw = RawSheet("表", 1, 1, [["企业名称", "统一社会信用代码", "所属县", "", ""],
                                ["甲", code(1), "代县", "", "限制类"]])  # fmt: skip
    assert recognise(raw).ignored == ["F列（无表头）"]
