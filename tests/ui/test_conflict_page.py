"""冲突处理 driven through its widgets: the conflicts a county's package left at the city, one
resolved by taking the county's value, one by a value typed (a bad one refused first), the
stored values and the change log's lines, the resolved ones shown again, the empty page."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.changes import Changes
from desktop.models import ChangeRecord, Enterprise, MonthlyOutput
from desktop.qt.core import Qt
from desktop.store import Database
from desktop.ui.conflict_page import EMPTY_TEXT, ConflictPage
from desktop.ui.main_window import MainWindow
from tests.sync.helpers import delete_lease, edit_lease, export, lease_of, receive
from tests.ui.conftest import OFFICE_SCREEN, open_page, screenshot
from tests.ui.packages import (
    BASE_PHONE,
    CITY_PHONE,
    COUNTY,
    COUNTY_PHONE,
    MONEY,
    PHONE,
    county_of,
    two_hard_conflicts,
)

PHONE_ROW = f"{PHONE} 示例·原平装备制造有限公司"
MONEY_ROW = f"{MONEY} 示例·定襄锻造有限公司 2022-01"
LEASED = "91140902MA0XY0010D"  # its lease: the city raises the rent, the county deletes it


@pytest.fixture
def conflicts(window: MainWindow, _migrated_template: Path, tmp_path: Path) -> ConflictPage:
    """The city's window after the county's package came in (two hard conflicts), on 冲突处理."""
    county = county_of(window.db, _migrated_template, tmp_path)
    (outcome,) = receive(window.db, two_hard_conflicts(window.db, county, tmp_path))
    assert outcome.counts.conflicts == 2
    county.close()
    return open_page(window, "冲突处理", ConflictPage)


def _phone(db: Database) -> str | None:
    with db.reader() as s:
        return s.scalars(select(Enterprise.phone).where(Enterprise.uscc == PHONE)).one()


def _output(db: Database) -> Decimal:
    with db.reader() as s:
        query = select(MonthlyOutput.output).join(Enterprise)
        query = query.where(
            Enterprise.uscc == MONEY, MonthlyOutput.year == 2022, MonthlyOutput.month == 1
        )
        return s.scalars(query).one()


def _resolutions(db: Database) -> list[tuple[str, str, str | None, str | None]]:
    """The change log's lines the resolutions wrote: operator, table, field, new value."""
    with db.reader() as s:
        query = select(ChangeRecord).where(ChangeRecord.source == "conflict")
        lines = s.scalars(query.order_by(ChangeRecord.id)).all()
        return [(r.operator, r.table_name, r.field, r.new_value) for r in lines]


def _choose(page: ConflictPage, row_text: str) -> None:
    rows = [page.model.index(r, 2).data() for r in range(page.model.rowCount())]
    page.view.selectRow(rows.index(row_text))
    assert page.chosen() is not None and page.chosen().row == row_text  # type: ignore[union-attr]


def test_the_list_and_the_chosen_conflict_read_as_the_officer_reads_values(
    conflicts: ConflictPage, window: MainWindow
) -> None:
    page = conflicts
    listed = {
        page.model.index(r, 2).data(): [page.model.index(r, c).data() for c in range(8)]
        for r in range(page.model.rowCount())
    }
    assert set(listed) == {PHONE_ROW, MONEY_ROW}
    assert listed[PHONE_ROW][1:] == [
        "企业名录", PHONE_ROW, "联系电话", CITY_PHONE, COUNTY_PHONE, COUNTY, "待处理",
    ]  # fmt: skip
    assert listed[MONEY_ROW][3:6] == ["工业总产值", "2,000,000.00 元", "1,000,000.00 元"]
    assert page.count.text() == "待处理 2 项"
    assert not page.empty.label.isVisible()
    _choose(page, MONEY_ROW)
    assert page.heading.text() == f"月度产值　{MONEY_ROW}　「工业总产值」"
    assert page.keep.text() == "保留本地（2,000,000.00 元）"
    assert page.take.text() == "采用对方（1,000,000.00 元）"
    assert page.values["base"].text() == "10,000,000.00 元"
    assert page.values["mine"].text() == "2,000,000.00 元"
    assert page.values["theirs"].text() == "1,000,000.00 元"
    assert page.whos["mine"].text().startswith("本库：测试员，")
    assert page.whos["theirs"].text().startswith(f"{COUNTY}第 1 号数据包：{COUNTY}officer，")
    window.resize(*OFFICE_SCREEN)
    shot = screenshot(window, "conflict-page-two-conflicts")
    assert shot.exists()


def test_resolve_one_with_theirs_and_one_with_a_typed_value(
    qtbot: QtBot, conflicts: ConflictPage, window: MainWindow
) -> None:
    page, db = conflicts, window.db
    _choose(page, PHONE_ROW)
    assert page.values["base"].text() == BASE_PHONE
    page.take.setChecked(True)
    with qtbot.waitSignal(page.changed) as published:
        qtbot.mouseClick(page.resolve_button, Qt.MouseButton.LeftButton)
    assert published.args[0] & (Changes.ENTERPRISES | Changes.PACKAGES)
    assert _phone(db) == COUNTY_PHONE
    assert _resolutions(db) == [("测试员", "enterprise", "phone", COUNTY_PHONE)]
    assert page.model.rowCount() == 1 and page.count.text() == "待处理 1 项"
    assert window.statusBar().currentMessage().endswith("已处理：采用对方")

    chosen = page.chosen()  # the one left is chosen
    assert chosen is not None and chosen.row == MONEY_ROW
    page.own.setChecked(True)
    qtbot.mouseClick(page.resolve_button, Qt.MouseButton.LeftButton)
    assert page.problem.text() == "请填写另填的值（或选择保留本地、采用对方）"  # never a blank
    qtbot.keyClicks(page.own_value, "12x")  # ASCII: QTest types no other
    assert page.own.isChecked()  # typing chooses 另填
    assert page.problem.text() == "「工业总产值」的值「12x」有误：应为金额，如 1234.5 或 12.5万元"
    qtbot.mouseClick(page.resolve_button, Qt.MouseButton.LeftButton)
    assert _output(db) == Decimal("2000000.00")  # refused: nothing written
    assert page.model.rowCount() == 1
    page.own_value.setText("150万")
    assert page.problem.text() == ""
    qtbot.mouseClick(page.resolve_button, Qt.MouseButton.LeftButton)
    assert _output(db) == Decimal("1500000.00")
    assert _resolutions(db)[1:] == [("测试员", "monthly_output", "output", "1500000.00")]

    assert page.model.rowCount() == 0 and page.empty.label.isVisible()
    assert not page.detail.isVisible()
    page.with_resolved.setChecked(True)
    assert page.model.rowCount() == 2 and page.count.text() == "待处理 0 项，已处理 2 项"
    _choose(page, PHONE_ROW)
    assert page.resolved.text().startswith(f"已处理：采用对方：{COUNTY_PHONE}（测试员，")
    assert not page.resolve_button.isEnabled()
    _choose(page, MONEY_ROW)
    assert page.resolved.text().startswith("已处理：另填：1,500,000.00 元（测试员，")


def test_choosing_nothing_is_refused_with_the_way_out(
    qtbot: QtBot, conflicts: ConflictPage, window: MainWindow
) -> None:
    page = conflicts
    qtbot.mouseClick(page.resolve_button, Qt.MouseButton.LeftButton)
    assert page.problem.text() == "请先选择：保留本地、采用对方，或另填一个值"
    assert page.model.rowCount() == 2 and _resolutions(window.db) == []


def test_keeping_mine_is_logged_and_keeps_the_value(
    qtbot: QtBot, conflicts: ConflictPage, window: MainWindow
) -> None:
    page = conflicts
    _choose(page, PHONE_ROW)
    page.keep.setChecked(True)
    qtbot.mouseClick(page.resolve_button, Qt.MouseButton.LeftButton)
    assert _phone(window.db) == CITY_PHONE
    # a line that travels: the county, holding its own value, takes the city's
    assert _resolutions(window.db) == [("测试员", "enterprise", "phone", CITY_PHONE)]


def test_an_empty_page_says_why_and_what_fills_it(window: MainWindow) -> None:
    page = open_page(window, "冲突处理", ConflictPage)
    assert page.model.rowCount() == 0
    assert page.empty.label.isVisible() and page.empty.label.text() == EMPTY_TEXT
    assert EMPTY_TEXT == ("没有待处理的冲突。导入其他单位的数据包后，双方都改过的字段会列在这里")
    assert not page.detail.isVisible()
    screenshot(window, "conflict-page-empty")


def test_a_row_deleted_on_one_side_and_edited_on_the_other(
    qtbot: QtBot,
    window: MainWindow,
    _migrated_template: Path,
    tmp_path: Path,
) -> None:
    db = window.db
    county = county_of(db, _migrated_template, tmp_path)
    lease = lease_of(db, LEASED).uid
    edit_lease(db, lease, monthly_rent=Decimal("12345.00"))
    delete_lease(county, lease)
    (outcome,) = receive(db, export(county, tmp_path))
    county.close()
    assert outcome.counts.conflicts == 1
    page = open_page(window, "冲突处理", ConflictPage)
    row = f"{LEASED} 示例·园区商贸有限公司 2022-01-01"
    assert [page.model.index(0, c).data() for c in (1, 2, 3)] == [
        "厂房租赁", row, "整行（一方删除、一方修改）",
    ]  # fmt: skip
    assert page.values["theirs"].text() == "（已删除）"
    assert page.values["mine"].text() == "修改 月租金：12,345.00 元"  # what it changed since
    base = page.values["base"].text().splitlines()
    assert "月租金：8,000.00 元" in base and "标准化厂房：是" in base
    assert "面积：500.00 平方米" in base and "开发区：（示例）忻州工业园区" in base
    assert (page.keep.text(), page.take.text()) == ("保留本地（保留该行）", "采用对方（删除该行）")
    assert not page.own.isEnabled() and not page.own_value.isEnabled()
    assert page.detail.height() >= page.detail.minimumSizeHint().height()
    screenshot(window, "conflict-page-whole-row")
    page.keep.setChecked(True)
    qtbot.mouseClick(page.resolve_button, Qt.MouseButton.LeftButton)
    assert page.problem.text() == ""
    assert page.model.rowCount() == 0
    assert lease_of(db, LEASED).monthly_rent == Decimal("12345.00")
    assert [(t, f) for _, t, f, _ in _resolutions(db)] == [("lease", None)]
