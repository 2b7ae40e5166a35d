"""Empty lists and the empty preview say why they are empty and what fills them; the line goes
once there is something to show."""

from __future__ import annotations

from desktop.changes import Changes
from desktop.qt.widgets import QLabel, QTableView
from desktop.ui.main_window import MainWindow
from desktop.ui.monitoring_page import MonitoringPage
from desktop.ui.taskforce_page import TaskforcePage
from tests.ui.conftest import open_page, screenshot
from tests.ui.taskforce.conftest import write_ledgers


def _hint(view: QTableView) -> QLabel:
    label = view.viewport().findChild(QLabel)
    assert label is not None
    return label


def test_the_task_force_pages_before_and_after_their_ledgers(window: MainWindow) -> None:
    page = open_page(window, "包联服务", TaskforcePage)
    page.tabs.setCurrentIndex(1)
    hints = {name: _hint(view) for name, view in (
        ("assignments", page.assignment_view), ("visits", page.visit_view),
        ("problems", page.problems.table), ("people", page.people_view),
    )}  # fmt: skip
    assert hints["visits"].text().startswith("还没有走访记录。点「新增走访记录…」登记")
    assert not any(h.isHidden() for h in hints.values())
    screenshot(window, "taskforce-visits-empty")
    monitoring = open_page(window, "运行监测", MonitoringPage)
    monitoring.tabs.setCurrentWidget(monitoring.preview_tab)
    assert monitoring.headline.text().startswith("还没有运行监测数据。")
    assert not monitoring.no_document.label.isHidden()
    assert monitoring.document is None  # nothing to preview

    write_ledgers(window.db)
    window.apply_changes(Changes.TASKFORCE)
    assert monitoring.no_document.label.isHidden()  # 2023年3月 shown and painted
    assert monitoring.document is not None and monitoring.document.pageCount() > 0
    window.show_page("包联服务")
    assert all(h.isHidden() for h in hints.values())
