"""The pages of the main window, in the order of its navigation (they know nothing of it)."""

from __future__ import annotations

from desktop.store import Database
from desktop.ui.case_page import CasePage
from desktop.ui.export_page import ExportPage
from desktop.ui.import_page import ImportPage
from desktop.ui.log_page import LogPage
from desktop.ui.page import Page
from desktop.ui.policy_page import PolicyPage
from desktop.ui.roster_page import RosterPage
from desktop.ui.settings_page import SettingsPage


def build_pages(db: Database) -> dict[str, Page]:
    """企业名录, 数据导入, 政策测算, 兑现管理, 申报导出, 操作记录, 设置, each by its title."""
    roster = RosterPage(db)
    return {
        "企业名录": roster,
        "数据导入": ImportPage(db),
        "政策测算": PolicyPage(db),
        "兑现管理": CasePage(db),
        "申报导出": ExportPage(db, roster.selected_uscc),
        "操作记录": LogPage(db),
        "设置": SettingsPage(db),
    }
