"""The per-case calculators (第二、六、七、九、十四条) as small forms, one tab each.

Each entry of ``desktop.rules.calculators.CALCULATORS`` is taken as a callable whose typed
parameters become the form's fields (Decimal — money in yuan or a rate —, int, date, bool,
text); its result is
shown by its ``explanation`` lines (and ``amount``) when it has them, else as text.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from desktop.qt.widgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.row_list_model import BadValue, parse_date, parse_decimal, parse_int, parse_text

PARSERS: dict[Any, Callable[[str], Any]] = {
    Decimal: parse_decimal, int: parse_int, date: parse_date, str: parse_text,
}  # fmt: skip
HINTS = {Decimal: "数（金额以元计）", int: "整数", date: "日期，如 2023-01-31", str: ""}


def _plain(annotation: Any) -> Any:
    """``Decimal | None`` → ``Decimal``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if args else str
    return annotation


def result_text(result: Any) -> str:
    """What the officer reads of a calculator's answer."""
    lines = list(getattr(result, "explanation", ()) or ())
    amount = getattr(result, "amount", None)
    if isinstance(amount, Decimal):
        lines.insert(0, f"金额：{amount:,.2f} 元")
    return "\n".join(str(line) for line in lines) if lines else str(result)


class CalculatorForm(QWidget):
    """Fields for one calculator's parameters, a button, and the answer."""

    def __init__(self, calculator: Callable[..., Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._calculator = calculator
        self._types = {
            n: _plain(t) for n, t in typing.get_type_hints(calculator).items() if n != "return"
        }
        self.fields: dict[str, QLineEdit | QCheckBox] = {}
        form = QFormLayout(self)
        doc = inspect.getdoc(calculator)
        title = getattr(calculator, "title", None) or (doc.splitlines()[0] if doc else "")
        if title:
            form.addRow(QLabel(title))
        self._labels: dict[str, str] = dict(getattr(calculator, "labels", {}))
        for name in inspect.signature(calculator).parameters:
            kind = self._types.get(name, str)
            widget: QLineEdit | QCheckBox = QCheckBox() if kind is bool else QLineEdit()
            if isinstance(widget, QLineEdit):
                widget.setPlaceholderText(HINTS.get(kind, ""))
            self.fields[name] = widget
            form.addRow(self._labels.get(name, name), widget)
        self.button = QPushButton("计算")
        self.button.clicked.connect(self.calculate)
        self.answer = QLabel()
        self.answer.setWordWrap(True)
        form.addRow(self.button)
        form.addRow(self.answer)

    def _values(self) -> dict[str, Any]:
        values = {}
        for name, widget in self.fields.items():
            if isinstance(widget, QCheckBox):
                values[name] = widget.isChecked()
                continue
            try:
                values[name] = PARSERS.get(self._types.get(name, str), parse_text)(widget.text())
            except BadValue as exc:
                raise BadValue(f"{self._labels.get(name, name)}：{exc}") from exc
        return values

    def calculate(self) -> None:
        try:
            self.answer.setText(result_text(self._calculator(**self._values())))
        except (BadValue, ValueError, TypeError) as exc:
            self.answer.setText(f"无法计算：{exc}")


class CalculatorsDialog(QDialog):
    """Every calculator in a tab of its own."""

    def __init__(
        self, calculators: Mapping[str, Callable[..., Any]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("逐案计算器（第二、六、七、九、十四条）")
        self.resize(860, 420)  # every calculator's tab in view
        self.tabs = QTabWidget()
        for name, calculator in calculators.items():
            self.tabs.addTab(CalculatorForm(calculator), getattr(calculator, "title", name))
        QVBoxLayout(self).addWidget(self.tabs)
