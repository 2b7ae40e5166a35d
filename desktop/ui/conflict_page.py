"""冲突处理: the conflicts packages left, each with its base and both sides, resolved by the
officer (保留本地, 采用对方 or a value of their own), through ``desktop.sync.conflicts``."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.changes import Changes
from desktop.qt.core import Qt
from desktop.qt.widgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from desktop.store import Database, StoreError
from desktop.sync.conflicts import MINE, THEIRS, ConflictError, parse_value, resolve_conflict
from desktop.sync.keys import synced
from desktop.sync.review import Reviewed, review
from desktop.ui.empty_hint import hint_when_empty
from desktop.ui.icons import with_icon
from desktop.ui.messages import show_error
from desktop.ui.page import Page
from desktop.ui.row_list_model import RowListModel
from desktop.ui.tables import shown_columns, table_view

TITLE = "冲突处理"
EMPTY_TEXT = "没有待处理的冲突。导入其他单位的数据包后，双方都改过的字段会列在这里"
INTRO = (
    "导入的数据包与本库改过同一字段、且改成了不同的值：程序不替您决定。"
    "请逐项选择保留本地、采用对方或另填一个值，然后点「解决」；每项处理都记入操作记录，"
    "并随下一个数据包发给对方。"
)
OWN = "另填"
SPLIT = [260, 370]  # the list, the chosen conflict (px)
RELOADS = Changes.PACKAGES | Changes.FACTS | Changes.TASKFORCE | Changes.CASES


@dataclass(frozen=True)
class _Line:
    """One conflict as its row in the list reads."""

    number: int
    table: str
    row: str
    field: str
    mine: str
    theirs: str
    sender: str
    state: str


def _line(r: Reviewed) -> _Line:
    c = r.conflict
    state = "待处理" if c.state == "open" else "已处理"
    return _Line(c.id, r.table, r.row, r.field, r.mine, r.theirs, c.sender, state)


def _short(r: Reviewed, shown: str, stored: str | None) -> str:
    """A side's value as its choice names it (a whole row: kept or deleted)."""
    if r.conflict.field is not None:
        return shown
    return "保留该行" if stored is not None else "删除该行"


COLUMNS = shown_columns(
    ("number", "编号"), ("table", "数据表"), ("row", "记录"), ("field", "字段"),
    ("mine", "本地的值"), ("theirs", "对方的值"), ("sender", "对方单位"), ("state", "状态"),
)  # fmt: skip


class ConflictPage(Page):
    """The list of conflicts above; the chosen one's values and the choice below."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.shown: list[Reviewed] = []
        self.model = RowListModel(COLUMNS, parent=self)
        self.view = table_view(self.model, stretch_last=False)
        self.view.setWordWrap(False)
        self.empty = hint_when_empty(self.view, EMPTY_TEXT)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_chosen())
        self.with_resolved = QCheckBox("显示已处理的冲突（谁处理、何时、采用了什么）")
        self.with_resolved.toggled.connect(lambda _: self.reload())
        self.count = QLabel()
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.count)
        top.addStretch()
        top.addWidget(self.with_resolved)
        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self._detail_box())
        splitter.setSizes(SPLIT)
        splitter.setChildrenCollapsible(False)  # the choice never folds away
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.reload()

    def _detail_box(self) -> QGroupBox:
        self.detail = box = QGroupBox("所选冲突")
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold")
        self.heading.setWordWrap(True)
        grid = QGridLayout()
        self.values: dict[str, QLabel] = {}
        self.whos: dict[str, QLabel] = {}
        rows = (("base", "原值"), (MINE, "本地的值"), (THEIRS, "对方的值"))
        for row, (name, title) in enumerate(rows):
            self.values[name] = value = QLabel()
            self.whos[name] = who = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            bigger = value.font()  # a font, not a style sheet: the size hint knows it
            bigger.setPointSizeF(bigger.pointSizeF() * 1.15)
            value.setFont(bigger)
            who.setStyleSheet("color: #555")
            grid.addWidget(QLabel(title), row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
            grid.addWidget(who, row, 2, Qt.AlignmentFlag.AlignTop)
        grid.setHorizontalSpacing(24)
        grid.setColumnStretch(3, 1)  # each side's who and when beside its value
        self.choice = QButtonGroup(self)
        self.keep, self.take, self.own = (QRadioButton(t) for t in ("保留本地", "采用对方", OWN))
        for button in (self.keep, self.take, self.own):
            self.choice.addButton(button)
        self.own_value = QLineEdit()
        self.own_value.setMaximumWidth(self.fontMetrics().horizontalAdvance("中") * 24)
        self.own_value.setPlaceholderText("另填的值，如 150万 或 0350-1234567")
        self.own_value.textEdited.connect(lambda _: self.own.setChecked(True))
        self.own_value.textChanged.connect(lambda _: self._check_own())
        self.choice.buttonToggled.connect(lambda *_: self._check_own())
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setWordWrap(True)
        self.resolve_button = with_icon(QPushButton("解决"), "save")
        self.resolve_button.clicked.connect(self.resolve)
        choose = QHBoxLayout()
        for widget in (self.keep, self.take, self.own):
            choose.addWidget(widget)
        choose.addWidget(self.own_value, 1)
        choose.addWidget(self.resolve_button)
        choose.addStretch(1)
        self.resolved = QLabel()
        self.resolved.setStyleSheet("color: #1b5e20")
        self.resolved.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.addWidget(self.heading)
        layout.addLayout(grid)
        layout.addLayout(choose)
        layout.addWidget(self.problem)
        layout.addWidget(self.resolved)
        layout.addStretch()
        return box

    # Reading

    def reload(self) -> None:
        """Read the conflicts again, keeping the chosen one chosen where it is still listed."""
        chosen = self.chosen()
        self.shown = review(self.db, everything=self.with_resolved.isChecked())
        self.model.set_rows([_line(r) for r in self.shown])
        waiting = sum(1 for r in self.shown if r.conflict.state == "open")
        self.count.setText(f"待处理 {waiting} 项" + (
            f"，已处理 {len(self.shown) - waiting} 项" if self.with_resolved.isChecked() else ""
        ))  # fmt: skip
        ids = [r.id for r in self.shown]
        first_open = next((i for i, r in enumerate(self.shown) if r.conflict.state == "open"), 0)
        row = ids.index(chosen.id) if chosen is not None and chosen.id in ids else first_open
        if self.shown:
            self.view.selectRow(row)
        self._show_chosen()

    def chosen(self) -> Reviewed | None:
        """The conflict chosen in the list, if any."""
        row = self.view.currentIndex().row()
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def _show_chosen(self) -> None:
        r = self.chosen()
        self.detail.setVisible(r is not None)
        if r is None:
            return
        if self.splitter.sizes()[1] == 0:  # hidden when the splitter was laid out
            self.splitter.setSizes(SPLIT)
        c = r.conflict
        self.heading.setText(f"{r.table}　{r.row}　「{r.field}」")
        for name, text in (("base", r.base), (MINE, r.mine), (THEIRS, r.theirs)):
            self.values[name].setText(text.replace("；", "\n"))  # a whole row: a field a line
        self.whos["base"].setText("双方上次一致时的值")
        self.whos[MINE].setText(r.mine_who)
        self.whos[THEIRS].setText(r.theirs_who)
        self.keep.setText(f"保留本地（{_short(r, r.mine, c.mine)}）")
        self.take.setText(f"采用对方（{_short(r, r.theirs, c.theirs)}）")
        is_open = c.state == "open"
        for widget in (self.keep, self.take, self.resolve_button):
            widget.setEnabled(is_open)
        for widget in (self.own, self.own_value):
            widget.setEnabled(is_open and r.typed)
        self.own.setToolTip("" if r.typed else "此项只能选择一方（整行，或引用其他记录的字段）")
        self.choice.setExclusive(False)
        for button in (self.keep, self.take, self.own):
            button.setChecked(False)
        self.choice.setExclusive(True)
        self.own_value.clear()
        self.problem.clear()
        self.resolved.setText(f"已处理：{r.taken}（{r.taken_who}）" if not is_open else "")
        self.resolved.setVisible(not is_open)
        self.detail.layout().activate()  # the values' widths now, not at the next event

    def _take(self) -> str | None:
        """What the choice takes (mine, theirs or the typed text); None before one is made."""
        if self.keep.isChecked():
            return MINE
        if self.take.isChecked():
            return THEIRS
        if self.own.isChecked():
            return self.own_value.text()
        return None

    def _check_own(self) -> bool:
        """Read the typed value by the field's parser, saying why it is refused; True if fine."""
        r = self.chosen()
        self.problem.clear()
        if r is None or not self.own.isChecked() or r.conflict.field is None:
            return True
        table = synced(r.conflict.table)
        assert table is not None
        try:
            parse_value(table, r.conflict.field, self.own_value.text())
        except ConflictError as refused:
            self.problem.setText(str(refused))
            return False
        return True

    # Writing

    def resolve(self) -> None:
        """Resolve the chosen conflict as chosen (logged), then list what is left."""
        r = self.chosen()
        if r is None:
            return
        take = self._take()
        if take is None:
            self.problem.setText("请先选择：保留本地、采用对方，或另填一个值")
            return
        if self.own.isChecked() and not take.strip():
            self.problem.setText("请填写另填的值（或选择保留本地、采用对方）")
            return
        if not self._check_own():
            return
        try:
            done = resolve_conflict(self.db, r.id, take)
        except ConflictError as refused:
            self.problem.setText(str(refused))
            return
        except StoreError as exc:
            show_error(self, "冲突未处理", exc)
            return
        how = {MINE: "保留本地", THEIRS: "采用对方"}.get(take, OWN)
        self.window().statusBar().showMessage(
            f"冲突 {r.id}（{r.row} · {r.field}）已处理：{how}", 8000
        )
        self.publish(done.changes)

    # Following changes

    def on_changes(self, changes: Changes) -> None:
        """Read again what packages, resolutions or edits changed (when next shown if hidden)."""
        if not changes.touches(RELOADS):
            return
        if self.isVisible():
            self.reload()

    def on_shown(self) -> None:
        """Read again: a package may have come in through the command line meanwhile."""
        self.reload()

    def set_database(self, db: Database) -> None:
        self.db = db
        self.reload()
