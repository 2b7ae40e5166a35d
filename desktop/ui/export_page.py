"""申报导出: the filing sheet of a measure or the ledger, of the whole city (the sheet with a 小计
per county-level unit) or of one unit; application forms previewed, printed or saved as PDF
(one enterprise, the one selected in the roster, or every eligible one)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from desktop import APP_NAME_ZH
from desktop.changes import Changes
from desktop.filing.operations import ExportOutcome, export_filing_sheet, export_ledger
from desktop.forms.content import ApplicationForm
from desktop.forms.operations import FormSelection, eligible_forms
from desktop.paperwork import default_file_name
from desktop.printing.render import paint_forms, write_pdf
from desktop.progress import Progress
from desktop.qt.printsupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from desktop.qt.widgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from desktop.rules.catalogue import CATALOGUE
from desktop.store import Database
from desktop.taskforce.figures import roster_units
from desktop.ui.background import BackgroundOp
from desktop.ui.icons import with_icon
from desktop.ui.page import Page
from desktop.ui.paper_files import KINDS, PaperFiles
from desktop.ui.progress import run_with_progress
from desktop.ui.tables import button_row, refill_units
from desktop.values import money_text

ALL_COUNTIES = "全市（全部县、市、区）"
LEDGER_NAME = APP_NAME_ZH.removesuffix("台") + "台账"  # 惠企政策兑现台 + 台账, sharing the 台
SelectedCode = Callable[[], str | None]


def _codes(text: str) -> list[str]:
    """Credit codes typed one per line or separated by commas, spaces or 、."""
    for sep in ",，、;；\n":
        text = text.replace(sep, " ")
    return [c.upper() for c in text.split()]


class ExportPage(Page):
    """Exports and printing; long work off the UI thread with progress."""

    def __init__(
        self, db: Database, selected: SelectedCode = lambda: None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self._selected = selected
        self._samples_note = ""  # said of the forms last chosen, when samples are among them
        self.op: BackgroundOp | None = None
        self.measure, self.county = QComboBox(), QComboBox()
        for code, measure in CATALOGUE.items():
            self.measure.addItem(measure.heading, code)
        self.codes = QLineEdit()
        self.codes.setPlaceholderText(
            "空 = 本条措施全部符合条件的企业；或填统一社会信用代码（多个用逗号分隔）"
        )
        self.files = PaperFiles()
        layout = QVBoxLayout(self)
        layout.addWidget(self._filing_box())
        layout.addWidget(self._forms_box())
        layout.addWidget(self.files)
        layout.addStretch()
        self.set_database(db)

    def _filing_box(self) -> QGroupBox:
        box = QGroupBox("申报汇总表和台账（Excel）")
        form = QFormLayout(box)
        form.addRow("措施", self.measure)
        form.addRow("县（市、区）", self.county)
        self.filing_button = with_icon(QPushButton("导出申报汇总表…"), "export")
        self.ledger_button = with_icon(QPushButton("导出台账（全部措施）…"), "export")
        self.filing_button.clicked.connect(self.export_filing)
        self.ledger_button.clicked.connect(self.export_ledger)
        form.addRow(button_row(self.filing_button, self.ledger_button))
        return box

    def _forms_box(self) -> QGroupBox:
        box = QGroupBox("申请表（按上面选择的措施，每家企业一页）")
        form = QFormLayout(box)
        self.pick_button = with_icon(QPushButton("用企业名录中选中的企业"), "roster")
        self.pick_button.clicked.connect(self._pick_selected)
        form.addRow("企业", self.codes)
        form.addRow("", button_row(self.pick_button))
        self.preview_button = with_icon(QPushButton("打印预览…"), "preview")
        self.print_button = with_icon(QPushButton("打印…"), "print")
        self.pdf_button = with_icon(QPushButton("存为 PDF…"), "pdf")
        self.preview_button.clicked.connect(self.preview_forms)
        self.print_button.clicked.connect(self.print_forms)
        self.pdf_button.clicked.connect(self.save_pdf)
        form.addRow(button_row(self.preview_button, self.print_button, self.pdf_button))
        return box

    def on_changes(self, changes: Changes) -> None:
        """The county choice follows the units in the roster (the one chosen kept while it is
        there); each export reads the data as it is then."""
        if not changes.touches(Changes.ENTERPRISES):
            return
        with self.db.reader() as s:
            refill_units(self.county, ALL_COUNTIES, roster_units(s))

    def _pick_selected(self) -> None:
        code = self._selected()
        self.codes.setText(code or "")
        if not code:
            self.files.say("企业名录中没有选中的企业")

    def _save_name(self, title: str, name: str, county: str | None, suffix: str) -> Path | None:
        """Where to write, offered as ``name`` with the county and today's date."""
        suggested = default_file_name(name, county, date.today(), suffix)
        return self.files.ask(title, suggested, KINDS[suffix])

    def _outcome(self, outcome: ExportOutcome) -> None:
        notes = f"；{len(outcome.warnings)} 处单元格已调整" if outcome.warnings else ""
        missing = f"；资料不全 {outcome.incomplete} 家未列入" if outcome.incomplete else ""
        listed = f"已导出 {outcome.listed} 条，合计 {money_text(outcome.total)} 元"
        samples = f"\n{outcome.sample_warning}" if outcome.sample_warning else ""
        self.files.written(f"{listed}{missing}{notes}：{outcome.path}{samples}", outcome.path)

    def export_filing(self) -> None:
        """The filing sheet of the chosen measure (and county)."""
        code, county = self.measure.currentData(), self.county.currentData()
        out = self._save_name(
            "导出申报汇总表", f"{CATALOGUE[code].clause}申报汇总表", county, ".xlsx"
        )
        if out is None:
            return
        db = self.db

        def work(progress: Progress) -> ExportOutcome:
            with db.reader() as s:
                return export_filing_sheet(s, code, out, county=county, progress=progress)

        self.op = run_with_progress(self, "导出申报汇总表", work, self._outcome)

    def export_ledger(self) -> None:
        """The ledger: every enterprise (of the chosen county) under every measure."""
        county = self.county.currentData()
        out = self._save_name("导出台账", LEDGER_NAME, county, ".xlsx")
        if out is None:
            return
        db = self.db

        def work(progress: Progress) -> ExportOutcome:
            with db.reader() as s:
                return export_ledger(s, out, county=county, progress=progress)

        self.op = run_with_progress(self, "导出台账", work, self._outcome)

    def _with_forms(self, then: Callable[[list[ApplicationForm]], None]) -> None:
        code, wanted, db = self.measure.currentData(), _codes(self.codes.text()), self.db

        def work(progress: Progress) -> FormSelection:
            with db.reader() as s:
                return eligible_forms(s, code, wanted, progress)

        def done(selection: FormSelection) -> None:
            skipped = "；".join(selection.skipped)
            self._samples_note = f"\n{selection.sample_warning}" if selection.sample_warning else ""
            self.files.say(
                f"申请表 {len(selection.forms)} 份"
                + (f"（{skipped}）" if skipped else "")
                + self._samples_note
            )
            then(selection.forms)

        self.op = run_with_progress(self, "准备申请表", work, done)

    def preview_forms(self) -> None:
        """Print preview of the forms (painted on demand by the preview)."""

        def show(forms: list[ApplicationForm]) -> None:
            dialog = QPrintPreviewDialog(self)
            dialog.setWindowTitle("申请表打印预览")
            dialog.resize(900, 700)
            dialog.paintRequested.connect(lambda printer: paint_forms(printer, forms))
            dialog.exec()
            dialog.deleteLater()

        self._with_forms(show)

    def print_forms(self) -> None:
        """Choose a printer and print the forms."""

        def send(forms: list[ApplicationForm]) -> None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            dialog = QPrintDialog(printer, self)
            if dialog.exec() == QPrintDialog.DialogCode.Accepted:
                paint_forms(printer, forms)
                self.files.say(f"已送打印：申请表 {len(forms)} 份")
            dialog.deleteLater()

        self._with_forms(send)

    def save_pdf(self) -> None:
        """Write the forms to a PDF off the UI thread."""
        code = self.measure.currentData()
        out = self._save_name("申请表存为 PDF", f"{CATALOGUE[code].clause}申请表", None, ".pdf")
        if out is None:
            return

        def write(forms: list[ApplicationForm]) -> None:
            def work(progress: Progress) -> Path:
                write_pdf(forms, out, progress)
                return out

            def done(path: Path) -> None:
                said = f"已存为 PDF：{path}（{len(forms)} 页）{self._samples_note}"
                self.files.written(said, path)

            self.op = run_with_progress(self, "写入 PDF", work, done)

        self._with_forms(write)
