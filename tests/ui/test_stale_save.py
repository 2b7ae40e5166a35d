"""A stale save in the enterprise editor: both values and who saved the other, chosen per field.

The officer edits an enterprise while 李四 saves the same one; 保存 is refused and the stale
dialog shows each field; the officer keeps 李四's name and their own phone, and what is saved
is exactly that, over 李四's version, logged as usual (and undone back to 李四's).
"""

from __future__ import annotations

from dataclasses import replace

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.models import ChangeRecord
from desktop.qt.core import Qt
from desktop.qt.widgets import QLabel, QLineEdit, QWidget
from desktop.roster.records import load_record, save_record
from desktop.ui.enterprise_dialog import EnterpriseDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.stale_dialog import StaleDialog
from tests.ui.conftest import OFFICE_SCREEN, screenshot, when_modal

CODE = "91140921MA0XY00036"  # 示例·定襄锻造有限公司
THEIR_NAME, THEIR_PHONE = "李四改的名称", "0350-1111111"
MY_NAME, MY_PHONE, MY_CONTACT = "我改的名称", "13800000000", "王五"


def _type(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Type ``text`` (Chinese through the input method: set, as it commits it)."""
    edit.clear()
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.setText(text)


def _lines(window: MainWindow, field: str) -> list[tuple[str, str | None]]:
    with window.db.reader() as s:
        query = select(ChangeRecord).where(
            ChangeRecord.table_name == "enterprise",
            ChangeRecord.field == field,
            ChangeRecord.source == "window",
        )
        return [(r.operator, r.new_value) for r in s.scalars(query.order_by(ChangeRecord.id))]


def test_a_stale_save_keeps_their_name_and_my_phone(qtbot: QtBot, window: MainWindow) -> None:
    window.show_page("企业名录")
    seen: dict[str, list[str]] = {}

    def choose(stale: QWidget) -> None:
        assert isinstance(stale, StaleDialog)
        seen["fields"] = sorted(f.field for f in stale.refused.fields)
        seen["texts"] = [label.text() for label in stale.findChildren(QLabel)]
        seen["kept"] = sorted(stale.kept_mine())  # as it opened: what the officer changed
        stale.resize(*OFFICE_SCREEN)
        screenshot(stale, "stale_save_dialog")
        stale.choose("name", mine=False)
        stale.choose("phone", mine=True)
        qtbot.mouseClick(stale.save_button, Qt.MouseButton.LeftButton)

    def edit(dialog: QWidget) -> None:
        assert isinstance(dialog, EnterpriseDialog)
        _type(qtbot, dialog.name, MY_NAME)
        _type(qtbot, dialog.texts["phone"], MY_PHONE)
        _type(qtbot, dialog.texts["contact"], MY_CONTACT)
        with window.db.reader() as s:  # meanwhile 李四 saves the same enterprise
            theirs = replace(load_record(s, CODE), name=THEIR_NAME, phone=THEIR_PHONE)
        save_record(replace(window.db, operator="李四"), theirs, CODE)
        when_modal(choose, StaleDialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen["open"] = [str(dialog.isVisible())]

    when_modal(edit, EnterpriseDialog)
    window.roster.open_enterprise(CODE)
    assert seen["open"] == ["False"]  # saved and closed
    assert seen["fields"] == ["contact", "name", "phone"]
    assert seen["kept"] == ["contact", "name", "phone"]  # each was changed by the officer
    assert MY_NAME in seen["texts"] and THEIR_NAME in seen["texts"]
    assert any("李四" in t for t in seen["texts"])
    with window.db.reader() as s:
        stored = load_record(s, CODE)
    assert (stored.name, stored.phone, stored.contact) == (THEIR_NAME, MY_PHONE, MY_CONTACT)
    operator = window.db.operator
    assert _lines(window, "name") == [("李四", THEIR_NAME)]  # theirs kept: no line of mine
    assert _lines(window, "phone") == [("李四", THEIR_PHONE), (operator, MY_PHONE)]
    assert _lines(window, "contact") == [(operator, MY_CONTACT)]
    window.roster.undo_stack.undo()  # back to what 李四 saved, not to what the officer first saw
    with window.db.reader() as s:
        undone = load_record(s, CODE)
    assert (undone.name, undone.phone) == (THEIR_NAME, THEIR_PHONE)


def test_cancelling_the_choice_keeps_the_editor_open_with_the_edit(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show_page("企业名录")
    seen: list[str] = []

    def cancel(stale: QWidget) -> None:
        assert isinstance(stale, StaleDialog)
        stale.reject()

    def edit(dialog: QWidget) -> None:
        assert isinstance(dialog, EnterpriseDialog)
        _type(qtbot, dialog.texts["phone"], MY_PHONE)
        with window.db.reader() as s:
            theirs = replace(load_record(s, CODE), phone=THEIR_PHONE)
        save_record(replace(window.db, operator="李四"), theirs, CODE)
        when_modal(cancel, StaleDialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen.extend([str(dialog.isVisible()), dialog.texts["phone"].text(), dialog.message.text()])
        dialog.done(0)

    when_modal(edit, EnterpriseDialog)
    window.roster.open_enterprise(CODE)
    assert seen[:2] == ["True", MY_PHONE]
    assert "已被他人修改" in seen[2]
    with window.db.reader() as s:
        assert load_record(s, CODE).phone == THEIR_PHONE
