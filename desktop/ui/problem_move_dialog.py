"""The form of one problem move: it asks what the state table says the move needs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from desktop.qt.core import QDate
from desktop.qt.widgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)
from desktop.store import StoreError
from desktop.taskforce.errors import TaskforceError
from desktop.taskforce.problem_states import Move, State, asks
from desktop.taskforce.problems import ProblemLine


def date_edit(day: date) -> QDateEdit:
    """A calendar date field showing ``day`` as 2026-12-01."""
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def date_of(edit: QDateEdit) -> date:
    chosen = edit.date()
    return date(chosen.year(), chosen.month(), chosen.day())


class MoveDialog(QDialog):
    """Move ``line`` to ``to``: its reason (or the close reason's words), a new deadline where
    the move may set one, the enterprise's satisfaction at the 回访."""

    def __init__(
        self,
        line: ProblemLine,
        to: State,
        commit: Callable[[Move], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.to, self._commit = to, commit
        need = asks(line.state, to)
        self.setWindowTitle(f"问题 #{line.id}：{line.state.label} → {to.label}")
        self.setMinimumWidth(520)
        form = QFormLayout(self)
        about = QLabel(
            f"{line.enterprise}：{line.description}\n办理时限 {line.deadline.isoformat()}"
        )
        about.setWordWrap(True)
        form.addRow("问题", about)
        self.satisfaction: QComboBox | None = None
        if need.satisfaction:
            self.satisfaction = QComboBox()
            self.satisfaction.addItems(list(need.satisfaction))
            form.addRow("企业满意度", self.satisfaction)
        self.deadline: QDateEdit | None = None
        self.new_deadline: QCheckBox | None = None
        if need.deadline:
            self.new_deadline = QCheckBox(
                "同意延期，新的办理时限："
                if line.state is State.EXTENSION
                else "重新指定办理时限："
            )
            self.deadline = date_edit(line.deadline)
            self.deadline.setEnabled(False)
            self.new_deadline.toggled.connect(self.deadline.setEnabled)
            form.addRow(self.new_deadline, self.deadline)
        self.reason_choice: QComboBox | None = None
        self.reason = QLineEdit()
        if need.reason_choices:
            self.reason_choice = QComboBox()
            self.reason_choice.addItems(list(need.reason_choices))
            form.addRow(need.reason, self.reason_choice)
        else:
            required = "（必填）" if need.reason_required else ""
            self.reason.setPlaceholderText(f"{need.reason}{required}")
            form.addRow(need.reason.split("（")[0], self.reason)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        form.addRow(self.message)
        box = QDialogButtonBox()
        box.addButton(f"改为「{to.label}」", QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def move(self) -> Move:
        """The move as filled in (check_move judges it)."""
        reason = self.reason_choice.currentText() if self.reason_choice else self.reason.text()
        deadline = None
        if self.deadline is not None and self.new_deadline and self.new_deadline.isChecked():
            deadline = date_of(self.deadline)
        satisfaction = self.satisfaction.currentText() if self.satisfaction else None
        return Move(self.to, reason.strip() or None, deadline, satisfaction)

    def save(self) -> None:
        """Make the move; a refusal is said here and the form stays open."""
        try:
            self._commit(self.move())
        except (TaskforceError, StoreError) as exc:
            self.message.setText(str(exc))
            return
        self.accept()
