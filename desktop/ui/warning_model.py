"""A shown-only table whose rows are shaded by their warning (red, yellow)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from desktop.qt.core import Qt
from desktop.qt.gui import QColor
from desktop.ui.paged_model import Index
from desktop.ui.row_list_model import Column, RowListModel

SHADES = {"red": QColor("#f8d7da"), "yellow": QColor("#fff3cd")}
WARNING_TEXT = {"red": "红色", "yellow": "黄色", None: ""}  # a warning as a table cell says it


class WarningModel(RowListModel):
    """Rows of one dataclass, each shaded by ``warning_of(row)`` ("red", "yellow" or None)."""

    def __init__(
        self, columns: Sequence[Column], warning_of: Callable[[Any], str | None], parent: Any
    ) -> None:
        super().__init__(columns, parent=parent)
        self._warning_of = warning_of

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            return SHADES.get(self._warning_of(self.rows()[index.row()]) or "")
        return super().data(index, role)
