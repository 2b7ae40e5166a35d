"""The enterprise dialog's 包联与监测 tab: its 包联, visits, problems and monitoring reports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from desktop.paperwork import default_file_name
from desktop.qt.core import Qt, Signal
from desktop.qt.widgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget
from desktop.store import Database
from desktop.taskforce.ledgers import ReportLine, assignment_lines, report_lines, visit_lines
from desktop.taskforce.problems import problem_lines
from desktop.ui.icons import with_icon
from desktop.ui.monitoring_page import REPORT_COLUMNS, ReportRow
from desktop.ui.paper_files import PaperFiles, policy_cards_file
from desktop.ui.problem_list import COLUMNS as PROBLEM_COLUMNS
from desktop.ui.problem_list import ProblemRow
from desktop.ui.report_dialog import enter_report
from desktop.ui.row_list_model import Column, RowListModel
from desktop.ui.tables import button_row, shown_columns, table_view, titled
from desktop.ui.warning_model import WarningModel

VISIT_COLUMNS = shown_columns(
    ("visited_on", "走访日期"), ("people", "走访人员"), ("purpose", "走访事由"),
    ("measures", "宣讲政策"), ("problems", "反映问题数"), ("note", "备注"),
)  # fmt: skip
_ONE_FIRM = frozenset({"enterprise", "uscc", "county"})  # the same on every row here


def _own(columns: Sequence[Column]) -> list[Column]:
    """The columns that differ between rows of one enterprise."""
    return [c for c in columns if c.attr not in _ONE_FIRM]


class EnterpriseWork(QWidget):
    """What the task force keeps of enterprise ``uscc`` (its reports entered and corrected
    here; the rest edited on 包联服务)."""

    written = Signal(object)  # the Period of a report written here

    def __init__(self, db: Database, uscc: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.uscc = db, uscc
        self.visits = RowListModel(VISIT_COLUMNS, parent=self)
        self.problems = WarningModel(_own(PROBLEM_COLUMNS), lambda row: row.line.warning, self)
        report_columns = [*shown_columns(("period_label", "期间")), *_own(REPORT_COLUMNS)]
        self.reports = RowListModel(report_columns, parent=self)
        with db.reader() as s:
            line = next(iter(assignment_lines(s, uscc)), None)
            self.visits.set_rows(visit_lines(s, uscc))
            self.problems.set_rows(
                [ProblemRow.of(p) for p in problem_lines(s, date.today(), uscc=uscc)]
            )
        leader = (line.leader if line else None) or "未确定"
        team = (line.team if line else None) or "未确定"
        self.assignment = QLabel(f"包联领导：{leader}　服务小组：{team}")
        self.files = PaperFiles()
        card = with_icon(QPushButton("本企业的政策明白卡（PDF）…"), "pdf")
        card.clicked.connect(lambda: self.print_card(db, uscc))
        top = QHBoxLayout()
        top.addWidget(self.assignment, 1)
        top.addWidget(card)
        parts = QSplitter(Qt.Orientation.Vertical)
        parts.addWidget(
            titled(f"走访记录（{len(self.visits.rows())} 次）", table_view(self.visits))
        )
        parts.addWidget(
            titled(f"问题清单（{len(self.problems.rows())} 个）", table_view(self.problems))
        )
        parts.addWidget(self._report_box())
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(parts, 1)
        layout.addWidget(self.files)
        hint = QLabel(
            "走访、问题和包联在「包联服务」页办理；监测数据在这里逐期登记，或通过「数据导入」报送。"
        )
        hint.setStyleSheet("color: #555")
        layout.addWidget(hint)

    def _report_box(self) -> QWidget:
        self.report_view = table_view(self.reports)
        self.report_view.doubleClicked.connect(lambda i: self.correct_report(i.row()))
        enter = with_icon(QPushButton("登记报送…"), "add")
        enter.clicked.connect(lambda: self._write(None))
        correct = with_icon(QPushButton("修改…"), "edit")
        correct.clicked.connect(lambda: self.correct_report(self.report_view.currentIndex().row()))
        box = titled("", self.report_view, button_row(enter, correct))
        heading = box.findChild(QLabel, "", Qt.FindChildOption.FindDirectChildrenOnly)
        assert heading is not None  # titled's heading
        self.report_heading = heading
        self._read_reports()
        return box

    def _read_reports(self) -> None:
        with self.db.reader() as s:
            self.lines = report_lines(s, uscc=self.uscc)
        self.reports.set_rows([ReportRow.of(r) for r in self.lines])
        self.report_heading.setText(f"运行监测（{len(self.lines)} 期）")

    def correct_report(self, row: int) -> None:
        """The report on row ``row`` in the form, to correct (no row chosen: nothing)."""
        if 0 <= row < len(self.lines):
            self._write(self.lines[row])

    def _write(self, kept: ReportLine | None) -> None:
        written = enter_report(self.db, None, kept, self, self.uscc)
        if written is not None:
            self._read_reports()
            self.written.emit(written)

    def print_card(self, db: Database, uscc: str) -> None:
        """This enterprise's 政策明白卡, one A4 page, as a PDF."""
        suggested = default_file_name(f"政策明白卡-{uscc}", None, date.today(), ".pdf")
        self.files.save("政策明白卡存为 PDF", suggested, policy_cards_file(db, [uscc]))
