"""政策测算 as a table the officer works in: sort by any column (amounts as numbers), search,
all measures at once, amounts in 万元, open the enterprise (its splitters are remembered by the
window, tests/ui/test_remembering.py)."""

from __future__ import annotations

from decimal import Decimal

from pytestqt.qtbot import QtBot

from desktop.qt.core import Qt
from desktop.qt.widgets import QWidget
from desktop.rules.catalogue import CATALOGUE
from desktop.ui.background import running
from desktop.ui.enterprise_dialog import EnterpriseDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.policy_page import ALL_MEASURES, ALL_MEASURES_TOTAL, PolicyPage
from tests.ui.conftest import OFFICE_SCREEN, open_page, screenshot, when_modal

ALL = len(CATALOGUE)  # the 全部措施 tab, after the measures


def _evaluated(qtbot: QtBot, window: MainWindow) -> PolicyPage:
    page = open_page(window, "政策测算", PolicyPage)
    qtbot.keyClick(page, Qt.Key.Key_F9)
    assert page.op is not None and page.op.wait(30)
    qtbot.waitUntil(lambda: running() == 0)
    return page


def _click_header(qtbot: QtBot, page: PolicyPage, attr: str) -> None:
    header = page.table.horizontalHeader()
    column = [c.attr for c in page.lines.columns()].index(attr)
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    from desktop.qt.core import QPoint

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_all_measures_at_once_sorted_by_amount_as_numbers(qtbot: QtBot, window: MainWindow) -> None:
    page = _evaluated(qtbot, window)
    assert page.measures.tabText(ALL) == ALL_MEASURES
    page.measures.setCurrentIndex(ALL)
    assert page.lines.rowCount() == len(page.results)
    assert {line.clause for line in page.lines.rows()} == {m.clause for m in CATALOGUE.values()}
    _click_header(qtbot, page, "amount")
    amounts = [line.amount for line in page.lines.rows()]
    known = [a for a in amounts if a is not None]
    assert known == sorted(known) and Decimal("55000.00") in known  # 55,000 before 120,000
    assert amounts[len(known) :] == [None] * (len(amounts) - len(known))  # blanks last
    _click_header(qtbot, page, "amount")
    assert [line.amount for line in page.lines.rows()][: len(known)] == sorted(known, reverse=True)
    totals = {t.county: t for t in page.totals.rows()}
    whole = totals[ALL_MEASURES_TOTAL]
    assert whole.amount == sum(known, Decimal("0.00"))
    assert totals["第十二条 合计"].amount == Decimal("750000.00")
    assert page.parameter.count() == 0 and not page.what_if_button.isEnabled()
    page.measures.setCurrentIndex(list(CATALOGUE).index("12"))
    assert page.parameter.count() > 0 and page.what_if_button.isEnabled()


def test_search_names_codes_and_initials_and_says_when_nothing_is_found(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = _evaluated(qtbot, window)
    page.measures.setCurrentIndex(list(CATALOGUE).index("12"))
    qtbot.keyClicks(page.search, "dxdz")
    qtbot.waitUntil(lambda: page.lines.rowCount() == 1)
    assert page.lines.rows()[0].name == "示例·定襄锻造有限公司"
    page.search.clear()
    qtbot.keyClicks(page.search, "zzzz")
    qtbot.waitUntil(lambda: page.lines.rowCount() == 0)
    assert page.status.text().endswith("没有与「zzzz」相符的企业")


def test_amounts_in_wan(qtbot: QtBot, window: MainWindow) -> None:
    page = _evaluated(qtbot, window)
    page.measures.setCurrentIndex(list(CATALOGUE).index("12"))
    column = [c.attr for c in page.lines.columns()].index("amount")
    assert page.lines.headerData(column, Qt.Orientation.Horizontal) == "金额（元）"
    row = next(i for i, line in enumerate(page.lines.rows()) if line.amount)
    assert page.lines.index(row, column).data() == "500,000.00"
    page.in_wan.setChecked(True)
    assert page.lines.headerData(column, Qt.Orientation.Horizontal) == "金额（万元）"
    assert page.lines.index(row, column).data() == "50.00"
    total = page.totals.rows()[-1]
    assert total.amount == Decimal("750000.00")  # the value kept; only the view changes
    assert page.totals.index(page.totals.rowCount() - 1, 3).data() == "75.00"
    window.resize(*OFFICE_SCREEN)
    screenshot(window, "policy-wan")


def test_double_click_or_the_context_menu_opens_the_enterprise(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = _evaluated(qtbot, window)
    page.measures.setCurrentIndex(list(CATALOGUE).index("12"))
    seen: list[str] = []

    def look(dialog: QWidget) -> None:
        seen.append(dialog.windowTitle())
        dialog.reject()

    name = page.lines.rows()[0].name
    when_modal(look, EnterpriseDialog)
    index = page.lines.index(0, 0)
    rect = page.table.visualRect(index)
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seen == [f"企业信息 — {name}"]
    (action,) = page.table.actions()
    assert action.text() == "打开企业信息…"
    page.table.setCurrentIndex(page.lines.index(1, 0))
    when_modal(look, EnterpriseDialog)
    action.trigger()
    assert seen[1] == f"企业信息 — {page.lines.rows()[1].name}"
