"""The per-case calculators (第二、六、七、九、十四条) as small forms, one tab each.

Each entry of ``desktop.rules.calculators.CALCULATORS`` declares its parameters (label and
parser); a parameter with fixed choices is a drop-down of its words, any other a text field whose
text the calculator reads as the command line's. The answer is shown by its ``explanation``
lines (and ``amount``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from desktop.qt.widgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from desktop.rules.calculators import Calculator, CalculatorError
from desktop.values import Choice, money_text


def result_text(result: Any) -> str:
    """What the officer reads of a calculator's answer."""
    lines = list(getattr(result, "explanation", ()) or ())
    amount = getattr(result, "amount", None)
    if isinstance(amount, Decimal):
        lines.insert(0, f"金额：{money_text(amount)} 元")
    return "\n".join(str(line) for line in lines) if lines else str(result)


def _field(parse: Any) -> QLineEdit | QComboBox:
    if isinstance(parse, Choice):
        combo = QComboBox()
        combo.addItems(list(parse.words))
        return combo
    return QLineEdit()


class CalculatorForm(QWidget):
    """Fields for one calculator's parameters, a button, and the answer."""

    def __init__(self, calculator: Calculator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._calculator = calculator
        form = QFormLayout(self)
        form.addRow(QLabel(calculator.title))
        self.fields = {name: _field(p.parse) for name, p in calculator.params.items()}
        for name, widget in self.fields.items():
            form.addRow(calculator.labels[name], widget)
        self.button = QPushButton("计算")
        self.button.clicked.connect(self.calculate)
        self.answer = QLabel()
        self.answer.setWordWrap(True)
        form.addRow(self.button)
        form.addRow(self.answer)

    def _texts(self) -> dict[str, str]:
        return {
            name: w.currentText() if isinstance(w, QComboBox) else w.text()
            for name, w in self.fields.items()
        }

    def calculate(self) -> None:
        try:
            self.answer.setText(result_text(self._calculator(**self._texts())))
        except CalculatorError as exc:
            self.answer.setText(f"无法计算：{exc}")


class CalculatorsDialog(QDialog):
    """Every calculator in a tab of its own."""

    def __init__(
        self, calculators: Mapping[str, Calculator], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("逐案计算器（第二、六、七、九、十四条）")
        self.resize(860, 420)  # every calculator's tab in view
        self.tabs = QTabWidget()
        for calculator in calculators.values():
            self.tabs.addTab(CalculatorForm(calculator), calculator.title)
        QVBoxLayout(self).addWidget(self.tabs)
