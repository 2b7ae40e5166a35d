"""政策测算 and 申报导出 through their widgets, over the real rules on the sample county.

The figures are those ``relief-desk evaluate --measure 12`` prints for the sample: 2 eligible
(忻府新材料 500,000.00, expected; 原平装备制造 250,000.00), 1 incomplete, 11 ineligible.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop.changes import Changes
from desktop.qt.core import Qt
from desktop.qt.printsupport import QPrintPreviewDialog
from desktop.qt.widgets import QFileDialog, QFormLayout, QWidget
from desktop.roster.records import delete_enterprise
from desktop.rules.catalogue import CATALOGUE
from desktop.store import Database
from desktop.ui.background import running
from desktop.ui.calculators import CalculatorForm, CalculatorsDialog
from desktop.ui.export_page import ExportPage
from desktop.ui.main_window import MainWindow
from desktop.ui.policy_page import PolicyPage
from tests.ui.conftest import open_page, screenshot, when_modal

XINFU_MATERIALS = "91140902MA0XY0001F"  # eligible, 500,000.00 expected
YUANPING_EQUIPMENT = "91140981MA0XY00020"  # eligible, 250,000.00
XINFU_FOOD = "91140902MA0XY0004Q"  # incomplete: January 2022 missing
NINGWU = "91140925MA0XY00144"  # the sample's one enterprise of 宁武县


def _finish(qtbot: QtBot, page: PolicyPage | ExportPage) -> None:
    assert page.op is not None and page.op.wait(60)
    qtbot.waitUntil(lambda: running() == 0)


def _save_as(path: Path) -> None:
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(path))
        dialog.accept()

    when_modal(act, QFileDialog)


def _evaluated(qtbot: QtBot, window: MainWindow) -> PolicyPage:
    """The 政策测算 page after 测算 (F9), showing 第十二条."""
    page = open_page(window, "政策测算", PolicyPage)
    assert page.county.currentText() == "全部县（市、区）"
    qtbot.keyClick(page, Qt.Key.Key_F9)
    _finish(qtbot, page)
    page.measures.setCurrentIndex(list(CATALOGUE).index("12"))
    return page


def test_results_filters_explanation_totals(qtbot: QtBot, window: MainWindow) -> None:
    page = _evaluated(qtbot, window)
    assert page.lines.rowCount() == 14
    assert page.status.text() == "显示 14 条 / 本条措施共 14 条"
    page.verdict.setCurrentIndex(page.verdict.findText("符合"))
    eligible = page.lines.rows()
    assert [(line.uscc, line.amount, line.expected) for line in eligible] == [
        (XINFU_MATERIALS, Decimal("500000.00"), "是"),
        (YUANPING_EQUIPMENT, Decimal("250000.00"), ""),
    ]
    page.table.setCurrentIndex(page.lines.index(1, 0))
    reasons = page.reasons.toPlainText()
    assert "第十二条：符合，金额 250,000.00 元" in reasons
    assert "增长50.00%，达到50%档" in reasons and "市级按50%配套25.00万元" in reasons
    assert "白名单企业\t是" in reasons or "白名单企业\n是" in reasons  # the schema's label
    assert "True" not in reasons and "False" not in reasons
    page.verdict.setCurrentIndex(page.verdict.findText("资料不全"))
    assert [line.uscc for line in page.lines.rows()] == [XINFU_FOOD]
    page.county.setCurrentIndex(page.county.findText("原平市"))
    assert page.lines.rowCount() == 0
    page.verdict.setCurrentIndex(page.verdict.findText("不符合"))
    assert page.lines.rowCount() == 2
    totals = {t.county: (t.eligible, t.incomplete, t.amount) for t in page.totals.rows()}
    assert totals["忻府区"] == (1, 1, Decimal("500000.00"))
    assert totals["原平市"] == (1, 0, Decimal("250000.00"))
    assert totals["合计"] == (2, 1, Decimal("750000.00"))
    assert list(totals)[-1] == "合计"
    screenshot(window, "policy")


def test_what_if_shows_totals_before_and_after(qtbot: QtBot, window: MainWindow) -> None:
    page = _evaluated(qtbot, window)
    page.parameter.setCurrentIndex(page.parameter.findData("12.city_match_ratio"))
    assert page.parameter.currentText() == "市级配套比例（现为 50%）"
    assert page.value.placeholderText() == "现为 50%，应为数字，如 60% 或 0.6"
    qtbot.keyClicks(page.value, "60%")
    qtbot.mouseClick(page.what_if_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, page)
    lines = {c.county: c for c in page.comparison.rows()}
    total = lines["合计"]
    assert (total.before_eligible, total.after_eligible) == (2, 2)
    assert (total.before_amount, total.after_amount) == (Decimal("750000.00"), Decimal("900000.00"))
    assert total.change == Decimal("150000.00")
    assert page.what_if_total.text() == (
        "市级配套比例 50% → 60%：符合 2 → 2 家，金额 750,000.00 → 900,000.00 元（+150,000.00）"
    )
    assert (lines["原平市"].before_amount, lines["原平市"].after_amount) == (
        Decimal("250000.00"),
        Decimal("300000.00"),
    )
    screenshot(window, "policy-what-if")


def test_what_if_offers_the_measures_parameters_and_refuses_a_bad_value(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = _evaluated(qtbot, window)
    keys = [page.parameter.itemData(i) for i in range(page.parameter.count())]
    assert "12.city_match_ratio" in keys and all(k.startswith("12.") for k in keys)
    shown = [page.parameter.itemText(i) for i in range(page.parameter.count())]
    assert not any("12." in text or "比率" in text for text in shown)  # labels, not keys
    assert "省级低档奖励金额（现为 50万元）" in shown
    page.parameter.setCurrentIndex(keys.index("12.city_match_ratio"))
    qtbot.keyClicks(page.value, "0.6x")
    op = page.op
    qtbot.mouseClick(page.what_if_button, Qt.MouseButton.LeftButton)
    # said at the field, at once; no dialog, nothing run
    assert (
        page.value_problem.text()
        == "「市级配套比例」的值「0.6x」无法识别（应为数字，如 60% 或 0.6）"
    )
    assert page.op is op and running() == 0
    assert page.comparison.rowCount() == 0
    qtbot.keyClick(page.value, Qt.Key.Key_Backspace)
    assert page.value_problem.text() == ""


@pytest.mark.parametrize(
    ("key", "text", "words"),
    [("12.window_start", "2023-06",
      "「增幅考核截止月份」（2023-03）早于「增幅考核起始月份」（2023-06）"),
     ("12.low_tier_award", "-50000", "「省级低档奖励金额」的值「-50000」超出范围：不能为负数")],
)  # fmt: skip
def test_what_if_refuses_a_window_run_backwards_or_a_negative_award(
    qtbot: QtBot, window: MainWindow, key: str, text: str, words: str
) -> None:
    page = _evaluated(qtbot, window)
    page.parameter.setCurrentIndex(page.parameter.findData(key))
    qtbot.keyClicks(page.value, text)
    op = page.op
    qtbot.mouseClick(page.what_if_button, Qt.MouseButton.LeftButton)
    assert page.value_problem.text() == words
    assert page.op is op and running() == 0


def test_what_if_takes_money_in_wan(qtbot: QtBot, window: MainWindow) -> None:
    page = _evaluated(qtbot, window)
    page.measures.setCurrentIndex(list(CATALOGUE).index("5"))
    page.parameter.setCurrentIndex(page.parameter.findData("5.taxable_income_limit"))
    assert page.parameter.currentText() == "小型微利企业应纳税所得额上限（现为 300万元）"
    page.value.setText("1万")  # typed as an officer would (keyClicks sends ASCII only)
    qtbot.mouseClick(page.what_if_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, page)
    assert page.value_problem.text() == ""
    assert page.what_if_total.text().startswith("小型微利企业应纳税所得额上限 300万元 → 1万元：")
    total = page.comparison.rows()[-1]
    assert total.county == "合计" and total.after_eligible < total.before_eligible


def test_policy_models(qtmodeltester: ModelTester, qtbot: QtBot, window: MainWindow) -> None:
    page = _evaluated(qtbot, window)
    page.table.setCurrentIndex(page.lines.index(0, 0))
    for model in (page.lines, page.totals, page.comparison):
        assert model.rowCount() or model is page.comparison
        qtmodeltester.check(model)


def test_export_filing_sheet_and_forms(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    page = open_page(window, "申报导出", ExportPage)
    screenshot(window, "export")
    page.measure.setCurrentIndex(page.measure.findData("12"))
    sheet = tmp_path / "filing.xlsx"
    _save_as(sheet)
    qtbot.mouseClick(page.filing_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, page)
    assert page.files.said.text() == (
        f"已导出 2 条，合计 750,000.00 元；资料不全 1 家未列入：{sheet}\n"
        "其中 2 家是示例数据（虚构企业），文件中已标明，不得上报；可在「设置」中删除示例数据"
    )  # the sample county's two are said to be samples (issue 17)
    book = load_workbook(sheet, read_only=True)
    try:
        cells = {str(c) for row in book.active.iter_rows(values_only=True) for c in row}
    finally:
        book.close()
    assert {XINFU_MATERIALS, YUANPING_EQUIPMENT} <= cells and XINFU_FOOD not in cells
    pdf = tmp_path / "forms.pdf"
    _save_as(pdf)
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, page)  # choosing the forms, then painting them
    qtbot.waitUntil(lambda: page.op is not None and page.op.is_done())
    _finish(qtbot, page)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert page.files.said.text() == (
        f"已存为 PDF：{pdf}（2 页）\n"
        "其中 2 家是示例数据（虚构企业），不得上报；可在「设置」中删除示例数据"
    )  # the sample county's forms are said to be samples (issue 17)


def test_export_the_city_or_one_unit(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """全市 and each unit of the roster in the city's order; 全市 writes the sheet with a 小计
    per unit, a unit's ledger lists only it; a unit leaving the roster leaves the choice."""
    page = open_page(window, "申报导出", ExportPage)
    units = ["忻府区", "定襄县", "五台县", "代县", "繁峙县", "宁武县", "原平市"]  # 140902 … 140981
    choice = [page.county.itemText(i) for i in range(page.county.count())]
    assert choice == ["全市（全部县、市、区）", *units]
    page.measure.setCurrentIndex(page.measure.findData("12"))
    sheet = tmp_path / "city.xlsx"
    _save_as(sheet)
    qtbot.mouseClick(page.filing_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, page)
    rows = list(load_workbook(sheet).active.values)
    totals = [(r[0], r[1], r[3]) for r in rows if r[0] in ("小计", "合计")]
    assert totals == [("小计", "1户", "忻府区"), ("小计", "1户", "原平市"), ("合计", "2户", None)]
    page.county.setCurrentIndex(page.county.findData("原平市"))
    ledger = tmp_path / "ledger.xlsx"
    _save_as(ledger)
    qtbot.mouseClick(page.ledger_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, page)
    roster = load_workbook(ledger)["企业总表"]
    assert {r[3] for r in roster.iter_rows(min_row=2, values_only=True)} == {"原平市"}
    delete_enterprise(window.db, NINGWU)  # 宁武县's only enterprise
    page.on_changes(Changes.ENTERPRISES)
    assert page.county.count() == len(units) and page.county.findText("宁武县") == -1
    assert page.county.currentData() == "原平市"  # the choice kept


def test_print_preview_of_the_selected_enterprise(qtbot: QtBot, window: MainWindow) -> None:
    roster = window.roster
    row = next(r for r in range(roster.model.rowCount())
               if roster.model.uscc_at(r) == YUANPING_EQUIPMENT)  # fmt: skip
    roster.table.setCurrentIndex(roster.model.index(row, 0))
    page = open_page(window, "申报导出", ExportPage)
    page.measure.setCurrentIndex(page.measure.findData("12"))
    qtbot.mouseClick(page.pick_button, Qt.MouseButton.LeftButton)
    assert page.codes.text() == YUANPING_EQUIPMENT
    shown: list[int] = []

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, QPrintPreviewDialog)
        screenshot(dialog, "print-preview")
        shown.append(1)
        dialog.reject()

    when_modal(look, QPrintPreviewDialog)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, page)
    qtbot.waitUntil(lambda: shown == [1], timeout=10000)
    assert page.files.said.text() == (
        "申请表 1 份\n其中 1 家是示例数据（虚构企业），不得上报；可在「设置」中删除示例数据"
    )  # a sample enterprise's form is said to be one (issue 17)


def test_calculator_forms_in_chinese(qtbot: QtBot, sample_db: Database) -> None:
    page = PolicyPage(sample_db)
    qtbot.addWidget(page)
    seen: list[str] = []

    def use(dialog: QWidget) -> None:
        assert isinstance(dialog, CalculatorsDialog)
        titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
        assert all(not title.isascii() for title in titles), titles
        forms = [dialog.tabs.widget(i) for i in range(dialog.tabs.count())]
        for form in forms:
            assert isinstance(form, CalculatorForm)
            assert all(not label.isascii() for label in _labels(form))
        dialog.tabs.setCurrentIndex(titles.index("第九条 担保费率减半"))
        form = dialog.tabs.currentWidget()
        qtbot.keyClicks(form.fields["principal"], "1,000,000")
        qtbot.keyClicks(form.fields["rate"], "0.015")
        qtbot.keyClicks(form.fields["date"], "2023-03-01")
        qtbot.mouseClick(form.button, Qt.MouseButton.LeftButton)
        seen.append(form.answer.text())
        form.fields["date"].clear()
        qtbot.keyClicks(form.fields["date"], "2023-02-30")
        qtbot.mouseClick(form.button, Qt.MouseButton.LeftButton)
        seen.append(form.answer.text())
        screenshot(dialog, "calculators")
        dialog.reject()

    when_modal(use, CalculatorsDialog)
    qtbot.mouseClick(page.calculators_button, Qt.MouseButton.LeftButton)
    assert seen[0] == (
        "金额：7,500.00 元\n"
        "担保金额1,000,000.00元×标准费率0.015×0.50（减半）＝担保费7,500.00元（原15,000.00元）。"
        "依据：第九条"
    )
    assert seen[1] == "无法计算：业务发生日期「2023-02-30」：日期不存在"


def _labels(form: CalculatorForm) -> list[str]:
    layout = form.layout()
    assert isinstance(layout, QFormLayout)
    return [
        layout.itemAt(row, QFormLayout.ItemRole.LabelRole).widget().text()
        for row in range(layout.rowCount())
        if layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
    ]
