"""Opening the window: translations, a damaged file, the sample offer, navigation, screenshots."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import PySide6
import pytest
from pytestqt.qtbot import QtBot

from desktop.qt.core import QCoreApplication, QLibraryInfo, Qt
from desktop.qt.gui import QColor, QIcon
from desktop.qt.widgets import QApplication, QFileDialog, QLabel, QMessageBox, QPushButton, QWidget
from desktop.roster.records import load_record, save_record
from desktop.store import Database
from desktop.store.backups import list_backups
from desktop.ui.app import load_qt_translations, open_with_dialogs
from desktop.ui.background import running
from desktop.ui.icons import NAVIGATION, icon
from desktop.ui.main_window import MainWindow
from desktop.ui.messages import confirm
from tests.conftest import damage_database, sha256_of
from tests.ui.conftest import OFFICE_SCREEN, click_box, screenshot, when_modal


def test_qt_translations_come_from_pyside6(qapp: QApplication) -> None:
    translator = load_qt_translations(qapp)
    assert translator is not None
    try:
        folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        assert Path(translator.filePath()) == folder / "qtbase_zh_CN.qm"
        assert folder.is_relative_to(Path(PySide6.__file__).parent)
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    finally:
        qapp.removeTranslator(translator)


def test_qt_dialogs_speak_chinese(qtbot: QtBot) -> None:
    """The buttons of Qt's message boxes and the labels of its file dialog (UI tests run with
    the translations ``run_window`` loads)."""
    seen: list[list[str]] = []

    def buttons(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(sorted(b.text() for b in box.buttons()))
        box.reject()

    when_modal(buttons, QMessageBox)
    assert not confirm(None, "删除", "删除吗？")
    assert seen == [["否(&N)", "是(&Y)"]]
    dialog = QFileDialog(None, "选择", "", "表格 (*.xlsx)")
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    texts = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QPushButton)]
    assert {"文件名称(&N)：", "保存(&S)", "取消"} <= set(texts), texts


def test_damaged_file_offers_the_newest_backup(qtbot: QtBot, db_path: Path) -> None:
    before = damage_database(db_path)
    seen: list[str] = []
    click_box("退出", seen)
    assert open_with_dialogs(db_path, "测试员") is None
    assert "已损坏" in seen[0] and sha256_of(db_path) == before  # refused, not written
    click_box("用最新备份恢复")
    db = open_with_dialogs(db_path, "测试员")
    assert db is not None
    try:
        assert db.enterprise_count() == 14
        aside = [p for p in list_backups(db_path) if "replaced" in p.name]
        assert len(aside) == 1 and sha256_of(aside[0]) == before  # the damaged file, kept as was
    finally:
        db.close()


def test_unopenable_database_explained(qtbot: QtBot, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    seen: list[str] = []
    click_box("确定", seen)
    assert open_with_dialogs(blocker / "sub" / "x.sqlite3", None) is None
    assert "无法创建数据目录" in seen[0]


def test_empty_database_offers_the_sample(qtbot: QtBot, db: Database) -> None:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(*OFFICE_SCREEN)
    window.show()
    assert window.banner.isVisible()
    screenshot(window, "empty")
    qtbot.mouseClick(window.banner.load_button, Qt.MouseButton.LeftButton)
    assert window.sample_op.wait(30)  # loaded off the UI thread, with progress
    qtbot.waitUntil(lambda: running() == 0)  # the result has reached the UI thread
    assert not window.banner.isVisible()
    assert window.size_label.text() == "企业名录：14 家"
    assert window.roster.model.rowCount() == 14
    assert window.db_label.text() == f"数据库：{db.where}"  # the file's path, or the server
    assert window.operator_label.text() == "操作人：测试员"
    window.close()


def test_every_page_by_shortcut_with_screenshots(qtbot: QtBot, window: MainWindow) -> None:
    assert window.width() <= OFFICE_SCREEN[0] and window.height() <= OFFICE_SCREEN[1]
    keys = [Qt.Key(Qt.Key.Key_0 + n % 10) for n in range(1, 11)] + [Qt.Key.Key_Minus]
    for number, (title, key) in enumerate(zip(window.pages, keys, strict=True), start=1):
        # the tenth page is Ctrl+0, the eleventh Ctrl+- (the top row of the keyboard)
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.stack.currentWidget() is window.pages[title]
        assert window.nav.currentItem().text() == title
        screenshot(window, f"page-{number}-{title}")


def test_f5_reads_again_what_another_program_wrote(qtbot: QtBot, window: MainWindow) -> None:
    code = window.roster.model.uscc_at(0)
    with window.db.reader() as s:
        record = load_record(s, code)
    save_record(window.db, replace(record, name="示例·改名有限公司"), code)  # e.g. the CLI
    model = window.roster.model
    assert "示例·改名有限公司" not in {model.index(r, 0).data() for r in range(14)}
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert "示例·改名有限公司" in {model.index(r, 0).data() for r in range(14)}


def _drawn(found: QIcon) -> bool:
    """The icon paints something (an SVG that does not load paints nothing)."""
    image = found.pixmap(24, 24).toImage()
    return not found.isNull() and any(
        QColor(image.pixel(x, y)).alpha() > 0 for x in range(24) for y in range(24)
    )


@pytest.mark.one_engine  # icons, whatever the database
def test_navigation_and_buttons_have_icons(window: MainWindow) -> None:
    items = [window.nav.item(row) for row in range(window.nav.count())]
    assert [item.text() for item in items] == list(NAVIGATION)
    assert all(_drawn(item.icon()) for item in items)
    assert _drawn(window.windowIcon())
    buttons = [b for page in window.pages.values() for b in page.findChildren(QPushButton)]
    bare = [b.text() for b in buttons if b.icon().isNull()]
    assert len(buttons) > 20 and bare == []


def test_every_bundled_icon_draws() -> None:
    folder = Path(__file__).resolve().parents[2] / "resources" / "icons"
    names = [path.stem for path in folder.glob("*.svg")]
    assert set(NAVIGATION.values()) <= set(names)
    assert all(_drawn(icon(name)) for name in names)
