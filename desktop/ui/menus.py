"""The menu bar (文件、数据、测算、输出、帮助) over the window's existing actions and pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from desktop.qt.gui import QAction, QKeySequence
from desktop.ui.export_page import ExportPage
from desktop.ui.help import HelpDialog, about_dialog, guide_dialog, shortcuts_dialog
from desktop.ui.icons import icon
from desktop.ui.import_page import ImportPage
from desktop.ui.monitoring_page import MonitoringPage
from desktop.ui.package_dialogs import PackageActions
from desktop.ui.page import Page
from desktop.ui.policy_page import PolicyPage
from desktop.ui.remembered import add_recent, recent_files
from desktop.ui.taskforce_page import TaskforcePage

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

P = TypeVar("P", bound=Page)
MENUS = ("文件", "数据", "测算", "输出", "帮助")
# where each page's Ctrl+N action is listed; a page not named here goes under 数据
PAGE_MENU = {
    "工作台": "文件", "设置": "文件", "政策测算": "测算", "兑现管理": "测算", "申报导出": "输出",
}  # fmt: skip


class Menus:
    """The window's menu bar; the help windows it opens are kept (F1 twice shows one guide)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.help: dict[str, HelpDialog] = {}
        bar = window.menuBar()
        self.menus = {title: bar.addMenu(title) for title in MENUS}
        self._file()
        self._data()
        self._evaluate()
        self._output()
        self._help()

    def _action(
        self, menu: str, text: str, run: Callable[[], object], keys: QKeySequence | None = None
    ) -> QAction:
        action = QAction(text, self.window)
        if keys is not None:
            action.setShortcut(keys)
        action.triggered.connect(lambda _=False: run())
        self.menus[menu].addAction(action)
        return action

    def _pages(self, menu: str) -> None:
        for title, action in self.window.page_actions.items():
            if PAGE_MENU.get(title, "数据") == menu:
                self.menus[menu].addAction(action)

    def _page(self, title: str, kind: type[P]) -> P:
        """Show page ``title`` and return it (checked to be the page expected)."""
        self.window.show_page(title)
        page = self.window.pages[title]
        assert isinstance(page, kind)
        return page

    def _file(self) -> None:
        open_keys = QKeySequence(QKeySequence.StandardKey.Open)
        self._action("文件", "导入表格…", self.choose_import, open_keys).setIcon(icon("import"))
        self.recent = self.menus["文件"].addMenu("最近导入的文件")
        self.recent.aboutToShow.connect(self.fill_recent)
        self.menus["文件"].addSeparator()
        self.packages = PackageActions(self.window, lambda: self.window.db)
        self.packages.changed.connect(self.window.apply_changes)
        self.packages.review_requested.connect(lambda: self.window.show_page("冲突处理"))
        self._action("文件", "导入数据包…", self.packages.choose_import).setIcon(icon("import"))
        self._action("文件", "导出数据包…", self.packages.export).setIcon(icon("export"))
        self.menus["文件"].addSeparator()
        self._pages("文件")
        self.menus["文件"].addSeparator()
        self.menus["文件"].addAction(self.window.quit_action)

    def _data(self) -> None:
        self._pages("数据")
        self.menus["数据"].addSeparator()
        self._action("数据", "载入示例数据", self.window.load_sample)
        self._action("数据", "删除示例数据…", self.window.remove_sample)
        self.menus["数据"].addSeparator()
        self.menus["数据"].addAction(self.window.refresh_action)

    def _evaluate(self) -> None:
        self._pages("测算")
        # F9 is the page's own shortcut: the menu shows it without taking it
        self._action("测算", "测算\tF9", lambda: self._page("政策测算", PolicyPage).run())

    def _output(self) -> None:
        self._pages("输出")
        self.menus["输出"].addSeparator()
        exports: tuple[tuple[str, Callable[[ExportPage], None]], ...] = (
            ("导出申报汇总表…", ExportPage.export_filing),
            ("导出台账…", ExportPage.export_ledger),
            ("申请表打印预览…", ExportPage.preview_forms),
            ("打印申请表…", ExportPage.print_forms),
            ("申请表存为 PDF…", ExportPage.save_pdf),
        )
        for text, run in exports:
            self._action("输出", text, partial(self._on_export_page, run))
        self.menus["输出"].addSeparator()
        self._action("输出", "生成通报文件…", self._bulletin)
        self._action("输出", "督办单存为 PDF…", self._notices)

    def _bulletin(self) -> None:
        self._page("运行监测", MonitoringPage).write_bulletin()

    def _notices(self) -> None:
        page = self._page("包联服务", TaskforcePage)
        page.tabs.setCurrentWidget(page.problems)
        page.problems.print_notices()

    def _on_export_page(self, run: Callable[[ExportPage], None]) -> None:
        run(self._page("申报导出", ExportPage))

    def _help(self) -> None:
        guide = QKeySequence(QKeySequence.StandardKey.HelpContents)  # F1
        self._action("帮助", "使用指南", lambda: self.show_help("使用指南"), guide)
        self._action("帮助", "快捷键", lambda: self.show_help("快捷键"))
        self.menus["帮助"].addSeparator()
        self._action("帮助", "关于", lambda: self.show_help("关于"))

    def show_help(self, what: str) -> HelpDialog:
        """Show the help window ``what`` (使用指南, 快捷键, 关于), made on first use."""
        if what not in self.help:
            window = self.window
            makers: dict[str, Callable[[], HelpDialog]] = {
                "使用指南": lambda: guide_dialog(window),
                "快捷键": lambda: shortcuts_dialog(window.findChildren(QAction), window),
                "关于": lambda: about_dialog(window),
            }
            self.help[what] = makers[what]()
        dialog = self.help[what]
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def choose_import(self) -> None:
        """Go to 数据导入 and choose files there."""
        self._page("数据导入", ImportPage).choose_files()

    def fill_recent(self) -> None:
        """The recent files, newest first; choosing one puts it in the import list."""
        self.recent.clear()
        for path in recent_files():
            action = self.recent.addAction(path.name)
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.import_recent(p))
        if self.recent.isEmpty():
            self.recent.addAction("（没有）").setEnabled(False)

    def import_recent(self, path: Path) -> None:
        """Put ``path`` in the import list and show 数据导入."""
        self._page("数据导入", ImportPage).files.add_paths([path])
        add_recent([path])


def install_menus(window: MainWindow) -> Menus:
    """Give ``window`` its menu bar."""
    return Menus(window)
