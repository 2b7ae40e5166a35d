"""A read-only table model over an id list, fetching rows by id in pages as the view asks."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from desktop.qt.core import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from desktop.values import flag_word, money_text

PAGE_SIZE = 200
PAGES_KEPT = 64
TEXT_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole})
Fetch = Callable[[Sequence[int]], dict[int, tuple]]
Index = QModelIndex | QPersistentModelIndex


def display(value: Any) -> str:
    """How a stored value reads in a table: flags as 是/否, money with separators."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return flag_word(value)
    if isinstance(value, Decimal):
        return money_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class PagedTableModel(QAbstractTableModel):
    """Rows are the ids in order; their values come from ``fetch`` a page at a time (LRU)."""

    def __init__(self, headers: Sequence[str], fetch: Fetch, parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._fetch = fetch
        self._ids: list[int] = []
        self._pages: OrderedDict[int, dict[int, tuple]] = OrderedDict()

    def set_ids(self, ids: list[int]) -> None:
        """Show ``ids`` (in order); forgets every cached row."""
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()

    def texts(self, row: int) -> tuple[str, ...]:
        """The shown texts of ``row`` (its page fetched and converted once, when first asked)."""
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            fetched = self._fetch(self._ids[page_no * PAGE_SIZE : (page_no + 1) * PAGE_SIZE])
            page = {i: tuple(map(display, values)) for i, values in fetched.items()}
            self._pages[page_no] = page
            if len(self._pages) > PAGES_KEPT:
                self._pages.popitem(last=False)
        elif page_no != next(reversed(self._pages)):
            self._pages.move_to_end(page_no)
        return page.get(self._ids[row], ("",) * len(self._headers))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # called for every role of every visible cell on each paint: keep it lean
        if role not in TEXT_ROLES or not index.isValid():
            return None
        return self.texts(index.row())[index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return str(section + 1)
