"""The window opens on the work desk; its lines name what needs attention and open it."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from desktop.cases.opening import basis_of, open_eligible
from desktop.cases.parameters import load_case_parameters
from desktop.qt.core import Qt
from desktop.qt.widgets import QDialog
from desktop.rules.engine import evaluate_roster
from desktop.rules.policy import load_policy
from desktop.store import Database
from desktop.ui.desk_page import DeskPage
from desktop.ui.enterprise_dialog import EnterpriseDialog
from desktop.ui.enterprise_taskforce import EnterpriseWork
from desktop.ui.main_window import MainWindow
from desktop.ui.taskforce_page import TaskforcePage
from tests.ui.conftest import screenshot, when_modal

DINGXIANG, YUANPING = "91140921MA0XY00036", "91140981MA0XY00020"
WUTAI, YUANPING_NEW = "91140922MA0XY00071", "91140981MA0XY0006C"


def _desk(window: MainWindow) -> DeskPage:
    desk = window.pages["工作台"]
    assert isinstance(desk, DeskPage)
    return desk


def test_the_window_opens_on_the_desk(tf_window: MainWindow, ledgers: dict[str, int]) -> None:
    desk = _desk(tf_window)
    assert tf_window.stack.currentWidget() is desk
    assert tf_window.nav.currentItem().text() == "工作台"
    found = [(i.kind, i.warning, i.ref) for i in desk.items()]
    assert found == [
        ("problem", "red", ledgers["red"]),  # 3 days overdue
        ("problem", "yellow", ledgers["yellow"]),  # due in 2 days (warn_days 3)
        ("visit", None, DINGXIANG),  # 包联, not visited this month (忻府 0001F was)
        ("visit", None, YUANPING),
        ("report", None, WUTAI),  # 规上, no report for 2023年3月, the last period
        ("report", None, YUANPING_NEW),
    ]
    lines = [desk.model.index(r, 2).data() for r in range(desk.model.rowCount())]
    assert "已超期 3 天" in lines[0] and "缺少熟练焊工30名" in lines[0]
    assert lines[4] == "示例·五台特种材料有限公司：2023年3月运行监测未报送"
    assert desk.model.index(0, 0).data() == "红色"
    assert desk.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert desk.summary.text().startswith("今天（")
    assert "问题预警 2 项（红色 1）" in desk.summary.text()
    screenshot(tf_window, "taskforce-desk")


def test_a_problem_line_opens_the_problem(tf_window: MainWindow, ledgers: dict[str, int]) -> None:
    desk = _desk(tf_window)
    desk.table.doubleClicked.emit(desk.model.index(1, 2))
    page = tf_window.pages["包联服务"]
    assert isinstance(page, TaskforcePage)
    assert tf_window.stack.currentWidget() is page
    assert page.tabs.currentWidget() is page.problems
    selected = page.problems.selected()
    assert selected is not None and selected.id == ledgers["yellow"]


def test_an_enterprise_line_opens_the_enterprise(qtbot: QtBot, tf_window: MainWindow) -> None:
    desk = _desk(tf_window)
    seen: list[str] = []

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, EnterpriseDialog)
        seen.append(dialog.uscc.text())
        work = dialog.findChild(EnterpriseWork)
        assert work is not None
        seen.append(work.assignment.text())
        dialog.tabs.setCurrentWidget(work)
        screenshot(dialog, "taskforce-enterprise-dialog")
        dialog.reject()

    when_modal(look, EnterpriseDialog)
    desk.table.doubleClicked.emit(desk.model.index(3, 2))  # 原平装备制造: not visited
    assert seen == [YUANPING, "包联领导：王县长　服务小组：第一服务小组"]


@pytest.fixture
def case_numbers(sample_db: Database) -> list[str]:
    """Cases opened on the sample's eligible results (past every deadline, 2023-12-31), as the
    desk lists them: by measure, then number."""
    with sample_db.session(source="command") as s:
        opened, _ = open_eligible(
            s, evaluate_roster(s), basis_of(load_policy()), load_case_parameters()
        )
        return sorted((c.number for c in opened), key=lambda n: (int(n.split("-")[0]), n))


def test_a_case_line_opens_its_case(
    qtbot: QtBot, case_numbers: list[str], tf_window: MainWindow
) -> None:
    desk = _desk(tf_window)
    cases = [i for i in desk.items() if i.kind == "case"]
    assert [(i.warning, i.ref) for i in cases] == [("red", n) for n in case_numbers]
    row = [i.kind for i in desk.items()].index("case")
    screenshot(tf_window, "taskforce-desk-with-cases")
    desk.table.doubleClicked.emit(desk.model.index(row, 2))
    page = tf_window.pages["兑现管理"]
    assert tf_window.stack.currentWidget() is page
    assert [line.number for line in page.selected_lines()] == [cases[0].ref]
