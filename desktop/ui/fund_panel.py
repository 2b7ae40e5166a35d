"""资金: the funds per measure and level, what the approvals have taken of each, and setting a
budget (refused below what is already approved)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop import values
from desktop.cases.errors import CaseError, yuan_text
from desktop.cases.funds import approved_total, fund_name, set_fund
from desktop.cases.parameters import CaseParameters
from desktop.changes import Changes
from desktop.models import LEVELS, Fund
from desktop.qt.core import QModelIndex
from desktop.qt.widgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from desktop.rules.catalogue import CATALOGUE
from desktop.store import Database
from desktop.ui.icons import with_icon
from desktop.ui.row_list_model import RowListModel
from desktop.ui.tables import shown_columns, table_view
from desktop.ui.validators import read_value
from desktop.values import ValueProblem

FUND_COLUMNS = shown_columns(
    ("subject", "支持事项"), ("level", "资金级别"), ("budget", "预算（元）"),
    ("approved", "已审核通过（元）"), ("remaining", "剩余（元）"), ("pre_allocated", "预拨"),
    ("document", "资金文件"),
)  # fmt: skip
NO_FUND_NOTE = "未登记资金的支持事项，审核通过时不作预算检查（办理记录会注明）。"


@dataclass(frozen=True)
class FundLine:
    """One fund as the table shows it."""

    subject: str
    level: str
    budget: Decimal
    approved: Decimal
    remaining: Decimal
    pre_allocated: bool
    document: str
    measure: str


def load_fund_lines(session: Session) -> list[FundLine]:
    """Every fund recorded, in the catalogue's order, with what is approved against it."""
    order = {key: n for n, key in enumerate(CATALOGUE)}
    funds = sorted(
        session.scalars(select(Fund)),
        key=lambda f: (order.get(f.measure, len(order)), f.measure, LEVELS.index(f.level)),
    )
    lines = []
    for fund in funds:
        taken = approved_total(session, fund.measure, fund.level)
        subject = CATALOGUE[fund.measure].heading if fund.measure in CATALOGUE else fund.measure
        lines.append(FundLine(subject, fund.level, fund.budget, taken, fund.budget - taken,
                              fund.pre_allocated, fund.document or "", fund.measure))  # fmt: skip
    return lines


class FundPanel(QWidget):
    """The funds table and the form that sets one; ``publish`` tells the window."""

    def __init__(
        self,
        database: Callable[[], Database],
        parameters: CaseParameters,
        publish: Callable[[Changes], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._database, self._parameters, self._publish = database, parameters, publish
        self.funds = RowListModel(FUND_COLUMNS, parent=self)
        self.table = table_view(self.funds)
        self.table.selectionModel().currentRowChanged.connect(self._chosen)
        self.measure, self.level = QComboBox(), QComboBox()
        for key, measure in CATALOGUE.items():
            self.measure.addItem(measure.heading, key)
        self.level.addItems(LEVELS)
        self.measure.currentIndexChanged.connect(self._default_level)
        self.budget, self.document = QLineEdit(), QLineEdit()
        self.budget.setPlaceholderText("如 600000 或 60万")
        self.document.setPlaceholderText("下达资金的文件，如 忻财企〔2023〕1号")
        self.pre_allocated = QCheckBox("预拨")
        self.save_button = with_icon(QPushButton("保存资金"), "save")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel(NO_FUND_NOTE)
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._form())
        layout.addWidget(self.message)
        self._default_level()

    def _form(self) -> QHBoxLayout:
        row = QHBoxLayout()
        fields = (("支持事项", self.measure), ("级别", self.level), ("预算（元）", self.budget),
                  ("资金文件", self.document))  # fmt: skip
        for label, widget in fields:
            row.addWidget(QLabel(label))
            row.addWidget(widget, 2 if widget is self.document else 1)
        row.addWidget(self.pre_allocated)
        row.addWidget(self.save_button)
        return row

    def _default_level(self) -> None:
        """The level the chosen measure's approvals count against (cases.toml)."""
        self.level.setCurrentText(self._parameters.level(self.measure.currentData()))

    def reload(self) -> None:
        """Read the funds again."""
        with self._database().reader() as s:
            self.funds.set_rows(load_fund_lines(s))

    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        line: FundLine = self.funds.rows()[current.row()]
        self.measure.setCurrentIndex(self.measure.findData(line.measure))
        self.level.setCurrentText(line.level)
        self.budget.setText(f"{line.budget:.2f}")
        self.document.setText(line.document)
        self.pre_allocated.setChecked(line.pre_allocated)

    def save(self) -> None:
        """Record the fund as filled in; a refusal is said and nothing is saved."""
        measure, level = self.measure.currentData(), self.level.currentText()
        try:
            budget = read_value("预算金额", self.budget.text(), values.amount)
            with self._database().session(source="window") as s:
                set_fund(s, measure, level, budget, document=self.document.text(),
                         pre_allocated=self.pre_allocated.isChecked())  # fmt: skip
        except (ValueProblem, CaseError) as exc:
            QMessageBox.warning(self, "资金未保存", str(exc))
            return
        self.message.setText(f"已保存{fund_name(measure, level)}：预算 {yuan_text(budget)}")
        self._publish(Changes.CASES)
