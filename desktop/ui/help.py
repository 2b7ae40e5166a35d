"""帮助: the short guide (F1), the shortcuts, and 关于 (version and policy document)."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources

from desktop import PRODUCT_NAME, __version__
from desktop.qt.core import Qt
from desktop.qt.gui import QAction, QKeySequence
from desktop.qt.widgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from desktop.rules.policy import load_policy

GUIDE_FILE = "guide.md"
PAGE_TIPS = {
    "工作台": "今天要办的事：红黄灯问题、临近期限的兑现事项、本月未走访和未报送的企业、测算已变化",
    "企业名录": "本县工业企业名录：查找、筛选、新增、编辑、删除，撤销和重做",
    "数据导入": "导入统计局、开发区、企业报来的表格，先预览再写入；整批撤销",
    "政策测算": "逐条测算第五、十一、十二、十三条，附引用条款的说明；假设测算；逐案计算器",
    "兑现管理": "兑现事项：立案、受理、审核、公示、拨付，资金和期限",
    "申报导出": "导出申报汇总表和台账（Excel），打印或存为 PDF 申请表",
    "包联服务": "包联领导和服务小组、覆盖情况、走访记录、问题清单（交办到销号）",
    "运行监测": "企业按月或按周报送的生产状态、产值，未报送企业，月通报和周调度表",
    "操作记录": "谁在何时改了什么；备份和恢复",
    "设置": "操作人、填报单位和电话、备份份数、开发区、产业链；删除示例数据",
    "冲突处理": "数据包带来的冲突：双方都改过的字段，逐项保留本地、采用对方或另填",
}  # the navigation's tooltips, by page
# Keys of dialogs and page shortcuts that are not actions of the window (found by hand)
OTHER_KEYS: tuple[tuple[str, QKeySequence.StandardKey | str], ...] = (
    ("政策测算：测算", "F9"),
    ("企业信息：保存", QKeySequence.StandardKey.Save),
    ("企业信息：关闭（有未保存的修改时先询问）", "Esc"),
)


def guide_text() -> str:
    """The guide, as shipped in ``resources/help`` (Markdown)."""
    return (resources.files("desktop.resources") / "help" / GUIDE_FILE).read_text("utf-8")


def about_text() -> str:
    """Version, policy document and where the data stays."""
    policy = load_policy()
    return (
        f"<h3>{PRODUCT_NAME}</h3>"
        f"<p>版本 {__version__}</p>"
        f"<p>政策依据：《{policy.title}》（{policy.number}）</p>"
        "<p>供忻州市各县（市、区）工业企业复工复产工作专班离线使用："
        "名录、测算、申报汇总表、台账和申请表。数据只保存在本机。</p>"
    )


def _keys(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(what, keys) of every action with a shortcut, each once, then the others by hand."""
    rows: list[tuple[str, str]] = []
    for action in actions:
        keys, what = _keys(action.shortcut()), action.text().replace("&", "")
        if keys and (what, keys) not in rows:
            rows.append((what, keys))
    return rows + [(what, _keys(QKeySequence(keys))) for what, keys in OTHER_KEYS]


class HelpDialog(QDialog):
    """A window of help beside the main window (not modal: the officer reads and works)."""

    def __init__(self, title: str, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.body = body
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(body, 1)
        layout.addWidget(buttons)


def guide_dialog(parent: QWidget | None = None) -> HelpDialog:
    browser = QTextBrowser()
    browser.setMarkdown(guide_text())
    browser.setOpenExternalLinks(False)
    dialog = HelpDialog("使用指南", browser, parent)
    dialog.resize(760, 600)
    return dialog


def shortcuts_dialog(actions: Iterable[QAction], parent: QWidget | None = None) -> HelpDialog:
    rows = shortcut_rows(actions)
    table = QTableWidget(len(rows), 2)
    table.setHorizontalHeaderLabels(["操作", "快捷键"])
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for row, (what, keys) in enumerate(rows):
        table.setItem(row, 0, QTableWidgetItem(what))
        table.setItem(row, 1, QTableWidgetItem(keys))
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    dialog = HelpDialog("快捷键", table, parent)
    dialog.resize(520, 560)
    return dialog


def about_dialog(parent: QWidget | None = None) -> HelpDialog:
    label = QLabel(about_text())
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    dialog = HelpDialog(f"关于 {PRODUCT_NAME}", label, parent)
    dialog.setMinimumWidth(520)
    dialog.adjustSize()
    return dialog
