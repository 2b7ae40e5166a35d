"""The pages after 企业名录, wired to the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.qt.widgets import QWidget
from desktop.ui.export_page import ExportPage
from desktop.ui.import_page import ImportPage
from desktop.ui.log_page import LogPage
from desktop.ui.policy_page import PolicyPage
from desktop.ui.settings_page import SettingsPage

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


def build_pages(window: MainWindow) -> list[tuple[str, QWidget]]:
    """(title, page) of 数据导入, 政策测算, 申报导出, 操作记录, 设置, in that order."""
    importer = ImportPage(window.db)
    importer.imported.connect(window.refresh_all)
    settings = SettingsPage(window.db)
    settings.saved.connect(window.refresh_all)
    return [
        ("数据导入", importer),
        ("政策测算", PolicyPage(window.db)),
        ("申报导出", ExportPage(window.db, window.roster.selected_uscc)),
        ("操作记录", LogPage(window.db, window.restore_backup)),
        ("设置", settings),
    ]
