"""登记拨付: one payment entered by hand on a publicised (or part-paid) case, checked as an
imported one is (over-payment, a voucher recorded already); the case is paid once its approved
amount is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from desktop import values
from desktop.cases.errors import CaseError, yuan_text
from desktop.cases.payments import PaymentRow
from desktop.models import LEVELS
from desktop.qt.widgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.case_model import CaseLine
from desktop.ui.validators import read_value
from desktop.values import ValueProblem

Record = Callable[[PaymentRow], None]  # records the payment; raises CaseError


class PaymentDialog(QDialog):
    """Ask the amount (default: what is left to pay), the date, the voucher and the level."""

    def __init__(
        self, line: CaseLine, today: date, record: Record, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.line, self._record = line, record
        self.setWindowTitle(f"登记拨付 — {line.number}")
        approved = line.approved_amount
        left = None if approved is None else approved - line.paid_amount
        self.amount = QLineEdit("" if left is None else f"{left:.2f}")
        self.day = QLineEdit(today.isoformat())
        self.voucher = QLineEdit()
        self.voucher.setPlaceholderText("财政或银行的凭证号")
        self.level = QComboBox()
        self.level.addItems(LEVELS)
        self.level.setCurrentText(line.level)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("拨付金额（元）", self.amount)
        form.addRow("拨付日期", self.day)
        form.addRow("凭证号", self.voucher)
        form.addRow("资金级别", self.level)
        about = f"{line.number} {line.name}（{line.state}）"
        if approved is not None:
            about += f"：审核金额 {yuan_text(approved)}，已拨付 {yuan_text(line.paid_amount)}"
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(about))
        layout.addLayout(form)
        layout.addWidget(self.message)
        box = QDialogButtonBox()
        self.ok_button = box.addButton("登记", QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.clicked.connect(self.confirm)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def payment(self) -> PaymentRow:
        """The payment as filled in; ``ValueProblem`` names a field that cannot be read."""
        return PaymentRow(
            uscc=self.line.uscc,
            measure=self.line.measure,
            period=self.line.period,
            amount=read_value("拨付金额", self.amount.text(), values.amount),
            paid_on=read_value("拨付日期", self.day.text(), values.day),
            voucher=self.voucher.text().strip(),
            level=self.level.currentText(),
        )

    def confirm(self) -> None:
        """Record the payment; close once it is recorded, else say why and stay."""
        try:
            row = self.payment()
        except ValueProblem as exc:
            self.message.setText(str(exc))
            return
        try:
            self._record(row)
        except CaseError as exc:
            QMessageBox.warning(self, "未登记", f"{exc}\n\n没有登记任何拨付记录。")
            return
        self.accept()
