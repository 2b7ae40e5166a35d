"""政策测算: every enterprise under each roster-wide measure, the reasons, totals per county, and
a what-if that changes one policy parameter and shows the totals before and after."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from desktop.changes import Changes
from desktop.progress import Progress
from desktop.qt.core import QModelIndex, Qt, QTimer, Signal
from desktop.qt.gui import QAction, QKeySequence, QShortcut
from desktop.qt.widgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabBar,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from desktop.roster.search import SearchIndex, name_key
from desktop.rules.calculators import CALCULATORS
from desktop.rules.catalogue import CATALOGUE
from desktop.rules.engine import evaluate_roster
from desktop.rules.fact_text import fact_text
from desktop.rules.labels import AMOUNT_UNIT
from desktop.rules.policy import Parameter, PolicyError, load_policy
from desktop.rules.result import EXPECTED_NOTE, Result, Verdict
from desktop.rules.totals import Change, Totals, summarize, what_if
from desktop.store import Database
from desktop.ui.background import BackgroundOp
from desktop.ui.calculators import CalculatorsDialog
from desktop.ui.case_opening import CaseOpeningButtons
from desktop.ui.icons import with_icon
from desktop.ui.page import Page
from desktop.ui.progress import run_with_progress
from desktop.ui.row_list_model import RowListModel
from desktop.ui.stale import STALE_TEXT, StaleMark
from desktop.ui.tables import button_row, shown_columns, table_view
from desktop.values import money_text

ZERO = Decimal("0.00")


@dataclass
class ResultLine:
    """One result as the table shows it."""

    name: str
    uscc: str
    county: str
    clause: str
    period: str
    verdict: str
    amount: Decimal | None
    expected: str
    result: Result


@dataclass
class CountyTotal:
    """Per county: how many are eligible, how many lack facts, and the amount."""

    county: str
    eligible: int = 0
    incomplete: int = 0
    amount: Decimal = ZERO


@dataclass
class Comparison:
    """A county's totals before and after a what-if."""

    county: str
    before_eligible: int
    before_amount: Decimal
    after_eligible: int
    after_amount: Decimal
    change: Decimal


RESULT_COLUMNS = shown_columns(
    ("name", "企业名称"), ("uscc", "统一社会信用代码"), ("county", "县（市、区）"),
    ("clause", "措施"), ("period", "期间"), ("verdict", "结论"), ("amount", "金额"),
    ("expected", "待省级下达"), money=("amount",),
)  # fmt: skip
TOTAL_COLUMNS = shown_columns(
    ("county", "县（市、区）"), ("eligible", "符合"), ("incomplete", "资料不全"),
    ("amount", "金额"), money=("amount",),
)  # fmt: skip
COMPARE_COLUMNS = shown_columns(
    ("county", "县（市、区）"), ("before_eligible", "原 符合"), ("before_amount", "原 金额"),
    ("after_eligible", "新 符合"), ("after_amount", "新 金额"), ("change", "变化"),
    money=("before_amount", "after_amount", "change"),
)  # fmt: skip
VERDICT_CHOICES = (("全部结论", None), *((v.label, v) for v in Verdict))
ALL_COUNTIES = "全部县（市、区）"
ALL_MEASURES = "全部措施"
ALL_MEASURES_TOTAL = "全部措施合计"
WAN = "万元"
SEARCH_DELAY_MS = 200


ALL = "合计"


def _county_total(county: str | None, totals: Totals, clause: str = "") -> CountyTotal:
    name = f"{clause} {county or ALL}" if clause else county or ALL
    return CountyTotal(name, totals.eligible, totals.counts[Verdict.INCOMPLETE],
                       ZERO + totals.budget)  # fmt: skip


def county_totals(results: Sequence[Result]) -> list[CountyTotal]:
    """Totals per county (in order of first appearance) and a line for all of them, as the
    rules sum them (``summarize``, what ``evaluate`` prints); over several measures, each
    measure's lines (named by its clause) and a last line for all measures together."""
    found = summarize(results)
    several = len({measure for measure, _ in found}) > 1
    lines = [_county_total(county, t, CATALOGUE[m].clause if several else "")
             for (m, county), t in found.items()]  # fmt: skip
    if several:
        whole = [line for (_, county), line in zip(found, lines, strict=True) if county is None]
        lines.append(CountyTotal(ALL_MEASURES_TOTAL, sum(t.eligible for t in whole),
                                 sum(t.incomplete for t in whole),
                                 sum((t.amount for t in whole), ZERO)))  # fmt: skip
    return lines or [_county_total(None, Totals())]


def compare(before: Sequence[Result], after: Sequence[Result]) -> list[Comparison]:
    """One measure's totals per county before and after (the rules' ``what_if``), 合计 last."""
    changes = what_if(before, after) or [Change("", None, Totals(), Totals())]
    return [_comparison(c) for c in changes]


def _comparison(c: Change) -> Comparison:
    old, new = c.before, c.after
    return Comparison(c.county or ALL, old.eligible, ZERO + old.budget, new.eligible,
                      ZERO + new.budget, c.budget_change)  # fmt: skip


def parameter_choice(p: Parameter) -> str:
    """A what-if parameter as the officer chooses it: its label and present value."""
    return f"{p.label}（现为 {p.shown}）"


def what_if_text(change: str, total: Comparison) -> str:
    """The headline of a what-if: all counties before and after."""
    return (
        f"{change}：符合 {total.before_eligible} → {total.after_eligible} 家，"
        f"金额 {money_text(total.before_amount)} → {money_text(total.after_amount)} 元"
        f"（{money_text(total.change, signed=True)}）"
    )


def _line(r: Result) -> ResultLine:
    return ResultLine(r.name, r.uscc, r.county, r.clause, r.period, r.verdict.label, r.amount,
                      "是" if r.expected else "", r)  # fmt: skip


def explanation_html(r: Result) -> str:
    """The reasons and facts of one result, citing its clause."""
    facts = "".join(
        f"<tr><td>{escape(label)}</td><td>{escape(fact_text(label, v))}</td></tr>"
        for label, v in r.facts
    )
    reasons = "".join(f"<li>{escape(line)}</li>" for line in r.explanation)
    amount = f"，金额 {money_text(r.amount)} 元" if r.amount is not None else ""
    expected = f"（{EXPECTED_NOTE}）" if r.expected else ""
    table = f"<table border='1' cellspacing='0' cellpadding='3'>{facts}</table>"
    verdict = f"<p>{r.clause}：<b>{r.verdict.label}</b>{amount}{expected}</p>"
    return f"<h3>{escape(r.name)}</h3>{verdict}<ol>{reasons}</ol>{table}"


def roster_results(
    db: Database, overrides: dict[str, str] | None, progress: Progress
) -> list[Result]:
    """Every roster-wide measure for every enterprise (the rules engine's own function)."""
    with db.reader() as session:
        return evaluate_roster(session, overrides=overrides, progress=progress)


class PolicyPage(Page):
    """Results per measure (or all at once) with filters, search and reasons; totals; what-if.
    Results follow the data: once what they rest on changes, they are marked until evaluated
    again. ``open_enterprise`` asks for an enterprise's editor (double-click, context menu)."""

    open_enterprise = Signal(str)  # the credit code

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.results: list[Result] = []
        self._index = SearchIndex({})
        self.op: BackgroundOp | None = None
        self.measures = QTabBar()
        for measure in CATALOGUE.values():
            self.measures.addTab(measure.heading)
        self.measures.addTab(ALL_MEASURES)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索：企业名称、信用代码或拼音首字母")
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(self.fontMetrics().horizontalAdvance("中") * 22)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.show_results)
        self.search.textChanged.connect(self._search_timer.start)
        self.in_wan = QCheckBox("金额以万元显示")
        self.in_wan.toggled.connect(self._show_money)
        self.county, self.verdict = QComboBox(), QComboBox()
        for combo in (self.county, self.verdict):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for label, value in VERDICT_CHOICES:
            self.verdict.addItem(label, value)
        self.lines = RowListModel(RESULT_COLUMNS, parent=self)
        self.totals = RowListModel(TOTAL_COLUMNS, parent=self)
        self.comparison = RowListModel(COMPARE_COLUMNS, parent=self)
        self.reasons = QTextBrowser()
        self.reasons.setPlaceholderText("选中左边一家企业，这里显示判定理由和所依据的数字。")
        self.status = QLabel("点「测算」按当前名录逐条判定（F9）。")
        self.stale_mark = StaleMark("F9")
        self.run_button = with_icon(QPushButton("测算（F9）"), "run")
        self.run_button.clicked.connect(self.run)
        QShortcut(QKeySequence("F9"), self, self.run)
        for signal in (self.measures.currentChanged, self.county.currentIndexChanged,
                       self.verdict.currentIndexChanged):  # fmt: skip
            signal.connect(self.show_results)
        layout = QVBoxLayout(self)
        layout.addWidget(self.measures)
        filters = button_row(self.run_button)
        filters.insertWidget(0, self.verdict)
        filters.insertWidget(0, self.county)
        filters.insertWidget(0, self.search, 1)
        self.opening = CaseOpeningButtons(lambda: self.db, self.selected_results,
                                          self.measure_results, self._opening_problem)  # fmt: skip
        self.opening.opened.connect(self.publish)
        filters.insertWidget(filters.count() - 1, self.opening)  # beside 测算, before the stretch
        filters.addWidget(self.in_wan)
        filters.addWidget(self.status)
        layout.addLayout(filters)
        layout.addWidget(self.stale_mark)
        parts = QSplitter(Qt.Orientation.Vertical)
        parts.addWidget(self._body())
        parts.addWidget(self._what_if())
        parts.setSizes([420, 220])
        layout.addWidget(parts, 1)
        layout.addWidget(self._calculators())
        self._fill_counties()

    def _body(self) -> QSplitter:
        self.table = table_view(self.lines, stretch_last=False)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # in the order evaluated until a header is clicked
        self.table.selectionModel().currentRowChanged.connect(self._explain)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        opening = QAction("打开企业信息…", self.table)
        opening.triggered.connect(lambda: self._open(self.table.currentIndex().row()))
        self.table.addAction(opening)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.totals_view = table_view(self.totals)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.reasons)
        self.right.addWidget(self.totals_view)
        self.right.setSizes([150, 300])
        self.body = QSplitter()
        self.body.addWidget(self.table)
        self.body.addWidget(self.right)
        self.body.setSizes([760, 440])
        return self.body

    def _open(self, row: int) -> None:
        """Ask for the editor of the enterprise in ``row`` of the results."""
        if 0 <= row < self.lines.rowCount():
            self.open_enterprise.emit(self.lines.rows()[row].uscc)

    def _show_money(self, in_wan: bool) -> None:
        for model in (self.lines, self.totals, self.comparison):
            model.show_money_in(WAN if in_wan else AMOUNT_UNIT)

    def _what_if(self) -> QGroupBox:
        box = QGroupBox("假设测算：改一个政策参数，比较各县合计")
        self.parameter, self.value, self.value_problem = QComboBox(), QLineEdit(), QLabel()
        self.value_problem.setStyleSheet("color: #b00020")
        self.value.textEdited.connect(self.value_problem.clear)
        self.parameter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.parameter.currentIndexChanged.connect(self._parameter_chosen)
        self.what_if_button = with_icon(QPushButton("按新参数重算"), "refresh")
        self.what_if_button.clicked.connect(self.what_if)
        self._fill_parameters()
        self.measures.currentChanged.connect(self._fill_parameters)
        self.measures.currentChanged.connect(self._clear_what_if)
        row = QHBoxLayout()
        row.addWidget(QLabel("参数"))
        row.addWidget(self.parameter)
        row.addWidget(QLabel("新值"))
        row.addWidget(self.value, 1)
        row.addWidget(self.what_if_button)
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.value_problem)
        self.what_if_total = QLabel()
        layout.addWidget(self.what_if_total)
        self.compare_view = table_view(self.comparison)
        layout.addWidget(self.compare_view)
        return box

    def _fill_parameters(self) -> None:
        """The chosen measure's policy parameters, each with its label and present value
        (none under 全部措施: a what-if changes one measure)."""
        measure = self._measure()
        self.parameter.clear()
        self.what_if_button.setEnabled(measure is not None)
        if measure is None:
            self.value.setPlaceholderText("假设测算针对一条措施：请先选上面的措施")
            return
        for key, p in load_policy().parameters.items():
            if key.startswith(f"{measure}."):
                self.parameter.addItem(parameter_choice(p), key)

    def _clear_what_if(self) -> None:
        self.comparison.set_rows([])
        self.what_if_total.clear()

    def _parameter_chosen(self) -> None:
        self.value.clear()
        self.value_problem.clear()
        p = self._parameter()
        self.value.setPlaceholderText(f"现为 {p.shown}，{p.hint}" if p else "")

    def _parameter(self) -> Parameter | None:
        key = self.parameter.currentData()
        return load_policy().parameters[key] if key else None

    def _calculators(self) -> QPushButton:
        self.calculators_button = with_icon(
            QPushButton("逐案计算器（第二、六、七、九、十四条）…"), "policy"
        )
        self.calculators_button.clicked.connect(self.open_calculators)
        return self.calculators_button

    def open_calculators(self) -> None:
        """The per-case calculators, each a small form."""
        dialog = CalculatorsDialog(CALCULATORS, self)
        dialog.exec()
        dialog.deleteLater()

    def on_changes(self, changes: Changes) -> None:
        """The data the results rest on changed: mark them (and drop the what-if)."""
        if changes.touches(Changes.FACTS):
            self.stale_mark.data_changed(bool(self.results))
            if self.results:
                self._clear_what_if()
                self._explain(self.table.currentIndex(), QModelIndex())

    def run(self) -> None:
        """Evaluate the roster off the UI thread."""
        db, started = self.db, self.stale_mark.started()

        def done(results: list[Result]) -> None:
            self.results = results
            self._index = SearchIndex.build(
                {i: r.name for i, r in enumerate(results)},
                {i: r.uscc for i, r in enumerate(results)},
            )
            self.stale_mark.finished(started)
            self._fill_counties()
            self.show_results()

        self.op = run_with_progress(self, "测算", lambda p: roster_results(db, None, p), done)

    def _fill_counties(self) -> None:
        current = self.county.currentText()
        self.county.blockSignals(True)
        self.county.clear()
        self.county.addItem(ALL_COUNTIES)
        self.county.addItems(sorted({r.county for r in self.results}, key=name_key))
        self.county.setCurrentIndex(max(self.county.findText(current), 0))
        self.county.blockSignals(False)

    def _measure(self) -> str | None:
        """The chosen measure's key; None for 全部措施."""
        codes = list(CATALOGUE)
        index = max(self.measures.currentIndex(), 0)
        return codes[index] if index < len(codes) else None

    def measure_results(self) -> list[Result]:
        """The results of the chosen measure (all of them under 全部措施)."""
        measure = self._measure()
        return [r for r in self.results if measure is None or r.measure == measure]

    def selected_results(self) -> list[Result]:
        """The results selected in the table (for 立案)."""
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.lines.rows()[row].result for row in rows]

    def _opening_problem(self) -> str | None:
        """Why cases may not be opened from the results shown (None: they may)."""
        if not self.results:
            return "请先点「测算」（F9），再在结果中立案。"
        if self.stale_mark.stale:
            return f"{STALE_TEXT}：立案须依据最新测算，请按 F9 重新测算后再立案。"
        return None

    def show_results(self) -> None:
        """Show the chosen measure's results through the search, county and verdict filters."""
        county, verdict = self.county.currentText(), self.verdict.currentData()
        text = self.search.text().strip()
        found = self._index.matching(text) if text else None
        measure = self._measure()
        shown = [r for i, r in enumerate(self.results)
                 if (measure is None or r.measure == measure)
                 and (found is None or i in found)
                 and (county in ("", ALL_COUNTIES) or r.county == county)
                 and (verdict is None or r.verdict == verdict)]  # fmt: skip
        self.lines.set_rows([_line(r) for r in shown])
        clause = [c.attr for c in RESULT_COLUMNS].index("clause")
        self.table.setColumnHidden(clause, measure is not None)  # said by the tab, but for 全部
        self.totals.set_rows(county_totals(self.measure_results()) if self.results else [])
        self.reasons.clear()
        if self.results:
            scope = "本条措施" if measure is not None else "全部措施"
            none = f"，没有与「{text}」相符的企业" if text and not shown else ""
            total = len(self.measure_results())
            self.status.setText(f"显示 {len(shown)} 条 / {scope}共 {total} 条{none}")

    def _explain(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            result = self.lines.rows()[current.row()].result
            self.reasons.setHtml(self.stale_mark.html() + explanation_html(result))

    def what_if(self) -> None:
        """Evaluate again with the one parameter changed; show totals before and after.

        A value that cannot be read is said under the field, and nothing is run.
        """
        parameter, value = self._parameter(), self.value.text().strip()
        if parameter is None or not value:
            self.status.setText("请填写参数和新值")
            return
        if not self.results or self.stale_mark.stale:
            self.status.setText(STALE_TEXT if self.results else "请先点「测算」")
            return
        try:
            changed = load_policy().with_overrides({parameter.key: value}).parameters[parameter.key]
        except PolicyError as exc:
            self.value_problem.setText(str(exc))
            self.value.setFocus()
            return
        before, db, measure = self.measure_results(), self.db, self._measure()
        assert measure is not None  # no parameter is offered under 全部措施
        started, overrides = self.stale_mark.started(), {parameter.key: value}

        def done(after: list[Result]) -> None:
            if not self.stale_mark.current(started):
                return  # the data changed meanwhile: the results are marked, the what-if dropped
            lines = compare(before, [r for r in after if r.measure == measure])
            self.comparison.set_rows(lines)
            change = f"{parameter.label} {parameter.shown} → {changed.shown}"
            self.what_if_total.setText(what_if_text(change, lines[-1]))

        self.op = run_with_progress(
            self, "假设测算", lambda p: roster_results(db, overrides, p), done
        )
