"""The one confirmation of a move: which cases go from what to what, and what the move needs
(a reason, a date, the approved amount; the override's reason once the budget refused it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from html import escape

from desktop import values
from desktop.cases.errors import BudgetRefused, CaseError, yuan_text
from desktop.cases.moves import Move
from desktop.cases.states import NEEDS_REASON, State
from desktop.qt.widgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.case_model import CaseLine
from desktop.ui.validators import read_value
from desktop.values import ValueProblem

DATE_LABELS = {
    State.RECEIVED: "受理日期",
    State.PUBLICITY: "公示开始日期",
    State.PUBLICIZED: "公示无异议日期",
}
REFUSED_STYLE = (
    "QLabel { background: #fde7ea; color: #b00020; border: 1px solid #e8a0aa; padding: 4px; }"
)
Attempt = Callable[[Move], str]  # makes the move; returns what to tell, raises CaseError


def _outcome(line: CaseLine, to: State) -> str:
    """One case's line of the confirmation."""
    extra = ""
    if to is State.APPROVED and line.snapshot_amount is not None:
        extra = f"（测算金额 {yuan_text(line.snapshot_amount)}）"
    return f"{line.number} {line.name}：{line.state} → {to.label}{extra}"


def _reason_label(to: State) -> str:
    if to in NEEDS_REASON:
        return "理由*"
    if to is State.APPROVED:
        return "理由（审核金额与测算金额不同时必填）"
    return "备注（可不填）"


class MoveDialog(QDialog):
    """Ask what moving ``lines`` to ``to`` needs, then try it with ``attempt``: a refusal is
    said in a message box and the dialog stays (nothing was changed); a refusal by the budget
    shows the domain's message here and asks for the override's reason."""

    def __init__(
        self,
        to: State,
        lines: Sequence[CaseLine],
        today: date,
        attempt: Attempt,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.to, self.lines, self._attempt = to, list(lines), attempt
        self.outcome = ""  # what the move said, once made
        self.over_budget = False  # the budget refused it: the override's reason is asked
        self.setWindowTitle(f"改为「{to.label}」")
        self.resize(640, 360)
        self.listing = listing = QTextBrowser()
        listing.setHtml("<br>".join(escape(_outcome(line, to)) for line in self.lines))
        self.form = QFormLayout()
        self.day = self._field(DATE_LABELS.get(to), today.isoformat())
        single = len(self.lines) == 1 and to is State.APPROVED
        self.amount = self._field("审核金额（元）" if single else None, "")
        if single and self.lines[0].snapshot_amount is not None:
            self.amount.setPlaceholderText(f"默认为测算金额 {self.lines[0].snapshot_amount:,.2f}")
        self.reason = self._field(_reason_label(to), "")
        self.refusal = QLabel()
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(REFUSED_STYLE)
        self.refusal.hide()
        self.override = QLineEdit()
        self.override.setPlaceholderText("如：追加资金已报批（记入办理记录和操作记录）")
        self.override_box = QWidget()
        QFormLayout(self.override_box).addRow("超预算理由*", self.override)
        self.override_box.hide()
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"以下 {len(self.lines)} 件兑现事项将改为「{to.label}」："))
        layout.addWidget(listing, 1)
        layout.addLayout(self.form)
        layout.addWidget(self.refusal)
        layout.addWidget(self.override_box)
        layout.addWidget(self.message)
        layout.addWidget(self._buttons())

    def _field(self, label: str | None, text: str) -> QLineEdit:
        """A line edit in the form under ``label``, or a hidden one when the move needs none."""
        edit = QLineEdit(text, self)
        if label is None:
            edit.hide()
        else:
            self.form.addRow(label, edit)
        return edit

    def _buttons(self) -> QDialogButtonBox:
        box = QDialogButtonBox()
        role = QDialogButtonBox.ButtonRole
        self.ok_button = box.addButton(
            f"确定改为「{self.to.label}」（{len(self.lines)} 件）", role.AcceptRole
        )
        box.addButton("取消", role.RejectRole)
        self.ok_button.clicked.connect(self.confirm)
        box.rejected.connect(self.reject)
        return box

    def move(self) -> Move:
        """The move as filled in; ``ValueProblem`` names a field that cannot be read or is
        missing."""
        reason = self.reason.text().strip()
        if self.to in NEEDS_REASON and not reason:
            raise ValueProblem(f"改为「{self.to.label}」须填写理由")
        on = None
        if self.to in DATE_LABELS:
            on = read_value(DATE_LABELS[self.to], self.day.text(), values.day)
        amount: Decimal | None = None
        if self.amount.text().strip():
            amount = read_value("审核金额", self.amount.text(), values.amount)
        override = self.override.text().strip()
        if self.over_budget and not override:
            raise ValueProblem("超出预算审核通过须填写超预算理由")
        return Move(self.to, reason, on, amount, override)

    def confirm(self) -> None:
        """Make the move; close once it is made."""
        try:
            move = self.move()
        except ValueProblem as exc:
            self.message.setText(str(exc))
            return
        self.message.clear()
        try:
            self.outcome = self._attempt(move)
        except BudgetRefused as exc:
            self._ask_override(str(exc))
            return
        except CaseError as exc:
            QMessageBox.warning(self, "未改动", f"{exc}\n\n没有改动任何兑现事项。")
            return
        self.accept()

    def _ask_override(self, refusal: str) -> None:
        self.over_budget = True
        self.refusal.setText(refusal)
        self.refusal.show()
        self.override_box.show()
        self.ok_button.setText(f"超预算审核通过（{len(self.lines)} 件）")
        self.override.setFocus()
