"""The task force's sheet kinds (TEMPLATE.md "Added sheet kinds") and 企业规模: recognised by their
header (never the sheet's name), read through the safe reader, every cell typed or refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from desktop.sheets import read_workbook
from desktop.sheets.parsed import SheetKind
from desktop.sheets.raw import RawSheet
from desktop.sheets.recognize import NotRecognised, recognise
from desktop.sheets.rows import parse_sheet
from desktop.sheets.template import write_template
from tests.sheets.conftest import code

K = SheetKind
C1 = code(1)


def _raw(rows: list[list[Any]], name: str = "Sheet1") -> RawSheet:
    width = max(len(r) for r in rows)
    return RawSheet(name, 1, 0, [r + [""] * (width - len(r)) for r in rows])


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (["统一社会信用代码", "包联领导", "服务小组", "服务专员", "联系电话"], K.assignments),
        (["统一代码", "包联县领导"], K.assignments),  # one of 领导 / 小组 / 专员 is enough
        (["统一社会信用代码", "走访日期", "走访人员", "走访事由", "宣讲政策", "反映问题", "备注"],
         K.visits),
        (["信用代码", "入企日期", "走访人"], K.visits),
        (["统一社会信用代码", "反映日期", "问题来源", "问题类别", "问题描述", "主办单位",
          "协办单位", "办理时限", "办理状态", "办理结果"], K.problems),
        (["统一社会信用代码", "登记日期", "问题类型", "问题内容", "责任单位", "完成时限"],
         K.problems),
        (["统一社会信用代码", "期间", "生产状态", "产值（万元）", "用电量（千瓦时）", "在岗人数"],
         K.monitoring),
        (["统一社会信用代码", "报告期", "复工状态"], K.monitoring),
    ],
)  # fmt: skip
def test_each_kind_by_its_header(header: list[str], kind: SheetKind) -> None:
    assert recognise(_raw([header], name="企业名录")).kind is kind  # the name says nothing


def test_a_code_column_alone_is_no_assignment_sheet() -> None:
    with pytest.raises(NotRecognised):
        recognise(_raw([["统一社会信用代码", "联系电话"], [C1, "1"]]))


def test_the_roster_reads_enterprise_size() -> None:
    header = ["企业名称", "统一社会信用代码", "所属县（市、区）", "企业规模", "包联领导"]
    layout = recognise(_raw([header]))
    assert layout.kind is K.roster and "size" in layout.columns
    assert layout.ignored == ["包联领导"]  # a roster naming a leader is still a roster


def test_messy_files_of_every_kind_read_through_the_safe_reader(
    xlsx: Callable[..., Path],
) -> None:
    cases: list[tuple[list[list[Any]], SheetKind, dict[str, Any]]] = [
        ([["2023年包联企业名单"], [],
          ["序号", "社会信用代码", "包联县领导", "入企服务小组", "企业服务专员", "电话"],
          [1, C1, " 王县长 ", "第一小组", "赵专员", 13800000001]],
         K.assignments,
         {"uscc": C1, "leader": "王县长", "team": "第一小组", "commissioner": "赵专员",
          "phone": "13800000001"}),
        ([["走访记录表（第一季度）"],
          ["统一社会信用代码*", "走访日期*", "走访人员*", "反映问题"],
          [C1, datetime(2023, 3, 10), "赵专员, 钱专员", "缺电"]],
         K.visits,
         {"uscc": C1, "visited_on": date(2023, 3, 10), "people": "赵专员、钱专员",
          "problem": "缺电"}),
        ([["问题清单"],
          ["统一社会信用代码", "反映日期", "问题来源", "问题类别", "问题描述", "主办单位",
           "办理时限", "办理状态"],
          [C1, "2023年3月1日", "１２３４５", "融资", "贷款难", "县金融办", "2023/3/31",
           "申请延期"]],
         K.problems,
         {"uscc": C1, "raised_on": date(2023, 3, 1), "source": "12345", "category": "融资",
          "description": "贷款难", "lead_unit": "县金融办", "deadline": date(2023, 3, 31),
          "state": "申请延期"}),
        ([["运行监测周报"], ["单位：万元"],
          ["统一社会信用代码", "期间", "生产状态", "产值", "用电量（万千瓦时）", "在岗人数（人）"],
          [C1, "2023年第5周", "达产达效", "1,250.5", 1.5, "120人"]],
         K.monitoring,
         {"uscc": C1, "period": "2023-W05", "status": "达产达效", "output": Decimal("12505000.00"),
          "electricity": Decimal("15000.00"), "employees": 120}),
    ]  # fmt: skip
    for rows, kind, values in cases:
        (found,) = read_workbook(xlsx(rows, sheet="Sheet1")).sheets
        assert found.kind is kind
        (row,) = found.rows
        assert (row.values, list(row.problems)) == (values, [])


@pytest.mark.parametrize(
    ("written", "code_or_problem"),
    [
        ("2023-03", "2023-03"), ("2023年3月", "2023-03"), (datetime(2023, 3, 1), "2023-03"),
        ("2023-W05", "2023-W05"), ("2023年第5周", "2023-W05"), ("2023-w5", "2023-W05"),
        ("2023-Q1", "无法识别的期间"), ("2023-W53", "2023年只有第1到第52周"),
        ("2023-13", "月份应在1到12之间"),
    ],
)  # fmt: skip
def test_monitoring_periods_by_the_one_parser(written: Any, code_or_problem: str) -> None:
    raw = _raw([["统一社会信用代码", "期间", "生产状态"], [C1, written, "停产"]])

    (row,) = parse_sheet(raw, recognise(raw)).rows
    if row.problems:
        assert row.problems[0].message.startswith(code_or_problem)
        assert row.values["period"] is None
    else:
        assert row.values["period"] == code_or_problem


def test_refused_cells_name_the_allowed_words_and_dates_run_forwards() -> None:
    raw = _raw([
        ["统一社会信用代码", "反映日期", "问题类别", "问题描述", "主办单位", "办理时限",
         "办理状态"],
        [C1, "2023-03-10", "税务", "甲", "县税务局", "2023-03-31", "待交办"],
        [C1, "2023-03-10", "用工", "乙", "县人社局", "2023-03-09", "处理中"],
    ])  # fmt: skip
    first, second = parse_sheet(raw, recognise(raw)).rows
    assert [(p.column, p.message) for p in first.problems] == [
        ("问题类别", "应为：用工、资金、融资、能源、物流、审批、市场、其他"),
    ]  # fmt: skip
    assert [(p.column, p.value, p.message) for p in second.problems] == [
        ("办理状态", "处理中", "应为：待交办、办理中、申请延期、已办结、已回访、已销号"),
        ("办理时限", "2023-03-09", "办理时限早于反映日期"),
    ]  # fmt: skip


def test_the_template_has_the_four_sheets_and_enterprise_size(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    write_template(out)
    workbook = load_workbook(out)
    names = workbook.sheetnames  # the four together, in this order (拨付明细 comes after them)
    first = names.index("包联企业")
    assert names[first : first + 4] == ["包联企业", "走访记录", "问题清单", "运行监测"]
    assert "企业规模" in [c.value for c in workbook["企业名录"][1]]
    assert [c.value for c in workbook["运行监测"][1]] == [
        "统一社会信用代码*", "期间*", "生产状态*", "产值（万元）", "用电量（千瓦时）", "在岗人数",
    ]  # fmt: skip
    for title in ("包联企业", "走访记录", "问题清单", "运行监测"):
        assert workbook[title].max_row == 2  # the header and one example row
    notes = " ".join(str(c.value) for c in workbook["说明"]["A"])
    assert "2023年第5周" in notes and "待交办" in notes
