"""数据导入: choose files → check each sheet's kind, header row and column mapping → preview →
import; earlier imports listed and undoable. Reading and importing run off the UI thread.

Only widgets: reading, correcting and importing are ``desktop.importing``'s (the command line's
too); the files are read once, and previewed and imported as read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from desktop.changes import Changes
from desktop.importing import (
    ImportReport,
    describe_undo,
    import_files,
    list_batches,
    undo_batch,
    write_rejects_report,
)
from desktop.importing.mapping import (
    UNRECOGNISED,
    FilesRead,
    SheetRead,
    edited_headers,
    read_and_remember,
)
from desktop.importing.memory import ColumnMemory
from desktop.importing.summary import (
    RowsPreview,
    batch_line,
    report_lines,
    rows_preview,
    skipped_lines,
)
from desktop.importing.undo import UndoResult
from desktop.paperwork import PaperworkError, replacing
from desktop.progress import Progress
from desktop.qt.core import Signal
from desktop.qt.gui import QDragEnterEvent, QDropEvent
from desktop.qt.widgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from desktop.sheets import SheetChoice
from desktop.sheets.fields import SPECS
from desktop.sheets.guard import EXTENSIONS
from desktop.sheets.parsed import ParsedSheet
from desktop.sheets.recognize import HEADER_SEARCH_ROWS
from desktop.sheets.template import write_template
from desktop.store import Database, StoreError
from desktop.store.protected import check_output
from desktop.ui.background import BackgroundOp
from desktop.ui.file_dialogs import open_file_names, save_file_name
from desktop.ui.icons import with_icon
from desktop.ui.messages import confirm, show_error
from desktop.ui.page import Page
from desktop.ui.paged_model import PagedTableModel
from desktop.ui.progress import run_with_progress
from desktop.ui.remembered import add_recent
from desktop.ui.row_list_model import Column, RowListModel
from desktop.ui.tables import button_row, shown_columns, table_view

MAPPING_COLUMNS = [
    *shown_columns(("file", "文件"), ("sheet", "工作表"), ("kind", "识别为"),
                   ("header_row", "表头行"), ("field_label", "字段")),
    Column("header", "对应的表头（可修改）"),
]  # fmt: skip
SHEET_COLUMNS = shown_columns(
    ("file", "文件"), ("sheet", "工作表"), ("kind", "类型"), ("created", "新增"),
    ("updated", "更新"), ("unchanged", "未变"), ("skipped", "跳过"), ("rejected", "拒绝"),
    ("outcome", "结果"), ("unused", "未使用的列"),
)  # fmt: skip
TEMPLATE_NAME = "导入模板.xlsx"
SKIP_COLUMNS = shown_columns(
    ("file", "文件"), ("sheet", "工作表"), ("row", "行"), ("reason", "原因"),
)  # fmt: skip
REJECT_COLUMNS = shown_columns(
    ("file", "文件"), ("sheet", "工作表"), ("row", "行"), ("column", "列"), ("value", "值"),
    ("message", "原因"),
)  # fmt: skip
BATCH_COLUMNS = shown_columns(
    ("batch", "批次"), ("file", "文件"), ("operator", "操作人"), ("imported_at", "导入时间"),
    ("created", "新增"), ("updated", "更新"), ("rejected", "拒绝"), ("undone", "已撤销"),
)  # fmt: skip


class FileList(QListWidget):
    """The chosen files; spreadsheets can be dropped on it."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def paths(self) -> list[Path]:
        return [Path(self.item(i).text()) for i in range(self.count())]

    def add_paths(self, paths: Sequence[Path]) -> None:
        known = set(self.paths())
        for path in paths:
            if path.suffix.lower() in EXTENSIONS and path not in known:
                self.addItem(str(path))
                known.add(path)
        self.changed.emit()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.add_paths([Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])
        event.acceptProposedAction()


@dataclass
class _State:
    reading: FilesRead = field(default_factory=FilesRead)
    chosen: dict[str, SheetChoice] = field(default_factory=dict)  # the officer's, by sheet name
    report: ImportReport | None = None


class ImportPage(Page):
    """The import wizard as four tabs; publishes what an import or its undo changed."""

    def __init__(
        self, db: Database, memory: ColumnMemory | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.memory = memory or ColumnMemory()
        self.state = _State()
        self.op: BackgroundOp | None = None
        self.files = FileList()
        self.mapping = RowListModel(MAPPING_COLUMNS, parent=self)
        self.sheets = RowListModel(SHEET_COLUMNS, parent=self)
        self.rejects = RowListModel(REJECT_COLUMNS, parent=self)
        self.skips = RowListModel(SKIP_COLUMNS, parent=self)
        self.rows_model = PagedTableModel([], lambda _ids: {}, self)
        self.previewed: list[
            ParsedSheet
        ] = []  # the recognised sheets, as the rows preview lists them
        self.batches = RowListModel(BATCH_COLUMNS, parent=self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._files_tab(), "① 选择文件")
        self.tabs.addTab(self._mapping_tab(), "② 核对列对应")
        self.tabs.addTab(self._preview_tab(), "③ 预览与导入")
        self.tabs.addTab(self._batches_tab(), "导入记录")
        QVBoxLayout(self).addWidget(self.tabs)
        self.files.changed.connect(self._files_changed)
        self._files_changed()
        self.list_batches()

    def _files_tab(self) -> QWidget:
        page = QWidget()
        hint = QLabel(
            "把 Excel/WPS 表格（.xlsx .xls .ods .csv .txt）拖到下面，或点「添加文件」。"
            "表头在第几行、列的顺序、单位（元/万元/亿元）都会自动识别。"
        )
        hint.setWordWrap(True)
        self.template_button = with_icon(QPushButton("导入模板（.xlsx）…"), "save")
        self.template_button.setToolTip("按模板填写的表格导入最顺利；模板内有各表的说明和示例行")
        self.template_button.clicked.connect(self.save_template)
        self.add_button = with_icon(QPushButton("添加文件…"), "open")
        self.remove_button = with_icon(QPushButton("移除所选"), "delete")
        self.read_button = with_icon(QPushButton("下一步：读取并识别 →"), "run")
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button.clicked.connect(self._remove_files)
        self.read_button.clicked.connect(lambda: self.read_files())
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addWidget(self.files)
        buttons = button_row(self.add_button, self.remove_button, self.read_button)
        buttons.addWidget(self.template_button)
        layout.addLayout(buttons)
        return page

    def _mapping_tab(self) -> QWidget:
        page = QWidget()
        hint = QLabel(
            "每个工作表识别出的类型、表头所在行和各字段对应的表头。识别错了：选工作表，改"
            "「类型」或「表头在第几行」，或把「对应的表头」一栏改为表格中的表头文字，再点"
            "「按修改重新识别」；修改会记住，下次同样的表头自动沿用。"
        )
        hint.setWordWrap(True)
        self.reread_button = with_icon(QPushButton("按修改重新识别"), "refresh")
        self.preview_button = with_icon(QPushButton("下一步：预览（不写入）→"), "preview")
        self.reread_button.clicked.connect(self.apply_mapping)
        self.preview_button.clicked.connect(self.preview)
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addLayout(self._sheet_choice_row())
        self.mapping_view = table_view(self.mapping)
        layout.addWidget(self.mapping_view)
        layout.addLayout(button_row(self.reread_button, self.preview_button))
        return page

    def _sheet_choice_row(self) -> QHBoxLayout:
        """工作表 [sheet] 类型 [kind] 表头在第 [n] 行: the chosen sheet's kind and header row."""
        self.sheet_box, self.kind_box = QComboBox(), QComboBox()
        self.sheet_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.kind_box.addItem("自动识别", None)
        for kind, spec in SPECS.items():
            self.kind_box.addItem(spec.title, kind.value)
        self.header_spin = QSpinBox()
        self.header_spin.setRange(0, HEADER_SEARCH_ROWS)
        self.header_spin.setSpecialValueText("自动")
        self.sheet_box.currentIndexChanged.connect(self._show_choice)
        self.kind_box.currentIndexChanged.connect(self._kind_chosen)
        self.header_spin.valueChanged.connect(self._header_chosen)
        row = QHBoxLayout()
        for label, widget in (("工作表", self.sheet_box), ("类型", self.kind_box),
                              ("表头在第", self.header_spin)):  # fmt: skip
            row.addWidget(QLabel(label))
            row.addWidget(widget)
        row.addWidget(QLabel("行"))
        row.addStretch()
        return row

    def _chosen_sheet(self) -> SheetRead | None:
        index = self.sheet_box.currentIndex()
        return self.state.reading.sheets[index] if index >= 0 else None

    def _show_choice(self) -> None:
        """The chosen sheet's kind and header row: the officer's choice, else as recognised."""
        sheet = self._chosen_sheet()
        for widget in (self.kind_box, self.header_spin):
            widget.setEnabled(sheet is not None)
            widget.blockSignals(True)
        choice = self.state.chosen.get(sheet.sheet, SheetChoice()) if sheet else SheetChoice()
        kind = choice.kind or (sheet.kind if sheet else None)
        self.kind_box.setCurrentIndex(max(self.kind_box.findData(kind), 0))
        self.header_spin.setValue(choice.header_row or (sheet and sheet.header_row) or 0)
        for widget in (self.kind_box, self.header_spin):
            widget.blockSignals(False)
        self._show_sheet_rows(sheet)

    def _show_sheet_rows(self, sheet: SheetRead | None) -> None:
        """Only the chosen sheet's fields (and any file that could not be read)."""
        known = {(s.file, s.sheet) for s in self.state.reading.sheets}
        for r, row in enumerate(self.mapping.rows()):
            place = (row.file, row.sheet)
            other = sheet is not None and place in known and place != (sheet.file, sheet.sheet)
            self.mapping_view.setRowHidden(r, other)

    def _choose(self, **change: str | int | None) -> None:
        sheet = self._chosen_sheet()
        if sheet is not None:
            old = self.state.chosen.get(sheet.sheet, SheetChoice())
            self.state.chosen[sheet.sheet] = replace(old, **change)  # type: ignore[arg-type]

    def _kind_chosen(self) -> None:
        self._choose(kind=self.kind_box.currentData())

    def _header_chosen(self, row: int) -> None:
        self._choose(header_row=row or None)

    def _preview_tab(self) -> QWidget:
        page = QWidget()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.import_button = with_icon(QPushButton("导入（写入数据库）"), "import")
        self.report_button = with_icon(QPushButton("保存错误报告（.xlsx）…"), "save")
        self.import_button.clicked.connect(self.import_now)
        self.report_button.clicked.connect(self.save_report)
        self.details = QTabWidget()
        self.details.addTab(self._rows_part(), "数据预览")
        self.details.addTab(table_view(self.rejects), "被拒绝的行")
        self.details.addTab(table_view(self.skips), "跳过的行")
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addWidget(table_view(self.sheets), 1)
        layout.addWidget(self.details, 3)
        layout.addLayout(button_row(self.import_button, self.report_button))
        return page

    def _rows_part(self) -> QWidget:
        """The chosen sheet's first rows as read (parsed values, each row's problems)."""
        part = QWidget()
        self.preview_sheet = QComboBox()
        self.preview_sheet.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.preview_sheet.currentIndexChanged.connect(self._show_rows)
        self.rows_count = QLabel()
        self.rows_view = QTableView()
        self.rows_view.setModel(self.rows_model)
        self.rows_view.verticalHeader().setVisible(False)
        self.rows_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.rows_view.setAlternatingRowColors(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("工作表"))
        row.addWidget(self.preview_sheet)
        row.addWidget(self.rows_count)
        row.addStretch()
        layout = QVBoxLayout(part)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.rows_view)
        return part

    def _list_previewed(self, reading: FilesRead) -> None:
        """The recognised sheets of the files read, for the rows preview."""
        found = [(f.path.name, s) for f in reading.files for s in f.sheets if s.kind is not None]
        self.previewed = [s for _, s in found]
        self.preview_sheet.blockSignals(True)
        self.preview_sheet.clear()
        self.preview_sheet.addItems([f"{name} · {s.name}" for name, s in found])
        self.preview_sheet.blockSignals(False)
        self._show_rows()

    def _show_rows(self) -> None:
        index = self.preview_sheet.currentIndex()
        preview = rows_preview(self.previewed[index]) if index >= 0 else RowsPreview()
        rows = preview.rows
        model = PagedTableModel(preview.headers, lambda ids: {i: rows[i] for i in ids}, self)
        model.set_ids(list(range(len(rows))))
        old, self.rows_model = self.rows_model, model
        self.rows_view.setModel(model)
        old.deleteLater()
        self.rows_view.resizeColumnsToContents()
        shown = f"，显示前 {len(rows)} 行" if len(rows) < preview.total else ""
        self.rows_count.setText(f"共 {preview.total} 行数据{shown}" if index >= 0 else "")

    def _batches_tab(self) -> QWidget:
        page = QWidget()
        self.batch_view = table_view(self.batches)
        self.undo_button = with_icon(QPushButton("撤销所选导入…"), "undo")
        self.undo_button.clicked.connect(self.undo_selected)
        layout = QVBoxLayout(page)
        layout.addWidget(self.batch_view)
        layout.addLayout(button_row(self.undo_button))
        return page

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(Changes.BATCHES):
            self.list_batches()

    def _files_changed(self) -> None:
        has_files = self.files.count() > 0
        self.read_button.setEnabled(has_files)
        self.state = _State()
        self._show_reading(FilesRead())
        self._show_report(None)

    def choose_files(self) -> None:
        pattern = f"表格 ({' '.join('*' + e for e in EXTENSIONS)})"
        paths = open_file_names(self, "import", "选择要导入的表格", pattern)
        add_recent(paths)
        self.files.add_paths(paths)

    def _remove_files(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self.files.changed.emit()

    def read_files(self, edited: dict[str, dict[str, str]] | None = None) -> None:
        """Read every file off the UI thread and show what was found. The officer's kind,
        header row and ``edited`` headers are used, and remembered for each layout they
        leave recognised."""
        paths, memory, chosen = self.files.paths(), self.memory, dict(self.state.chosen)
        edited = edited or {}

        def work(progress: Progress) -> FilesRead:
            return read_and_remember(paths, memory, edited, chosen, progress)

        def done(found: FilesRead) -> None:
            self._show_reading(found)
            self.tabs.setCurrentIndex(1)

        self.op = run_with_progress(self, "读取表格", work, done)

    def _show_reading(self, reading: FilesRead) -> None:
        self.state.reading = reading
        self.mapping.set_rows(reading.rows)
        self._list_previewed(reading)
        current = self.sheet_box.currentText()
        self.sheet_box.blockSignals(True)
        self.sheet_box.clear()
        self.sheet_box.addItems([f"{s.file} · {s.sheet}" for s in reading.sheets])
        self.sheet_box.setCurrentIndex(max(self.sheet_box.findText(current), 0))
        self.sheet_box.blockSignals(False)
        self._show_choice()

    def apply_mapping(self) -> None:
        """Read the files again with the edited headers, kind and header row."""
        self.read_files(edited_headers(self.mapping.rows()))

    def _import(self, dry_run: bool) -> None:
        paths, db, reading = self.files.paths(), self.db, self.state.reading

        def work(progress: Progress) -> ImportReport:
            return import_files(db, paths, dry_run=dry_run, corrections=reading.corrections,
                                read=reading.files, progress=progress)  # fmt: skip

        def done(report: ImportReport) -> None:
            self._show_report(report)
            self.tabs.setCurrentIndex(2)
            if not dry_run:
                self.publish(report.changes)

        title = "预览导入" if dry_run else "导入"
        self.op = run_with_progress(self, title, work, done)

    def preview(self) -> None:
        """A dry run: what each sheet would create, update, leave and reject."""
        self._import(dry_run=True)

    def import_now(self) -> None:
        """Write the files, each in one transaction (a backup is taken first)."""
        self._import(dry_run=False)

    def _show_report(self, report: ImportReport | None) -> None:
        self.state.report = report
        sheets, rejects = report_lines(report) if report else ([], [])
        skips = skipped_lines(report) if report else []
        self.sheets.set_rows(sheets)
        self.rejects.set_rows(rejects)
        self.skips.set_rows(skips)
        self.details.setTabText(1, f"被拒绝的行（{len(rejects)}）" if rejects else "被拒绝的行")
        skipped = sum(s.skipped for s in sheets)
        self.details.setTabText(2, f"跳过的行（{skipped}）" if skipped else "跳过的行")
        self.import_button.setEnabled(
            report is not None and report.dry_run and not report.nothing_done
        )
        said = any(line.unused or line.kind == UNRECOGNISED for line in sheets)
        self.report_button.setEnabled(bool(rejects) or said)  # the report says those too
        if report is None:
            self.summary.setText("先读取文件并预览；预览不写入数据库。")
            return
        verb = "预览：将" if report.dry_run else "已"
        total = {k: sum(getattr(s, k) for s in sheets) for k in ("created", "updated", "rejected")}
        stopped = "（已取消，其余文件未处理）" if report.cancelled else ""
        space = f"\n{report.space_warning}" if report.space_warning else ""
        self.summary.setText(
            f"{verb}新增 {total['created']} 行、更新 {total['updated']} 行；"
            f"拒绝 {total['rejected']} 行。{stopped}{space}"
        )

    def save_report(self) -> None:
        if self.state.report is None:
            return
        name = save_file_name(self, "report", "保存错误报告", "导入错误报告.xlsx", "Excel (*.xlsx)")
        if name is None:
            return
        try:
            write_rejects_report(self.state.report, name)
        except (OSError, StoreError) as exc:
            show_error(self, "错误报告未保存", exc)
            return
        self.window().statusBar().showMessage(f"错误报告已保存：{name}", 8000)

    def save_template(self) -> None:
        """Write the import template where the officer chooses."""
        name = save_file_name(self, "template", "保存导入模板", TEMPLATE_NAME, "Excel (*.xlsx)")
        if name is None:
            return
        try:
            out = check_output(name, self.db.location, force=True)  # the dialog asked
            with replacing(out) as temporary:
                write_template(temporary)
        except (OSError, StoreError, PaperworkError) as exc:
            show_error(self, "模板未保存", exc)
            return
        self.window().statusBar().showMessage(f"导入模板已保存：{name}", 8000)

    def list_batches(self) -> None:
        self.batches.set_rows([batch_line(b) for b in list_batches(self.db)])

    def undo_selected(self) -> None:
        index = self.batch_view.currentIndex()
        if not index.isValid():
            return
        line = self.batches.rows()[index.row()]
        if line.undone:
            show_error(
                self, "无法撤销", StoreError(f"第 {line.batch} 批导入已于 {line.undone} 撤销")
            )
            return
        try:
            text = describe_undo(self.db, line.batch)
        except StoreError as exc:
            show_error(self, "无法撤销", exc)
            return
        if not confirm(self, "撤销导入", text + "\n\n撤销前自动备份数据库。确定撤销吗？"):
            return
        db, batch = self.db, line.batch

        def work(_progress: Progress) -> UndoResult:
            return undo_batch(db, batch)

        def done(result: UndoResult) -> None:
            self.publish(result.changes)

        self.op = run_with_progress(self, "撤销导入", work, done, cancellable=False)
