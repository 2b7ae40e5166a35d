"""导出数据包… and 导入数据包… (TEAM.md): the destination chosen, then the file; the packages
chosen, a dry run's preview of what each would do, then the import. Both run off the UI thread
with progress, through ``desktop.sync`` (the same path as ``package`` on the command line)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from desktop import values
from desktop.changes import Changes
from desktop.progress import Cancelled, Progress
from desktop.qt.core import QObject, Signal
from desktop.qt.widgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from desktop.store import Database, StoreError
from desktop.store.protected import check_output
from desktop.sync.export import Exported, export_package
from desktop.sync.package import CITY
from desktop.sync.receive import ALREADY, APPLIED, REFUSED, WAITING, Received, import_packages
from desktop.sync.units import saved_unit
from desktop.ui.background import BackgroundOp
from desktop.ui.file_dialogs import open_file_names, save_file_name
from desktop.ui.icons import with_icon
from desktop.ui.messages import show_error
from desktop.ui.progress import run_with_progress
from desktop.ui.row_list_model import RowListModel
from desktop.ui.tables import shown_columns, table_view

UNITS = (CITY, *values.COUNTIES)
PATTERN = "Relief Desk 数据包 (*.rdpkg);;所有文件 (*)"
EXPORT_TITLE, IMPORT_TITLE = "导出数据包", "导入数据包"
IMPORTED = Changes.EVERYTHING & ~Changes.BACKUPS
"""What a package may write: its rows (facts, task force, cases), the city's settings, its
import batch, what was received and the conflicts kept."""
OPEN_REVIEW = "打开冲突处理"


class ExportDialog(QDialog):
    """Which unit the package goes to (and, the first time, which unit this database is)."""

    def __init__(self, own: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(EXPORT_TITLE)
        self.own = own
        self.sender_box = QComboBox(self)  # shown only while the unit is not saved
        self.sender_box.addItems(UNITS)
        self.to_box = QComboBox()
        form = QFormLayout()
        if own is None:
            self.sender_box.setCurrentIndex(1)  # a county, most often
            form.addRow("本库所属单位", self.sender_box)
            note = QLabel("首次导出时指定，之后记住，不能再改。")
            note.setStyleSheet("color: #555")
            form.addRow("", note)
        else:
            self.sender_box.hide()
            form.addRow("本库所属单位", QLabel(own))
        form.addRow("发往单位", self.to_box)
        explain = QLabel(
            "数据包含自上次发给该单位以来本库的全部变更（新增、修改、删除，及冲突的处理结果）。"
        )
        explain.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("选择保存位置…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(explain)
        layout.addWidget(buttons)
        self.sender_box.currentTextChanged.connect(lambda _: self._fill_destinations())
        self._fill_destinations()

    def sender(self) -> str:
        """This database's unit, saved or chosen."""
        return self.own or self.sender_box.currentText()

    def destination(self) -> str:
        return self.to_box.currentText()

    def _fill_destinations(self) -> None:
        """Every unit but this one; the city first (a county's packages go there)."""
        current = self.to_box.currentText()
        self.to_box.clear()
        self.to_box.addItems([u for u in UNITS if u != self.sender()])
        self.to_box.setCurrentIndex(max(self.to_box.findText(current), 0))


@dataclass(frozen=True)
class _Line:
    """One file of a dry run, as its row in the preview reads."""

    file: str
    sender: str
    sequence: int | None
    applied: int | None  # the counts: blank for a file that applies nothing (now)
    merged: int | None
    dropped: int | None
    conflicts: int | None
    result: str


PREVIEW_COLUMNS = shown_columns(
    ("file", "文件"), ("sender", "发送单位"), ("sequence", "序号"), ("applied", "应用（行）"),
    ("merged", "合并（行）"), ("dropped", "相同略过（行）"), ("conflicts", "冲突（项）"),
    ("result", "结果"),
)  # fmt: skip


def result_text(r: Received, chosen: list[Received], *, trial: bool = True) -> str:
    """What would become (with ``trial``) or became of one file, in one line; ``chosen`` the
    files imported with it (a missing number among them is imported in turn)."""
    if r.status == REFUSED:
        return f"拒绝：{r.reason}"
    if r.status == ALREADY:
        return "已导入过，不重复导入"
    if r.status == WAITING:
        missing = "、".join(str(n) for n in r.missing) or "前序"
        given = {o.sequence for o in chosen if o.sender == r.sender and o.status != REFUSED}
        if r.missing and set(r.missing) <= given:
            return f"等待第 {missing} 号：它也在所选文件中，导入时依次导入"
        return f"等待第 {missing} 号数据包，收到后自动导入"
    released = "".join(f"；随后导入等待中的第 {n} 号" for n, _ in r.released)
    return ("将导入" if trial else "已导入") + released


def totals(outcomes: list[Received]) -> tuple[int, int, int, int]:
    """Rows applied, merged and dropped, and conflicts, over the files and what they let through."""
    counts = [o.counts for o in outcomes] + [c for o in outcomes for _, c in o.released]
    return (
        sum(c.applied for c in counts),
        sum(c.merged for c in counts),
        sum(c.dropped for c in counts),
        sum(c.conflicts for c in counts),
    )


def summary(outcomes: list[Received], *, trial: bool) -> str:
    """The files' outcome in a sentence (what would happen, for a dry run)."""
    applied, merged, dropped, conflicts = totals(outcomes)
    by = {
        s: sum(1 for o in outcomes if o.status == s) for s in (APPLIED, WAITING, ALREADY, REFUSED)
    }
    head = "试导入（未写入）：" if trial else "已导入："
    parts = [
        f"{by[APPLIED]} 个数据包{'可导入' if trial else '已导入'}",
        f"应用 {applied} 行",
        f"合并 {merged} 行",
        f"双方相同而略过 {dropped} 行",
        f"冲突 {conflicts} 项",
    ]
    for status, word in ((WAITING, "等待前序"), (ALREADY, "已导入过"), (REFUSED, "拒绝")):
        if by[status]:
            parts.append(f"{word} {by[status]} 个")
    return head + "，".join(parts)


class ImportPreview(QDialog):
    """A dry run's outcome per file, and 导入 to apply them (``accepted``)."""

    def __init__(self, outcomes: list[Received], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{IMPORT_TITLE}：预览")
        self.outcomes = outcomes
        self.model = RowListModel(PREVIEW_COLUMNS, parent=self)
        self.model.set_rows([_preview_line(o, outcomes) for o in outcomes])
        self.view = table_view(self.model)
        self.total = QLabel(summary(outcomes, trial=True))
        self.total.setWordWrap(True)
        note = QLabel(
            "冲突（双方都改过同一字段）不会自动处理：导入后在「冲突处理」页逐项决定。"
            "数据包已导入过的不会重复导入。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = with_icon(
            buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole), "import"
        )
        self.import_button.setEnabled(any(o.status in (APPLIED, WAITING) for o in outcomes))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.total)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(1000, 360)


def _preview_line(r: Received, chosen: list[Received]) -> _Line:
    c = r.counts
    counts = (c.applied, c.merged, c.dropped, c.conflicts) if r.status == APPLIED else (None,) * 4
    return _Line(r.file, r.sender or "", r.sequence, *counts, result_text(r, chosen))


class PackageActions(QObject):
    """The window's 导出数据包… and 导入数据包…; ``changed`` carries what an import or export
    wrote, ``review_requested`` asks for the 冲突处理 page."""

    changed = Signal(object)
    review_requested = Signal()

    def __init__(self, parent: QWidget, database: Callable[[], Database]) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.database = database  # the window's database (another after a restore)
        self.op: BackgroundOp | None = None
        self.preview: ImportPreview | None = None

    def _status(self, text: str) -> None:
        window = self.parent_widget.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 15000)

    # Export

    def export(self) -> None:
        """Choose the destination, then the file; write the package off the UI thread."""
        db = self.database()
        with db.reads.connect() as conn:
            own = saved_unit(conn)
        dialog = ExportDialog(own, self.parent_widget)
        chosen = dialog.exec() == QDialog.DialogCode.Accepted
        sender, to = dialog.sender(), dialog.destination()
        dialog.deleteLater()
        if not chosen:
            return
        suggested = f"{sender}至{to}数据包{date.today().isoformat()}.rdpkg"
        name = save_file_name(self.parent_widget, EXPORT_TITLE, EXPORT_TITLE, suggested, PATTERN)
        if name is None:
            return
        try:
            out = check_output(name, db.location, force=True)  # the file dialog asked
        except StoreError as exc:
            show_error(self.parent_widget, f"{EXPORT_TITLE}未完成", exc)
            return

        def work(progress: Progress) -> Exported:
            return export_package(db, out, to, None if own else sender)

        def done(made: Exported) -> None:
            self.changed.emit(Changes.PACKAGES | Changes.SETTINGS)
            self._status(
                f"已导出 {made.sender} → {made.destination} 第 {made.sequence} 号数据包，"
                f"{made.rows} 行：{made.path}"
            )

        self.op = run_with_progress(self.parent_widget, EXPORT_TITLE, work, done, cancellable=False)

    # Import

    def choose_import(self) -> None:
        """Choose one or more packages and preview them."""
        paths = open_file_names(self.parent_widget, IMPORT_TITLE, IMPORT_TITLE, PATTERN)
        if paths:
            self.preview_files(paths)

    def preview_files(self, paths: list[Path]) -> None:
        """A dry run of ``paths`` off the UI thread, then its preview (导入 applies them)."""
        db = self.database()

        def work(progress: Progress) -> list[Received]:
            return import_packages(db, paths, dry_run=True)

        def done(outcomes: list[Received]) -> None:
            self.preview = preview = ImportPreview(outcomes, self.parent_widget)
            preview.accepted.connect(lambda: self.import_files(paths))
            preview.finished.connect(preview.deleteLater)
            preview.open()

        self.op = run_with_progress(
            self.parent_widget, "试导入数据包", work, done, cancellable=False
        )

    def import_files(self, paths: list[Path]) -> None:
        """Import ``paths`` in turn, one transaction each (a cancel stops between files)."""
        db = self.database()

        def work(progress: Progress) -> list[Received]:
            outcomes: list[Received] = []
            try:
                for number, path in enumerate(paths):
                    progress(number, len(paths))
                    outcomes += import_packages(db, [path])
            except Cancelled:
                pass  # the files imported so far stay imported
            return outcomes

        self.op = run_with_progress(self.parent_widget, IMPORT_TITLE, work, self._imported)

    def _imported(self, outcomes: list[Received]) -> None:
        if any(o.status in (APPLIED, WAITING) for o in outcomes):
            self.changed.emit(IMPORTED)
        text = summary(outcomes, trial=False)
        lines = "\n".join(f"{o.file}：{result_text(o, outcomes, trial=False)}" for o in outcomes)
        self._status(text)
        conflicts = totals(outcomes)[3]
        box = QMessageBox(
            QMessageBox.Icon.Information, IMPORT_TITLE, text, parent=self.parent_widget
        )
        box.setDetailedText(lines)
        review = None
        if conflicts:
            box.setInformativeText(f"有 {conflicts} 项冲突需要您逐项决定。现在打开「冲突处理」吗？")
            review = box.addButton(OPEN_REVIEW, QMessageBox.ButtonRole.AcceptRole)
            box.addButton("稍后", QMessageBox.ButtonRole.RejectRole)
        else:
            box.setInformativeText(lines)
            box.addButton(QMessageBox.StandardButton.Ok)
        box.exec()
        if review is not None and box.clickedButton() is review:
            self.review_requested.emit()
