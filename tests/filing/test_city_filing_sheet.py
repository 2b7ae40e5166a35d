"""The city's filing sheet (TEAM.md, the city's view): the rows of each county-level unit closed
by its 小计, the units in the city's order, 合计 over them all; one unit's sheet as before."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from desktop.filing import write_filing_sheet
from desktop.filing.cells import MONEY_FORMAT
from desktop.filing.filing_sheet import HEADER_ROW
from desktop.rules.result import Result, Verdict

from .conftest import MakeResult

CITY_UNITS = ("忻府区", "定襄县", "五台县", "原平市")  # GB/T 2260 order: 140902 … 140981
AMOUNT = 9  # 配套奖励（元）, the 9th column of 第十二条's sheet
# (serial, county, amount): interleaved, three units eligible with 3, 1 and 2 enterprises
ELIGIBLE = (
    (1, "原平市", "100000.01"),
    (2, "忻府区", "250000.00"),
    (3, "定襄县", "250000.50"),
    (4, "忻府区", "500000.00"),
    (5, "原平市", "400000.00"),
    (7, "忻府区", "125000.35"),
)
# Worked by hand: 忻府区 250000.00 + 500000.00 + 125000.35 = 875000.35; 定襄县 250000.50;
# 原平市 100000.01 + 400000.00 = 500000.01; 合计 875000.35 + 250000.50 + 500000.01 = 1625000.86.
# 五台县 has enterprises but none eligible: no group. 序号 runs on through the units.
CITY_TABLE = [
    (1, "测试企业002有限公司", "忻府区", "250000.00"),
    (2, "测试企业004有限公司", "忻府区", "500000.00"),
    (3, "测试企业007有限公司", "忻府区", "125000.35"),
    ("小计", "3户", "忻府区", "875000.35"),
    (4, "测试企业003有限公司", "定襄县", "250000.50"),
    ("小计", "1户", "定襄县", "250000.50"),
    (5, "测试企业001有限公司", "原平市", "100000.01"),
    (6, "测试企业005有限公司", "原平市", "400000.00"),
    ("小计", "2户", "原平市", "500000.01"),
    ("合计", "6户", None, "1625000.86"),
]


@pytest.fixture
def city(make_result: MakeResult) -> list[Result]:
    """Eight enterprises of four units; 定襄县 and 五台县 each with one not eligible."""
    eligible = [make_result(s, county=c, amount=a) for s, c, a in ELIGIBLE]
    others = [
        make_result(6, county="定襄县", verdict=Verdict.INELIGIBLE),
        make_result(8, county="五台县", verdict=Verdict.INCOMPLETE),
    ]
    return sorted(eligible + others, key=lambda r: r.uscc)


def write(
    tmp_path: Path, results: list[Result], measure: str = "12", county: str | None = None
) -> openpyxl.Workbook:
    out = tmp_path / "city.xlsx"
    write_filing_sheet(
        results, out, measure=measure, filing_unit="忻州市工业和信息化局", on=date(2023, 4, 10),
        county=county, units=CITY_UNITS,
    )  # fmt: skip
    return openpyxl.load_workbook(out)


def table(sheet) -> list[tuple]:  # type: ignore[no-untyped-def]
    """(序号, 企业名称, 所属县, amount as text) from the header down to 合计."""
    found = []
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        amount = None if row[AMOUNT - 1] is None else f"{Decimal(str(row[AMOUNT - 1])):.2f}"
        found.append((row[0], row[1], row[3], amount))
        if row[0] == "合计":
            return found
    raise AssertionError("no 合计 row")


def test_units_in_the_city_order_each_with_its_subtotal(tmp_path: Path, city) -> None:
    sheet = write(tmp_path, city).active
    assert table(sheet) == CITY_TABLE
    for row in range(HEADER_ROW + 1, HEADER_ROW + len(CITY_TABLE) + 1):
        if sheet.cell(row, 1).value in ("小计", "合计"):
            assert sheet.cell(row, 1).font.b and sheet.cell(row, AMOUNT).font.b
            assert sheet.cell(row, AMOUNT).number_format == MONEY_FORMAT
            amounts = [sheet.cell(row, c).value for c in range(5, AMOUNT)]
            assert amounts == [None] * 4  # the facts are not summed


def test_each_subtotal_and_the_total_sum_the_rows(tmp_path: Path, city) -> None:
    rows = table(write(tmp_path, city).active)
    group: list[Decimal] = []
    subtotals: list[Decimal] = []
    for number, _, _, amount in rows:
        if number == "小计":
            assert Decimal(amount) == sum(group)
            subtotals.append(Decimal(amount))
            group = []
        elif number == "合计":
            assert Decimal(amount) == sum(subtotals)
        else:
            group.append(Decimal(amount))


def test_one_county_has_one_total_and_no_subtotal(tmp_path: Path, city) -> None:
    assert table(write(tmp_path, city, county="忻府区").active) == [
        *CITY_TABLE[:3],
        ("合计", "3户", None, "875000.35"),
    ]


def test_a_roster_of_one_unit_has_one_total(tmp_path: Path, make_result: MakeResult) -> None:
    results = [make_result(1, amount="0.01"), make_result(2, verdict=Verdict.INELIGIBLE)]
    assert table(write(tmp_path, results).active) == [
        (1, "测试企业001有限公司", "忻府区", "0.01"),
        ("合计", "1户", None, "0.01"),
    ]


def test_the_city_sheet_of_one_eligible_unit_still_says_it(
    tmp_path: Path, make_result: MakeResult
) -> None:
    """Two units decided, one with eligible enterprises: its 小计, then the 合计."""
    results = [make_result(1, amount="0.01"), make_result(2, county="原平市", amount=None,
                                                          verdict=Verdict.INELIGIBLE)]  # fmt: skip
    assert table(write(tmp_path, results).active) == [
        (1, "测试企业001有限公司", "忻府区", "0.01"),
        ("小计", "1户", "忻府区", "0.01"),
        ("合计", "1户", None, "0.01"),
    ]


def test_nothing_eligible_in_the_city_is_a_nil_return(
    tmp_path: Path, make_result: MakeResult
) -> None:
    results = [make_result(1, verdict=Verdict.INELIGIBLE),
               make_result(2, county="原平市", verdict=Verdict.INCOMPLETE)]  # fmt: skip
    assert table(write(tmp_path, results).active) == [("合计", "0户", None, "0.00")]


def test_a_unit_the_order_does_not_know_comes_last(tmp_path: Path, make_result: MakeResult) -> None:
    results = [make_result(1, county="忻州经济开发区", amount="1.00"),
               make_result(2, county="原平市", amount="2.00")]  # fmt: skip
    counties = [r[2] for r in table(write(tmp_path, results).active)]
    assert counties == ["原平市", "原平市", "忻州经济开发区", "忻州经济开发区", None]


def test_a_subtotal_counts_enterprises_not_tax_years(
    tmp_path: Path, make_result: MakeResult
) -> None:
    """第五条: one enterprise of 定襄县 with two tax years is 1户 (2条) in its 小计."""
    results = [
        make_result(1, measure="5", period="2021", amount="1000.10", county="定襄县"),
        make_result(1, measure="5", period="2022", amount="2000.20", county="定襄县"),
        make_result(2, measure="5", period="2022", amount="3000.30"),
    ]
    sheet = write(tmp_path, results, measure="5").active
    households = [
        (sheet.cell(r, 1).value, sheet.cell(r, 2).value, sheet.cell(r, 4).value)
        for r in range(HEADER_ROW + 1, HEADER_ROW + 7)
        if isinstance(sheet.cell(r, 1).value, str)
    ]
    assert households == [("小计", "1户", "忻府区"), ("小计", "1户（2条）", "定襄县"),
                          ("合计", "2户（3条）", None)]  # fmt: skip
