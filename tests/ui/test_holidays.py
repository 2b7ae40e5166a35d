"""The holiday list in 设置, and the publicity's working days that skip it."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from desktop.cases.moves import Move
from desktop.cases.states import State
from desktop.ui.case_move_dialog import MoveDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.settings_page import SettingsPage
from tests.ui.conftest import open_page, screenshot
from tests.ui.test_case_page import (
    ON,
    XINFU_MATERIALS,
    case_page,
    in_dialog,
    move,
    open_all,
    select_numbers,
)


def test_the_holiday_list_is_kept_in_settings_and_publicity_skips_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    settings = open_page(window, "设置", SettingsPage)
    box = settings.holidays
    assert box.days.rows() == []  # seeded empty, never invented
    said = []
    typed = (("2023-06-31", ""), ("2023年6月22日", "端午节"), ("2023-06-23", "端午节"),
             ("2023-06-22", ""))  # fmt: skip
    for day, name in typed:
        box.day.setText(day)
        box.name.setText(name)
        box.add_button.click()
        said.append(box.message.text())
    assert said == [
        "节假日日期「2023-06-31」：日期不存在",
        "已添加节假日 2023-06-22",
        "已添加节假日 2023-06-23",
        "2023-06-22 已在节假日清单中",
    ]
    assert [(h.day, h.weekday, h.name) for h in box.days.rows()] == [
        (date(2023, 6, 22), "星期四", "端午节"),
        (date(2023, 6, 23), "星期五", "端午节"),
    ]
    screenshot(window, "settings-holidays")
    case = open_all(window.db)[f"{XINFU_MATERIALS} 12"]
    move(window.db, [case.number], Move(State.RECEIVED, on=ON))
    move(window.db, [case.number], Move(State.APPROVED))
    page = case_page(qtbot, window)
    select_numbers(page, case.number)

    def start(dialog: MoveDialog) -> None:
        assert dialog.form.labelForField(dialog.day).text() == "公示开始日期"
        dialog.day.setText("2023-06-21")
        dialog.ok_button.click()

    in_dialog(start)
    page.move_buttons[State.PUBLICITY].click()
    # Wednesday 21 June + 5 working days: (Thu 22, Fri 23 listed; Sat, Sun) Mon 26 … Fri 30.
    assert "公示期 2023-06-21 至 2023-06-30" in page.detail.toPlainText()
    box.table.selectRow(0)
    box.remove_button.click()
    assert box.message.text() == "已删除节假日 2023-06-22"
    assert [h.day for h in box.days.rows()] == [date(2023, 6, 23)]
