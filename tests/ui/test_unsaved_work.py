"""Work not saved is never lost silently: the enterprise dialog (Esc, 取消, the close box) and
the settings page (leaving it, closing the window) ask first; and the sample county's removal
from the window."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.qt.core import Qt
from desktop.qt.widgets import QWidget
from desktop.roster.records import EnterpriseRecord, load_record
from desktop.store.settings import get_setting
from desktop.ui.enterprise_dialog import EditorChoices, EnterpriseDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.roster_page import RosterPage
from desktop.ui.settings_page import SettingsPage
from tests.ui.conftest import click_box, open_page, when_modal

CODE = "91140902MA0XY0001F"


def _dialog(qtbot: QtBot, committed: list[EnterpriseRecord | None]) -> EnterpriseDialog:
    choices = EditorChoices(counties=["忻府区"], zones=["园区甲"])
    dialog = EnterpriseDialog(
        choices, EnterpriseRecord(CODE, "甲有限公司", "忻府区"), committed.append
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_escape_without_changes_closes_at_once(qtbot: QtBot) -> None:
    committed: list[EnterpriseRecord | None] = []
    dialog = _dialog(qtbot, committed)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # no question: it would wait here for an answer
    assert not dialog.isVisible() and committed == []


def test_escape_and_close_with_changes_ask_to_save_drop_or_stay(qtbot: QtBot) -> None:
    committed: list[EnterpriseRecord | None] = []
    dialog = _dialog(qtbot, committed)
    dialog.name.setText("甲有限公司（改）")
    asked: list[str] = []
    click_box("取消", asked)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == ["企业信息已修改但尚未保存。"]
    assert dialog.isVisible() and committed == []  # stayed, the edit still there
    assert dialog.name.text() == "甲有限公司（改）"
    click_box("保存")
    dialog.close()  # the close box
    assert not dialog.isVisible()
    assert [r.name for r in committed if r] == ["甲有限公司（改）"]


def test_dropping_the_changes_commits_nothing(qtbot: QtBot) -> None:
    committed: list[EnterpriseRecord | None] = []
    dialog = _dialog(qtbot, committed)
    row = dialog.monthly.append_row()
    assert dialog.monthly.setData(dialog.monthly.index(row, 2), "12.5万元")
    click_box("不保存")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and committed == []


def test_leaving_settings_with_changes_asks_first(qtbot: QtBot, window: MainWindow) -> None:
    page = open_page(window, "设置", SettingsPage)
    page.filing_phone.setText("0350-1234567")
    asked: list[str] = []
    click_box("取消", asked)
    window.show_page("企业名录")
    assert asked == ["设置已修改但尚未保存。"]
    stayed = list(window.pages).index("设置")
    assert window.stack.currentWidget() is page and window.nav.currentRow() == stayed
    click_box("不保存")
    window.show_page("企业名录")
    assert isinstance(window.stack.currentWidget(), RosterPage)
    assert page.filing_phone.text() == ""  # the page shows what is saved
    page = open_page(window, "设置", SettingsPage)
    page.filing_phone.setText("0350-1234567")
    click_box("保存")
    window.show_page("政策测算")
    with window.db.reader() as s:
        assert get_setting(s, "filing_phone") == "0350-1234567"
    page = open_page(window, "设置", SettingsPage)
    window.show_page("企业名录")  # saved: nothing to ask (a question would wait here)
    assert isinstance(window.stack.currentWidget(), RosterPage)


def test_closing_the_window_on_unsaved_settings_asks_first(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = open_page(window, "设置", SettingsPage)
    page.backup_keep.setValue(9)
    click_box("取消")
    window.close()
    assert window.isVisible()
    click_box("不保存")
    window.close()
    assert not window.isVisible()


def test_the_sample_county_removed_from_settings(qtbot: QtBot, window: MainWindow) -> None:
    page = open_page(window, "设置", SettingsPage)
    button = next(
        b for b in page.findChildren(type(page.save_button)) if b.text() == "删除示例数据…"
    )
    asked: list[str] = []
    click_box("否", asked)
    button.click()
    assert window.db.enterprise_count() == 14  # not without a yes
    click_box("是", asked)
    button.click()
    assert "删除全部示例企业" in asked[1]
    assert window.db.enterprise_count() == 0
    assert window.size_label.text() == "企业名录：0 家"
    assert window.statusBar().currentMessage().startswith("已删除示例数据：14 家企业及其数据")
    assert window.roster.model.rowCount() == 0
    assert not window.banner.isHidden()  # the sample can be loaded again


def test_escape_from_the_roster_s_editor_saves_when_asked(qtbot: QtBot, window: MainWindow) -> None:
    roster = window.roster
    roster.table.setCurrentIndex(roster.model.index(0, 0))
    code = roster.model.uscc_at(0)

    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, EnterpriseDialog)
        dialog.texts["contact"].setText("赵经理")
        click_box("保存")
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    when_modal(act, EnterpriseDialog)
    roster.edit_selected()
    with window.db.reader() as s:
        assert load_record(s, code).contact == "赵经理"
