"""A problem raised outside a visit (by phone, 12345 …): the form that records it, 待交办."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from desktop.models import Problem
from desktop.qt.core import QDate
from desktop.qt.widgets import QComboBox, QLineEdit, QWidget
from desktop.store import Database
from desktop.taskforce.errors import TaskforceError
from desktop.taskforce.visit_entry import RaisedProblem
from desktop.ui.enterprise_choice import EnterpriseChoice
from desktop.ui.form_dialog import FormDialog, date_edit, date_of
from desktop.ui.stale_dialog import Correction
from desktop.values.choices import PROBLEM_CATEGORY, PROBLEM_SOURCE

Commit = Callable[[str, date, str, RaisedProblem], None]  # code, raised on, source, problem
CORRECTED = ("category", "description", "lead_unit", "assisting_units")  # what a correction sets


class ProblemDialog(FormDialog):
    """A new problem of a chosen enterprise or, ``kept`` given (with its enterprise's code),
    that problem to correct: only its category, description and units (its state, dates and
    source move through the state table); ``commit`` writes it."""

    def __init__(
        self,
        db: Database,
        commit: Commit,
        parent: QWidget | None = None,
        kept: tuple[Problem, str] | None = None,
    ) -> None:
        super().__init__("修改问题" if kept else "新增问题", parent)
        self.setMinimumWidth(560)
        self.enterprise = EnterpriseChoice(db)
        self.raised_on = date_edit(date.today())
        self.source, self.category = QComboBox(), QComboBox()
        self.source.addItems(list(PROBLEM_SOURCE.words))
        self.source.setCurrentText("电话")
        self.category.addItems(list(PROBLEM_CATEGORY.words))
        self.description, self.lead_unit, self.assisting = QLineEdit(), QLineEdit(), QLineEdit()
        self.assisting.setPlaceholderText("多个单位用顿号分隔")
        self.deadline = date_edit(date.today())
        fields = (
            ("企业*", self.enterprise), ("反映日期*", self.raised_on), ("问题来源*", self.source),
            ("问题类别*", self.category), ("问题描述*", self.description),
            ("主办单位*", self.lead_unit), ("协办单位", self.assisting),
            ("办理时限*", self.deadline),
        )  # fmt: skip
        for label, field in fields:
            self.form.addRow(label, field)
        if kept is not None:
            self._show(*kept)

        def save() -> None:
            uscc = self.enterprise.uscc()
            if uscc is None:
                raise TaskforceError("请从列表中选择反映问题的企业")
            commit(uscc, date_of(self.raised_on), self.source.currentText(), self.problem())

        self.finish(save)

    def _show(self, problem: Problem, uscc: str) -> None:
        first = {c: getattr(problem, c) for c in CORRECTED}
        self.correction = Correction(problem.version, first, self.show_saved)
        self.enterprise.choose(uscc)
        self.raised_on.setDate(QDate(problem.raised_on))
        self.deadline.setDate(QDate(problem.deadline))
        self.source.setCurrentText(problem.source)
        self.category.setCurrentText(problem.category)
        self.description.setText(problem.description)
        self.lead_unit.setText(problem.lead_unit)
        self.assisting.setText(problem.assisting_units or "")
        for fixed in (self.enterprise, self.raised_on, self.source, self.deadline):
            fixed.setEnabled(False)

    def show_saved(self, column: str, value: Any) -> None:
        """A category, description or unit saved meanwhile, in its field."""
        if column == "category":
            self.category.setCurrentText(value)
        else:
            fields = {"description": self.description, "lead_unit": self.lead_unit}
            fields.get(column, self.assisting).setText(value or "")

    def problem(self) -> RaisedProblem:
        return RaisedProblem(
            self.category.currentText(), self.description.text(), self.lead_unit.text(),
            date_of(self.deadline), self.assisting.text().strip() or None,
        )  # fmt: skip
