"""企业名录 driven through its widgets: search, filters, edit, add, delete, undo."""

from __future__ import annotations

import sqlite3

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from stdnum.cn import uscc

from desktop.models import ChangeRecord
from desktop.qt.core import QItemSelectionModel, Qt
from desktop.qt.widgets import QApplication, QLineEdit, QPushButton, QTableView, QWidget
from desktop.roster.query import COLUMN_KEYS
from desktop.roster.records import load_record
from desktop.roster.search import name_key
from desktop.ui.enterprise_dialog import EnterpriseDialog
from desktop.ui.main_window import MainWindow
from tests.ui.conftest import click_box, screenshot, when_modal

CODE = "91140921MA0XY00036"  # 示例·定襄锻造有限公司


@pytest.fixture
def window(window: MainWindow) -> MainWindow:
    """The window on 企业名录 (it opens on 工作台): the page's shortcuts act while it shows."""
    window.show_page("企业名录")
    return window


def _rows(window: MainWindow) -> int:
    return window.roster.model.rowCount()


def _row_of(window: MainWindow, code: str) -> int:
    model = window.roster.model
    return next(r for r in range(model.rowCount()) if model.uscc_at(r) == code)


def _open_row(qtbot: QtBot, window: MainWindow, row: int) -> None:
    table = window.roster.table
    index = window.roster.model.index(row, 0)
    table.scrollTo(index)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _back_to(qtbot: QtBot, window: MainWindow) -> None:
    """After a dialog closed, the main window is active again (a window manager does this)."""
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_search_by_pinyin_initials_and_filters(qtbot: QtBot, window: MainWindow) -> None:
    page = window.roster
    assert _rows(window) == 14
    qtbot.keyClicks(page.search, "dxdz")
    qtbot.waitUntil(lambda: _rows(window) == 1)
    assert page.model.index(0, 0).data() == "示例·定襄锻造有限公司"
    assert page.count.text() == "显示 1 家 / 共 14 家"
    page.search.clear()
    qtbot.waitUntil(lambda: _rows(window) == 14)
    page.county.setCurrentIndex(page.county.findText("原平市"))
    county = COLUMN_KEYS.index("county")
    assert {page.model.index(r, county).data() for r in range(_rows(window))} == {"原平市"}
    page.white_list.setCurrentIndex(page.white_list.findText("是"))
    white = COLUMN_KEYS.index("white_list")
    assert all(page.model.index(r, white).data() == "是" for r in range(_rows(window)))
    qtbot.mouseClick(
        next(
            b for b in page.findChildren(QWidget) if getattr(b, "text", lambda: "")() == "清除筛选"
        ),
        Qt.MouseButton.LeftButton,
    )
    assert _rows(window) == 14
    screenshot(window, "roster")


def test_sort_by_clicking_the_header(qtbot: QtBot, window: MainWindow) -> None:
    header = window.roster.table.horizontalHeader()
    column = COLUMN_KEYS.index("uscc")
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    from desktop.qt.core import QPoint

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    codes = [window.roster.model.uscc_at(r) for r in range(_rows(window))]
    assert codes == sorted(codes)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    codes = [window.roster.model.uscc_at(r) for r in range(_rows(window))]
    assert codes == sorted(codes, reverse=True)


def test_edit_save_and_undo(qtbot: QtBot, window: MainWindow) -> None:
    db = window.db

    def edit(dialog: QWidget) -> None:
        assert isinstance(dialog, EnterpriseDialog)
        dialog.texts["phone"].clear()
        qtbot.keyClicks(dialog.texts["phone"], "0350-7654321")
        for tab in range(dialog.tabs.count()):
            dialog.tabs.setCurrentIndex(tab)
            screenshot(dialog, f"editor-{tab}")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_modal(edit)
    _open_row(qtbot, window, _row_of(window, CODE))
    with db.reader() as s:
        assert load_record(s, CODE).phone == "0350-7654321"
        line = s.scalars(select(ChangeRecord).where(ChangeRecord.field == "phone")).one()
    assert (line.source, line.operator, line.new_value) == ("window", "测试员", "0350-7654321")
    _back_to(qtbot, window)
    qtbot.keyClick(window.roster.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with db.reader() as s:
        assert load_record(s, CODE).phone == "0350-0000000"
    qtbot.mouseClick(window.roster.buttons["重做"], Qt.MouseButton.LeftButton)
    with db.reader() as s:
        assert load_record(s, CODE).phone == "0350-7654321"


def test_add_with_credit_code_checked_as_typed(qtbot: QtBot, window: MainWindow) -> None:
    code = "91140902MA0NEW001" + uscc.calc_check_digit("91140902MA0NEW001")
    seen: dict[str, str] = {}

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, EnterpriseDialog)
        dialog.name.insert("新建机械有限公司")  # as an input method commits it (QTest types ASCII)
        qtbot.keyClicks(dialog.uscc, "91140902ma0new00")  # lower case is raised as typed
        qtbot.keyClicks(dialog.uscc, "I")  # I is not one of the 31 symbols: refused
        seen["typed"] = dialog.uscc.text()
        qtbot.keyClicks(dialog.uscc, "1" + ("0" if code[-1] != "0" else "1"))
        seen["wrong"] = dialog.uscc_hint.text()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen["refused"] = dialog.message.text()
        qtbot.keyClick(dialog.uscc, Qt.Key.Key_Backspace)
        qtbot.keyClicks(dialog.uscc, code[-1])
        seen["right"] = dialog.uscc_hint.text()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_modal(fill)
    qtbot.keyClick(window.roster.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert seen["typed"] == "91140902MA0NEW00"
    assert seen["wrong"] == "统一社会信用代码校验位错误"
    assert "校验位错误" in seen["refused"]
    assert seen["right"] == "✓ 校验通过"
    assert _rows(window) == 15
    assert window.size_label.text() == "企业名录：15 家"


def test_delete_only_after_confirmation_and_undo(qtbot: QtBot, window: MainWindow) -> None:
    questions: list[str] = []

    def delete(dialog: QWidget, answer: str) -> None:
        click_box(answer, questions)
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
        if dialog.isVisible():
            dialog.reject()

    when_modal(lambda d: delete(d, "否"))
    _open_row(qtbot, window, _row_of(window, CODE))
    assert _rows(window) == 14
    when_modal(lambda d: delete(d, "是"))
    _open_row(qtbot, window, _row_of(window, CODE))
    assert _rows(window) == 13
    assert "示例·定襄锻造有限公司" in questions[0]
    with window.db.reader() as s:
        deletes = s.scalars(select(ChangeRecord).where(ChangeRecord.action == "delete")).all()
    assert {d.table_name for d in deletes} >= {"enterprise", "monthly_output"}
    qtbot.mouseClick(window.roster.buttons["撤销"], Qt.MouseButton.LeftButton)
    assert _rows(window) == 14


def test_delete_key_asks_first(qtbot: QtBot, window: MainWindow) -> None:
    table = window.roster.table
    table.setFocus()
    table.setCurrentIndex(window.roster.model.index(_row_of(window, CODE), 0))
    click_box("否")
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert _rows(window) == 14
    _back_to(qtbot, window)
    click_box("是")
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert _rows(window) == 13
    _back_to(qtbot, window)
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _rows(window) == 14


def _type_cell(qtbot: QtBot, view: QTableView, text: str) -> None:
    """Open the current cell's editor (F2), type ``text``, commit with Enter."""
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.viewport().findChild(QLineEdit)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    # The delegate commits on the next turn of the event loop, then closes and deletes the editor.
    with qtbot.waitSignal(editor.destroyed):
        qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_figures_typed_into_the_editor_tables(qtbot: QtBot, window: MainWindow) -> None:
    seen: dict[str, str] = {}

    def add_month(dialog: QWidget) -> None:
        assert isinstance(dialog, EnterpriseDialog)
        dialog.tabs.setCurrentIndex(1)
        page = dialog.tabs.currentWidget()
        view = page.findChild(QTableView)
        add = next(b for b in page.findChildren(QPushButton) if b.text() == "添加一行")
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
        row = dialog.monthly.rowCount() - 1
        assert view.currentIndex().row() == row
        for _ in range(2):
            qtbot.keyClick(view, Qt.Key.Key_Right)
        _type_cell(qtbot, view, "abc")
        seen["refused"] = dialog.message.text()
        _type_cell(qtbot, view, "1,234.5")
        seen["chart"] = dialog.chart.caption()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        if dialog.isVisible():  # not saved: keep why, and close
            seen["unsaved"] = dialog.message.text()
            dialog.reject()

    when_modal(add_month)
    _open_row(qtbot, window, _row_of(window, CODE))
    assert "unsaved" not in seen, seen
    assert seen["refused"] == "工业总产值（元）「abc」：应为金额，如 1234.5 或 12.5万元"
    assert seen["chart"].startswith("2023年（蓝）与2022年（灰）")
    with window.db.reader() as s:
        monthly = load_record(s, CODE).monthly
    assert monthly[-1].year == 2023 and monthly[-1].month == 4
    assert str(monthly[-1].output) == "1234.50"


# SQLite's file write lock (BEGIN IMMEDIATE on the path) and its busy timeout; a server has
# neither: its writers wait on row locks, and concurrent saves are the version checks' tests
@pytest.mark.sqlite_only
def test_a_save_while_another_program_writes_keeps_the_edit(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.store import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 50)
    window.db.engine.dispose()  # connections from now on wait 50 ms
    other = sqlite3.connect(window.db.path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # the command line importing, say
    seen: list[str] = []

    def edit(dialog: QWidget) -> None:
        assert isinstance(dialog, EnterpriseDialog)
        dialog.texts["phone"].clear()
        qtbot.keyClicks(dialog.texts["phone"], "0350-7654321")
        click_box("", seen)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and dialog.texts["phone"].text() == "0350-7654321"
        other.rollback()  # the other program is done
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    when_modal(edit)
    _open_row(qtbot, window, _row_of(window, CODE))
    other.close()
    assert len(seen) == 1 and "正被另一个程序写入" in seen[0]
    with window.db.reader() as s:
        assert load_record(s, CODE).phone == "0350-7654321"


def _names(window: MainWindow) -> list[str]:
    model = window.roster.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_names_sort_by_pinyin(window: MainWindow) -> None:
    names = _names(window)
    assert names == sorted(names, key=name_key)
    # 忻 (xīn, U+5FFB) before 原 (yuán, U+539F): by pinyin, not by code point
    first_xin = next(i for i, n in enumerate(names) if n.startswith("示例·忻府"))
    first_yuan = next(i for i, n in enumerate(names) if n.startswith("示例·原平"))
    assert first_xin < first_yuan


def test_several_selected_are_deleted_after_confirming_their_names(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = window.roster
    table = page.table
    assert table.selectionMode() is QTableView.SelectionMode.ExtendedSelection
    picked = _names(window)[:3]
    selection = table.selectionModel()
    for row in range(3):
        selection.select(
            page.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    seen: list[str] = []
    click_box("是", seen)
    qtbot.mouseClick(page.buttons["删除所选"], Qt.MouseButton.LeftButton)
    assert "以下 3 家企业" in seen[0] and all(name in seen[0] for name in picked)
    assert _rows(window) == 11 and not set(picked) & set(_names(window))
    assert page.undo_stack.undoText() == "删除 3 家企业"
    page.undo_stack.undo()  # one step brings all three back
    assert _rows(window) == 14 and set(picked) <= set(_names(window))


def test_a_search_without_hits_says_so_and_esc_clears_it(qtbot: QtBot, window: MainWindow) -> None:
    page = window.roster
    page.search.setFocus()
    qtbot.keyClicks(page.search, "zzzz")
    qtbot.waitUntil(lambda: _rows(window) == 0)
    assert page.count.text().startswith("没有找到与「zzzz」相符的企业")
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.search.text() == ""
    qtbot.waitUntil(lambda: _rows(window) == 14)
    assert page.count.text() == "显示 14 家 / 共 14 家"


def test_the_name_stays_in_view_when_scrolling_right(qtbot: QtBot, window: MainWindow) -> None:
    table = window.roster.table
    window.resize(900, 600)
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() > 0)
    table.horizontalScrollBar().setValue(table.horizontalScrollBar().maximum())
    assert table.columnViewportPosition(0) < 0  # the table's own name column scrolled away
    frozen = table.frozen
    assert frozen.isVisible() and frozen.x() <= table.frameWidth()
    assert frozen.width() == table.columnWidth(0)
    assert frozen.columnViewportPosition(0) == 0
    assert all(frozen.isColumnHidden(c) for c in range(1, window.roster.model.columnCount()))
    assert frozen.model() is table.model() and frozen.selectionModel() is table.selectionModel()
    screenshot(window, "roster-scrolled-right")


def test_a_bulk_edit_of_the_selected_confirms_their_names(qtbot: QtBot, window: MainWindow) -> None:
    page = window.roster
    white = COLUMN_KEYS.index("white_list")
    rows = [r for r in range(_rows(window)) if page.model.index(r, white).data() == "否"][:2]
    names = [page.model.index(r, 0).data() for r in rows]
    for row in rows:
        page.table.selectionModel().select(
            page.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    (action,) = [a for a in page.bulk_menu.actions() if a.text() == "白名单企业：设为「是」"]
    seen: list[str] = []
    click_box("是", seen)
    action.trigger()
    assert "以下 2 家企业的「白名单企业」设为「是」" in seen[0]
    assert all(name in seen[0] for name in names)
    by_name = {page.model.index(r, 0).data(): r for r in range(_rows(window))}
    assert all(page.model.index(by_name[n], white).data() == "是" for n in names)
    assert page.undo_stack.undoText() == "修改 2 家企业"
    page.undo_stack.undo()
    by_name = {page.model.index(r, 0).data(): r for r in range(_rows(window))}
    assert all(page.model.index(by_name[n], white).data() == "否" for n in names)
