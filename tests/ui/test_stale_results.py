"""Results follow the data (trust issue, point 7): the moment the data a verdict rests on
changes — a window edit, an import, its undo, a restore — the policy page marks its results
「数据已变更，请重新测算」 until they are evaluated again; and pages reload only what a change
touches (Changes dispatched by the window)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from openpyxl import Workbook
from pytestqt.qtbot import QtBot

from desktop.changes import Changes
from desktop.qt.core import Qt
from desktop.qt.widgets import QApplication, QWidget
from desktop.rules.catalogue import CATALOGUE
from desktop.ui.background import running
from desktop.ui.enterprise_dialog import EnterpriseDialog
from desktop.ui.import_page import ImportPage
from desktop.ui.log_page import LogPage
from desktop.ui.main_window import MainWindow
from desktop.ui.policy_page import PolicyPage
from desktop.ui.roster_page import RosterPage
from desktop.ui.settings_page import SettingsPage
from desktop.ui.stale import STALE_TEXT, StaleMark
from tests.ui.conftest import click_box, open_page, screenshot, when_modal

LEADER = "91140981MA0XY0006C"  # 示例·原平新能源装备有限公司, 第十三条 符合 as a chain leader


def _wait(qtbot: QtBot, page: PolicyPage | ImportPage) -> None:
    assert page.op is not None and page.op.wait(60)
    qtbot.waitUntil(lambda: running() == 0)  # the result has reached the UI thread


def _evaluate(qtbot: QtBot, window: MainWindow) -> PolicyPage:
    """The policy page evaluated, showing 第十三条."""
    page = open_page(window, "政策测算", PolicyPage)
    page.measures.setCurrentIndex(list(CATALOGUE).index("13"))
    _run(qtbot, page)
    return page


def _run(qtbot: QtBot, page: PolicyPage) -> None:
    """测算 (F9), then select the chain leader (its reasons shown)."""
    before = page.op
    _activate(qtbot, page.window())
    qtbot.keyClick(page, Qt.Key.Key_F9)
    assert page.op is not before
    _wait(qtbot, page)
    row = next(i for i, line in enumerate(page.lines.rows()) if line.uscc == LEADER)
    page.table.setCurrentIndex(page.lines.index(row, 0))


def _verdict(page: PolicyPage) -> str:
    return next(line.verdict for line in page.lines.rows() if line.uscc == LEADER)


def _current(page: PolicyPage) -> None:
    assert page.stale_mark.isHidden()
    assert STALE_TEXT not in page.reasons.toPlainText()


def _marked(page: PolicyPage) -> None:
    assert page.stale_mark.isVisible() and STALE_TEXT in page.stale_mark.text()
    assert page.reasons.toPlainText().startswith(f"⚠ {STALE_TEXT}")


def _untick_chain_leader(qtbot: QtBot, window: MainWindow) -> None:
    """Open the chain leader in the enterprise dialog, untick 链主企业, save."""
    roster = open_page(window, "企业名录", RosterPage)

    def edit(dialog: QWidget) -> None:
        assert isinstance(dialog, EnterpriseDialog) and dialog.chain_leader.isChecked()
        qtbot.mouseClick(dialog.chain_leader, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    row = next(r for r in range(roster.model.rowCount()) if roster.model.uscc_at(r) == LEADER)
    roster.table.setCurrentIndex(roster.model.index(row, 0))
    when_modal(edit)
    roster.edit_selected()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)


def _activate(qtbot: QtBot, window: QWidget) -> None:
    """The main window active again once a dialog closed (as a window manager makes it)."""
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_an_edit_in_the_dialog_marks_the_verdict_until_evaluated_again(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = _evaluate(qtbot, window)
    assert _verdict(page) == "符合"
    _current(page)
    _untick_chain_leader(qtbot, window)
    window.show_page("政策测算")  # no F9: the page already says its results are stale
    _marked(page)
    assert _verdict(page) == "符合"  # the old verdict, under the mark
    screenshot(window, "policy-stale")
    evaluation = page.op
    page.value.setText("1")
    qtbot.mouseClick(page.what_if_button, Qt.MouseButton.LeftButton)
    assert page.status.text() == STALE_TEXT and page.op is evaluation  # no what-if on old results
    _run(qtbot, page)
    _current(page)
    assert _verdict(page) == "不符合"


def _roster_file(tmp_path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["企业名称", "统一社会信用代码", "所属县（市、区）", "链主企业"])
    ws.append(["示例·原平新能源装备有限公司", LEADER, "原平市", "否"])
    path = tmp_path / "名录.xlsx"
    wb.save(path)
    return path


def _click(qtbot: QtBot, page: ImportPage, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    _wait(qtbot, page)


def test_an_import_its_undo_and_a_restore_mark_the_verdicts(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    page = _evaluate(qtbot, window)
    importer = open_page(window, "数据导入", ImportPage)
    importer.files.add_paths([_roster_file(tmp_path)])
    _click(qtbot, importer, importer.read_button)
    _click(qtbot, importer, importer.preview_button)
    window.show_page("政策测算")
    _current(page)  # a preview writes nothing
    window.show_page("数据导入")
    _click(qtbot, importer, importer.import_button)
    window.show_page("政策测算")
    _marked(page)
    _run(qtbot, page)
    assert _verdict(page) == "不符合"
    _current(page)

    window.show_page("数据导入")
    importer.tabs.setCurrentIndex(3)
    importer.batch_view.setCurrentIndex(importer.batches.index(0, 0))
    click_box("是")
    _click(qtbot, importer, importer.undo_button)
    window.show_page("政策测算")
    _marked(page)
    _run(qtbot, page)
    assert _verdict(page) == "符合"

    settings = open_page(window, "设置", SettingsPage)
    settings.filing_unit.setText("忻州市工信局")
    qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)
    window.show_page("政策测算")
    _current(page)  # the filing unit is no fact of any verdict

    log = open_page(window, "操作记录", LogPage)
    log.backups.setCurrentRow(log.backups.count() - 1)  # the one taken before the import
    click_box("是")
    qtbot.mouseClick(log.restore_button, Qt.MouseButton.LeftButton)
    assert page.db is window.db  # the page reads the restored file
    window.show_page("政策测算")
    _marked(page)


def test_a_change_during_an_evaluation_leaves_its_results_marked(qtbot: QtBot) -> None:
    mark = StaleMark()
    qtbot.addWidget(mark)
    started = mark.started()
    mark.data_changed(results_shown=False)  # nothing shown yet: nothing to mark
    assert mark.isHidden() and not mark.stale
    assert not mark.finished(started)  # the results read the data before the change
    assert mark.stale and not mark.isHidden() and STALE_TEXT in mark.html()
    assert mark.finished(mark.started()) and mark.isHidden() and mark.html() == ""


def test_pages_reload_only_what_a_change_touches(qtbot: QtBot, window: MainWindow) -> None:
    resets: list[int] = []
    window.roster.model.modelReset.connect(lambda: resets.append(1))
    importer = window.pages["数据导入"]
    assert isinstance(importer, ImportPage)
    importer.batches.modelReset.connect(lambda: resets.append(2))
    window.apply_changes(Changes.FIGURES | Changes.LEASES)  # not shown by either
    window.apply_changes(Changes.SETTINGS)
    assert resets == []
    window.apply_changes(Changes.ENTERPRISES)
    assert resets == [1]
    window.apply_changes(Changes.BATCHES)
    assert resets == [1, 2]


def test_the_pages_know_nothing_of_the_main_window() -> None:
    code = "import sys, desktop.ui.pages; print('desktop.ui.main_window' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"
