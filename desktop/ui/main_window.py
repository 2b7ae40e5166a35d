"""The main window: navigation between the pages, the status bar, shortcuts, sample offer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.qt.core import QSize
from desktop.qt.gui import QAction, QCloseEvent, QKeySequence
from desktop.qt.widgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from desktop.store import Database, StoreError, open_database
from desktop.store.backups import restore_from
from desktop.ui.background import stop_all
from desktop.ui.icons import NAVIGATION, icon, with_icon
from desktop.ui.messages import show_error
from desktop.ui.pages import build_pages
from desktop.ui.roster_page import RosterPage

DEFAULT_SIZE = QSize(1280, 720)  # fits a 1366×768 screen with the task bar


class SampleBanner(QFrame):
    """Shown while the roster is empty: load the sample county, or go to import."""

    def __init__(self, load: Callable[[], None], go_import: Callable[[], None]) -> None:
        super().__init__()
        self.setStyleSheet("SampleBanner { background: #fff8e1; border: 1px solid #f0c36d; }")
        text = QLabel(
            "企业名录还是空的。可以先载入内置的示例数据（虚构企业，标为示例）看看各项功能，"
            "或者导入本县的企业名录。"
        )
        text.setWordWrap(True)
        self.load_button = with_icon(QPushButton("载入示例数据"), "add")
        self.load_button.clicked.connect(load)
        go = with_icon(QPushButton("去导入名录"), "import")
        go.clicked.connect(go_import)
        row = QHBoxLayout(self)
        row.addWidget(text, 1)
        row.addWidget(self.load_button)
        row.addWidget(go)


class MainWindow(QMainWindow):
    """Navigation on the left, the current page on the right, the status bar below."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("纾困政策兑现工具 — 忻州市工业企业复工复产十八条")
        self.setWindowIcon(icon("app"))
        self.resize(DEFAULT_SIZE)
        self.nav = QListWidget()
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setFixedWidth(self.fontMetrics().horizontalAdvance("中") * 9)
        self.stack = QStackedWidget()
        self.roster = RosterPage(db)
        self.pages: dict[str, QWidget] = {}
        self._add_page("企业名录", self.roster)
        for title, page in build_pages(self):
            self._add_page(title, page)
        self.nav.setStyleSheet(
            "QListWidget { font-size: 15px; } QListWidget::item { padding: 10px 6px; }"
        )
        self.nav.currentRowChanged.connect(self._page_chosen)
        self.nav.setCurrentRow(0)
        self.banner = SampleBanner(self.load_sample, lambda: self.show_page("数据导入"))
        right = QVBoxLayout()
        right.addWidget(self.banner)
        right.addWidget(self.stack)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)
        self.db_label, self.operator_label, self.size_label = QLabel(), QLabel(), QLabel()
        for label in (self.db_label, self.operator_label):
            self.statusBar().addWidget(label)
        self.statusBar().addPermanentWidget(self.size_label)
        self._add_shortcuts()
        self.roster.roster_edited.connect(self.refresh_status)
        self.refresh_status()

    def _add_page(self, title: str, page: QWidget) -> None:
        self.pages[title] = page
        self.nav.addItem(QListWidgetItem(icon(NAVIGATION[title]), title))
        self.stack.addWidget(page)

    def _add_shortcuts(self) -> None:
        for number, title in enumerate(self.pages, start=1):
            action = QAction(title, self, shortcut=QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, t=title: self.show_page(t))
            self.addAction(action)
            self.nav.item(number - 1).setToolTip(f"{title}（Ctrl+{number}）")
        refresh = QAction(icon("refresh"), "刷新", self, shortcut=QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh_all)
        quit_action = QAction("退出", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.addActions([refresh, quit_action])

    def _page_chosen(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        page = self.stack.currentWidget()
        shown = getattr(page, "on_shown", None)
        if shown is not None:
            shown()

    def show_page(self, title: str) -> None:
        self.nav.setCurrentRow(list(self.pages).index(title))

    def refresh_status(self) -> None:
        """Database path, operator and roster size; the sample offer while the roster is empty."""
        count = self.db.enterprise_count()
        self.db_label.setText(f"数据库：{self.db.path}")
        self.operator_label.setText(f"操作人：{self.db.operator}")
        self.size_label.setText(f"企业名录：{count:,} 家")
        self.banner.setVisible(count == 0)

    def refresh_all(self) -> None:
        """Read everything again (F5)."""
        self.set_database(self.db)

    def set_database(self, db: Database) -> None:
        """Show ``db`` on every page (after a restore, or a refresh)."""
        self.db = db
        for page in self.pages.values():
            setter = getattr(page, "set_database", None)
            if setter is not None:
                setter(db)
        self.refresh_status()

    def restore_backup(self, source: Path) -> None:
        """Close the database, put ``source`` in its place, and open it again."""
        path, operator = self.db.path, self.db.operator
        self.db.close()
        try:
            aside = restore_from(path, source)
        except StoreError as exc:
            show_error(self, "未恢复", exc)
            aside = None
        try:
            db = open_database(path, operator)
        except StoreError as exc:
            show_error(self, "恢复后无法打开数据库", exc)
            self.close()
            return
        self.set_database(db)
        if aside:
            self.statusBar().showMessage(f"已从 {source.name} 恢复；原数据库另存为 {aside}", 15000)

    def load_sample(self) -> None:
        """Load the bundled sample county into the empty roster."""
        from desktop.samples import load_sample

        try:
            added = load_sample(self.db)
        except StoreError as exc:
            show_error(self, "未载入示例数据", exc)
            return
        self.refresh_all()
        self.statusBar().showMessage(f"已载入示例数据：{added} 家企业", 8000)

    def closeEvent(self, event: QCloseEvent) -> None:
        stop_all()  # no worker may outlive the database it reads
        self.db.close()
        super().closeEvent(event)
