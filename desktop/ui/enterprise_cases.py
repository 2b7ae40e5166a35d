"""The enterprise editor's 兑现事项 tab: the enterprise's cases, as 兑现管理 lists them."""

from __future__ import annotations

from datetime import date

from desktop.cases.parameters import load_case_parameters
from desktop.qt.widgets import QLabel, QTabWidget, QVBoxLayout, QWidget
from desktop.roster.records import EnterpriseRecord
from desktop.store import Database
from desktop.ui.case_model import CASE_COLUMNS, CaseTableModel, load_case_lines
from desktop.ui.tables import table_view

SHOWN = ("number", "clause", "state", "warning", "snapshot_amount", "approved_amount",
         "paid_amount")  # fmt: skip
COLUMNS = [c for c in CASE_COLUMNS if c.attr in SHOWN]
TITLE = "兑现事项"


class EnterpriseCases(QWidget):
    """The cases of the enterprise ``uscc``, read once (the editor is a modal dialog)."""

    def __init__(self, db: Database, uscc: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cases = CaseTableModel(self, COLUMNS)
        with db.reader() as s:
            lines = load_case_lines(s, load_case_parameters(), date.today(), None, uscc)
        self.cases.set_rows(lines)
        layout = QVBoxLayout(self)
        layout.addWidget(table_view(self.cases))
        note = f"共 {len(lines)} 件；在「兑现管理」中办理。" if lines else "尚未立案。"
        layout.addWidget(QLabel(note))


def add_cases_tab(tabs: QTabWidget, db: Database, record: EnterpriseRecord | None) -> None:
    """Add the 兑现事项 tab of the enterprise edited to the editor's ``tabs`` (none for a new
    enterprise)."""
    if record is not None:
        tabs.addTab(EnterpriseCases(db, record.uscc), TITLE)
