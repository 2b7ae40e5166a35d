"""兑现管理: the cases filtered by measure, state, county and warning; the selected case's
timeline and 测算已变化; buttons offering only the moves the state table allows the whole
selection; and the 资金 tab."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from desktop.cases.deadlines import Alert
from desktop.cases.errors import CaseError
from desktop.cases.moves import Move
from desktop.cases.opening import Key
from desktop.cases.parameters import load_case_parameters
from desktop.cases.states import BY_PAYMENT, MOVES, State
from desktop.changes import Changes
from desktop.progress import Progress
from desktop.qt.core import QItemSelection, QItemSelectionModel
from desktop.qt.widgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from desktop.rules.catalogue import CATALOGUE
from desktop.rules.engine import evaluate_roster
from desktop.rules.result import Result
from desktop.store import Database, StoreError
from desktop.taskforce.figures import roster_units, unit_key
from desktop.ui.background import BackgroundOp
from desktop.ui.case_actions import (
    enter_payment,
    legal_moves,
    make_move,
    moved_text,
    payable,
    refresh_question,
    refresh_snapshots,
    refreshable,
)
from desktop.ui.case_detail import case_html
from desktop.ui.case_model import CaseFilter, CaseLine, CaseTableModel, filtered, load_case_lines
from desktop.ui.case_move_dialog import MoveDialog
from desktop.ui.case_papers import CasePapers
from desktop.ui.fund_panel import FundPanel
from desktop.ui.icons import with_icon
from desktop.ui.messages import confirm, show_error
from desktop.ui.page import Page
from desktop.ui.payment_dialog import PaymentDialog
from desktop.ui.tables import refill_units, table_view

TARGETS = [s for s in State if s in set().union(*MOVES.values()) - BY_PAYMENT]
"""Every state a case may be moved to by hand: a button each, shown when the selection may."""
ALERT_CHOICES = (("全部期限提醒", None), *((a.label, a) for a in Alert))
ALL_COUNTIES = "全部县（市、区）"
NO_CASES = "尚无兑现事项：在「政策测算」中测算（F9）后，选中符合条件的企业点「立案」。"
NO_SELECTION = "选中兑现事项后，这里列出可以办理的操作（可按住 Ctrl 或 Shift 多选，批量办理）。"
CHECKING = "正在核对最新测算结果…"
SIZED_ROWS = 200  # the columns fit the first rows' text (measuring 50,000 rows takes seconds)


def current_results(db: Database, progress: Progress) -> dict[Key, Result]:
    """The roster evaluated now, by credit code, measure and period."""
    with db.reader() as session:
        found = evaluate_roster(session, progress=progress)
    return {(r.uscc, r.measure, r.period): r for r in found}


def runs(rows: list[int]) -> list[tuple[int, int]]:
    """Ascending ``rows`` as (first, last) runs of neighbours: [1, 2, 3, 7] → [(1, 3), (7, 7)]."""
    found: list[tuple[int, int]] = []
    for row in rows:
        if found and found[-1][1] == row - 1:
            found[-1] = (found[-1][0], row)
        else:
            found.append((row, row))
    return found


def _combo(choices: tuple[tuple[str, object], ...]) -> QComboBox:
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    for label, value in choices:
        combo.addItem(label, value)
    return combo


class CasePage(Page):
    """The cases and the funds; every move is all or none and logged under the operator."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.parameters = load_case_parameters()
        self.today: Callable[[], date] = date.today
        self.lines: list[CaseLine] = []
        self.results: dict[Key, Result] | None = None  # None until the roster is evaluated
        self.check_op: BackgroundOp | None = None
        self._facts_version = 0
        self.cases = CaseTableModel(self)
        self.funds = FundPanel(lambda: self.db, self.parameters, self.publish, self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._cases_tab(), "兑现事项")
        self.tabs.addTab(self.funds, "资金")
        self.papers = CasePapers(
            lambda: self.db, lambda: self.results, lambda: self.today(), self.parameters
        )
        self.tabs.addTab(self.papers, "公示与进度")
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.reload()

    # -- building

    def _cases_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(self._filter_row())
        layout.addLayout(self._action_row())
        self.table = self._table()
        self.detail = QTextBrowser()
        self.detail.setPlaceholderText("选中一件兑现事项，查看它的办理记录。")
        parts = QSplitter()
        parts.addWidget(self.table)
        parts.addWidget(self.detail)
        parts.setSizes([960, 340])
        layout.addWidget(parts, 1)
        return tab

    def _filter_row(self) -> QHBoxLayout:
        measures = (("全部支持事项", None), *((m.heading, k) for k, m in CATALOGUE.items()))
        self.measure = _combo(measures)
        self.state = _combo((("全部状态", None), *((s.label, s) for s in State)))
        self.county = _combo(((ALL_COUNTIES, None),))
        self.alert = _combo(ALERT_CHOICES)
        self.changed_only = QCheckBox("只看测算已变化")
        self.count, self.checking = QLabel(), QLabel()
        self.checking.setStyleSheet("color: #5f6b7a")
        row = QHBoxLayout()
        for combo in (self.measure, self.state, self.county, self.alert):
            combo.currentIndexChanged.connect(self.show_lines)
            row.addWidget(combo)
        self.changed_only.toggled.connect(self.show_lines)
        row.addWidget(self.changed_only)
        row.addStretch()
        row.addWidget(self.checking)
        row.addWidget(self.count)
        return row

    def _action_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.hint = QLabel(NO_SELECTION)
        self.move_buttons: dict[State, QPushButton] = {}
        for state in TARGETS:
            button = with_icon(QPushButton(f"改为「{state.label}」…"), "case-move")
            button.clicked.connect(lambda _=False, to=state: self.move_selected(to))
            button.hide()
            row.addWidget(button)
            self.move_buttons[state] = button
        self.pay_button = with_icon(QPushButton("登记拨付…"), "add")
        self.pay_button.clicked.connect(self.pay_selected)
        self.pay_button.hide()
        row.addWidget(self.pay_button)
        self.refresh_button = with_icon(QPushButton("按最新测算刷新…"), "refresh")
        self.refresh_button.setToolTip("测算已变化、尚未审核的兑现事项，可改按最新测算结果立案测算")
        self.refresh_button.clicked.connect(self.refresh_selected)
        self.refresh_button.hide()
        row.addWidget(self.refresh_button)
        self.outcome = QLabel()
        self.outcome.setStyleSheet("color: #2e7d32")
        self.outcome.setWordWrap(True)
        row.addWidget(self.hint)
        row.addWidget(self.outcome, 1)
        return row

    def _table(self) -> QAbstractItemView:
        table = table_view(self.cases, stretch_last=False)
        table.horizontalHeader().setResizeContentsPrecision(SIZED_ROWS)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setWordWrap(False)
        table.selectionModel().selectionChanged.connect(self._selection_changed)
        return table

    # -- reading

    def reload(self) -> None:
        """Read the cases again (keeping the selection) and the funds."""
        with self.db.reader() as s:
            self.lines = load_case_lines(s, self.parameters, self.today(), self.results)
            in_city_order = unit_key(roster_units(s))
        self._fill_counties(sorted({line.county for line in self.lines}, key=in_city_order))
        self.show_lines()
        self.funds.reload()
        if self.tabs.currentWidget() is self.papers:
            self.papers.reload()

    def _tab_changed(self) -> None:
        if self.tabs.currentWidget() is self.papers:
            self.papers.reload()

    def _fill_counties(self, names: list[str]) -> None:
        """The units of the cases (``names``, in the city's order) after 全部, the choice kept."""
        self.county.blockSignals(True)
        refill_units(self.county, ALL_COUNTIES, names)
        self.county.blockSignals(False)
        self.papers.set_counties(names)

    def chosen_filter(self) -> CaseFilter:
        """The filters as set (a combo box gives back an enum's value as plain text)."""
        state, warning = self.state.currentData(), self.alert.currentData()
        return CaseFilter(
            measure=self.measure.currentData(),
            state=State(state) if state else None,
            county=self.county.currentData(),
            alert=Alert(warning) if warning else None,
            changed_only=self.changed_only.isChecked(),
        )

    def show_lines(self) -> None:
        """Show the lines the filters keep; the cases selected before stay selected."""
        kept = {line.case_id for line in self.selected_lines()}
        shown = filtered(self.lines, self.chosen_filter())
        self.cases.set_rows(shown)
        self._select([row for row, line in enumerate(shown) if line.case_id in kept])
        self.count.setText(f"显示 {len(shown):,} 件 / 共 {len(self.lines):,} 件")
        self._selection_changed()

    def _select(self, rows: list[int]) -> None:
        """Select ``rows`` (ascending), each run of neighbours as one range."""
        selection, last = QItemSelection(), self.cases.columnCount() - 1
        for start, end in runs(rows):
            selection.select(self.cases.index(start, 0), self.cases.index(end, last))
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().select(selection, flags.ClearAndSelect)

    def selected_lines(self) -> list[CaseLine]:
        """The cases selected, in the table's order (read from the selection's ranges: asking
        each row whether it is selected takes seconds on 50,000)."""
        rows: set[int] = set()
        for span in self.table.selectionModel().selection():
            rows.update(range(span.top(), span.bottom() + 1))
        return [self.cases.line(row) for row in sorted(rows)]

    def _selection_changed(self) -> None:
        chosen = self.selected_lines()
        allowed = set(legal_moves(chosen))
        for state, button in self.move_buttons.items():
            button.setVisible(state in allowed)
        self.refresh_button.setVisible(refreshable(chosen))
        self.pay_button.setVisible(payable(chosen))
        self.hint.setText(self._hint(chosen, allowed) if self.lines else NO_CASES)
        if len(chosen) == 1:
            with self.db.reader() as s:
                self.detail.setHtml(case_html(s, chosen[0]))
        else:
            self.detail.setHtml(
                "<br>".join(line.describe() for line in chosen[:200]) if chosen else ""
            )

    @staticmethod
    def _hint(chosen: list[CaseLine], allowed: set[State]) -> str:
        if not chosen:
            return NO_SELECTION
        paid = (
            "；「已拨付」由登记拨付记录完成"
            if any(MOVES[line.current] & BY_PAYMENT for line in chosen)
            else ""
        )
        if allowed:
            return f"已选 {len(chosen)} 件{paid}"
        states = "、".join(dict.fromkeys(line.state for line in chosen))
        if len(chosen) == 1:
            return f"已选 1 件（{states}）：没有可以手工办理的操作{paid}"
        return (
            f"已选 {len(chosen)} 件（{states}）：没有对所选各件都可以办理的操作，请按状态筛选后再选"
        )

    # -- the current results, for 测算已变化

    def _check_results(self) -> None:
        """Evaluate the roster off the UI thread; the table is compared when it arrives."""
        if self.check_op is not None and not self.check_op.is_done():
            return
        db, version = self.db, self._facts_version
        self.checking.setText(CHECKING)
        op = BackgroundOp(lambda progress: current_results(db, progress), self)
        op.succeeded.connect(lambda found: self._results_arrived(found, version))
        op.failed.connect(lambda exc: self.checking.setText(f"未能核对测算结果：{exc}"))
        self.check_op = op
        op.start()

    def _results_arrived(self, found: dict[Key, Result], version: int) -> None:
        if version != self._facts_version:  # the data changed meanwhile: evaluate again
            self.check_op = None
            self._check_results()
            return
        self.results = found
        self.checking.clear()
        self.reload()

    # -- the page

    def _compare(self) -> None:
        """Compare the cases with the current results, if there are cases, the page is in
        front and the results are not known yet."""
        if self.results is None and self.lines and self.isVisible():
            self._check_results()

    def on_shown(self) -> None:
        """Coming to the front: compare the cases with the current results, if not yet."""
        self._compare()

    def on_changes(self, changes: Changes) -> None:
        """Cases, funds and the holiday list: read again; the facts: compare again (now if
        the page is in front, else when it comes to the front)."""
        if changes.touches(Changes.FACTS):
            self._facts_version += 1
            self.results = None
        if changes.touches(Changes.CASES | Changes.FACTS):
            self.reload()
            self._compare()

    def move_selected(self, to: State) -> None:
        """Ask what moving the selection to ``to`` needs, and make it (all or none)."""
        chosen = self.selected_lines()
        if to not in legal_moves(chosen):
            return

        def attempt(move: Move) -> str:
            notes = make_move(self.db, chosen, move, self.parameters, self.today())
            return moved_text(to, len(chosen), notes)

        dialog = MoveDialog(to, chosen, self.today(), attempt, self)
        made = dialog.exec() == MoveDialog.DialogCode.Accepted
        outcome = dialog.outcome
        dialog.deleteLater()
        if made:
            self.publish(Changes.CASES)
            self.outcome.setText(outcome)

    def refresh_selected(self) -> None:
        """Take the current results as the selected cases' snapshots, once confirmed."""
        chosen = self.selected_lines()
        if self.results is None or not refreshable(chosen):
            return
        if not confirm(self, "按最新测算刷新", refresh_question(chosen)):
            return
        try:
            refresh_snapshots(self.db, chosen, self.results)
        except (CaseError, StoreError) as exc:
            show_error(self, "未刷新", exc)
            return
        self.publish(Changes.CASES)
        self.outcome.setText(f"已按最新测算刷新 {len(chosen)} 件兑现事项")

    def pay_selected(self) -> None:
        """Enter a payment on the one case selected."""
        chosen = self.selected_lines()
        if not payable(chosen):
            return
        dialog = PaymentDialog(chosen[0], self.today(), lambda r: enter_payment(self.db, r), self)
        made = dialog.exec() == PaymentDialog.DialogCode.Accepted
        dialog.deleteLater()
        if made:
            self.publish(Changes.CASES)
            self.outcome.setText(f"已登记 {chosen[0].number} 的拨付记录")

    def show_case(self, number: str) -> bool:
        """Select the case ``number`` with every filter cleared (another page asks for it, e.g.
        a warning on the work desk); False when there is no such case."""
        for combo in (self.measure, self.state, self.county, self.alert):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.changed_only.blockSignals(True)
        self.changed_only.setChecked(False)
        self.changed_only.blockSignals(False)
        self.show_lines()
        rows = [row for row, line in enumerate(self.cases.rows()) if line.number == number]
        self._select(rows)
        self.tabs.setCurrentIndex(0)
        if rows:
            self.table.scrollTo(self.cases.index(rows[0], 0))
        return bool(rows)
