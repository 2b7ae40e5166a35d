"""政策测算 and 申报导出 through their widgets, over a stand-in rules engine (agreed interface)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QFormLayout, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop.store import Database
from desktop.ui.background import running
from desktop.ui.calculators import CalculatorForm, CalculatorsDialog
from desktop.ui.export_page import ExportPage
from desktop.ui.main_window import MainWindow
from desktop.ui.policy_page import PolicyPage
from tests.ui import fake_rules
from tests.ui.conftest import OFFICE_SCREEN, open_page, screenshot, when_modal


@pytest.fixture
def rules_window(
    qtbot: QtBot, sample_db: Database, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    # the page is under test, not the rules: the same stand-in before and after they land
    monkeypatch.setitem(sys.modules, "desktop.rules.evaluate", fake_rules.module())
    win = MainWindow(sample_db)
    qtbot.addWidget(win)
    win.resize(*OFFICE_SCREEN)
    win.show()
    yield win
    win.close()
    assert QThreadPool.globalInstance().waitForDone(5000)


def _finish(qtbot: QtBot, page: PolicyPage | ExportPage) -> None:
    assert page.op is not None and page.op.wait(60)
    qtbot.waitUntil(lambda: running() == 0)


def _save_as(path: Path) -> None:
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(path))
        dialog.accept()

    when_modal(act, QFileDialog)


def test_results_filters_explanation_totals(qtbot: QtBot, rules_window: MainWindow) -> None:
    page = open_page(rules_window, "政策测算", PolicyPage)
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, page)
    page.measures.setCurrentIndex(list(fake_rules_measures()).index("12"))
    assert page.lines.rowCount() == 14
    page.verdict.setCurrentIndex(page.verdict.findText("符合"))
    eligible = page.lines.rows()
    assert eligible and all(line.verdict == "符合" for line in eligible)
    page.table.setCurrentIndex(page.lines.index(0, 0))
    assert "第十二条：符合" in page.reasons.toPlainText()
    assert "同比增长50.00%" in page.reasons.toPlainText()
    overall = page.totals.rows()[-1]
    assert overall.county == "合计" and overall.eligible == len(eligible)
    assert overall.amount == 250000 * len(eligible)
    screenshot(rules_window, "policy")
    qtbot.keyClicks(page.parameter, "12.city_match_ratio")
    qtbot.keyClicks(page.value, "0.6")
    qtbot.mouseClick(page.what_if_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, page)
    total = page.comparison.rows()[-1]
    assert (total.before_amount, total.after_amount) == (overall.amount, 300000 * len(eligible))
    assert total.change == 50000 * len(eligible)


def fake_rules_measures() -> list[str]:
    from desktop.filing.measures import MEASURES

    return list(MEASURES)


def test_policy_models(qtmodeltester: ModelTester, qtbot: QtBot, rules_window: MainWindow) -> None:
    page = open_page(rules_window, "政策测算", PolicyPage)
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, page)
    page.measures.setCurrentIndex(fake_rules_measures().index("12"))
    for model in (page.lines, page.totals, page.comparison):
        qtmodeltester.check(model)


def test_export_filing_sheet_and_forms(
    qtbot: QtBot, rules_window: MainWindow, tmp_path: Path
) -> None:
    rules_window.show_page("申报导出")
    page = rules_window.pages["申报导出"]
    assert isinstance(page, ExportPage)
    screenshot(rules_window, "export")
    page.measure.setCurrentIndex(page.measure.findData("12"))
    sheet = tmp_path / "filing.xlsx"
    _save_as(sheet)
    qtbot.mouseClick(page.filing_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, page)
    assert sheet.is_file() and page.result.text().startswith("已导出")
    pdf = tmp_path / "forms.pdf"
    _save_as(pdf)
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, page)  # evaluating, then painting
    qtbot.waitUntil(lambda: page.op is not None and page.op.is_done())
    _finish(qtbot, page)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "已存为 PDF" in page.result.text()


def test_print_preview_of_the_selected_enterprise(qtbot: QtBot, rules_window: MainWindow) -> None:
    roster = rules_window.roster
    row = next(r for r in range(roster.model.rowCount())
               if roster.model.texts(r)[6] == "是")  # on the white list  # fmt: skip
    roster.table.setCurrentIndex(roster.model.index(row, 0))
    rules_window.show_page("申报导出")
    page = rules_window.pages["申报导出"]
    assert isinstance(page, ExportPage)
    page.measure.setCurrentIndex(page.measure.findData("12"))
    qtbot.mouseClick(page.pick_button, Qt.MouseButton.LeftButton)
    assert page.codes.text() == roster.model.uscc_at(row)
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
    assert page.result.text() == "申请表 1 份"


def test_calculator_forms_built_from_calculators(
    qtbot: QtBot, sample_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "desktop.rules.evaluate", fake_rules.module())
    monkeypatch.setitem(sys.modules, "desktop.rules.calculators", fake_rules.calculators_module())
    page = PolicyPage(sample_db)
    qtbot.addWidget(page)
    seen: list[str] = []

    def use(dialog: QWidget) -> None:
        assert isinstance(dialog, CalculatorsDialog)
        form = dialog.tabs.widget(0)
        assert isinstance(form, CalculatorForm)
        qtbot.keyClicks(form.fields["principal"], "1,000,000")
        qtbot.keyClicks(form.fields["standard_rate"], "0.015")
        qtbot.mouseClick(form.button, Qt.MouseButton.LeftButton)
        seen.append(form.answer.text())
        qtbot.keyClicks(form.fields["start"], "2023-02-30")
        qtbot.mouseClick(form.button, Qt.MouseButton.LeftButton)
        seen.append(form.answer.text())
        screenshot(dialog, "calculators")
        dialog.reject()

    when_modal(use, CalculatorsDialog)
    qtbot.mouseClick(page.calculators_button, Qt.MouseButton.LeftButton)
    assert seen[0] == "金额：7,500.00 元\n担保费 = 1000000 × 0.015 × 50% = 7500.00 元"
    assert seen[1].startswith("无法计算：start：「2023-02-30」不是日期")


def test_real_calculator_forms_speak_chinese(qtbot: QtBot) -> None:
    from desktop.rules.calculators import CALCULATORS

    for calculator in CALCULATORS.values():
        form = CalculatorForm(calculator)
        qtbot.addWidget(form)
        layout = form.layout()
        labels = [
            layout.itemAt(row, QFormLayout.ItemRole.LabelRole).widget().text()
            for row in range(layout.rowCount())
            if layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
        ]
        assert labels == [calculator.labels[name] for name in form.fields]
        assert all(not label.isascii() for label in labels)
