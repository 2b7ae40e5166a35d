"""运行监测: a period's reports (who reported, by status, who has not), the bulletin's figures
per county, and the bulletin document itself previewed as it prints; written as .xlsx or PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from desktop.changes import Changes
from desktop.filing.operations import export_bulletin_workbook
from desktop.forms.bulletin_document import bulletin_document
from desktop.printing.papers import paint_documents, write_bulletin_pdf
from desktop.progress import Progress
from desktop.qt.core import Qt
from desktop.qt.printsupport import QPrinter, QPrintPreviewWidget
from desktop.qt.widgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from desktop.samples import sample_codes
from desktop.store import Database
from desktop.taskforce.bulletin import Bulletin, Decliner, UnitFigures, bulletin
from desktop.taskforce.figures import percent_text as percent
from desktop.taskforce.ledgers import ReportLine, not_reporting, report_lines, reported_periods
from desktop.taskforce.periods import Period, period
from desktop.ui.empty_hint import EmptyHint, hint_when_empty
from desktop.ui.icons import with_icon
from desktop.ui.paper_files import PDF, PaperFiles, Writer, with_sample_note
from desktop.ui.report_dialog import enter_report
from desktop.ui.row_list_model import RowListModel
from desktop.ui.shown_page import ShownPage
from desktop.ui.tables import button_row, shown_columns, table_view, titled
from desktop.values import ValueProblem
from desktop.values.choices import PRODUCTION_STATUS

WAN, CENT = Decimal(10000), Decimal("0.01")
WHERE_REPORTS = "各县（市、区）的运行监测报送表在「数据导入」中导入。"
BY_HAND = "单户报送点「登记报送…」录入。"
# Reports, 月度产值 (a month's output), the roster, problems and visits feed the figures.
WATCHED = Changes.TASKFORCE | Changes.FIGURES | Changes.ENTERPRISES | Changes.SETTINGS
REPORT_COLUMNS = shown_columns(
    ("enterprise", "企业"), ("uscc", "统一社会信用代码"), ("county", "县（市、区）"),
    ("status", "生产状态"), ("output", "产值（万元）"), ("electricity", "用电量（千瓦时）"),
    ("employees", "在岗人数"),
)  # fmt: skip
SILENT_COLUMNS = shown_columns(
    ("name", "企业"), ("uscc", "统一社会信用代码"), ("county", "县（市、区）")
)
UNIT_COLUMNS = shown_columns(
    ("unit", "单位"), ("reporting", "报送"), ("not_reporting", "未报送"),
    *((f"status_{i}", word) for i, word in enumerate(PRODUCTION_STATUS.words)),
    ("resumption", "复工率"), ("output", "产值（万元）"), ("yoy", "同比"), ("pop", "环比"),
    ("raised", "问题数"), ("solved", "已办结"), ("overdue", "超期"), ("resolution", "化解率"),
    ("coverage", "走访覆盖率"),
)  # fmt: skip
DECLINER_COLUMNS = shown_columns(
    ("name", "企业"), ("county", "县（市、区）"), ("output", "本期产值（万元）"),
    ("year_before", "上年同期（万元）"), ("fall", "减少（万元）"), ("growth", "同比"),
)  # fmt: skip


def wan(amount: Decimal) -> str:
    """Yuan shown in 万元 with two decimals and separators."""
    return f"{amount / WAN:,.2f}"


@dataclass(frozen=True)
class ReportRow:
    """A report as the tables show it: output in 万元, as reported and bulletined."""

    period: str
    period_label: str
    enterprise: str
    uscc: str
    county: str
    status: str
    output: Decimal | None
    electricity: Decimal | None
    employees: int | None

    @classmethod
    def of(cls, r: ReportLine) -> ReportRow:
        output = None if r.output is None else (r.output / WAN).quantize(CENT)
        return cls(r.period, r.period_label, r.enterprise, r.uscc, r.county, r.status, output,
                   r.electricity, r.employees)  # fmt: skip


@dataclass(frozen=True)
class UnitRow:
    """A county's (or the total's) figures as the preview shows them."""

    unit: str
    reporting: int
    not_reporting: int
    status_0: int
    status_1: int
    status_2: int
    status_3: int
    resumption: str
    output: str
    yoy: str
    pop: str
    raised: int
    solved: int
    overdue: int
    resolution: str
    coverage: str

    @classmethod
    def of(cls, u: UnitFigures) -> UnitRow:
        return cls(
            u.unit, u.reporting, u.not_reporting, *u.by_status, percent(u.resumption_rate),
            wan(u.output), percent(u.output_yoy), percent(u.output_pop), u.problems_raised,
            u.problems_solved, u.problems_overdue, percent(u.resolution_rate),
            percent(u.visit_coverage),
        )  # fmt: skip


@dataclass(frozen=True)
class DeclinerRow:
    name: str
    county: str
    output: str
    year_before: str
    fall: str
    growth: str

    @classmethod
    def of(cls, d: Decliner) -> DeclinerRow:
        return cls(d.name, d.county, wan(d.output), wan(d.year_before), wan(d.fall),
                   percent(d.growth))  # fmt: skip


def bulletin_file(db: Database, chosen: Period) -> Writer:
    """The work of writing ``chosen``'s bulletin to a file (.pdf, else a workbook), saying what
    was written."""

    def work(out: Path, _progress: Progress) -> str:
        today = date.today()
        with db.reader() as s:
            found = bulletin(s, chosen, today)
            samples = len(sample_codes(s))
        if out.suffix.lower() == ".pdf":
            said = f"已写出 {out}（PDF {write_bulletin_pdf(found, out, today).pages} 页）"
        else:
            adjusted = export_bulletin_workbook(found, out)
            notes = f"，{len(adjusted)} 处单元格已调整" if adjusted else ""
            said = f"已写出 {out}（工作簿{notes}）"
        return with_sample_note(said, samples)

    return work


def headline(found: Bulletin) -> str:
    """2023年3月：报送 12 家，未报送 3 家；停产 1、…；复工率 75.0%."""
    total = found.total
    statuses = "、".join(
        f"{word} {n}" for word, n in zip(PRODUCTION_STATUS.words, total.by_status, strict=True)
    )
    return (
        f"{found.period.label}：报送 {total.reporting} 家，"
        f"规上企业未报送 {total.not_reporting} 家；"
        f"{statuses}；复工率 {percent(total.resumption_rate)}"
    )


class MonitoringPage(ShownPage):
    """Choose a period (a month or an ISO week); see its reports and its bulletin figures."""

    watched = WATCHED

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.period_choice = QComboBox()
        self.period_choice.setMinimumContentsLength(12)
        self.period_choice.currentIndexChanged.connect(lambda _: self._chosen())
        self.typed = QLineEdit()
        self.typed.setPlaceholderText("或输入期间：2023-03、2023-W10")
        self.typed.setMinimumWidth(self.typed.fontMetrics().horizontalAdvance("中") * 19)
        self.typed.returnPressed.connect(self._typed)
        show = with_icon(QPushButton("查看"), "preview")
        show.clicked.connect(self._typed)
        self.file_button = with_icon(QPushButton("生成通报文件（.xlsx / PDF）…"), "export")
        self.file_button.clicked.connect(self.write_bulletin)
        self.files = PaperFiles()
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("QLabel { font-size: 14px; padding: 4px 0; }")
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        self.reports = RowListModel(REPORT_COLUMNS, parent=self)
        self.silent = RowListModel(SILENT_COLUMNS, parent=self)
        self.units = RowListModel(UNIT_COLUMNS, parent=self)
        self.decliners = RowListModel(DECLINER_COLUMNS, parent=self)
        self.tabs = QTabWidget()
        reports = QSplitter()
        reported, silent = table_view(self.reports), table_view(self.silent)
        self.report_view = reported
        reported.doubleClicked.connect(lambda i: self.correct_report(self.reports.rows()[i.row()]))
        hint_when_empty(reported, f"本期没有企业报送运行监测数据。{WHERE_REPORTS}{BY_HAND}")
        silent.doubleClicked.connect(
            lambda i: self.enter_report(None, self.silent.rows()[i.row()].uscc)
        )
        hint_when_empty(silent, "规上企业本期都已报送（或企业名录中没有规上企业）。")
        enter = with_icon(QPushButton("登记报送…"), "add")
        enter.clicked.connect(lambda: self.enter_report(None))
        correct = with_icon(QPushButton("修改…"), "edit")
        correct.clicked.connect(self._correct_selected)
        reports.addWidget(titled("已报送", reported, button_row(enter, correct)))
        reports.addWidget(titled("规上企业未报送（双击登记其报送）", silent))
        reports.setSizes([740, 470])
        self.tabs.addTab(reports, "报送情况")
        preview = QSplitter(Qt.Orientation.Vertical)
        self.unit_view = table_view(self.units, stretch_last=False)
        decliners = table_view(self.decliners)
        hint_when_empty(self.unit_view, f"还没有运行监测数据。{WHERE_REPORTS}")
        hint_when_empty(
            decliners, "本期报送的企业中没有产值同比下降的（上年同期没有产值的不比较）。"
        )
        preview.addWidget(titled("分县（市、区）情况", self.unit_view))
        preview.addWidget(titled("产值同比降幅最大的企业（前十）", decliners))
        self.tabs.addTab(preview, "分县数据")
        self.figures: tuple[Bulletin, date] | None = None
        self.previewed: tuple[Bulletin, date] | None = None
        self.preview_tab = QWidget()
        QVBoxLayout(self.preview_tab).setContentsMargins(0, 0, 0, 0)
        # Made when first shown: making a printer looks the printers up, slow on some PCs.
        self.printer: QPrinter | None = None
        self.document: QPrintPreviewWidget | None = None
        self.no_document = EmptyHint(
            self.preview_tab, f"还没有运行监测数据，无法预览通报。{WHERE_REPORTS}",
            lambda: self.figures is None,
        )  # fmt: skip
        self.tabs.addTab(self.preview_tab, "通报预览")
        self.tabs.currentChanged.connect(lambda _: self._preview_if_shown())
        row = QHBoxLayout()
        row.addWidget(QLabel("期间"))
        row.addWidget(self.period_choice)
        row.addWidget(self.typed)
        row.addWidget(show)
        row.addWidget(self.message, 1)
        row.addWidget(self.file_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.headline)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.files)
        self.shown: Period | None = None

    def read(self) -> None:
        """Refill the periods reported and show the chosen one again."""
        with self.db.reader() as s:
            periods = reported_periods(s)
        keep = self.shown
        self.period_choice.blockSignals(True)
        self.period_choice.clear()
        for found in periods:
            self.period_choice.addItem(found.label, found.code)
        if keep is not None and self.period_choice.findData(keep.code) < 0:
            self.period_choice.addItem(keep.label, keep.code)
        self.period_choice.setCurrentIndex(max(self.period_choice.findData(keep and keep.code), 0))
        self.period_choice.blockSignals(False)
        if keep is not None:
            self.show_period(keep)
        elif periods:
            self.show_period(periods[0])
        else:
            self.headline.setText(f"还没有运行监测数据。{WHERE_REPORTS}")

    def _chosen(self) -> None:
        code = self.period_choice.currentData()
        if code:
            self.show_period(period(code))

    def _typed(self) -> None:
        try:
            found = period(self.typed.text())
        except ValueProblem as exc:
            self.message.setText(f"期间「{self.typed.text().strip()}」：{exc}")
            return
        self.message.clear()
        if self.period_choice.findData(found.code) < 0:
            self.period_choice.addItem(found.label, found.code)
        self.period_choice.setCurrentIndex(self.period_choice.findData(found.code))
        self.show_period(found)

    def write_bulletin(self) -> None:
        """Write the period shown as a bulletin file the officer names (.xlsx or .pdf)."""
        if self.shown is None:
            self.files.say("还没有运行监测数据，无法生成通报。")
            return
        suggested = f"工业企业复工复产运行情况通报-{self.shown.code}.xlsx"
        kinds = (("Excel 工作簿", ".xlsx"), *PDF)
        self.files.save("生成通报文件", suggested, bulletin_file(self.db, self.shown), kinds)

    def show_period(self, chosen: Period) -> None:
        """Show ``chosen``'s reports and bulletin figures."""
        self.shown = chosen
        with self.db.reader() as s:
            figures = bulletin(s, chosen, date.today())
            self.reports.set_rows([ReportRow.of(r) for r in report_lines(s, chosen)])
            self.silent.set_rows(not_reporting(s, chosen))
        self.units.set_rows([UnitRow.of(u) for u in (*figures.units, figures.total)])
        self.decliners.set_rows([DeclinerRow.of(d) for d in figures.decliners])
        self.headline.setText(headline(figures))
        self.figures = (figures, date.today())
        self.no_document.refresh()
        self._preview_if_shown()

    def enter_report(self, kept: ReportLine | None, uscc: str | None = None) -> None:
        """The report form (a new report for the period shown, of ``uscc`` if given, or
        ``kept`` to correct); what it writes is shown, its period brought to the front."""
        written = enter_report(self.db, self.shown and self.shown.code, kept, self, uscc)
        if written is not None:
            self.shown = written
            self.publish(Changes.TASKFORCE | Changes.FIGURES)

    def correct_report(self, row: ReportRow) -> None:
        """The report of ``row`` in the form, to correct."""
        with self.db.reader() as s:
            lines = report_lines(s, uscc=row.uscc)
        self.enter_report(next(line for line in lines if line.period == row.period))

    def _correct_selected(self) -> None:
        index = self.report_view.currentIndex()
        if index.isValid():
            self.correct_report(self.reports.rows()[index.row()])
        else:
            self.message.setText("请先在「已报送」中选中要修改的报送。")

    def _preview_if_shown(self) -> None:
        """Paint the bulletin's pages again when the preview is in front and out of date."""
        if self.tabs.currentWidget() is not self.preview_tab or self.figures is None:
            return
        document = self.document or self._made_document()
        if self.previewed is not self.figures:
            self.previewed = self.figures
            document.updatePreview()

    def _made_document(self) -> QPrintPreviewWidget:
        self.printer = QPrinter()  # kept: the preview paints on it, never owning it
        self.document = QPrintPreviewWidget(self.printer, self.preview_tab)
        self.document.setZoomMode(QPrintPreviewWidget.ZoomMode.FitToWidth)
        self.document.paintRequested.connect(self._paint_bulletin)
        self.preview_tab.layout().addWidget(self.document)
        self.document.show()  # the tab is up already
        return self.document

    def _paint_bulletin(self, printer: QPrinter) -> None:
        """The bulletin document of the period shown, painted as the PDF is."""
        if self.figures is not None:
            figures, on = self.figures
            paint_documents(printer, [bulletin_document(figures, on)])
