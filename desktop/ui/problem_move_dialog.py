"""The form of one problem move: it asks what the state table says the move needs."""

from __future__ import annotations

from collections.abc import Callable

from desktop.qt.widgets import QCheckBox, QComboBox, QDateEdit, QLabel, QLineEdit, QWidget
from desktop.taskforce.errors import TaskforceError
from desktop.taskforce.problem_states import Move, State, asks
from desktop.taskforce.problems import ProblemLine
from desktop.ui.form_dialog import FormDialog, date_edit, date_of


class MoveDialog(FormDialog):
    """Move ``line`` to ``to``: its reason (or the close reason's words), a new deadline where
    the move may set one, the 主办单位 at 交办, the enterprise's satisfaction at the 回访."""

    def __init__(
        self,
        line: ProblemLine,
        to: State,
        commit: Callable[[Move], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"问题 #{line.id}：{line.state.label} → {to.label}", parent)
        self.to = to
        need = asks(line.state, to)
        self.setMinimumWidth(520)
        about = QLabel(
            f"{line.enterprise}：{line.description}\n办理时限 {line.deadline.isoformat()}"
        )
        about.setWordWrap(True)
        self.form.addRow("问题", about)
        self.satisfaction: QComboBox | None = None
        if need.satisfaction:
            self.satisfaction = QComboBox()
            self.satisfaction.addItems(list(need.satisfaction))
            self.form.addRow("企业满意度", self.satisfaction)
        self.deadline: QDateEdit | None = None
        self.new_deadline: QCheckBox | None = None
        if need.deadline:
            extending = line.state is State.EXTENSION
            self.new_deadline = QCheckBox(
                "同意延期，新的办理时限：" if extending else "重新指定办理时限："
            )
            self.deadline = date_edit(line.deadline)
            self.deadline.setEnabled(False)
            self.new_deadline.toggled.connect(self.deadline.setEnabled)
            self.form.addRow(self.new_deadline, self.deadline)
        self.lead_unit: QLineEdit | None = None
        if need.lead_unit:
            self.lead_unit = QLineEdit(line.lead_unit)
            self.lead_unit.setPlaceholderText("承办这个问题的单位（必填）")
            self.form.addRow("主办单位", self.lead_unit)
        self.reason_choice: QComboBox | None = None
        self.reason = QLineEdit(self)  # the why, unless it is one of fixed words
        if need.reason_choices:
            self.reason.hide()
            self.reason_choice = QComboBox()
            self.reason_choice.addItems(list(need.reason_choices))
            self.form.addRow(need.reason, self.reason_choice)
        else:
            required = "（必填）" if need.reason_required else ""
            self.reason.setPlaceholderText(f"{need.reason}{required}")
            self.form.addRow(need.reason.split("（")[0], self.reason)
        self.finish(lambda: commit(self.move()), f"改为「{to.label}」")

    def move(self) -> Move:
        """The move as filled in (check_move judges it)."""
        reason = self.reason_choice.currentText() if self.reason_choice else self.reason.text()
        deadline = None
        if self.deadline is not None and self.new_deadline and self.new_deadline.isChecked():
            deadline = date_of(self.deadline)
        satisfaction = self.satisfaction.currentText() if self.satisfaction else None
        lead_unit = None
        if self.lead_unit is not None:
            lead_unit = self.lead_unit.text().strip()
            if not lead_unit:
                raise TaskforceError("交办须填写主办单位")
        return Move(self.to, reason.strip() or None, deadline, satisfaction, lead_unit)
