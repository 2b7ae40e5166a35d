"""企业名录: search, filters, the roster table, the editor, undo of recent edits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from desktop.changes import Changes
from desktop.models import County, KeyChain, Zone, column_label
from desktop.qt.core import QModelIndex, Qt, QTimer
from desktop.qt.gui import QAction, QKeySequence, QUndoCommand, QUndoStack
from desktop.qt.widgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from desktop.roster.query import COLUMNS, RosterFilter, choices
from desktop.roster.records import (
    FLAG_FIELDS,
    EnterpriseRecord,
    Pair,
    apply_changes,
    load_record,
)
from desktop.store import Database, StoreError
from desktop.ui.enterprise_cases import add_cases_tab
from desktop.ui.enterprise_dialog import EditorChoices, EnterpriseDialog, delete_question
from desktop.ui.frozen_table import FrozenColumnTable
from desktop.ui.icons import with_icon
from desktop.ui.messages import confirm, show_error
from desktop.ui.page import Page
from desktop.ui.roster_model import RosterModel

SEARCH_DELAY_MS = 200
FLAG_CHOICES = (("全部", None), ("是", True), ("否", False))


class RecordChange(QUndoCommand):
    """One saved edit, addition or deletion of one or several enterprises (in one step),
    undoable and redoable."""

    def __init__(self, page: RosterPage, pairs: Sequence[Pair]) -> None:
        before, after = pairs[0]
        name = (after or before).name  # type: ignore[union-attr]
        verb = "新增" if before is None else "删除" if after is None else "修改"
        super().__init__(f"{verb}「{name}」" if len(pairs) == 1 else f"{verb} {len(pairs)} 家企业")
        self._page = page
        self._pairs = list(pairs)
        self._applied = True  # pushed after the change was made

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._apply(self._pairs)

    def undo(self) -> None:
        self._apply([(after, before) for before, after in self._pairs])

    def _apply(self, pairs: Sequence[Pair]) -> None:
        try:
            self._page.publish(apply_changes(self._page.db, pairs))
        except StoreError as exc:
            self.setObsolete(True)
            show_error(self._page, f"未能{self.text()}", exc)
            self._page.model.roster_changed()  # show the roster as it now is


NAMES_LISTED = 15  # the names a question about several enterprises lists


def _listed(records: Sequence[EnterpriseRecord]) -> str:
    """The names (and codes) of ``records``, one a line, the first ``NAMES_LISTED`` of them."""
    names = "\n".join(f"  {r.name}（{r.uscc}）" for r in records[:NAMES_LISTED])
    return names + (f"\n  …等共 {len(records)} 家" if len(records) > NAMES_LISTED else "")


def _many(records: Sequence[EnterpriseRecord]) -> str:
    """What the officer is asked before several enterprises are deleted: their names."""
    return (
        f"确定删除以下 {len(records)} 家企业及其全部产值、年度数据和租赁记录吗？\n"
        f"{_listed(records)}\n删除会记入操作记录，可在企业名录中一次撤销（Ctrl+Z）。"
    )


def flag_question(records: Sequence[EnterpriseRecord], label: str, value: bool) -> str:
    """What the officer is asked before one yes/no field of several enterprises is set."""
    return (
        f"把以下 {len(records)} 家企业的「{label}」设为「{'是' if value else '否'}」吗？\n"
        f"{_listed(records)}\n修改会记入操作记录，可一次撤销（Ctrl+Z）。"
    )


def _flag_combo() -> QComboBox:
    combo = QComboBox()
    for label, value in FLAG_CHOICES:
        combo.addItem(label, value)
    return combo


class RosterPage(Page):
    """The roster with its search, filters and editing."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.undo_stack = QUndoStack(self)
        self.model = RosterModel(db, self)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索：企业名称、信用代码或拼音首字母（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(lambda: self.model.set_text(self.search.text()))
        self.search.textChanged.connect(self._search_timer.start)
        self.county, self.zone, self.chain = QComboBox(), QComboBox(), QComboBox()
        self.white_list, self.chain_leader = _flag_combo(), _flag_combo()
        self.count = QLabel()
        self.model.shown.connect(self._show_count)
        clear_search = QAction("清除搜索", self.search, shortcut=QKeySequence(Qt.Key.Key_Escape))
        clear_search.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear_search.triggered.connect(self.search.clear)
        self.search.addAction(clear_search)
        self.table = self._table()
        layout = QVBoxLayout(self)
        layout.addLayout(self._filter_row())
        layout.addLayout(self._action_row())
        layout.addWidget(self.table)
        self.refresh_choices()
        self.table.setSortingEnabled(True)  # sorts (reads) the roster once, by name

    def _show_count(self, shown: int, total: int) -> None:
        """How many are shown; a search or filter finding none says so."""
        if shown == 0 and total > 0:
            text = self.model.roster_filter.text.strip()
            found = f"没有找到与「{text}」相符的企业" if text else "没有符合筛选条件的企业"
            self.count.setText(f"{found}（共 {total:,} 家；Esc 清除搜索）")
            self.count.setStyleSheet("color: #b00020")
        else:
            self.count.setText(f"显示 {shown:,} 家 / 共 {total:,} 家")
            self.count.setStyleSheet("")

    def _table(self) -> FrozenColumnTable:
        table = FrozenColumnTable()
        table.setModel(self.model)
        table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        for view in (table, table.frozen):
            view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
            view.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
            view.setAlternatingRowColors(True)
            view.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.set_row_height(table.fontMetrics().height() + 8)
        metrics = table.fontMetrics()
        samples = {"name": "示例·原平新能源装备有限公司", "uscc": "91140902MA0XY0001F",
                   "county": "五台山风景名胜区", "zone": "（示例）忻州工业园区",
                   "chain": "（示例）新能源装备产业链", "phone": "0350-0000000"}  # fmt: skip
        for col, column in enumerate(COLUMNS):
            text = max(
                samples.get(column.key, ""), column.label + "中中", key=metrics.horizontalAdvance
            )
            table.setColumnWidth(col, metrics.horizontalAdvance(text) + 16)
        table.doubleClicked.connect(self._edit_index)
        return table

    def _filter_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.search, 3)
        for label, combo in (
            ("县（市、区）", self.county),
            ("开发区", self.zone),
            ("产业链", self.chain),
            ("白名单", self.white_list),
            ("链主", self.chain_leader),
        ):
            row.addWidget(QLabel(label))
            row.addWidget(combo, 1)
            combo.currentIndexChanged.connect(self._apply_filters)
        return row

    def _action_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        actions = (
            ("新增企业", "add", QKeySequence.StandardKey.New, self.add_enterprise),
            ("编辑所选", "edit", QKeySequence(Qt.Key.Key_Return), self.edit_selected),
            ("删除所选", "delete", QKeySequence.StandardKey.Delete, self.delete_selected),
            ("撤销", "undo", QKeySequence.StandardKey.Undo, self.undo_stack.undo),
            ("重做", "redo", QKeySequence.StandardKey.Redo, self.undo_stack.redo),
        )
        self.buttons: dict[str, QPushButton] = {}
        for text, name, keys, slot in actions:
            action = with_icon(QAction(text, self, shortcut=QKeySequence(keys)), name)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)  # while this page shows
            action.triggered.connect(slot)
            self.addAction(action)
            keys_text = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            button = with_icon(QPushButton(f"{text}（{keys_text}）"), name)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[text] = button
        self.undo_stack.canUndoChanged.connect(self.buttons["撤销"].setEnabled)
        self.undo_stack.canRedoChanged.connect(self.buttons["重做"].setEnabled)
        self.undo_stack.undoTextChanged.connect(lambda t: self.buttons["撤销"].setToolTip(t))
        self.buttons["撤销"].setEnabled(False)
        self.buttons["重做"].setEnabled(False)
        focus = QAction("搜索", self, shortcut=QKeySequence.StandardKey.Find)
        focus.triggered.connect(self.search.setFocus)
        self.addAction(focus)
        row.addWidget(self._bulk_button())
        clear = with_icon(QPushButton("清除筛选"), "clear-filter")
        clear.clicked.connect(self.clear_filters)
        row.addWidget(clear)
        row.addStretch()
        row.addWidget(self.count)
        return row

    def _bulk_button(self) -> QPushButton:
        """批量修改所选: set a yes/no field (规上, 白名单, 链主) of every selected enterprise."""
        button = with_icon(QPushButton("批量修改所选"), "edit")
        self.bulk_menu = QMenu(button)
        for name in FLAG_FIELDS:
            label = column_label("enterprise", name)
            for value in (True, False):
                action = self.bulk_menu.addAction(f"{label}：设为「{'是' if value else '否'}」")
                action.triggered.connect(
                    lambda _=False, n=name, v=value: self.set_flag_selected(n, v)
                )
        button.setMenu(self.bulk_menu)
        return button

    def set_flag_selected(self, name: str, value: bool) -> None:
        """Set the yes/no field ``name`` of every selected enterprise, after the officer
        confirms the list, in one step (undone as one)."""
        codes = self.selected_usccs()
        if not codes:
            return
        label = column_label("enterprise", name)
        try:
            with self.db.reader() as s:
                records = [load_record(s, code) for code in codes]
            changing = [r for r in records if getattr(r, name) != value]
            if not changing:
                self.count.setText(f"所选企业的「{label}」已都是「{'是' if value else '否'}」")
                return
            if confirm(self, "批量修改", flag_question(changing, label, value)):
                self._commit_all([(r, replace(r, **{name: value})) for r in changing])
        except StoreError as exc:
            show_error(self, "未修改", exc)

    def refresh_choices(self) -> None:
        """Fill the filter lists from the database (after settings change zones or chains)."""
        with self.db.reader() as s:
            pairs = ((self.county, County), (self.zone, Zone), (self.chain, KeyChain))
            lists = {combo: choices(s, model) for combo, model in pairs}
        for combo, items in lists.items():
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("全部", None)
            for item_id, name in items:
                combo.addItem(name, item_id)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)

    def _apply_filters(self) -> None:
        self.model.set_filter(
            RosterFilter(
                text=self.search.text(),
                county_id=self.county.currentData(),
                zone_id=self.zone.currentData(),
                chain_id=self.chain.currentData(),
                white_list=self.white_list.currentData(),
                chain_leader=self.chain_leader.currentData(),
            )
        )

    def clear_filters(self) -> None:
        for combo in (self.county, self.zone, self.chain, self.white_list, self.chain_leader):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.clear()
        self._search_timer.stop()
        self._apply_filters()

    def on_changes(self, changes: Changes) -> None:
        """Read the filter lists again when zones or chains changed, the table when they or
        the enterprises did (figures and leases are not shown here)."""
        if changes.touches(Changes.ZONES | Changes.CHAINS):
            self.refresh_choices()
        if changes.touches(Changes.ENTERPRISES | Changes.ZONES | Changes.CHAINS):
            self.model.roster_changed()

    def set_database(self, db: Database) -> None:
        """Work on another database (after a restore): edits of the old one cannot be undone."""
        self.db = db
        self.undo_stack.clear()
        self.refresh_choices()
        self.model.set_database(db)

    def _choices(self) -> EditorChoices:
        with self.db.reader() as s:
            names = [[name for _, name in choices(s, m)] for m in (County, Zone, KeyChain)]
        return EditorChoices(*names)

    def _commit(self, record: EnterpriseRecord | None, target: EnterpriseRecord | None) -> None:
        """Make the change, keep it undoable, show it (here and on the other pages)."""
        self._commit_all([(record, target)])

    def _commit_all(self, pairs: Sequence[Pair]) -> None:
        """Make the changes in one transaction, undoable as one, and show them."""
        changes = apply_changes(self.db, pairs)
        self.undo_stack.push(RecordChange(self, pairs))
        self.publish(changes)

    def _open_editor(self, record: EnterpriseRecord | None) -> None:
        def commit(target: EnterpriseRecord | None) -> None:
            self._commit(dialog.stored, target)

        dialog = EnterpriseDialog(self._choices(), record, commit, self, self.db)
        if dialog.work is not None:  # a report written on its 包联与监测 tab
            dialog.work.written.connect(lambda _: self.publish(Changes.TASKFORCE | Changes.FIGURES))
        add_cases_tab(dialog.tabs, self.db, record)
        dialog.exec()
        dialog.deleteLater()

    def delete_selected(self) -> None:
        """Delete the selected enterprises after the officer confirms the list (Delete key),
        in one step (undone as one)."""
        codes = self.selected_usccs()
        if not codes:
            return
        try:
            with self.db.reader() as s:
                records = [load_record(s, code) for code in codes]
            question = delete_question(records[0]) if len(records) == 1 else _many(records)
            if confirm(self, "删除企业", question):
                self._commit_all([(record, None) for record in records])
        except StoreError as exc:
            show_error(self, "未删除", exc)

    def selected_uscc(self) -> str | None:
        """The credit code of the enterprise selected in the table, if any."""
        index = self.table.currentIndex()
        return self.model.uscc_at(index.row()) if index.isValid() else None

    def selected_usccs(self) -> list[str]:
        """The credit codes of every selected enterprise, in the table's order."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.uscc_at(row) for row in rows]

    def open_enterprise(self, uscc: str) -> None:
        """Open the editor on enterprise ``uscc`` (from the table or the work desk)."""
        try:
            with self.db.reader() as s:
                record = load_record(s, uscc)
        except StoreError as exc:
            show_error(self, "无法打开", exc)
            self.model.roster_changed()  # show the roster as it now is
            return
        self._open_editor(record)

    def add_enterprise(self) -> None:
        self._open_editor(None)

    def edit_selected(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._edit_index(index)

    def _edit_index(self, index: QModelIndex) -> None:
        self.open_enterprise(self.model.uscc_at(index.row()))
