"""Fixed choices in the window and the editor reading values as the import does."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from desktop.qt.core import Qt
from desktop.qt.widgets import QComboBox, QStyleOptionViewItem, QTableView
from desktop.roster.records import EnterpriseRecord
from desktop.rules.calculators import CALCULATORS
from desktop.store import Database
from desktop.ui.calculators import CalculatorForm
from desktop.ui.choice_delegate import ChoiceDelegate
from desktop.ui.enterprise_dialog import EditorChoices, EnterpriseDialog
from desktop.ui.row_list_model import RowListModel
from desktop.ui.settings_page import SettingsPage

CODE = "91140902MA0XY0001F"
pytestmark = pytest.mark.one_engine  # the widgets' choices, nothing saved


def _choice_editor(view: QTableView, column: int) -> tuple[ChoiceDelegate, QComboBox]:
    delegate = view.itemDelegateForColumn(column)
    assert isinstance(delegate, ChoiceDelegate)
    index = view.model().index(0, column)
    editor = delegate.createEditor(view.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(editor, QComboBox)
    delegate.setEditorData(editor, index)
    return delegate, editor


def _view_of(widget: object, model: RowListModel) -> QTableView:
    return next(v for v in widget.findChildren(QTableView) if v.model() is model)


def test_zone_level_and_kind_are_drop_downs_and_free_text_is_refused(
    qtbot: QtBot, db: Database
) -> None:
    page = SettingsPage(db)
    qtbot.addWidget(page)
    row = page.zones.append_row()
    view = _view_of(page, page.zones)
    delegate, editor = _choice_editor(view, 1)
    assert [editor.itemText(i) for i in range(editor.count())] == ["", "国家级", "省级", "市级",
                                                                   "县级"]  # fmt: skip
    editor.setCurrentText("省级")
    delegate.setModelData(editor, page.zones, page.zones.index(row, 1))
    assert page.zones.rows()[row].level == "省级"
    kinds = _choice_editor(view, 2)[1]
    assert [kinds.itemText(i) for i in range(kinds.count())] == ["", "工业类", "其他"]
    with qtbot.waitSignal(page.zones.rejected) as refused:
        assert not page.zones.setData(page.zones.index(row, 1), "省级开发区")
    assert refused.args == ["级别「省级开发区」：应为：国家级、省级、市级、县级"]
    assert page.message.text() == refused.args[0]


def _dialog(qtbot: QtBot, committed: list[EnterpriseRecord | None]) -> EnterpriseDialog:
    choices = EditorChoices(counties=["忻府区"], zones=["园区甲"])
    record = EnterpriseRecord(CODE, "甲有限公司", "忻府区")
    dialog = EnterpriseDialog(choices, record, committed.append)
    qtbot.addWidget(dialog)
    return dialog


def test_the_editor_takes_what_the_import_takes(qtbot: QtBot) -> None:
    committed: list[EnterpriseRecord | None] = []
    dialog = _dialog(qtbot, committed)
    row = dialog.monthly.append_row()
    assert dialog.monthly.setData(dialog.monthly.index(row, 2), "12.5万元")
    dialog.award_amount.setText("50万元")
    dialog.award_date.setText("2023年1月5日")
    dialog.industry_code.setText("3311")
    dialog.save()
    (saved,) = committed
    assert saved is not None
    assert saved.monthly[0].output == Decimal("125000.00")
    assert saved.award is not None and saved.award.amount == Decimal("500000.00")
    assert saved.award.granted_on is not None and saved.award.granted_on.isoformat() == "2023-01-05"


def test_the_editor_refuses_what_the_import_refuses(qtbot: QtBot) -> None:
    committed: list[EnterpriseRecord | None] = []
    dialog = _dialog(qtbot, committed)
    dialog.industry_code.setText("A3311")
    dialog.save()
    assert committed == []
    assert "行业代码「A3311」门类字母与代码不符（33大类属于C门类）" in dialog.message.text()
    row = dialog.monthly.append_row()
    with qtbot.waitSignal(dialog.monthly.rejected) as refused:
        assert not dialog.monthly.setData(dialog.monthly.index(row, 2), "-5")
    assert refused.args == ["工业总产值（元）「-5」：不能为负数"]


def test_a_lease_zone_is_one_of_the_zones(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, [])
    dialog.leases.append_row()
    _, editor = _choice_editor(_view_of(dialog, dialog.leases), 0)
    assert [editor.itemText(i) for i in range(editor.count())] == ["园区甲"]
    with qtbot.waitSignal(dialog.leases.rejected) as refused:
        assert not dialog.leases.setData(dialog.leases.index(0, 0), "无此园区")
    assert refused.args == ["开发区「无此园区」：应为：园区甲"]


def test_calculator_enterprise_kind_is_a_drop_down(qtbot: QtBot) -> None:
    form = CalculatorForm(CALCULATORS["acceptance"])
    qtbot.addWidget(form)
    kind, cause = form.fields["kind"], form.fields["cause"]
    assert isinstance(kind, QComboBox) and isinstance(cause, QComboBox)
    assert [kind.itemText(i) for i in range(kind.count())] == ["煤矿", "化工企业", "其他企业"]
    kind.setCurrentText("化工企业")
    qtbot.keyClicks(form.fields["days"], "11")
    qtbot.mouseClick(form.button, Qt.MouseButton.LeftButton)
    assert "化工企业因疫情停产" in form.answer.text()
    assert "当地应急部门" in form.answer.text()
