"""The pages after 企业名录, each built over its engineer's part once it has landed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from desktop.ui.pending import PendingPage, available

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


def _import_page(window: MainWindow) -> QWidget:
    if not available(
        "desktop.importing:import_files",
        "desktop.importing:list_batches",
        "desktop.importing:undo_batch",
        "desktop.sheets:read_workbook",
    ):
        return PendingPage(
            "数据导入", "读取和导入表格的功能完成后，这里将可以选择文件、核对列对应、预览并导入。"
        )
    from desktop.ui.import_page import ImportPage

    page = ImportPage(window.db)
    page.imported.connect(window.refresh_all)
    return page


def _policy_page(window: MainWindow) -> QWidget:
    if not available("desktop.rules.evaluate:evaluate_roster"):
        return PendingPage(
            "政策测算", "政策规则完成后，这里将逐条措施列出符合、不符合和资料不全的企业及金额。"
        )
    from desktop.ui.policy_page import PolicyPage

    return PolicyPage(window.db)


def _export_page(window: MainWindow) -> QWidget:
    if not available(
        "desktop.rules.evaluate:evaluate_roster",
        "desktop.filing.operations:export_filing_sheet",
        "desktop.forms.operations:eligible_forms",
    ):
        return PendingPage("申报导出", "申报表、台账和申请表完成后，这里将可以导出和打印。")
    from desktop.ui.export_page import ExportPage

    return ExportPage(window.db, window.roster.selected_uscc)


def build_pages(window: MainWindow) -> list[tuple[str, QWidget]]:
    """(title, page) of 数据导入, 政策测算, 申报导出, 操作记录, 设置, in that order."""
    from desktop.ui.log_page import LogPage
    from desktop.ui.settings_page import SettingsPage

    log = LogPage(window.db, window.restore_backup)
    settings = SettingsPage(window.db)
    settings.saved.connect(window.refresh_all)
    return [
        ("数据导入", _import_page(window)),
        ("政策测算", _policy_page(window)),
        ("申报导出", _export_page(window)),
        ("操作记录", log),
        ("设置", settings),
    ]
