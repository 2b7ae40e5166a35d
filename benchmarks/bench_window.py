"""The roster window against a bare QTableView over the same rows, in the same run.

    python -m benchmarks.bench_window [ENTERPRISES]        # default 50000

Ours: the 企业名录 page as the officer sees it (SQL-ordered id list, rows fetched a page at a
time). The floor: a trivial QAbstractTableModel over a Python list of the same columns, loaded
by plain sqlite3, filtered with a list comprehension and sorted with ``list.sort``. Timed: first
paint (building the view, loading, showing, painting), a text filter (typed search), a county
filter, and a sort by name descending — each until the viewport has repainted. Our search
index (pinyin initials of every name) is built off the UI thread after the first paint; the
search is timed once it is ready, and how long that took after the paint is printed. Each
step is run REPEAT times alternating the two and the best taken; the ratio must be within LIMIT.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.synth import generate, write_database
from desktop.qt.core import QAbstractTableModel, QModelIndex, Qt
from desktop.qt.widgets import QApplication, QTableView
from desktop.roster.query import COLUMNS, RosterFilter
from desktop.store import Database, open_database
from desktop.ui.roster_page import RosterPage

LIMIT = 1.5
REPEAT = 3
SEARCH = "合成企业0123"  # matches 100 of 50,000 names
COUNTY = "原平市"
SIZE = (1280, 720)
BARE_SQL = """
SELECT e.name, e.uscc, c.name, z.name, e.industry_code, e.above_scale, e.white_list, k.name,
       e.chain_leader, e.chain_role_confirmed, e.contact, e.phone, e.is_sample
FROM enterprise e JOIN county c ON c.id = e.county_id
LEFT JOIN zone z ON z.id = e.zone_id LEFT JOIN key_chain k ON k.id = e.chain_id
"""


class BareModel(QAbstractTableModel):
    """The floor: every row in a Python list."""

    def __init__(self, rows: list[tuple]) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        value = self.rows[index.row()][index.column()]
        return "" if value is None else str(value)

    def replace(self, rows: list[tuple]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()


def _painted(view: QTableView) -> None:
    QApplication.processEvents()
    view.viewport().repaint()


def _timed(step: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


class Bare:
    """The bare QTableView, its list and the operations on it."""

    def __init__(self, path: Path) -> None:
        conn = sqlite3.connect(path)
        self.all = conn.execute(BARE_SQL + " ORDER BY e.name").fetchall()
        conn.close()
        self.model = BareModel(self.all)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.resize(*SIZE)
        self.view.show()
        _painted(self.view)

    def search(self) -> int:
        self.model.replace([r for r in self.all if SEARCH in r[0] or SEARCH in r[1]])
        _painted(self.view)
        return len(self.model.rows)

    def county(self) -> int:
        self.model.replace([r for r in self.all if r[2] == COUNTY])
        _painted(self.view)
        return len(self.model.rows)

    def sort(self) -> int:
        rows = sorted(self.all, key=lambda r: r[0], reverse=True)
        self.model.replace(rows)
        _painted(self.view)
        return len(rows)

    def close(self) -> None:
        self.view.close()
        self.view.deleteLater()


class Ours:
    """The roster page."""

    def __init__(self, db: Database) -> None:
        self.page = RosterPage(db)
        self.page.resize(*SIZE)
        self.page.show()
        _painted(self.page.table)

    def index_ready(self) -> None:
        """Wait for the search index, built off the UI thread after the first paint."""
        assert self.page.model.wait_for_index()
        QApplication.processEvents()

    def search(self) -> int:
        self.page.model.set_filter(RosterFilter(text=SEARCH))
        _painted(self.page.table)
        return self.page.model.rowCount()

    def county(self) -> int:
        county_id = self.page.county.itemData(self.page.county.findText(COUNTY))
        self.page.model.set_filter(RosterFilter(county_id=county_id))
        _painted(self.page.table)
        return self.page.model.rowCount()

    def unfiltered(self) -> None:
        self.page.model.set_filter(RosterFilter())

    def sort(self) -> int:
        self.page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        _painted(self.page.table)
        return self.page.model.rowCount()

    def close(self) -> None:
        self.page.model.sort(0, Qt.SortOrder.AscendingOrder)
        self.page.close()
        self.page.deleteLater()


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 50_000
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        write_database(path, generate(n))
        db = open_database(path, "benchmark")
        best: dict[str, dict[str, float]] = {"ours": {}, "bare": {}}
        counts: dict[str, set[int]] = {}

        def note(who: str, step: str, seconds: float, count: int | None = None) -> None:
            best[who][step] = min(best[who].get(step, seconds), seconds)
            if count is not None:
                counts.setdefault(step, set()).add(count)

        for _ in range(REPEAT):
            for who, make in (("bare", lambda: Bare(path)), ("ours", lambda: Ours(db))):
                seconds, subject = _timed(make)
                note(who, "first paint", seconds)
                if isinstance(subject, Ours):
                    note("ours", "index ready", _timed(subject.index_ready)[0])
                for step in ("search", "county", "sort"):
                    if step == "sort" and isinstance(subject, Ours):
                        subject.unfiltered()  # the bare list sorts all rows too
                    seconds, count = _timed(getattr(subject, step))
                    note(who, step, seconds, count)
                subject.close()
                app.processEvents()
        db.close()
    print(f"{n:,} enterprises; best of {REPEAT}; the floor is a bare QTableView over a list")
    failed = False
    for step in ("first paint", "search", "county", "sort"):
        ours, bare = best["ours"][step], best["bare"][step]
        ratio = ours / bare
        failed |= ratio > LIMIT
        rows = "/".join(str(c) for c in sorted(counts.get(step, {n})))
        print(f"  {step:<12} ours {ours * 1000:7.1f} ms   bare {bare * 1000:7.1f} ms   "
              f"ratio {ratio:4.2f}   rows {rows}")  # fmt: skip
    index = best["ours"]["index ready"]
    print(f"  the search index was ready {index * 1000:.0f} ms after the first paint")
    print("within" if not failed else "OVER", f"{LIMIT}×")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
