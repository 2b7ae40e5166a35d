"""The menu bar over the existing actions, 帮助 (guide on F1, shortcuts, 关于), the navigation's
tooltips and one product name everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop import APP_NAME_ZH, PRODUCT_NAME, __version__
from desktop.qt.core import QPoint, Qt
from desktop.qt.gui import QPainter, QPixmap
from desktop.qt.widgets import QLabel, QTableWidget, QTextBrowser, QWidget
from desktop.sheets.fields import TEMPLATE_TITLE
from desktop.ui.main_window import MainWindow
from desktop.ui.menus import MENUS
from tests.ui.conftest import OFFICE_SCREEN, SCREENSHOTS, screenshot

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.one_engine  # menus, help, names: the database a backdrop


def _texts(window: MainWindow, menu: str) -> list[str]:
    return [a.text() for a in window.menus.menus[menu].actions() if not a.isSeparator()]


def _over_window(window: MainWindow, dialog: QWidget, name: str) -> None:
    """``dialog`` drawn over the window, as the officer sees it at 1366×768."""
    shot: QPixmap = window.grab()
    assert (shot.width(), shot.height()) == OFFICE_SCREEN
    painter = QPainter(shot)
    at = QPoint((shot.width() - dialog.width()) // 2, (shot.height() - dialog.height()) // 2)
    painter.drawPixmap(at, dialog.grab())
    painter.end()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert shot.save(str(SCREENSHOTS / f"{name}.png"))


def test_the_menu_bar_holds_the_existing_actions(window: MainWindow) -> None:
    assert [a.text() for a in window.menuBar().actions()] == list(MENUS)
    assert _texts(window, "文件") == ["导入表格…", "最近导入的文件", "导入数据包…", "导出数据包…",
                                      "工作台", "设置", "退出"]  # fmt: skip
    assert _texts(window, "数据") == ["企业名录", "数据导入", "包联服务", "运行监测", "操作记录",
                                      "冲突处理", "载入示例数据", "删除示例数据…",
                                      "刷新"]  # fmt: skip
    assert _texts(window, "测算") == ["政策测算", "兑现管理", "测算\tF9"]
    forms = ["申请表打印预览…", "打印申请表…", "申请表存为 PDF…"]
    taskforce = ["生成通报文件…", "督办单存为 PDF…"]
    assert _texts(window, "输出") == [
        "申报导出",
        "导出申报汇总表…",
        "导出台账…",
        *forms,
        *taskforce,
    ]
    assert _texts(window, "帮助") == ["使用指南", "快捷键", "关于"]
    settings = next(a for a in window.menus.menus["文件"].actions() if a.text() == "设置")
    assert settings is window.page_actions["设置"]  # the Ctrl+N action itself, not a twin
    settings.trigger()
    assert window.stack.currentWidget() is window.pages["设置"]


def test_f1_opens_the_guide_once(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.menus.help["使用指南"]
    assert guide.isVisible()
    browser = guide.body
    assert isinstance(browser, QTextBrowser)
    text = browser.toPlainText()
    for step in ("一、导入数据", "二、测算", "三、导出申报汇总表和台账", "四、打印申请表"):
        assert step in text
    assert "relief-desk sample remove" in text
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert [w for w in window.findChildren(type(guide)) if w.isVisible()] == [guide]
    _over_window(window, guide, "help-guide")
    guide.close()


def test_shortcuts_list_the_window_s_keys(window: MainWindow) -> None:
    dialog = window.menus.show_help("快捷键")
    table = dialog.body
    assert isinstance(table, QTableWidget)
    rows = {(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())}
    settings_keys = window.page_actions["设置"].shortcut().toString()
    wanted = {("工作台", "Ctrl+1"), ("企业名录", "Ctrl+2"), ("设置", settings_keys), ("刷新", "F5"),
              ("使用指南", "F1"), ("导入表格…", "Ctrl+O"), ("新增企业", "Ctrl+N"),
              ("政策测算：测算", "F9"), ("企业信息：保存", "Ctrl+S"),
              ("冲突处理", "Ctrl+-")}  # fmt: skip
    assert wanted <= rows, wanted - rows
    _over_window(window, dialog, "help-shortcuts")
    dialog.close()


def test_about_names_the_version_and_the_policy_document(window: MainWindow) -> None:
    dialog = window.menus.show_help("关于")
    label = dialog.body
    assert isinstance(label, QLabel)
    text = re.sub("<[^>]+>", " ", label.text())
    assert PRODUCT_NAME in text and f"版本 {__version__}" in text
    assert "《忻州市支持工业企业加快复工复产达产达效十八条措施》（忻政办发〔2022〕86号）" in text
    _over_window(window, dialog, "help-about")
    screenshot(dialog, "help-about-dialog")
    dialog.close()


def test_navigation_tooltips_say_what_each_page_is_for(window: MainWindow) -> None:
    tips = {
        window.nav.item(i).text(): window.nav.item(i).toolTip() for i in range(window.nav.count())
    }
    assert tips["企业名录"].startswith("企业名录（Ctrl+2）：本县工业企业名录")
    keys = window.page_actions["设置"].shortcut().toString()
    assert tips["设置"].startswith(f"设置（{keys}）：") and "删除示例数据" in tips["设置"]
    assert all("）：" in tip for tip in tips.values()), tips  # every page says what it is for


def test_one_product_name_everywhere(window: MainWindow) -> None:
    assert window.windowTitle() == PRODUCT_NAME == "Relief Desk · 惠企政策兑现台"
    assert (ROOT / "README.md").read_text("utf-8").splitlines()[0] == f"# {PRODUCT_NAME}"
    assert TEMPLATE_TITLE.startswith(APP_NAME_ZH)
    old = re.compile("纾困政策兑现|兑现工具|政策兑现工具")
    sources = [*ROOT.glob("desktop/**/*.py"), *ROOT.glob("resources/**/*.md"), ROOT / "README.md"]
    assert [str(p) for p in sources if old.search(p.read_text("utf-8"))] == []
