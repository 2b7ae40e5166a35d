"""The officer's choice of kind and header row, as read_workbook applies it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.sheets import SheetChoice, read_workbook
from desktop.sheets.parsed import SheetKind
from tests.sheets.conftest import code

# An earlier roster-like row (a copied-in old header) misleads recognition.
MISLEADING = [
    ["企业名称", "统一社会信用代码", "所属县"],
    ["旧表头，下面才是数据", "", ""],
    ["单位名称", "社会信用代码", "县区"],
    ["甲公司", code(1), "忻府"],
]


def test_forced_header_row_is_the_only_one_tried(xlsx: Callable[..., Path]) -> None:
    path = xlsx(MISLEADING, sheet="名录")
    assert read_workbook(path).sheets[0].header_row == 1
    sheet = read_workbook(path, choices={"名录": SheetChoice(None, 3)}).sheets[0]
    assert (sheet.kind, sheet.header_row) == (SheetKind.roster, 3)
    assert sheet.columns["name"] == "单位名称"
    assert [r.values["name"] for r in sheet.rows] == ["甲公司"]


def test_forced_kind_is_the_only_one_matched(xlsx: Callable[..., Path]) -> None:
    rows = [
        ["企业名称", "统一社会信用代码", "所属县", "所在开发区"],
        ["甲公司", code(1), "忻府", "甲园区"],
    ]
    path = xlsx(rows, sheet="表")
    assert read_workbook(path).sheets[0].kind is not SheetKind.zones
    forced = read_workbook(path, choices={"表": SheetChoice("roster", None)}).sheets[0]
    assert forced.kind is SheetKind.roster
    other = read_workbook(path, choices={"其他表": SheetChoice("leases", 1)}).sheets[0]
    assert other.kind == read_workbook(path).sheets[0].kind  # a choice for another sheet


def test_a_choice_that_does_not_fit_gives_the_reason(xlsx: Callable[..., Path]) -> None:
    path = xlsx(MISLEADING, sheet="名录")
    wrong_row = read_workbook(path, choices={"名录": SheetChoice(None, 4)}).sheets[0]
    assert wrong_row.kind is None
    assert wrong_row.message is not None
    assert "工作表「名录」" in wrong_row.message and "第4行" in wrong_row.message
    wrong_kind = read_workbook(path, choices={"名录": SheetChoice("monthly", 3)}).sheets[0]
    assert wrong_kind.kind is None and wrong_kind.message is not None
    assert "工作表「名录」" in wrong_kind.message and "缺少列" in wrong_kind.message
    assert "月度" in wrong_kind.message or "产值" in wrong_kind.message
    beyond = read_workbook(path, choices={"名录": SheetChoice(None, 99)}).sheets[0]
    assert beyond.kind is None and beyond.message == "工作表「名录」指定的表头行第99行不在表中"
