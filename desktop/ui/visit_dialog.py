"""Entering a visit (入企服务记录): date, enterprise, who went, purpose, the measures explained
(from the enterprise's current results), the problems raised (each becomes a problem), note."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from desktop import values
from desktop.models import County, Enterprise
from desktop.qt.core import QDate, Qt
from desktop.qt.widgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from desktop.rules import catalogue
from desktop.rules.engine import evaluate_roster
from desktop.rules.result import Result
from desktop.store import Database, StoreError
from desktop.taskforce.errors import TaskforceError
from desktop.taskforce.ledgers import VisitLine
from desktop.taskforce.visit_entry import JOIN, RaisedProblem, VisitEntry
from desktop.ui.choice_delegate import use_choices
from desktop.ui.enterprise_choice import EnterpriseChoice
from desktop.ui.form_dialog import date_edit, date_of
from desktop.ui.icons import with_icon
from desktop.ui.row_list_model import Column, RowListModel
from desktop.ui.stale_dialog import Correction, commit_over_changes
from desktop.ui.tables import button_row, table_view
from desktop.values.choices import PROBLEM_CATEGORY
from desktop.values.typed import ValueType

PURPOSE_HINT = "如：讲形势、送政策、解难题"
PEOPLE_SEPARATORS = ("，", ",", " ", "；", ";")
CORRECTED = ("people", "purpose", "measures", "note")  # what a correction sets, by column


@dataclass(frozen=True)
class ProblemDraft:
    """A problem row as typed (the deadline may still be missing)."""

    category: str = PROBLEM_CATEGORY.words[-1]
    description: str | None = None
    lead_unit: str | None = None
    assisting_units: str | None = None
    deadline: date | None = None


PROBLEM_COLUMNS = (
    Column("category", "问题类别", PROBLEM_CATEGORY, choices=PROBLEM_CATEGORY.words),
    Column("description", "问题描述*"),
    Column("lead_unit", "主办单位*"),
    Column("assisting_units", "协办单位"),
    Column("deadline", "办理时限*", values.optional(ValueType.date)),
)


def enterprise_results(db: Database, uscc: str) -> list[Result]:
    """The enterprise's current results under every measure (its county evaluated)."""
    with db.reader() as s:
        county = s.scalar(select(County.name).join(Enterprise).where(Enterprise.uscc == uscc))
        found = evaluate_roster(s, county=county)
    return [r for r in found if r.uscc == uscc]


def raised(drafts: list[ProblemDraft]) -> list[RaisedProblem]:
    """The problems typed, or TaskforceError naming the first row missing something."""
    found = []
    for n, draft in enumerate(drafts, 1):
        for what, value in (("问题描述", draft.description), ("主办单位", draft.lead_unit),
                            ("办理时限", draft.deadline)):  # fmt: skip
            if value is None:
                raise TaskforceError(f"第{n}个问题：请填写{what}")
        assert draft.description and draft.lead_unit and draft.deadline
        found.append(
            RaisedProblem(
                draft.category,
                draft.description,
                draft.lead_unit,
                draft.deadline,
                draft.assisting_units,
            )
        )
    return found


class VisitDialog(QDialog):
    """A new visit or, ``kept`` given, that visit to correct (its day and enterprise fixed, its
    problems kept on the problem list); ``commit`` writes it (raising TaskforceError or
    StoreError to refuse)."""

    def __init__(
        self,
        db: Database,
        commit: Callable[[VisitEntry], None],
        parent: QWidget | None = None,
        kept: VisitLine | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self._commit = db, commit
        self.correction: Correction | None = None
        self.setWindowTitle("修改走访记录" if kept else "新增走访记录")
        self.resize(820, 640)
        self.day = date_edit(date.today())
        self.enterprise = EnterpriseChoice(db)
        self.enterprise.currentIndexChanged.connect(self._show_measures)
        self.people = QLineEdit()
        self.people.setPlaceholderText("走访人员姓名，多人用顿号分隔，如 张伟、李娜")
        self.purpose = QLineEdit()
        self.purpose.setPlaceholderText(PURPOSE_HINT)
        self.measures = QListWidget()
        self.measures.setMaximumHeight(120)
        self.problems = RowListModel(PROBLEM_COLUMNS, lambda _rows: ProblemDraft(), self)
        self.note = QPlainTextEdit()
        self.note.setMaximumHeight(60)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        self.problems.rejected.connect(self.message.setText)
        form = QFormLayout()
        form.addRow("走访日期*", self.day)
        form.addRow("企业*", self.enterprise)
        form.addRow("走访人员*", self.people)
        form.addRow("走访事由", self.purpose)
        form.addRow("宣讲政策", self.measures)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        problems = (QLabel("企业反映的问题（每行记为一个待交办的问题）："), self._problem_table())
        layout.addWidget(problems[0])
        layout.addWidget(problems[1], 1)
        notes = QFormLayout()
        notes.addRow("备注", self.note)
        layout.addLayout(notes)
        layout.addWidget(self.message)
        box = QDialogButtonBox()
        save = box.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        for button in box.buttons():
            button.setAutoDefault(False)
        save.clicked.connect(self.save)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self._show_measures()
        if kept is not None:
            self._show(kept)
            for part in problems:
                part.hide()  # its problems are corrected on the problem list

    def _show(self, kept: VisitLine) -> None:
        self.day.setDate(QDate(kept.visited_on))
        self.enterprise.choose(kept.uscc)
        for fixed in (self.day, self.enterprise):
            fixed.setEnabled(False)
        first = {name: getattr(kept, name) for name in CORRECTED}
        for name, value in first.items():
            self.show_saved(name, value)
        self.correction = Correction(kept.version, first, self.show_saved)

    @property
    def version(self) -> int | None:
        """The version of the visit corrected that a save rests on (None: a new visit)."""
        return None if self.correction is None else self.correction.version

    def show_saved(self, column: str, value: str | None) -> None:
        """The stored people, purpose, measures or note of the visit, in its field."""
        if column == "people":
            self.people.setText(value or "")
        elif column == "purpose":
            self.purpose.setText(value or "")
        elif column == "note":
            self.note.setPlainText(value or "")
        else:
            explained = set((value or "").split(JOIN))
            for item in (self.measures.item(i) for i in range(self.measures.count())):
                ticked = item.data(Qt.ItemDataRole.UserRole) in explained
                item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def _problem_table(self) -> QWidget:
        panel = QWidget()
        view = table_view(self.problems, stretch_last=False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        char = view.fontMetrics().horizontalAdvance("中")
        for number, chars in enumerate((6, 20, 8, 8, 7)):  # 2026-12-31 is about 7 wide
            header.resizeSection(number, char * chars)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        view.setSelectionBehavior(view.SelectionBehavior.SelectItems)
        use_choices(view, self.problems, blank=False)
        self.problem_view = view
        add = with_icon(QPushButton("添加问题"), "add")
        add.clicked.connect(self.add_problem)
        remove = with_icon(QPushButton("删除所选问题"), "delete")
        remove.clicked.connect(self._remove_problem)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(view)
        layout.addLayout(button_row(add, remove))
        return panel

    def add_problem(self) -> int:
        """A new problem row (returns its number)."""
        row = self.problems.append_row()
        self.problem_view.setCurrentIndex(self.problems.index(row, 1))
        return row

    def _remove_problem(self) -> None:
        index = self.problem_view.currentIndex()
        if index.isValid():
            self.problems.remove_row(index.row())

    def _show_measures(self) -> None:
        """The chosen enterprise's measures and verdicts, to tick those explained."""
        self.measures.clear()
        uscc = self.enterprise.uscc()
        if uscc is None:
            self.measures.addItem("（先选择企业，这里列出它的各项政策测算结果）")
            return
        try:
            results = enterprise_results(self.db, uscc)
        except (StoreError, ValueError) as exc:
            self.message.setText(f"未能测算该企业的政策：{exc}")
            return
        for result in results:
            amount = "" if result.amount is None else f"，{result.amount:,.2f} 元"
            subject = catalogue.measure(result.measure).subject
            item = QListWidgetItem(
                f"{result.clause} {subject}（{result.period}）：{result.verdict.label}{amount}"
            )
            item.setData(Qt.ItemDataRole.UserRole, result.clause)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.measures.addItem(item)

    def explained(self) -> list[str]:
        """The clauses ticked, once each, in order."""
        items = [self.measures.item(i) for i in range(self.measures.count())]
        ticked = [i.data(Qt.ItemDataRole.UserRole) for i in items
                  if i.checkState() == Qt.CheckState.Checked]  # fmt: skip
        return list(dict.fromkeys(ticked))

    def entry(self) -> VisitEntry:
        """The visit as entered, or TaskforceError naming what is missing."""
        uscc = self.enterprise.uscc()
        if uscc is None:
            raise TaskforceError("请从列表中选择走访的企业")
        people = self.people.text()
        for separator in PEOPLE_SEPARATORS:
            people = people.replace(separator, "、")
        return VisitEntry(
            uscc=uscc, visited_on=date_of(self.day), people=people.split("、"),
            purpose=self.purpose.text().strip() or None, measures=self.explained(),
            problems=raised(self.problems.rows()),
            note=self.note.toPlainText().strip() or None,
        )  # fmt: skip

    def save(self) -> None:
        """Write the visit; a refusal is said here and the form stays open."""
        try:
            commit_over_changes(self, self.correction, lambda: self._commit(self.entry()))
        except (TaskforceError, StoreError) as exc:
            self.message.setText(str(exc))
            return
        self.accept()
