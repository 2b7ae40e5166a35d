"""The pages of the main window, in the order of its navigation (they know nothing of it)."""

from __future__ import annotations

from desktop.store import Database
from desktop.ui.case_page import CasePage
from desktop.ui.conflict_page import ConflictPage
from desktop.ui.desk_page import DeskPage
from desktop.ui.export_page import ExportPage
from desktop.ui.import_page import ImportPage
from desktop.ui.log_page import LogPage
from desktop.ui.monitoring_page import MonitoringPage
from desktop.ui.page import Page
from desktop.ui.policy_page import PolicyPage
from desktop.ui.roster_page import RosterPage
from desktop.ui.settings_page import SettingsPage
from desktop.ui.taskforce_page import TaskforcePage


def build_pages(db: Database) -> dict[str, Page]:
    """工作台, 企业名录, 数据导入, 政策测算, 兑现管理, 申报导出, 包联服务, 运行监测, 操作记录, 设置,
    冲突处理, each by its title; the desk's lines open the problem, the case or the enterprise
    they name."""
    desk, roster, taskforce, cases = DeskPage(db), RosterPage(db), TaskforcePage(db), CasePage(db)
    desk.open_enterprise.connect(roster.open_enterprise)
    policy = PolicyPage(db)
    policy.open_enterprise.connect(roster.open_enterprise)

    def open_case(number: str, uscc: str) -> None:
        desk.go_to.emit("兑现管理")  # shown first: the page reads its cases when shown
        if not cases.show_case(number):
            roster.open_enterprise(uscc)

    desk.open_case.connect(open_case)
    desk.open_problem.connect(taskforce.show_problem)
    desk.open_problem.connect(lambda _: desk.go_to.emit("包联服务"))
    return {
        "工作台": desk,
        "企业名录": roster,
        "数据导入": ImportPage(db),
        "政策测算": policy,
        "兑现管理": cases,
        "申报导出": ExportPage(db, roster.selected_uscc),
        "包联服务": taskforce,
        "运行监测": MonitoringPage(db),
        "操作记录": LogPage(db),
        "设置": SettingsPage(db),
        "冲突处理": ConflictPage(db),
    }
