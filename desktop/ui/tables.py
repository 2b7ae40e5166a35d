"""Small builders the pages share: read-only columns, a table view, a row of buttons, a
choice of units."""

from __future__ import annotations

from collections.abc import Sequence

from desktop.qt.core import QAbstractItemModel
from desktop.qt.widgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.row_list_model import Column


def shown_columns(*columns: tuple[str, str], money: Sequence[str] = ()) -> list[Column]:
    """Read-only columns from (attribute, heading) pairs; the attributes in ``money`` are
    amounts (headed with their unit, 元 or 万元)."""
    return [Column(attr, label, editable=False, is_money=attr in money) for attr, label in columns]


def table_view(model: QAbstractItemModel, stretch_last: bool = True) -> QTableView:
    """A row-selecting table sized to its contents."""
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.horizontalHeader().setStretchLastSection(stretch_last)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    """The buttons left-aligned in a row."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch()
    return row


def titled(title: str, body: QWidget, *below: QHBoxLayout) -> QWidget:
    """``body`` under a bold ``title``, with the rows ``below`` it (buttons)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    heading = QLabel(title)
    heading.setStyleSheet("font-weight: bold")
    layout.addWidget(heading)
    layout.addWidget(body, 1)
    for row in below:
        layout.addLayout(row)
    return box


def refill_units(combo: QComboBox, everyone: str, names: Sequence[str]) -> None:
    """``everyone`` (no unit) then each of ``names``, the unit chosen kept while it is there."""
    chosen = combo.currentData()
    combo.clear()
    combo.addItem(everyone, None)
    for name in names:
        combo.addItem(name, name)
    combo.setCurrentIndex(max(combo.findData(chosen), 0))
