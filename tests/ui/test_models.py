"""Every table model of the window passes Qt's model tester, and behaves as the pages need."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pytestqt.modeltest import ModelTester

from desktop.qt.core import Qt
from desktop.roster.query import COLUMN_KEYS, RosterFilter
from desktop.roster.records import LeaseRow
from desktop.roster.reference import ZoneRow
from desktop.store import Database
from desktop.ui.enterprise_dialog import (
    ANNUAL_COLUMNS,
    MONTHLY_COLUMNS,
    lease_columns,
    next_month,
    next_year,
)
from desktop.ui.log_page import LogPage
from desktop.ui.paged_model import PAGE_SIZE, PagedTableModel
from desktop.ui.roster_model import RosterModel
from desktop.ui.row_list_model import RowListModel
from desktop.ui.settings_page import ZONE_COLUMNS


def test_roster_model(qtmodeltester: ModelTester, sample_db: Database) -> None:
    model = RosterModel(sample_db)
    model.reload()
    qtmodeltester.check(model)
    assert model.rowCount() == 14
    model.sort(COLUMN_KEYS.index("uscc"), Qt.SortOrder.DescendingOrder)
    codes = [model.uscc_at(r) for r in range(model.rowCount())]
    assert codes == sorted(codes, reverse=True)
    model.set_filter(RosterFilter(white_list=True))
    qtmodeltester.check(model)
    white = COLUMN_KEYS.index("white_list")
    assert model.rowCount() > 0
    assert {model.index(r, white).data() for r in range(model.rowCount())} == {"是"}


def test_paged_model_fetches_only_the_pages_shown(qtmodeltester: ModelTester) -> None:
    asked: list[list[int]] = []

    def fetch(ids: list[int]) -> dict[int, tuple]:
        asked.append(list(ids))
        return {i: (f"第{i}行", Decimal(i), i % 2 == 0, date(2023, 1, 1)) for i in ids}

    model = PagedTableModel(["名称", "金额", "标志", "日期"], fetch)
    model.set_ids(list(range(PAGE_SIZE + 10)))
    qtmodeltester.check(model)
    model = PagedTableModel(["名称", "金额", "标志", "日期"], fetch)
    model.set_ids(list(range(50_000)))
    asked.clear()
    assert model.index(49_999, 1).data() == "49,999.00"
    assert model.index(49_998, 2).data() == "是"
    assert model.index(49_998, 3).data() == "2023-01-01"
    assert asked == [list(range(50_000 - PAGE_SIZE, 50_000))]  # one page, fetched once


def test_log_model(qtmodeltester: ModelTester, sample_db: Database, qtbot) -> None:
    page = LogPage(sample_db)
    qtbot.addWidget(page)
    qtmodeltester.check(page.model)
    assert page.model.rowCount() > 0
    assert page.model.index(0, 2).data() == "示例数据"


def test_row_list_models(qtmodeltester: ModelTester) -> None:
    for columns, new_row in (
        (MONTHLY_COLUMNS, next_month),
        (ANNUAL_COLUMNS, next_year),
        (ZONE_COLUMNS, lambda _rows: ZoneRow("")),
    ):
        model = RowListModel(columns, new_row)
        model.append_row()
        model.append_row()
        qtmodeltester.check(model)


def test_row_list_model_parses_and_refuses(qtbot) -> None:
    model = RowListModel(lease_columns(["园区"]), lambda _rows: LeaseRow("园区"))
    model.append_row()
    with qtbot.waitSignal(model.rejected) as refused:
        assert not model.setData(model.index(0, 3), "十元")
    assert refused.args == ["月租金（元）「十元」：应为金额，如 1234.5 或 12.5万元"]
    assert model.setData(model.index(0, 3), "12,345.6")
    assert model.setData(model.index(0, 4), "2023/1/5")
    assert model.setData(
        model.index(0, 1), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    row = model.rows()[0]
    assert row.monthly_rent == Decimal("12345.60")
    assert row.start_date == date(2023, 1, 5)
    assert row.standard_factory is True
