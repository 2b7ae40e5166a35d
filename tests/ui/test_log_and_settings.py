"""操作记录 (log filters, backup, restore) and 设置 (settings, zones, chains) through widgets."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.cases.funds import set_fund
from desktop.cases.moves import Move, move_cases
from desktop.cases.opening import Basis, open_cases
from desktop.cases.parameters import load_case_parameters
from desktop.cases.states import State
from desktop.models import ChangeRecord, Enterprise, Zone
from desktop.qt.core import Qt
from desktop.roster.records import load_record, save_record
from desktop.roster.reference import list_chains
from desktop.rules.result import Result, Verdict
from desktop.store.settings import get_setting
from desktop.ui.log_page import LogPage
from desktop.ui.main_window import MainWindow
from desktop.ui.settings_page import SettingsPage
from tests.ui.conftest import click_box, open_page, screenshot


def test_log_filters(qtbot: QtBot, window: MainWindow) -> None:
    page = open_page(window, "操作记录", LogPage)
    total = page.model.rowCount()
    assert total > 14 and page.count.text() == f"{total:,} 条"
    page.table_name.setCurrentIndex(page.table_name.findText("企业名录"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 14)
    qtbot.keyClicks(page.text, "0XY00036")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.index(0, 4).data() == "91140921MA0XY00036"
    new = page.model.index(0, 8).data()
    assert new.startswith("统一社会信用代码：91140921MA0XY00036；企业名称：示例·定襄锻造有限公司；")
    assert "所属县（市、区）：定襄县；" in new and "规上企业：是" in new
    assert "_id" not in new and "uscc" not in new
    qtbot.keyClicks(page.since, "2023-13")
    qtbot.waitUntil(lambda: page.problem.text() != "")
    assert "无法识别的日期" in page.problem.text()
    page.since.clear()
    page.text.clear()
    page.table_name.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.model.rowCount() == total)
    screenshot(window, "log")


def test_log_search_finds_a_field_by_its_chinese_name(qtbot: QtBot, window: MainWindow) -> None:
    code = "91140921MA0XY00036"
    with window.db.reader() as s:
        record = load_record(s, code)
    save_record(window.db, replace(record, above_scale=False, contact="王新"), code)
    page = open_page(window, "操作记录", LogPage)
    page.table_name.setCurrentIndex(page.table_name.findText("企业名录"))
    page.text.insert("规上企业")  # as an input method commits it (QTest types ASCII)
    # the 14 inserted enterprises show 规上企业：…, and the one update of it; not the contact's
    qtbot.waitUntil(lambda: page.model.rowCount() == 15)
    shown = [page.model.index(0, c).data() for c in range(4, 9)]
    assert shown == [code, "修改", "规上企业", "是", "否"]
    page.text.clear()
    page.text.insert("联系人")
    qtbot.waitUntil(lambda: page.model.index(0, 6).data() == "联系人")
    assert [page.model.index(0, c).data() for c in (7, 8)] == ["李联络", "王新"]
    assert [page.model.index(r, 6).data() for r in range(15)] == ["联系人"] + [""] * 14


def test_backup_then_restore_after_confirmation(qtbot: QtBot, window: MainWindow) -> None:
    page = open_page(window, "操作记录", LogPage)
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    assert page.backups.count() == len(window.db.backups()) == 1  # the file's, or pg_dump's
    window.show_page("设置")
    settings = window.pages["设置"]
    assert isinstance(settings, SettingsPage)
    settings.filing_unit.clear()
    qtbot.keyClicks(settings.filing_unit, "unit-after-backup")
    qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)
    page = open_page(window, "操作记录", LogPage)
    page.backups.setCurrentRow(0)
    click_box("否")
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    with window.db.reader() as s:
        assert get_setting(s, "filing_unit") == "unit-after-backup"
    questions: list[str] = []
    click_box("是", questions)
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert "另存" in questions[0]
    with window.db.reader() as s:
        assert get_setting(s, "filing_unit") == ""
    assert settings.filing_unit.text() == ""  # every page shows the restored file
    assert any("replaced" in p.name for p in window.db.backups())


def test_settings_zones_and_chains(qtbot: QtBot, window: MainWindow) -> None:
    window.show_page("设置")
    page = window.pages["设置"]
    assert isinstance(page, SettingsPage)
    screenshot(window, "settings")
    on_server = window.db.on_server
    qtbot.keyClick(page.operator, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.operator, "wang")  # what the officer types: nothing on a server
    name = "测试员" if on_server else "wang"  # there the operator is the login (the test's)
    assert page.operator.isReadOnly() == on_server
    zone_row = page.zones.append_row()
    assert page.zones.setData(page.zones.index(zone_row, 0), "Zone-C")
    assert page.zones.setData(page.zones.index(zone_row, 1), "省级")
    chain_view_model = page.chains
    chain_view_model.remove_row(0)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert window.db.operator == name
    assert window.operator_label.text() == f"操作人：{name}"
    with window.db.reader() as s:
        zone = s.scalars(select(Zone).where(Zone.name == "Zone-C")).one()
        assert zone.level == "省级"
        assert get_setting(s, "operator") == ("" if on_server else "wang")  # no team-wide name
        logged = s.scalars(select(ChangeRecord).where(ChangeRecord.table_name == "zone")).all()
    assert any(r.operator == name and r.source == "window" for r in logged)
    assert len(list_chains(window.db)) == 2
    assert window.roster.zone.findText("Zone-C") >= 0  # the roster filters know the new zone


def test_settings_refuse_a_blank_operator(qtbot: QtBot, window: MainWindow) -> None:
    page = window.pages["设置"]
    assert isinstance(page, SettingsPage)
    window.show_page("设置")
    if window.db.on_server:
        pytest.skip("on a server the operator is the login: the field is read-only, never blank")
    page.operator.clear()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == "操作人不能为空"
    assert window.db.operator == "测试员"
    click_box("不保存")  # leaving the unsaved page asks first (issue 17)
    window.close()


def test_the_full_check_and_the_space_backups_take(qtbot: QtBot, window: MainWindow) -> None:
    page = open_page(window, "操作记录", LogPage)
    assert page.backups_used.text().startswith("备份共占 ")
    seen: list[str] = []
    click_box("", seen)  # its only button
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    if window.db.on_server:  # no integrity_check there: what was checked is said
        assert seen[0].startswith(f"数据库检查通过：{window.db.where}（连接、版本")
    else:
        assert seen == [f"数据库完整检查通过：{window.db.path}"]


def test_log_lists_the_case_tables_by_their_labels(qtbot: QtBot, window: MainWindow) -> None:
    """Cases, moves, funds and payments written since show in the table filter, in Chinese."""
    with window.db.session(source="command") as s:
        ent = s.scalars(select(Enterprise).where(Enterprise.uscc == "91140921MA0XY00036")).one()
        found = Result("12", ent.uscc, ent.name, "定襄县", "2023-Q1", Verdict.ELIGIBLE,
                       Decimal("1000.00"), False, "第十二条", ("说明",))  # fmt: skip
        (case,) = open_cases(s, [found], Basis("xinzhou-2022-86", {}), load_case_parameters())
        move_cases(s, [case], Move(State.RECEIVED), load_case_parameters())
        set_fund(s, "12", "市级", Decimal("5000"))
    page = open_page(window, "操作记录", LogPage)
    listed = {page.table_name.itemText(i) for i in range(page.table_name.count())}
    assert {"兑现事项", "兑现办理记录", "资金"} <= listed
    page.table_name.setCurrentIndex(page.table_name.findText("兑现办理记录"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
