"""PySide6 6.12.0 drops a reference to None/True on many void calls (issue 2); keep clean."""

from __future__ import annotations

import sys

from pytestqt.qtbot import QtBot

from desktop.qt.core import QAbstractTableModel, QModelIndex, Qt
from desktop.qt.widgets import QApplication, QLabel, QTableView

CALLS = 3000
NOISE = 50  # a few references come and go with caches; 6.12.0 loses one per call


class _Model(QAbstractTableModel):
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 3

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 2

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return "x" if role == Qt.ItemDataRole.DisplayRole else None


def test_void_calls_keep_none_and_true(qtbot: QtBot) -> None:
    view, label, model = QTableView(), QLabel(), _Model()
    qtbot.addWidget(view)
    qtbot.addWidget(label)
    top_left, bottom_right = model.index(0, 0), model.index(2, 1)
    before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(CALLS):
        view.setModel(model)
        view.show()
        view.hide()
        label.setText(str(i % 7))
        model.beginResetModel()
        model.endResetModel()
        view.setColumnWidth(0, 50 + i % 3)
        model.layoutChanged.emit()
        model.dataChanged.emit(top_left, bottom_right)
        QApplication.processEvents()
    after = sys.getrefcount(None), sys.getrefcount(True)
    assert after[0] >= before[0] - NOISE, f"None lost {before[0] - after[0]} references"
    assert after[1] >= before[1] - NOISE, f"True lost {before[1] - after[1]} references"
