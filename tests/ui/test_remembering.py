"""What the window remembers between runs (QSettings in the test's own config folder): its
size, the splitters, each file dialog's folder, the recent imports; default export names; the
offer to open what an export wrote (the URL checked, nothing launched)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from pytestqt.qtbot import QtBot

from desktop.qt.core import Qt, QUrl
from desktop.qt.widgets import QFileDialog, QWidget
from desktop.store import Database
from desktop.store.paths import config_dir
from desktop.ui import file_dialogs
from desktop.ui.app import open_and_close
from desktop.ui.background import running
from desktop.ui.export_page import ExportPage
from desktop.ui.import_page import ImportPage
from desktop.ui.main_window import DEFAULT_SIZE, MainWindow
from desktop.ui.remembered import STATE_FILE, recent_files
from tests.ui.conftest import open_page, when_modal

pytestmark = pytest.mark.one_engine  # what the window keeps in its own settings


def _reopened(qtbot: QtBot, window: MainWindow, db: Database) -> MainWindow:
    """Close ``window`` and open the window again on ``db``, as the next run would."""
    window.close()
    again = MainWindow(db)
    qtbot.addWidget(again)
    again.show()
    return again


def _in_dialog(seen: list[tuple[str, str]], choose: Path | None) -> None:
    """At the next file dialog note (folder, file name offered), then choose ``choose``."""

    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        offered = dialog.selectedFiles()
        seen.append((dialog.directory().absolutePath(), Path(offered[0]).name if offered else ""))
        if choose is None:
            dialog.reject()
            return
        dialog.selectFile(str(choose))
        dialog.accept()

    when_modal(act, QFileDialog)


def _finish(qtbot: QtBot, page: ExportPage) -> None:
    """Until the export's outcome has reached the page (it is released after it is handled)."""
    qtbot.waitUntil(lambda: page.op is not None and page.op.is_done() and running() == 0,
                    timeout=20_000)  # fmt: skip


def test_size_and_splitters_come_back(
    qtbot: QtBot, window: MainWindow, sample_db: Database
) -> None:
    """The offscreen test screen is 800×800 and Qt fits a restored window onto its screen, so
    the height (under 800) is what shows the size came back."""
    window.resize(1100, 610)
    window.show_page("政策测算")
    splitter = window.splitters()["政策测算/0"]
    splitter.setSizes([300, 340])
    wanted = splitter.sizes()
    again = _reopened(qtbot, window, sample_db)
    assert (config_dir() / STATE_FILE).is_file()  # in the test's folder, not the officer's
    assert again.height() == 610 != DEFAULT_SIZE.height()
    again.show_page("政策测算")
    assert again.splitters()["政策测算/0"].sizes() == wanted != [300, 340][::-1]
    again.close()


def test_a_new_window_starts_at_the_default_size(qtbot: QtBot, db: Database) -> None:
    fresh = MainWindow(db)
    qtbot.addWidget(fresh)
    assert fresh.size() == DEFAULT_SIZE  # nothing remembered yet


def test_export_offers_measure_county_date_and_the_last_folder(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(file_dialogs, "open_url", lambda url: opened.append(url) or True)
    page = open_page(window, "申报导出", ExportPage)
    assert page.files.offer.isHidden()  # nothing written yet
    page.measure.setCurrentIndex(page.measure.findData("12"))
    page.county.setCurrentIndex(page.county.findData("忻府区"))
    folder = tmp_path / "申报"
    folder.mkdir()
    sheet = folder / "filing.xlsx"
    seen: list[tuple[str, str]] = []
    _in_dialog(seen, sheet)
    qtbot.mouseClick(page.filing_button, Qt.MouseButton.LeftButton)
    _finish(qtbot, page)
    today = date.today().strftime("%Y%m%d")
    assert seen[0][1] == f"第十二条申报汇总表-忻府区-{today}.xlsx"
    assert not page.files.offer.isHidden()
    assert [page.files.offer.open_file.text(), page.files.offer.open_folder.text()] == [
        "打开文件",
        "打开所在文件夹",
    ]
    qtbot.mouseClick(page.files.offer.open_file, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.files.offer.open_folder, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(sheet)), QUrl.fromLocalFile(str(folder))]
    _in_dialog(seen, None)
    qtbot.mouseClick(page.filing_button, Qt.MouseButton.LeftButton)
    assert seen[1][0] == str(folder)  # the folder it was last in
    assert page.files.offer.isHidden()  # a new export, nothing written yet
    _in_dialog(seen, None)
    qtbot.mouseClick(page.ledger_button, Qt.MouseButton.LeftButton)
    assert seen[2][1] == f"惠企政策兑现台账-忻府区-{today}.xlsx"  # a dialog of its own folder


def test_imported_files_are_recent_files_in_the_menu(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    book = tmp_path / "名录.xlsx"
    workbook = Workbook()
    workbook.active.append(["企业名称", "统一社会信用代码"])
    workbook.save(book)
    page = open_page(window, "数据导入", ImportPage)
    seen: list[tuple[str, str]] = []
    _in_dialog(seen, book)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.files.paths() == [book]
    assert recent_files() == [book]
    page.files.clear()
    window.menus.fill_recent()
    (recent,) = window.menus.recent.actions()
    assert recent.text() == "名录.xlsx" and recent.toolTip() == str(book)
    window.show_page("企业名录")
    recent.trigger()
    assert window.stack.currentWidget() is page and page.files.paths() == [book]
    _in_dialog(seen, None)
    window.menus.choose_import()  # 文件 → 导入表格… opens in the folder last used
    assert seen[1][0] == str(tmp_path)


def test_selftest_s_window_leaves_the_remembered_state_alone(qtbot: QtBot, db: Database) -> None:
    open_and_close(db)
    assert not (config_dir() / STATE_FILE).exists()
