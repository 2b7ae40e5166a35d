"""工作台 (work desk): what needs attention today; each line opens the thing it names."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.cases.attention import DESK_SOURCES
from desktop.changes import Changes
from desktop.progress import Progress
from desktop.qt.core import QModelIndex, Qt, Signal
from desktop.qt.widgets import QLabel, QPushButton, QVBoxLayout, QWidget
from desktop.store import Database
from desktop.taskforce.desk import DeskItem, desk_items
from desktop.ui.background import BackgroundOp
from desktop.ui.icons import with_icon
from desktop.ui.messages import show_error
from desktop.ui.page import Page
from desktop.ui.tables import button_row, shown_columns, table_view
from desktop.ui.warning_model import WARNING_TEXT, WarningModel

KINDS = {"problem": "问题预警", "case": "兑现期限", "visit": "包联未走访", "report": "监测未报送",
         "changed": "测算已变化"}  # fmt: skip
# What the desk's lines rest on: the task force's ledgers, cases, the facts (测算已变化) and the
# settings (problems.warn_days).
WATCHED = Changes.TASKFORCE | Changes.CASES | Changes.FACTS | Changes.SETTINGS


@dataclass(frozen=True)
class DeskLine:
    """A desk item as its table row shows it."""

    warning: str
    kind: str
    text: str
    item: DeskItem

    @classmethod
    def of(cls, item: DeskItem) -> DeskLine:
        return cls(WARNING_TEXT[item.warning], KINDS[item.kind], item.text, item)


COLUMNS = shown_columns(("warning", "预警"), ("kind", "类别"), ("text", "事项"))


def read_desk(db: Database, today: date) -> Callable[[Progress], list[DeskItem]]:
    """The work of reading the desk on ``today`` (off the UI thread)."""

    def work(_progress: Progress) -> list[DeskItem]:
        with db.reader() as session:
            return desk_items(session, today, DESK_SOURCES)

    return work


class DeskPage(Page):
    """The desk's lines, read again whenever what they rest on changes.

    ``open_problem`` carries a problem's id, ``open_case`` a case's number and its enterprise's
    credit code, ``open_enterprise`` an enterprise's credit code.
    """

    open_problem = Signal(int)
    open_case = Signal(str, str)
    open_enterprise = Signal(str)
    loaded = Signal()  # the lines shown are the desk as it now is

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.today = date.today
        self.model = WarningModel(COLUMNS, lambda line: line.item.warning, self)
        self.summary = QLabel("正在读取今天需要处理的事项…")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("QLabel { font-size: 15px; padding: 4px 0; }")
        self.table = table_view(self.model)
        self.table.setWordWrap(False)
        self.table.doubleClicked.connect(self._open_index)
        self.open_button = with_icon(QPushButton("打开所选事项（回车）"), "open")
        self.open_button.clicked.connect(lambda: self._open_index(self.table.currentIndex()))
        self.refresh_button = with_icon(QPushButton("刷新"), "refresh")
        self.refresh_button.clicked.connect(self.reload)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(button_row(self.open_button, self.refresh_button))
        layout.addWidget(self.table, 1)
        hint = QLabel(
            "双击一行（或选中后按回车）打开它所说的问题或企业；办理、走访、报送之后这里随之更新。"
        )
        hint.setStyleSheet("color: #555")
        layout.addWidget(hint)
        self._wanted = 0
        self.reload()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._open_index(self.table.currentIndex())
            return
        super().keyPressEvent(event)

    def items(self) -> list[DeskItem]:
        """The items shown, in order."""
        return [line.item for line in self.model.rows()]

    def reload(self) -> None:
        """Read the desk again off the UI thread; a reading overtaken by a newer one is dropped."""
        self._wanted += 1
        wanted = self._wanted
        op = BackgroundOp(read_desk(self.db, self.today()), self)
        op.succeeded.connect(lambda items: self._show(wanted, items))
        op.failed.connect(lambda exc: self._failed(wanted, exc))
        op.start()

    def _show(self, wanted: int, items: list[DeskItem]) -> None:
        if wanted != self._wanted:
            return
        self.model.set_rows([DeskLine.of(item) for item in items])
        self.summary.setText(summary(items, self.today()))
        self.loaded.emit()

    def _failed(self, wanted: int, exc: BaseException) -> None:
        if wanted == self._wanted:
            self.summary.setText("工作台未能读取，请按 F5 重试。")
            show_error(self, "工作台未能读取", exc)

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(WATCHED):
            self.reload()

    def _open_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        item = self.model.rows()[index.row()].item
        if item.kind == "problem":
            assert isinstance(item.ref, int)
            self.open_problem.emit(item.ref)
        elif item.kind in ("case", "changed"):
            self.open_case.emit(str(item.ref), item.uscc)
        else:
            self.open_enterprise.emit(item.uscc)


def summary(items: list[DeskItem], today: date) -> str:
    """今天（2026-12-01）需要处理 5 项：问题预警 2 项（红色 1）、… — or that nothing is due."""
    if not items:
        return f"今天（{today.isoformat()}）没有需要处理的事项。"
    kinds = Counter(item.kind for item in items)
    red = Counter(item.kind for item in items if item.warning == "red")
    parts = [
        f"{label} {kinds[kind]} 项" + (f"（红色 {red[kind]}）" if red[kind] else "")
        for kind, label in KINDS.items()
        if kinds[kind]
    ]
    return f"今天（{today.isoformat()}）需要处理 {len(items)} 项：{'、'.join(parts)}。"
