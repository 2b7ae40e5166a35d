"""The 企业名录 table model: filtered and sorted in SQL, rows fetched lazily by id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from desktop.progress import Progress
from desktop.qt.core import Qt, Signal
from desktop.roster.query import (
    COLUMN_KEYS,
    COLUMNS,
    RosterFilter,
    RosterQuery,
    build_search_index,
    fetch_rows,
)
from desktop.roster.search import SearchIndex
from desktop.store import Database
from desktop.ui.background import BackgroundOp
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
        self._indexing: BackgroundOp | None = None

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

    def _index_in_background(self) -> None:
        """Build the search index off the UI thread, so the first search is quick."""
        if self._query.search_ready or self._indexing is not None:
            return
        db, generation = self._db, self._query.generation

        def work(_progress: Progress) -> tuple[int, SearchIndex]:
            with db.reader() as s:
                return generation, build_search_index(s)

        self._indexing = BackgroundOp(work)
        self._indexing.succeeded.connect(self._adopt_index)
        self._indexing.finished.connect(self._indexing_done)
        self._indexing.start()

    def _adopt_index(self, outcome: tuple[int, SearchIndex]) -> None:
        self._query.adopt_index(*outcome)

    def _indexing_done(self) -> None:
        self._indexing = None
        self._index_in_background()  # again, if the roster changed meanwhile

    def wait_for_index(self, timeout: float = 10) -> bool:
        """Block until a background index build has ended (tests, benchmarks)."""
        return self._indexing is None or self._indexing.wait(timeout)

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
            size = self._query.size(s)
        self._ids = ids
        self._pages.clear()
        self.shown.emit(len(ids), size)
        self._index_in_background()

    def uscc_at(self, row: int) -> str:
        """The credit code shown in ``row``."""
        return self.texts(row)[COLUMN_KEYS.index("uscc")]
