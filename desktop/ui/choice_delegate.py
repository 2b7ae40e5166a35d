"""A drop-down of fixed words for a table column (a zone's 级别, a lease's 开发区)."""

from __future__ import annotations

from collections.abc import Sequence

from desktop.qt.core import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from desktop.qt.widgets import (
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)
from desktop.ui.row_list_model import RowListModel

Index = QModelIndex | QPersistentModelIndex


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a cell with a combo box of ``words`` (and an empty entry when ``blank``)."""

    def __init__(self, words: Sequence[str], blank: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.words = ([""] if blank else []) + list(words)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.addItems(self.words)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        current = index.data(Qt.ItemDataRole.EditRole) or ""
        editor.setCurrentIndex(max(editor.findText(current), 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


def use_choices(view: QTableView, model: RowListModel, blank: bool = True) -> None:
    """Give each column of ``model`` that has fixed choices a drop-down in ``view``."""
    for number, column in enumerate(model.columns()):
        if column.choices:
            view.setItemDelegateForColumn(number, ChoiceDelegate(column.choices, blank, view))
