"""问题清单 in the window: filters (state, county, warning, overdue), the list, and the moves the
state table allows for the selected problem, as buttons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop.changes import Changes
from desktop.models import County, Problem
from desktop.paperwork import default_file_name
from desktop.qt.widgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from desktop.roster.query import choices
from desktop.taskforce.problem_states import MOVES, Move, State
from desktop.taskforce.problems import ProblemLine, move_problem, problem_lines
from desktop.taskforce.visit_entry import RaisedProblem, correct_problem, record_problem
from desktop.ui.empty_hint import hint_when_empty
from desktop.ui.icons import with_icon
from desktop.ui.page import Page
from desktop.ui.paper_files import PaperFiles, notices_file
from desktop.ui.problem_dialog import ProblemDialog
from desktop.ui.problem_move_dialog import MoveDialog
from desktop.ui.tables import shown_columns, table_view
from desktop.ui.warning_model import WARNING_TEXT, WarningModel

WARNING_CHOICES = (("全部", None), ("红色预警", "red"), ("黄色预警", "yellow"), ("无预警", ""))


@dataclass(frozen=True)
class ProblemRow:
    """A problem as the table shows it."""

    id: int
    enterprise: str
    county: str
    category: str
    description: str
    lead_unit: str
    raised_on: date
    deadline: date
    state: str
    warning: str
    line: ProblemLine

    @classmethod
    def of(cls, line: ProblemLine) -> ProblemRow:
        return cls(
            line.id, line.enterprise, line.county, line.category, line.description,
            line.lead_unit or "未确定", line.raised_on, line.deadline, line.state.label,
            WARNING_TEXT[line.warning], line,
        )  # fmt: skip


COLUMNS = shown_columns(
    ("id", "编号"), ("enterprise", "企业"), ("county", "县（市、区）"), ("category", "类别"),
    ("description", "问题描述"), ("lead_unit", "主办单位"), ("raised_on", "反映日期"),
    ("deadline", "办理时限"), ("state", "办理状态"), ("warning", "预警"),
)  # fmt: skip


COLUMN_NAMES = [c.attr for c in COLUMNS]


class ProblemList(QWidget):
    """The problem list of ``page``'s database; each move is written there and published."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.page = page
        self.state, self.county, self.warning = QComboBox(), QComboBox(), QComboBox()
        self.state.addItem("全部", None)
        for state in State:
            self.state.addItem(state.label, state)
        for label, value in WARNING_CHOICES:
            self.warning.addItem(label, value)
        self.overdue = QCheckBox("只看超期")
        self.model = WarningModel(COLUMNS, lambda row: row.line.warning, self)
        self.table = table_view(self.model, stretch_last=False)
        self.table.horizontalHeader().setSectionResizeMode(
            COLUMN_NAMES.index("description"), QHeaderView.ResizeMode.Stretch
        )
        self.table.setWordWrap(False)
        hint_when_empty(
            self.table,
            "没有问题（或没有符合筛选条件的问题）。走访中反映的问题、"
            "「新增问题」登记的问题和导入的问题清单都列在这里。",
        )
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._offer_moves())
        self.count = QLabel()
        self.chosen = QLabel("选中一个问题，右边列出它可以办理的下一步。")
        self.move_buttons: dict[State, QPushButton] = {}
        moves = QHBoxLayout()
        moves.addWidget(self.chosen, 1)
        for state in State:
            if any(state in targets for targets in MOVES.values()):
                button = with_icon(QPushButton(f"改为「{state.label}」…"), "move")
                button.clicked.connect(lambda _=False, to=state: self.ask_move(to))
                moves.addWidget(button)
                self.move_buttons[state] = button
        layout = QVBoxLayout(self)
        layout.addLayout(self._filter_row())
        layout.addWidget(self.table, 1)
        layout.addLayout(moves)
        self.files = PaperFiles()
        layout.addWidget(self.files)
        self._offer_moves()

    def _filter_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for label, combo in (("办理状态", self.state), ("县（市、区）", self.county),
                             ("预警", self.warning)):  # fmt: skip
            row.addWidget(QLabel(label))
            row.addWidget(combo)
            combo.currentIndexChanged.connect(self.reload)
        self.overdue.toggled.connect(self.reload)
        row.addWidget(self.overdue)
        add = with_icon(QPushButton("新增问题（电话、12345等）…"), "add")
        add.clicked.connect(self.add_problem)
        row.addWidget(add)
        correct = with_icon(QPushButton("修改…"), "edit")
        correct.setToolTip("改正所选问题的类别、描述和办理单位（办理状态只能逐步办理）")
        correct.clicked.connect(self.correct_problem)
        row.addWidget(correct)
        notices = with_icon(QPushButton("红色预警问题的督办单（PDF）…"), "pdf")
        notices.setToolTip("今天已超期未办结的每个问题一页督办单（第十七条）")
        notices.clicked.connect(self.print_notices)
        row.addWidget(notices)
        row.addStretch()
        row.addWidget(self.count)
        return row

    def refresh_counties(self) -> None:
        with self.page.db.reader() as s:
            names = [name for _, name in choices(s, County)]
        current = self.county.currentData()
        self.county.blockSignals(True)
        self.county.clear()
        self.county.addItem("全部", None)
        for name in names:
            self.county.addItem(name, name)
        self.county.setCurrentIndex(max(self.county.findData(current), 0))
        self.county.blockSignals(False)

    def reload(self) -> None:
        """Read the list again with the filters chosen, keeping the selected problem."""
        kept = self.selected()
        state = self.state.currentData()  # Qt gives the StrEnum back as its str
        with self.page.db.reader() as s:
            lines = problem_lines(
                s, date.today(), states=frozenset({State(state)}) if state else frozenset(),
                overdue=self.overdue.isChecked(), county=self.county.currentData(),
            )  # fmt: skip
        warning = self.warning.currentData()
        if warning is not None:
            lines = [line for line in lines if (line.warning or "") == warning]
        self.model.set_rows([ProblemRow.of(line) for line in lines])
        self.count.setText(f"共 {len(lines)} 个问题")
        if kept is not None:
            self.select(kept.id)
        self._offer_moves()

    def show_problem(self, problem_id: int) -> None:
        """Clear the filters and select problem ``problem_id``."""
        for combo in (self.state, self.county, self.warning):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.overdue.blockSignals(True)
        self.overdue.setChecked(False)
        self.overdue.blockSignals(False)
        self.reload()
        self.select(problem_id)

    def select(self, problem_id: int) -> None:
        for row, shown in enumerate(self.model.rows()):
            if shown.id == problem_id:
                self.table.selectRow(row)
                return

    def selected(self) -> ProblemLine | None:
        index = self.table.currentIndex()
        return self.model.rows()[index.row()].line if index.isValid() else None

    def _offer_moves(self) -> None:
        """Only the moves the state table allows from the selected problem's state."""
        line = self.selected()
        allowed = MOVES[line.state] if line else frozenset()
        for state, button in self.move_buttons.items():
            button.setVisible(state in allowed)
        if line is None:
            self.chosen.setText("选中一个问题，右边列出它可以办理的下一步。")
        elif not allowed:
            self.chosen.setText(f"问题 #{line.id} 已销号，不能再办理。")
        else:
            self.chosen.setText(f"问题 #{line.id}（{line.state.label}）可以：")

    def add_problem(self) -> None:
        """Record a problem raised outside a visit."""

        def commit(uscc: str, on: date, source: str, raised: RaisedProblem) -> None:
            with self.page.db.session() as s:
                record_problem(s, uscc, on, source, raised)
            self.page.publish(Changes.TASKFORCE)

        dialog = ProblemDialog(self.page.db, commit, self)
        dialog.exec()
        dialog.deleteLater()

    def correct_problem(self) -> None:
        """Correct the selected problem's category, description and units."""
        line = self.selected()
        if line is None:
            return
        with self.page.db.reader() as s:
            kept = s.get(Problem, line.id)
        if kept is None:
            return

        def commit(_uscc: str, _on: date, _source: str, raised: RaisedProblem) -> None:
            with self.page.db.session() as s:
                correct_problem(s, line.id, raised, dialog.version)
            self.page.publish(Changes.TASKFORCE)

        dialog = ProblemDialog(self.page.db, commit, self, (kept, line.uscc))
        dialog.exec()
        dialog.deleteLater()

    def print_notices(self) -> None:
        """The 督办单 of every problem red today, as a PDF (said instead when none is)."""
        today = date.today()
        with self.page.db.reader() as s:
            red = len(problem_lines(s, today, overdue=True))
        if not red:
            self.files.say(f"今天（{today.isoformat()}）没有超期未办结的问题，无需督办单。")
            return
        suggested = default_file_name(f"督办单（{red}件）", None, today, ".pdf")
        self.files.save("督办单存为 PDF", suggested, notices_file(self.page.db))

    def ask_move(self, to: State) -> None:
        """Ask what the move needs, then make it (refusals are said in the form)."""
        line = self.selected()
        if line is None or to not in MOVES[line.state]:
            return
        dialog = MoveDialog(line, to, lambda move: self._move(line.id, move), self)
        dialog.exec()
        dialog.deleteLater()

    def _move(self, problem_id: int, move: Move) -> None:
        with self.page.db.session() as s:
            move_problem(s, problem_id, move)
        self.page.publish(Changes.TASKFORCE)
