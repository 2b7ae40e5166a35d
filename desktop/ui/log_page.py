"""操作记录: the change log, filterable, and the backups (create, list, restore)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desktop import values
from desktop.changes import Changes
from desktop.models import table_label
from desktop.qt.core import Qt, QTimer, Signal
from desktop.qt.widgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from desktop.roster.history import (
    LOG_COLUMNS,
    LogFilter,
    distinct_values,
    fetch_log_rows,
    log_ids,
)
from desktop.store import Database, StoreError
from desktop.ui.icons import with_icon
from desktop.ui.messages import confirm, show_error
from desktop.ui.page import Page
from desktop.ui.paged_model import PagedTableModel
from desktop.values import ValueProblem, ValueType

FILTER_DELAY_MS = 250
_OPTIONAL_DAY = values.optional(ValueType.date)
COLUMN_SAMPLES = (
    "2026-11-28 16:00:00", "操作人名字", "撤销导入", "省级奖励", "91140902MA0XY0001F 2023-01-01",
    "删除", "统一社会信用代码", "（示例）新能源装备产业链", "",
)  # fmt: skip


class LogPage(Page):
    """The change log above, the backups below; ``restore_requested`` once the officer has
    confirmed a restore (the window closes the database to put the backup in its place)."""

    restore_requested = Signal(Path)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.model = PagedTableModel([h for _, h in LOG_COLUMNS], self._fetch, self)
        self.operator, self.table_name = QComboBox(), QComboBox()
        self.since, self.until, self.text = QLineEdit(), QLineEdit(), QLineEdit()
        self.since.setPlaceholderText("起始日期，如 2023-01-01")
        self.until.setPlaceholderText("截止日期")
        self.text.setPlaceholderText("查找：信用代码、字段（如 规上企业）或值")
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setVisible(False)
        self.count = QLabel()
        self._timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        metrics = self.view.fontMetrics()
        self.view.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        for col, sample in enumerate(COLUMN_SAMPLES):
            self.view.setColumnWidth(col, metrics.horizontalAdvance(sample) + 16)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.backups = QListWidget()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._log_box())
        splitter.addWidget(self._backup_box())
        splitter.setSizes([480, 180])
        QVBoxLayout(self).addWidget(splitter)
        self.set_database(db)

    def _log_box(self) -> QGroupBox:
        box = QGroupBox("操作记录（最新的在前）")
        row = QHBoxLayout()
        for text, widget in (("操作人", self.operator), ("数据表", self.table_name)):
            row.addWidget(QLabel(text))
            row.addWidget(widget, 1)
            widget.currentIndexChanged.connect(self._timer.start)
        for widget in (self.since, self.until, self.text):
            row.addWidget(widget, 2)
            widget.textChanged.connect(self._timer.start)
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addWidget(self.view)
        layout.addWidget(self.count)
        return box

    def _backup_box(self) -> QGroupBox:
        box = QGroupBox("备份（导入和升级前自动备份；也可随时手动备份）")
        self.backup_button = with_icon(QPushButton("立即备份"), "backup")
        self.restore_button = with_icon(QPushButton("用所选备份恢复…"), "restore")
        self.check_button = with_icon(QPushButton("完整检查数据库"), "preview")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.check_button.clicked.connect(self.check_now)
        self.backups_used = QLabel()
        buttons = QVBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.check_button)
        buttons.addStretch()
        buttons.addWidget(self.backups_used)
        layout = QHBoxLayout(box)
        layout.addWidget(self.backups, 1)
        layout.addLayout(buttons)
        return box

    def _fetch(self, ids: Sequence[int]) -> dict[int, tuple]:
        with self.db.reader() as s:
            return fetch_log_rows(s, ids)

    def set_database(self, db: Database) -> None:
        """Show the log and backups of ``db``."""
        self.db = db
        self.refresh()

    def refresh(self) -> None:
        """Read the log (and the lists to filter it by) and the backups again."""
        with self.db.reader() as s:
            operators = distinct_values(s, "operator")
            tables = distinct_values(s, "table_name")
        self._fill(self.operator, [(o, o) for o in operators])
        self._fill(self.table_name, [(table_label(t), t) for t in tables])
        self.reload()
        self.list_backups()

    def on_shown(self) -> None:
        """Show what happened since the page was last looked at (by other programs too)."""
        self.refresh()

    def on_changes(self, changes: Changes) -> None:
        """Every write is logged: read again while showing (else when next shown)."""
        if changes == Changes.BACKUPS:
            self.list_backups()
        elif changes and self.isVisible():
            self.refresh()

    @staticmethod
    def _fill(combo: QComboBox, items: list[tuple[str | None, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("全部", "")
        for text, value in items:
            combo.addItem(text or value, value)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    def _filter(self) -> LogFilter:
        return LogFilter(
            operator=self.operator.currentData() or "",
            table_name=self.table_name.currentData() or "",
            since=_OPTIONAL_DAY(self.since.text()),
            until=_OPTIONAL_DAY(self.until.text()),
            text=self.text.text(),
        )

    def reload(self) -> None:
        """Read the log again with the current filter."""
        try:
            flt = self._filter()
        except ValueProblem as exc:
            self.problem.setText(f"日期：{exc}")
            self.problem.setVisible(True)
            return
        self.problem.clear()
        self.problem.setVisible(False)
        with self.db.reader() as s:
            self.model.set_ids(log_ids(s, flt))
        self.count.setText(f"{self.model.rowCount():,} 条")

    def list_backups(self) -> None:
        """The automatic backups (of the file, or of the server database in this user's
        folder), newest first, and the space they take."""
        self.backups.clear()
        used = 0
        for path in self.db.backups():
            size = path.stat().st_size
            used += size
            item = QListWidgetItem(f"{path.name}    {size / 2**20:.1f} MB")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.backups.addItem(item)
        self.backups_used.setText(f"备份共占 {used / 2**20:,.1f} MB")

    def check_now(self) -> None:
        """The full check of the open database (a file: integrity_check, tables, references;
        a server: connection, tables, amcheck where installed), saying what was checked."""
        try:
            passed = self.db.check()
        except StoreError as exc:
            QMessageBox.warning(self, "数据库未通过完整检查", str(exc))
        else:
            QMessageBox.information(self, "完整检查", passed)

    def backup_now(self) -> None:
        warning = self.db.backup_warning(automatic=False)
        if warning and not confirm(self, "备份之前", f"{warning}。仍要备份吗？"):
            return
        try:
            made = self.db.backup("manual", required=True)
        except StoreError as exc:
            show_error(self, "未备份", exc)
            return
        self.publish(Changes.BACKUPS)
        self.window().statusBar().showMessage(f"已备份到 {made}", 8000)

    def restore_selected(self) -> None:
        item = self.backups.currentItem()
        if item is None:
            return
        source = Path(item.data(Qt.ItemDataRole.UserRole))
        text = (
            f"用备份 {source.name} 替换当前数据库吗？\n"
            "当前数据库会先另存到备份文件夹（文件名含 replaced），不会丢失。"
        )
        if confirm(self, "恢复备份", text):
            self.restore_requested.emit(source)
