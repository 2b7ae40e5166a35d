"""A table whose first column (the name) stays in view when the officer scrolls right: a second
view over the same model and selection laid over the first column (Qt's frozen column example).
"""

from __future__ import annotations

from desktop.qt.core import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from desktop.qt.gui import QResizeEvent
from desktop.qt.widgets import QAbstractItemView, QHeaderView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex


class FrozenColumnTable(QTableView):
    """A table view with its first column frozen; sorting by it from either header."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frozen = QTableView(self)
        self.frozen.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.frozen.verticalHeader().hide()
        self.frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.frozen.horizontalHeader().setSortIndicatorShown(True)
        self.frozen.horizontalHeader().sectionClicked.connect(self._frozen_header_clicked)
        off = Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        self.frozen.setHorizontalScrollBarPolicy(off)
        self.frozen.setVerticalScrollBarPolicy(off)
        self.frozen.setStyleSheet("QTableView { border: none; border-right: 1px solid #a0a0a0; }")
        self.viewport().stackUnder(self.frozen)
        per_pixel = QAbstractItemView.ScrollMode.ScrollPerPixel
        for view in (self, self.frozen):
            view.setVerticalScrollMode(per_pixel)
        self.setHorizontalScrollMode(per_pixel)
        self.horizontalHeader().sectionResized.connect(self._column_resized)
        self.horizontalHeader().sortIndicatorChanged.connect(self._show_sort)
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)
        self.frozen.doubleClicked.connect(self.doubleClicked)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self.frozen.setModel(model)
        self.frozen.setSelectionModel(self.selectionModel())
        if model is not None:
            model.modelReset.connect(self._hide_other_columns)
            model.layoutChanged.connect(self._hide_other_columns)
        self._hide_other_columns()

    def set_row_height(self, height: int) -> None:
        """The height of every row, in both views."""
        for view in (self, self.frozen):
            view.verticalHeader().setDefaultSectionSize(height)

    def _hide_other_columns(self) -> None:
        model = self.model()
        for column in range(1, model.columnCount() if model is not None else 0):
            self.frozen.setColumnHidden(column, True)
        self.frozen.setColumnWidth(0, self.columnWidth(0))
        self._place()

    def _column_resized(self, column: int, _old: int, new: int) -> None:
        if column == 0:
            self.frozen.setColumnWidth(0, new)
            self._place()

    def _show_sort(self, column: int, order: Qt.SortOrder) -> None:
        self.frozen.horizontalHeader().setSortIndicator(column, order)

    def _frozen_header_clicked(self, column: int) -> None:
        """A click on the frozen name header sorts as one on the table's own would."""
        header = self.horizontalHeader()
        ascending = Qt.SortOrder.AscendingOrder
        order = ascending
        if header.sortIndicatorSection() == column and header.sortIndicatorOrder() == ascending:
            order = Qt.SortOrder.DescendingOrder
        if self.isSortingEnabled():
            header.setSortIndicator(column, order)

    def _place(self) -> None:
        frame = self.frameWidth()
        self.frozen.setGeometry(
            self.verticalHeader().width() + frame,
            frame,
            self.columnWidth(0),
            self.viewport().height() + self.horizontalHeader().height(),
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def scrollTo(
        self,
        index: Index,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        """Keep the frozen column put: only the other columns scroll to show a cell."""
        if index.column() > 0:
            super().scrollTo(index, hint)
        else:
            bar = self.horizontalScrollBar().value()
            super().scrollTo(index, hint)
            self.horizontalScrollBar().setValue(bar)
