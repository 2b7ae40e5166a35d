"""The 企业名录 table model: filtered and sorted in SQL, rows fetched lazily by id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal

from desktop.roster.query import COLUMN_KEYS, COLUMNS, RosterFilter, RosterQuery, fetch_rows
from desktop.store import Database
from desktop.ui.paged_model import PagedTableModel


class RosterModel(PagedTableModel):
    """Enterprises of one database; ``shown`` reports (rows shown, roster size) on change."""

    shown = Signal(int, int)

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__([c.label for c in COLUMNS], self._fetch_rows, parent)
        self._db = db
        self._query = RosterQuery()
        self._filter = RosterFilter()
        self._sort = ("name", False)

    def _fetch_rows(self, ids: Sequence[int]) -> dict[int, tuple]:
        with self._db.reader() as s:
            return fetch_rows(s, ids)

    @property
    def roster_filter(self) -> RosterFilter:
        return self._filter

    def set_database(self, db: Database) -> None:
        """Show another database (after a restore)."""
        self._db = db
        self._query.invalidate()
        self.reload()

    def set_filter(self, flt: RosterFilter) -> None:
        """Narrow the roster to ``flt``."""
        self._filter = flt
        self.reload()

    def set_text(self, text: str) -> None:
        """Search by name, credit code or pinyin initials."""
        self.set_filter(replace(self._filter, text=text))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (COLUMN_KEYS[column], order == Qt.SortOrder.DescendingOrder)
        self.reload()

    def roster_changed(self) -> None:
        """The roster was edited: forget the search index and read again."""
        self._query.invalidate()
        self.reload()

    def reload(self) -> None:
        """Read the id list again with the current filter and order."""
        self.beginResetModel()
        self._reload_ids()
        self.endResetModel()

    def _reload_ids(self) -> None:
        with self._db.reader() as s:
            ids = self._query.ids(s, self._filter, *self._sort)
        self._ids = ids
        self._pages.clear()
        self.shown.emit(len(ids), self._db.enterprise_count())

    def uscc_at(self, row: int) -> str:
        """The credit code shown in ``row``."""
        return str(self.values(row)[COLUMN_KEYS.index("uscc")])
