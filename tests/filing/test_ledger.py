"""The ledger (台账): every result on its measure's sheet, every enterprise on the roster sheet."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from desktop.filing import write_ledger
from desktop.filing.ledger import LEGIBLE_PAGE_WIDTH
from desktop.rules.result import Verdict

from .conftest import MakeResult


@pytest.fixture
def results(make_result: MakeResult) -> list:
    """Two enterprises under 第十二条 and 第十一条, one of them with two tax years under 第五条."""
    return [
        make_result(1, amount="250000.00", expected=True),
        make_result(2, verdict=Verdict.INCOMPLETE),
        make_result(1, measure="11", period="2023", amount="36000.00"),
        make_result(2, measure="11", period="2023", verdict=Verdict.INELIGIBLE),
        make_result(1, measure="5", period="2021", amount="5000.00"),
        make_result(1, measure="5", period="2022", amount="7500.25"),
    ]


def sheets(path: Path) -> dict[str, list[list]]:
    workbook = CalamineWorkbook.from_path(str(path))
    return {n: workbook.get_sheet_by_name(n).to_python() for n in workbook.sheet_names}


def test_a_sheet_per_measure_with_verdicts_amounts_and_explanations(
    tmp_path: Path, results
) -> None:
    out = tmp_path / "ledger.xlsx"
    assert write_ledger(results, out) == []
    found = sheets(out)
    assert list(found) == ["企业总表", "第五条", "第十一条", "第十二条"]
    white = found["第十二条"]
    assert white[0][:8] == ["序号", "企业名称", "统一社会信用代码", "所属县（市、区）",
                            "期间", "结论", "金额（元）", "备注"]  # fmt: skip
    assert white[0][-1] == "说明"
    assert white[1][1:8] == ["测试企业001有限公司", "91140902MA0000001X", "忻府区", "2023-Q1",
                             "符合", 250000.0, "预计，待省级确认"]  # fmt: skip
    assert white[2][5:7] == ["资料不全", ""]
    assert white[1][-1] == "2023年1月同比增长51.00%\n市级配套为省级奖励的50%"
    assert [r[6] for r in found["第五条"][1:]] == [5000.0, 7500.25]


def test_roster_sheet_has_one_row_per_enterprise(tmp_path: Path, results) -> None:
    out = tmp_path / "ledger.xlsx"
    write_ledger(results, out)
    roster = sheets(out)["企业总表"]
    assert roster[0] == ["序号", "企业名称", "统一社会信用代码", "所属县（市、区）",
                         "第五条2021结论", "第五条2021金额（元）",
                         "第五条2022结论", "第五条2022金额（元）",
                         "第十一条结论", "第十一条金额（元）",
                         "第十二条结论", "第十二条金额（元）"]  # fmt: skip
    assert roster[1] == [1, "测试企业001有限公司", "91140902MA0000001X", "忻府区", "符合", 5000.0,
                         "符合", 7500.25, "符合", 36000.0, "符合", 250000.0]  # fmt: skip
    assert roster[2][4:] == ["", "", "", "", "不符合", "", "资料不全", ""]


def test_header_is_frozen_and_filtered(tmp_path: Path, results) -> None:
    out = tmp_path / "ledger.xlsx"
    write_ledger(results, out)
    workbook = openpyxl.load_workbook(out)
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "C2"
        assert (
            sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}"
            f"{sheet.max_row}"
        )
    assert workbook["第十二条"]["G2"].number_format == "#,##0.00"


def test_text_stays_text_and_changes_are_reported(tmp_path: Path, make_result: MakeResult) -> None:
    names = ("=1+1", "#REF!", "a\x1bb")
    results = [make_result(i, name=name) for i, name in enumerate(names, start=1)]
    out = tmp_path / "ledger.xlsx"
    warnings = write_ledger(results, out)
    assert [(w.sheet, w.row, w.column) for w in warnings] == [
        ("企业总表", 4, "企业名称"),
        ("第十二条", 4, "企业名称"),
    ]
    workbook = openpyxl.load_workbook(out)
    for sheet in workbook.worksheets:
        names = [sheet.cell(r, 2) for r in (2, 3, 4)]
        assert [c.value for c in names] == ["=1+1", "#REF!", "a\ufffdb"]
        assert {c.data_type for c in names} == {"s"}
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert [r[1] for r in sheets(out)["第十二条"][1:]] == ["=1+1", "#REF!", "a\ufffdb"]


def test_prints_legibly_on_a4_landscape(tmp_path: Path, results) -> None:
    """Grid lines, the header and the name and code on every page, headers that wrap; a
    measure's sheet as few pages wide as keep it legible (pages run down), the roster's pages
    across keep the name."""
    out = tmp_path / "ledger.xlsx"
    write_ledger(results, out)
    workbook = openpyxl.load_workbook(out)
    for sheet in workbook.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.print_options.gridLines
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.print_title_cols == "$B:$C"
        assert all(c.alignment.wrap_text for c in sheet[1])
        assert sheet.row_dimensions[1].height > 15  # room for the wrapped header lines
    for name in ("第五条", "第十一条", "第十二条"):
        sheet = workbook[name]
        width = sum(d.width for d in sheet.column_dimensions.values())
        pages = sheet.page_setup.fitToWidth
        assert sheet.page_setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
        # as few pages across as print it at 75% or more (A4 landscape: 145 units at 100%)
        assert pages == 1 or width / (pages - 1) > LEGIBLE_PAGE_WIDTH
        assert width / pages <= LEGIBLE_PAGE_WIDTH
    assert not workbook["企业总表"].sheet_properties.pageSetUpPr.fitToPage


def test_explanations_wrap_in_rows_tall_enough(tmp_path: Path, make_result: MakeResult) -> None:
    out = tmp_path / "ledger.xlsx"
    write_ledger([make_result(1), make_result(2, name="名" * 30)], out)
    sheet = openpyxl.load_workbook(out)["第十二条"]
    explanation = sheet.cell(2, sheet.max_column)
    assert explanation.alignment.wrap_text and sheet.cell(2, 2).alignment.wrap_text
    assert sheet.row_dimensions[2].height >= 2 * 14.5  # two explanation lines
    assert sheet.row_dimensions[3].height >= 3 * 14.5  # a name of 60 widths in a column of 26
    assert sheet.cell(2, 15).number_format == "#,##0.00"  # a fact of money, formatted
    assert sheet.cell(2, 17).number_format == "0.00%"


def test_each_result_carries_its_case(tmp_path: Path, results) -> None:
    """The lifecycle columns (CASES.md): after 备注, the result's case or blanks."""
    from datetime import date
    from decimal import Decimal

    from desktop.cases.listing import CaseLine
    from desktop.cases.states import State

    first = results[0]
    line = CaseLine(
        id=1, number="12-2023Q1-0001", measure="12", period="2023-Q1", uscc=first.uscc,
        name=first.name, county=first.county, level="市级", state=State.PAID,
        snapshot_verdict="eligible", snapshot_amount=Decimal("250000.00"),
        snapshot_expected=True, approved_amount=Decimal("240000.00"),
        publicity_start=date(2023, 6, 1), publicity_end=date(2023, 6, 8),
        paid_amount=Decimal("240000.00"), last_paid_on=date(2023, 7, 3), last_voucher="PZ-2",
    )  # fmt: skip
    out = tmp_path / "ledger.xlsx"
    assert write_ledger(results, out, {line.key: line}) == []
    white = sheets(out)["第十二条"]
    assert white[0][8:14] == ["兑现事项编号", "办理状态", "审核金额（元）", "已拨付金额（元）",
                              "最后拨付日期", "凭证号"]  # fmt: skip
    assert white[1][8:14] == ["12-2023Q1-0001", "已拨付", 240000.0, 240000.0, date(2023, 7, 3),
                              "PZ-2"]  # fmt: skip
    assert white[2][8:14] == ["", "", "", "", "", ""]  # no case opened for this result
    assert openpyxl.load_workbook(out)["第十二条"]["M2"].number_format == "yyyy-mm-dd"
    assert white[0][-1] == "说明"  # the facts and the explanation follow
