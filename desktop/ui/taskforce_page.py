"""包联服务: people and service teams, 包联 assignments and coverage, visits, the problem list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from desktop.changes import Changes
from desktop.models import Person
from desktop.paperwork import default_file_name
from desktop.qt.core import Qt
from desktop.qt.widgets import (
    QDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from desktop.store import Database
from desktop.taskforce.coverage import Coverage, Share, coverage
from desktop.taskforce.errors import TaskforceError
from desktop.taskforce.figures import percent_text, share
from desktop.taskforce.ledgers import AssignmentLine, VisitLine, assignment_lines, visit_lines
from desktop.taskforce.teams import PersonEntry, assign, people, save_person, save_team, teams
from desktop.taskforce.visit_entry import VisitEntry, correct_visit, record_visit
from desktop.ui.empty_hint import hint_when_empty
from desktop.ui.enterprise_choice import EnterpriseChoice
from desktop.ui.icons import with_icon
from desktop.ui.paper_files import PaperFiles, policy_cards_file
from desktop.ui.people_dialogs import AssignDialog, PersonDialog, TeamDialog
from desktop.ui.problem_list import ProblemList
from desktop.ui.row_list_model import RowListModel
from desktop.ui.shown_page import ShownPage
from desktop.ui.tables import button_row, shown_columns, table_view, titled
from desktop.ui.visit_dialog import VisitDialog

# What this page shows rests on the task force's ledgers and the roster (names, counties).
WATCHED = Changes.TASKFORCE | Changes.ENTERPRISES | Changes.SETTINGS
VISIT_COLUMNS = shown_columns(
    ("visited_on", "走访日期"), ("enterprise", "企业"), ("county", "县（市、区）"),
    ("people", "走访人员"), ("purpose", "走访事由"), ("measures", "宣讲政策"),
    ("problems", "反映问题数"), ("note", "备注"),
)  # fmt: skip
ASSIGNMENT_COLUMNS = shown_columns(
    ("enterprise", "企业"), ("uscc", "统一社会信用代码"), ("county", "县（市、区）"),
    ("size", "企业规模"), ("leader", "包联领导"), ("team", "服务小组"),
)  # fmt: skip
UNCOVERED_COLUMNS = shown_columns(
    ("name", "企业"), ("uscc", "统一社会信用代码"), ("county", "县（市、区）"), ("missing", "缺少"),
)  # fmt: skip
PERSON_COLUMNS = shown_columns(
    ("name", "姓名"), ("kind", "类别"), ("post", "职务"), ("unit", "单位"), ("phone", "联系电话"),
)  # fmt: skip
TEAM_COLUMNS = shown_columns(("name", "小组名称"), ("members", "成员"))


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    members: str


def share_text(what: str, found: Share) -> str:
    """服务小组覆盖规上企业 12/14 家（85.7%）."""
    rate = percent_text(share(found.covered, found.of))
    return f"{what} {found.covered}/{found.of} 家（{rate}）"


def coverage_text(found: Coverage) -> str:
    return (
        f"{share_text('服务小组覆盖规上企业', found.team)}；"
        f"{share_text('包联领导覆盖大中型企业', found.leader)}；"
        f"未覆盖 {len(found.uncovered)} 项（见下表）"
    )


class TaskforcePage(ShownPage):
    """Four tabs over the task force's ledgers; every change is written through the domain in
    one audited transaction, then published."""

    watched = WATCHED

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.tabs = QTabWidget()
        self.problems = ProblemList(self)
        self.tabs.addTab(self._assignment_tab(), "包联安排与覆盖")
        self.tabs.addTab(self._visit_tab(), "走访记录")
        self.tabs.addTab(self.problems, "问题清单")
        self.tabs.addTab(self._people_tab(), "人员与服务小组")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    # building the tabs

    def _assignment_tab(self) -> QWidget:
        self.coverage = QLabel()
        self.coverage.setWordWrap(True)
        self.coverage.setStyleSheet("QLabel { font-size: 14px; padding: 4px 0; }")
        self.assignments = RowListModel(ASSIGNMENT_COLUMNS, parent=self)
        self.uncovered = RowListModel(UNCOVERED_COLUMNS, parent=self)
        self.assignment_view = table_view(self.assignments)
        self.uncovered_view = table_view(self.uncovered)
        hint_when_empty(
            self.assignment_view,
            "还没有包联安排。点「为其他企业设置包联…」逐户设置，或在「数据导入」中导入包联企业表。",
        )
        hint_when_empty(self.uncovered_view, "规上企业都有服务小组，大中型企业都有包联领导。")
        self.assignment_view.doubleClicked.connect(
            lambda i: self.edit_assignment(self._assigned_code())
        )
        self.uncovered_view.doubleClicked.connect(
            lambda i: self.edit_assignment(self._uncovered_code())
        )
        edit = with_icon(QPushButton("设置所选企业的包联…"), "edit")
        edit.clicked.connect(
            lambda: self.edit_assignment(self._assigned_code() or self._uncovered_code())
        )
        add = with_icon(QPushButton("为其他企业设置包联…"), "add")
        add.clicked.connect(lambda: self.edit_assignment(None))
        cards = with_icon(QPushButton("所选企业的政策明白卡（PDF）…"), "pdf")
        cards.setToolTip("包联名单和未覆盖名单中选中的企业，每户一页，走访时带上")
        cards.clicked.connect(self.print_cards)
        self.card_files = PaperFiles()
        parts = QSplitter(Qt.Orientation.Vertical)
        parts.addWidget(titled("包联名单", self.assignment_view))
        parts.addWidget(
            titled("未覆盖的企业（规上企业缺服务小组、大中型企业缺包联领导）", self.uncovered_view)
        )
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.coverage)
        layout.addLayout(button_row(edit, add, cards))
        layout.addWidget(parts, 1)
        layout.addWidget(self.card_files)
        return tab

    def _visit_tab(self) -> QWidget:
        self.visits = RowListModel(VISIT_COLUMNS, parent=self)
        self.visit_view = table_view(self.visits)
        self.visit_view.setWordWrap(False)
        hint_when_empty(
            self.visit_view,
            "还没有走访记录。点「新增走访记录…」登记，或在「数据导入」中导入走访记录表"
            "（填了“反映问题”的行同时登记问题）。",
        )
        add = with_icon(QPushButton("新增走访记录…"), "add")
        add.clicked.connect(self.add_visit)
        correct = with_icon(QPushButton("修改…"), "edit")
        correct.clicked.connect(lambda: self._edit_selected(self.visit_view, self.correct_visit))
        self.visit_view.doubleClicked.connect(
            lambda i: self.correct_visit(self.visits.rows()[i.row()])
        )
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(button_row(add, correct))
        layout.addWidget(self.visit_view, 1)
        return tab

    def _people_tab(self) -> QWidget:
        self.people = RowListModel(PERSON_COLUMNS, parent=self)
        self.teams = RowListModel(TEAM_COLUMNS, parent=self)
        self.people_view, self.team_view = table_view(self.people), table_view(self.teams)
        hint_when_empty(
            self.people_view,
            "还没有人员。点「新增人员…」，或导入包联企业表（表中的包联领导、服务专员自动加入）。",
        )
        hint_when_empty(self.team_view, "还没有入企服务小组。点「新增服务小组…」组建。")
        self.people_view.doubleClicked.connect(
            lambda i: self.edit_person(self.people.rows()[i.row()])
        )
        self.team_view.doubleClicked.connect(
            lambda i: self.edit_team(self.teams.rows()[i.row()].id)
        )
        add_person = with_icon(QPushButton("新增人员…"), "add")
        add_person.clicked.connect(lambda: self.edit_person(None))
        edit_person = with_icon(QPushButton("编辑所选人员…"), "edit")
        edit_person.clicked.connect(lambda: self._edit_selected(self.people_view, self.edit_person))
        add_team = with_icon(QPushButton("新增服务小组…"), "add")
        add_team.clicked.connect(lambda: self.edit_team(None))
        edit_team = with_icon(QPushButton("编辑所选小组…"), "edit")
        edit_team.clicked.connect(
            lambda: self._edit_selected(self.team_view, lambda r: self.edit_team(r.id))
        )
        parts = QSplitter()
        people_box = titled(
            "人员（市县领导、服务专员、部门联系人）", self.people_view,
            button_row(add_person, edit_person),
        )  # fmt: skip
        team_box = titled("入企服务小组", self.team_view, button_row(add_team, edit_team))
        parts.addWidget(people_box)
        parts.addWidget(team_box)
        return parts

    # reading

    def read(self) -> None:
        """Read every list again (the ledgers or the roster changed)."""
        with self.db.reader() as s:
            found = coverage(s)
            self.coverage.setText(coverage_text(found))
            self.uncovered.set_rows(found.uncovered)
            self.assignments.set_rows(assignment_lines(s))
            self.visits.set_rows(visit_lines(s))
            self.people.set_rows(people(s))
            self.teams.set_rows([TeamRow(t.id, t.name, "、".join(m.person.name for m in t.members))
                                 for t in teams(s)])  # fmt: skip
        self.problems.refresh_counties()
        self.problems.reload()

    def show_problem(self, problem_id: int) -> None:
        """Bring problem ``problem_id`` to the front (from the work desk)."""
        self.tabs.setCurrentWidget(self.problems)
        self.problems.show_problem(problem_id)

    # writing

    def write(self, what: Callable[[Session], Any]) -> None:
        """Run ``what`` in one audited transaction and publish the change (refusals raise)."""
        with self.db.session() as s:
            what(s)
        self.publish(Changes.TASKFORCE)

    def add_visit(self) -> None:
        def commit(entry: VisitEntry) -> None:
            self.write(lambda s: record_visit(s, entry))

        self._run(VisitDialog(self.db, commit, self))

    def correct_visit(self, kept: VisitLine) -> None:
        """Correct visit ``kept``'s people, purpose, measures and note."""

        def commit(entry: VisitEntry) -> None:
            self.write(lambda s: correct_visit(s, kept.id, entry, dialog.version))

        dialog = VisitDialog(self.db, commit, self, kept)
        self._run(dialog)

    def edit_person(self, person: Person | None) -> None:
        person_id = person.id if person else None

        def commit(entry: PersonEntry) -> None:
            self.write(lambda s: save_person(s, entry, person_id, dialog.version))

        dialog = PersonDialog(person, commit, self)
        self._run(dialog)

    def edit_team(self, team_id: int | None) -> None:
        with self.db.reader() as s:
            everyone = people(s)
            team = next((t for t in teams(s) if t.id == team_id), None)

        def commit(name: str, members: list[int]) -> None:
            self.write(lambda s: save_team(s, name, members, team_id))

        self._run(TeamDialog(team, everyone, commit, self))

    def edit_assignment(self, uscc: str | None) -> None:
        """Set an enterprise's leader and team (``uscc`` None: the officer chooses it)."""
        choice = EnterpriseChoice(self.db)
        chosen: tuple[int | None, int | None] = (None, None)
        with self.db.reader() as s:
            everyone, all_teams = people(s), teams(s)
            if uscc is not None:
                choice.choose(uscc)
                choice.setEnabled(False)
                line = next(iter(assignment_lines(s, uscc)), None)
                if line is not None:
                    chosen = (line.leader_id, line.team_id)

        def commit(leader: int | None, team: int | None) -> None:
            code = choice.uscc()
            if code is None:
                raise TaskforceError("请从列表中选择企业")
            self.write(lambda s: assign(s, code, leader, team))

        self._run(AssignDialog(choice, everyone, all_teams, chosen, commit, self))

    def print_cards(self) -> None:
        """The policy cards of the enterprises selected in either list, as a PDF."""
        codes = self.selected_codes()
        if not codes:
            self.card_files.say("请先在包联名单或未覆盖名单中选中企业（可按住 Ctrl 多选）。")
            return
        suggested = default_file_name(f"政策明白卡（{len(codes)}户）", None, date.today(), ".pdf")
        self.card_files.save("政策明白卡存为 PDF", suggested, policy_cards_file(self.db, codes))

    def selected_codes(self) -> list[str]:
        """The credit codes selected in the 包联 list, then in the list of those not covered."""
        codes = [self.assignments.rows()[row].uscc for row in _selected(self.assignment_view)]
        codes += [self.uncovered.rows()[row].uscc for row in _selected(self.uncovered_view)]
        return list(dict.fromkeys(codes))

    @staticmethod
    def _run(dialog: QDialog) -> None:
        """Show a form (it writes, or says why not, itself) and let it go."""
        dialog.exec()
        dialog.deleteLater()

    @staticmethod
    def _edit_selected(view: Any, edit: Callable[[Any], None]) -> None:
        index = view.currentIndex()
        if index.isValid():
            edit(view.model().rows()[index.row()])

    def _assigned_code(self) -> str | None:
        index = self.assignment_view.currentIndex()
        line: AssignmentLine | None = (
            self.assignments.rows()[index.row()] if index.isValid() else None
        )
        return line.uscc if line else None

    def _uncovered_code(self) -> str | None:
        index = self.uncovered_view.currentIndex()
        return self.uncovered.rows()[index.row()].uscc if index.isValid() else None


def _selected(view: QTableView) -> list[int]:
    """The rows selected in ``view``, top to bottom."""
    return sorted(index.row() for index in view.selectionModel().selectedRows())
