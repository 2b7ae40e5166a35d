"""The main window: navigation between the pages, the status bar, shortcuts, sample offer.

It hands what each operation changed to every page (:meth:`MainWindow.apply_changes`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop import PRODUCT_NAME
from desktop.changes import Changes
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
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from desktop.store import Database, StoreError, open_database
from desktop.ui.background import stop_all
from desktop.ui.help import PAGE_TIPS
from desktop.ui.icons import NAVIGATION, icon, with_icon
from desktop.ui.log_page import LogPage
from desktop.ui.menus import install_menus
from desktop.ui.messages import confirm, show_error
from desktop.ui.page import Page
from desktop.ui.pages import build_pages
from desktop.ui.presence_bar import PresenceBar
from desktop.ui.progress import run_with_progress
from desktop.ui.remembered import remember_database, restore_window, save_window
from desktop.ui.roster_page import RosterPage
from desktop.ui.settings_page import SettingsPage

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

    def __init__(
        self, db: Database, parent: QWidget | None = None, *, remember: bool = True
    ) -> None:
        """``remember``: restore the size and splitters left last time and save them on close
        (not for a window that only proves it opens, as ``selftest``'s)."""
        super().__init__(parent)
        self.db = db
        self.remember = remember
        self.setWindowTitle(PRODUCT_NAME)
        self.setWindowIcon(icon("app"))
        self.resize(DEFAULT_SIZE)
        self.nav = QListWidget()
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setFixedWidth(self.fontMetrics().horizontalAdvance("中") * 9)
        self.stack = QStackedWidget()
        self.pages: dict[str, Page] = {}
        for title, page in build_pages(db).items():
            self._add_page(title, page)
        roster, log = self.pages["企业名录"], self.pages["操作记录"]
        assert isinstance(roster, RosterPage) and isinstance(log, LogPage)
        self.roster = roster
        log.restore_requested.connect(self.restore_backup)
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
        self.presence = PresenceBar(db)  # the others working on this database
        for label in (self.db_label, self.operator_label, self.presence):
            self.statusBar().addWidget(label)
        self.statusBar().addPermanentWidget(self.size_label)
        self._add_shortcuts()
        self.menus = install_menus(self)
        settings = self.pages["设置"]
        assert isinstance(settings, SettingsPage)
        settings.remove_sample_requested.connect(self.remove_sample)
        settings.database_chosen.connect(self.switch_database)
        self.refresh_status()
        self.presence.start()
        if remember:
            restore_window(self, self.splitters())

    def _add_page(self, title: str, page: Page) -> None:
        self.pages[title] = page
        page.changed.connect(lambda changes, source=page: self.apply_changes(changes, source))
        page.go_to.connect(self.show_page)
        self.nav.addItem(QListWidgetItem(icon(NAVIGATION[title]), title))
        self.stack.addWidget(page)

    def _add_shortcuts(self) -> None:
        self.page_actions: dict[str, QAction] = {}
        for number, title in enumerate(self.pages, start=1):  # Ctrl+1 … Ctrl+9, Ctrl+0
            key = f"Ctrl+{number % 10}"
            action = QAction(icon(NAVIGATION[title]), title, self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _=False, t=title: self.show_page(t))
            self.addAction(action)
            self.page_actions[title] = action
            tip = f"：{PAGE_TIPS[title]}" if title in PAGE_TIPS else ""
            self.nav.item(number - 1).setToolTip(f"{title}（{key}）{tip}")
        refresh = QAction(icon("refresh"), "刷新", self, shortcut=QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh_all)
        quit_action = QAction("退出", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.addActions([refresh, quit_action])
        self.refresh_action, self.quit_action = refresh, quit_action

    def splitters(self) -> dict[str, QSplitter]:
        """Every splitter of every page, by page title and place (remembered between runs)."""
        return {
            f"{title}/{number}": splitter
            for title, page in self.pages.items()
            for number, splitter in enumerate(page.findChildren(QSplitter))
        }

    def _page_chosen(self, row: int) -> None:
        leaving = self.stack.currentWidget()
        if (
            isinstance(leaving, Page)
            and self.stack.currentIndex() != row
            and not leaving.may_leave()
        ):
            self.nav.blockSignals(True)  # stay: the page has work not saved
            self.nav.setCurrentRow(self.stack.currentIndex())
            self.nav.blockSignals(False)
            return
        self.stack.setCurrentIndex(row)
        list(self.pages.values())[row].on_shown()

    def show_page(self, title: str) -> None:
        self.nav.setCurrentRow(list(self.pages).index(title))

    def refresh_status(self) -> None:
        """Database path, operator and roster size; the sample offer while the roster is empty."""
        count = self.db.enterprise_count()
        self.db_label.setText(f"数据库：{self.db.where}")
        self.operator_label.setText(f"操作人：{self.db.operator}")
        self.size_label.setText(f"企业名录：{count:,} 家")
        self.banner.setVisible(count == 0)

    def apply_changes(self, changes: Changes, source: Page | None = None) -> None:
        """Hand what an operation changed to every page but ``source`` (which has shown it)."""
        for page in self.pages.values():
            if page is not source:
                page.on_changes(changes)
        if changes.touches(Changes.ENTERPRISES | Changes.SETTINGS):
            self.refresh_status()

    def refresh_all(self) -> None:
        """Read everything again (F5), what other programs wrote included."""
        self.apply_changes(Changes.EVERYTHING)

    def set_database(self, db: Database) -> None:
        """Show ``db`` on every page (after a restore)."""
        self.db = db
        for page in self.pages.values():
            page.set_database(db)
        self.presence.set_database(db)
        self.refresh_status()

    def switch_database(self, db: Database) -> None:
        """Work on ``db`` (chosen in 设置) from now on, and open it at the next start."""
        old = self.db
        self.set_database(db)
        old.close()
        if self.remember:
            remember_database(db.location)
        self.statusBar().showMessage(f"已改用数据库 {db.where}", 8000)

    def restore_backup(self, source: Path) -> None:
        """Close the database, put ``source`` in its place, and open it again."""
        location, operator = self.db.location, self.db.operator
        self.presence.leave()
        try:
            aside = self.db.restore(source)
        except StoreError as exc:
            show_error(self, "未恢复", exc)
            aside = None
        try:
            db = open_database(location, operator)
        except StoreError as exc:
            show_error(self, "恢复后无法打开数据库", exc)
            self.close()
            return
        self.set_database(db)
        if aside:
            self.statusBar().showMessage(f"已从 {source.name} 恢复；原数据库另存为 {aside}", 15000)

    def load_sample(self) -> None:
        """Load the bundled sample county into the empty roster, off the UI thread with
        progress (one transaction: not cancellable)."""
        from desktop.samples import load_sample

        db = self.db

        def loaded(added: int) -> None:
            self.apply_changes(Changes.FACTS | Changes.BATCHES)  # the sample is an import batch
            self.statusBar().showMessage(f"已载入示例数据：{added} 家企业", 8000)

        self.sample_op = run_with_progress(
            self, "载入示例数据", lambda p: load_sample(db, p), loaded, cancellable=False
        )

    def remove_sample(self) -> None:
        """After asking, delete the sample county (enterprises, their rows, zones, chains)."""
        from desktop.samples import remove_sample

        question = (
            "删除全部示例企业（名称以「示例」开头）及其产值、租赁、走访等全部数据，"
            "以及示例开发区和产业链？每一行都记入操作记录。本县自己的数据不受影响；"
            "已立兑现事项的示例企业保留（兑现事项不删除）。"
        )
        if not confirm(self, "删除示例数据", question):
            return
        try:
            removal = remove_sample(self.db)
        except StoreError as exc:
            show_error(self, "未删除示例数据", exc)
            return
        self.apply_changes(removal.changes)
        self.statusBar().showMessage(str(removal), 10000)

    def closeEvent(self, event: QCloseEvent) -> None:
        leaving = self.stack.currentWidget()
        if isinstance(leaving, Page) and not leaving.may_leave():
            event.ignore()
            return
        if self.remember:
            save_window(self, self.splitters())
        stop_all()  # no worker may outlive the database it reads
        self.presence.leave()
        self.db.close()
        super().closeEvent(event)
