"""兑现管理's 公示与进度 tab: the publicity list (公示名单, Excel or PDF, of a measure and
optionally a county) and the progress board (兑现进度表) written off the UI thread, the file
then offered to open; and the board itself as a table."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from desktop.cases.errors import CaseError
from desktop.cases.opening import Key
from desktop.cases.parameters import CaseParameters
from desktop.cases.progress import MeasureProgress, eligible_counts, progress_board
from desktop.cases.publicity import PublicityList, chinese_date, publicity_list
from desktop.cases.states import State
from desktop.filing.progress_sheet import HEADERS, TITLE, board_cells, write_progress_board
from desktop.paperwork import default_file_name
from desktop.printing.publicity import write_notice
from desktop.progress import Progress
from desktop.qt.core import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from desktop.qt.gui import QFont
from desktop.qt.widgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from desktop.rules.catalogue import CATALOGUE, ScopeError
from desktop.rules.result import Result
from desktop.store import Database
from desktop.ui.background import BackgroundOp
from desktop.ui.icons import with_icon
from desktop.ui.messages import show_error
from desktop.ui.paged_model import display
from desktop.ui.paper_files import KINDS, PaperFiles
from desktop.ui.progress import run_with_progress
from desktop.ui.tables import button_row, refill_units, table_view

Index = QModelIndex | QPersistentModelIndex
Results = Callable[[], Mapping[Key, Result] | None]
ALL_COUNTIES = "全部县（市、区）"
PUBLICITY_NAME = "公示名单"
BOARD_WAITING = "正在核对最新测算结果，核对完后列出兑现进度（符合条件户数来自测算）。"
MISSING_CONTACT = "受理单位或联系电话未填写，名单中留空（可在「设置」中填写）"


@dataclass(frozen=True)
class PublicityWritten:
    """A publicity list written: where, the notice, and how many cells had to change."""

    path: Path
    notice: PublicityList
    warnings: int

    def text(self) -> str:
        """What the officer is told of it."""
        rows, total = len(self.notice.rows), self.notice.total
        notes = [f"已导出{PUBLICITY_NAME} {rows} 户，拟支持金额合计 {total:,.2f} 元"]
        if self.warnings:
            notes.append(f"{self.warnings} 处单元格已调整")
        if not (self.notice.office and self.notice.phone):
            notes.append(MISSING_CONTACT)
        return "；".join(notes)


def board_of(
    session: Session,
    today: date,
    results: Mapping[Key, Result] | None,
    parameters: CaseParameters,
) -> list[MeasureProgress]:
    """The progress board, its eligible counts from ``results`` when known (else evaluated)."""
    eligible = None if results is None else eligible_counts(results.values())
    return progress_board(session, today, eligible, parameters)


class BoardModel(QAbstractTableModel):
    """The board as the workbook lays it out: a line per measure and county, then the
    measure's total (bold) with its remaining budget."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[list[object], bool]] = []

    def set_board(self, board: list[MeasureProgress]) -> None:
        self.beginResetModel()
        self._rows = []
        for measure in board:
            if not measure.total.cases and not measure.total.eligible:
                continue  # a measure nobody is eligible for and no case of: nothing to follow
            for county in measure.counties:
                self._rows.append((board_cells(measure.measure, county, None), False))
            total = board_cells(measure.measure, measure.total, measure.remaining_budget)
            self._rows.append((total, True))
        self.endResetModel()

    def cells(self, row: int) -> list[object]:
        """The values of ``row`` (tests read them)."""
        return self._rows[row][0]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        values, total = self._rows[index.row()]
        value = values[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and total:
            font = QFont()
            font.setBold(True)
            return font
        return None


def _combo(choices: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    for label, value in choices:
        combo.addItem(label, value)
    return combo


class CasePapers(QWidget):
    """The two papers of the cases and the board; ``results`` gives the page's current
    results (``None`` while not known yet)."""

    def __init__(
        self,
        database: Callable[[], Database],
        results: Results,
        today: Callable[[], date],
        parameters: CaseParameters,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._results, self._today = database, results, today
        self._parameters = parameters
        self.op: BackgroundOp | None = None
        self.board = BoardModel(self)
        self.files = PaperFiles()
        self.board_note = QLabel(BOARD_WAITING)
        self.board_note.setStyleSheet("color: #5f6b7a")
        self.board_view = table_view(self.board, stretch_last=False)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self._publicity_box())
        row.addWidget(self._progress_box())
        row.addStretch()
        layout.addLayout(row)
        layout.addWidget(self.files)
        self.board_title = QLabel(f"<b>{TITLE}</b>")
        layout.addWidget(self.board_title)
        layout.addWidget(self.board_note)
        layout.addWidget(self.board_view, 1)

    def _publicity_box(self) -> QGroupBox:
        box = QGroupBox(f"公示名单（「{State.PUBLICITY.label}」的兑现事项）")
        form = QFormLayout(box)
        self.measure = _combo([(m.heading, k) for k, m in CATALOGUE.items()])
        self.county = _combo([(ALL_COUNTIES, None)])
        form.addRow("支持事项", self.measure)
        form.addRow("县（市、区）", self.county)
        self.publicity_xlsx = with_icon(QPushButton("导出 Excel…"), "export")
        self.publicity_pdf = with_icon(QPushButton("存为 PDF…"), "pdf")
        self.publicity_xlsx.clicked.connect(lambda: self.export_publicity(".xlsx"))
        self.publicity_pdf.clicked.connect(lambda: self.export_publicity(".pdf"))
        form.addRow(button_row(self.publicity_xlsx, self.publicity_pdf))
        return box

    def _progress_box(self) -> QGroupBox:
        box = QGroupBox("兑现进度表（每条措施、每个县）")
        layout = QVBoxLayout(box)
        self.progress_button = with_icon(QPushButton("导出兑现进度表（Excel）…"), "export")
        self.progress_button.clicked.connect(self.export_progress)
        layout.addWidget(self.progress_button)
        layout.addStretch()
        return box

    def set_counties(self, names: list[str]) -> None:
        """The counties the publicity list may be narrowed to (the choice kept)."""
        refill_units(self.county, ALL_COUNTIES, names)

    def reload(self) -> None:
        """Show the board (cheap: counts in SQL), once the current results are known."""
        results = self._results()
        self.board_note.setVisible(results is None)
        if results is None:
            self.board.set_board([])
            return
        today = self._today()
        self.board_title.setText(f"<b>{TITLE}</b>（截至{chinese_date(today)}）")
        with self._db().reader() as s:
            self.board.set_board(board_of(s, today, results, self._parameters))

    def _save_name(self, title: str, name: str, county: str | None, suffix: str) -> Path | None:
        suggested = default_file_name(name, county, self._today(), suffix)
        return self.files.ask(title, suggested, KINDS[suffix])

    def _written(self, text: str, path: Path) -> None:
        self.files.written(f"{text}：{path}", path)

    def export_publicity(self, suffix: str) -> None:
        """The publicity list of the chosen measure (and county), as Excel or PDF."""
        code, county = self.measure.currentData(), self.county.currentData()
        title = f"导出{PUBLICITY_NAME}"
        try:  # one query: said before a file is asked for when no case is in publicity
            with self._db().reader() as s:
                notice = publicity_list(s, code, county, self._today())
        except (CaseError, ScopeError) as exc:
            show_error(self, f"没有{PUBLICITY_NAME}", exc)
            return
        out = self._save_name(title, f"{CATALOGUE[code].clause}{PUBLICITY_NAME}", county, suffix)
        if out is None:
            return

        def work(_progress: Progress) -> PublicityWritten:
            return PublicityWritten(out, notice, len(write_notice(notice, out)))

        def done(written: PublicityWritten) -> None:
            self._written(written.text(), written.path)

        self.op = run_with_progress(self, title, work, done, cancellable=False)

    def export_progress(self) -> None:
        """The progress board as a workbook (the roster evaluated if not known yet)."""
        out = self._save_name("导出兑现进度表", "兑现进度表", None, ".xlsx")
        if out is None:
            return
        db, today, results = self._db(), self._today(), self._results()
        parameters = self._parameters

        def work(_progress: Progress) -> Path:
            with db.reader() as s:
                write_progress_board(board_of(s, today, results, parameters), out, today)
            return out

        self.op = run_with_progress(
            self, "导出兑现进度表", work, lambda path: self._written("已导出兑现进度表", path)
        )
