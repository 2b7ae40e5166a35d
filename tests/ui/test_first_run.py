"""The first run: the operator's name, the filing unit and its phone asked before anything is
written, and then on every change-log line and filing sheet."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.filing.operations import export_filing_sheet
from desktop.models import ChangeRecord
from desktop.qt.core import QPoint
from desktop.qt.gui import QColor, QPainter, QPixmap
from desktop.qt.widgets import QWidget
from desktop.samples import load_sample
from desktop.store import Database
from desktop.store.settings import get_setting
from desktop.ui.first_run import FirstRunDialog, ask_first_run
from tests.ui.conftest import OFFICE_SCREEN, screenshot, when_modal

ANSWERS = {
    "operator": "李建国",
    "filing_unit": "忻府区工业和信息化局",
    "filing_phone": "0350-3036001",
}


def _answer(values: dict[str, str], button: str = "开始使用") -> None:
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, FirstRunDialog)
        assert not dialog.start_button.isEnabled()  # nothing typed yet
        for key, text in values.items():
            if not dialog.edits[key].isReadOnly():  # the login, on a server
                dialog.edits[key].setText(text)
        chosen = next(
            b for b in dialog.findChildren(type(dialog.start_button)) if b.text() == button
        )
        chosen.click()

    when_modal(act, FirstRunDialog)


def test_first_run_names_the_operator_of_every_line_and_the_unit_of_filing_sheets(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    _answer(ANSWERS)
    assert ask_first_run(db)
    # on a server the operator is the login (here the test's 测试员), never a team-wide setting
    name = "测试员" if db.on_server else "李建国"
    saved = ANSWERS | {"operator": ""} if db.on_server else ANSWERS
    assert db.operator == name
    with db.reader() as s:
        assert {key: get_setting(s, key) for key in ANSWERS} == saved
    load_sample(db)  # the first write after it
    out = tmp_path / "12.xlsx"
    with db.reader() as s:
        assert set(s.scalars(select(ChangeRecord.operator))) == {name}
        export_filing_sheet(s, "12", out)
    cells = [v for row in openpyxl.load_workbook(out).active.values for v in row if v]
    assert "填报单位：忻府区工业和信息化局" in cells
    assert "联系电话：0350-3036001" in cells
    assert ask_first_run(db)  # asked once: no dialog the second time (it would time out here)


def test_start_needs_a_name_and_a_unit_and_leaving_writes_nothing(
    qtbot: QtBot, db: Database
) -> None:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.edits["operator"].setText("李建国")
    assert not dialog.start_button.isEnabled()
    dialog.edits["filing_unit"].setText("  ")
    assert not dialog.start_button.isEnabled()
    dialog.edits["filing_unit"].setText("忻府区工信局")
    assert dialog.start_button.isEnabled()  # the phone may stay empty
    _answer({"operator": "李建国"}, button="退出")
    assert not ask_first_run(db)
    with db.reader() as s:
        assert get_setting(s, "operator") == ""
    assert db.operator == "测试员"


def test_first_run_screenshot(qtbot: QtBot) -> None:
    """The dialog as it opens, before the window, on a 1366×768 desktop (artifacts/screenshots)."""
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.edits["operator"].setText(ANSWERS["operator"])
    dialog.edits["filing_unit"].setText(ANSWERS["filing_unit"])
    dialog.adjustSize()
    desktop = QPixmap(*OFFICE_SCREEN)
    desktop.fill(QColor("#2f5d8a"))
    painter = QPainter(desktop)
    title_height = 28
    left = (desktop.width() - dialog.width()) // 2
    top = (desktop.height() - dialog.height() - title_height) // 2
    painter.fillRect(left, top, dialog.width(), title_height, QColor("#dcdcdc"))
    painter.drawText(left + 10, top + 19, dialog.windowTitle())
    painter.drawPixmap(QPoint(left, top + title_height), dialog.grab())
    painter.end()
    path = screenshot(dialog, "first-run-dialog")
    assert desktop.save(str(path.with_name("first-run-1366x768.png")))


def test_the_name_given_to_the_command_is_offered_never_the_login(
    qtbot: QtBot, db: Database
) -> None:
    offered: list[str] = []

    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, FirstRunDialog)
        offered.append(dialog.edits["operator"].text())
        dialog.reject()

    when_modal(act, FirstRunDialog)
    assert not ask_first_run(db, "王科长")  # relief-desk --operator 王科长
    when_modal(act, FirstRunDialog)
    assert not ask_first_run(db)
    # a server's dialog shows who the database was opened as (--operator, else the login)
    assert offered == ([db.operator] * 2 if db.on_server else ["王科长", ""])


def test_on_a_server_the_operator_is_shown_not_asked(qtbot: QtBot) -> None:
    dialog = FirstRunDialog("wang", fixed=True)
    qtbot.addWidget(dialog)
    edit = dialog.edits["operator"]
    assert edit.isReadOnly() and edit.text() == "wang"
    assert "登录名" in edit.toolTip()
    dialog.edits["filing_unit"].setText("忻府区工信局")
    assert dialog.start_button.isEnabled()
