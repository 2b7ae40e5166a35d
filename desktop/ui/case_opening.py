"""「立案」 on the 政策测算 page: open cases from the selected results, or from every eligible
result of the measure (免申即享), after a confirmation, then say what was opened and what not."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from desktop.cases.opening import Basis, basis_of, open_eligible, open_selected
from desktop.cases.parameters import load_case_parameters
from desktop.changes import Changes
from desktop.models import Case
from desktop.progress import Progress
from desktop.qt.core import Signal
from desktop.qt.widgets import QHBoxLayout, QMessageBox, QPushButton, QWidget
from desktop.rules import catalogue
from desktop.rules.policy import load_policy
from desktop.rules.result import Result, Verdict
from desktop.store import Database
from desktop.ui.background import BackgroundOp
from desktop.ui.icons import with_icon
from desktop.ui.messages import confirm
from desktop.ui.progress import run_with_progress

Opened = tuple[str, bool]  # what to tell the officer, and whether any case was opened
SHOWN = 15  # lines of a list a message box shows before "…等 N 件"


def listed(lines: Sequence[str]) -> str:
    """At most :data:`SHOWN` lines, then how many more."""
    more = f"\n…等共 {len(lines)} 件" if len(lines) > SHOWN else ""
    return "\n".join(lines[:SHOWN]) + more


def by_basis(results: Sequence[Result]) -> list[tuple[Basis, list[Result]]]:
    """The results grouped by the policy document their measure is computed with, each group
    with the basis its cases keep."""
    groups: dict[str, list[Result]] = {}
    for result in results:
        groups.setdefault(catalogue.measure(result.measure).document, []).append(result)
    return [(basis_of(load_policy(doc)), group) for doc, group in groups.items()]


def _numbers(cases: Sequence[Case]) -> str:
    return listed([f"{c.number} {c.enterprise.name}" for c in cases])


class CaseOpeningButtons(QWidget):
    """「立案（所选）」 and 「全部符合条件立案」; ``opened`` carries the changes made."""

    opened = Signal(object)

    def __init__(
        self,
        database: Callable[[], Database],
        selected: Callable[[], list[Result]],
        measure_results: Callable[[], list[Result]],
        not_ready: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._database, self._selected = database, selected
        self.op: BackgroundOp | None = None  # the last opening (tests wait on it)
        self._measure_results, self._not_ready = measure_results, not_ready
        self.selected_button = with_icon(QPushButton("立案（所选）"), "cases")
        self.all_button = with_icon(QPushButton("全部符合条件立案"), "cases")
        self.selected_button.setToolTip("为表中选中的符合条件企业各立一件兑现事项")
        self.all_button.setToolTip("为本条措施每一家符合条件、尚未立案的企业立案（免申即享）")
        self.selected_button.clicked.connect(self.open_selection)
        self.all_button.clicked.connect(self.open_all)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.selected_button)
        row.addWidget(self.all_button)

    def _ready(self) -> bool:
        """The results shown are current (else the officer is told why not, and what to do)."""
        problem = self._not_ready()
        if problem is None:
            return True
        QMessageBox.information(self, "立案", problem)
        return False

    def open_selection(self) -> None:
        """Open cases for the selected results, after the officer confirms."""
        chosen = self._selected()
        if not chosen:
            QMessageBox.information(self, "立案", "请先在表中选中要立案的企业（可多选）。")
            return
        if not self._ready():
            return
        clauses = "、".join(dict.fromkeys(r.clause for r in chosen))
        question = (
            f"为所选 {len(chosen)} 家企业按{clauses}立案（兑现事项，状态「待申报」）：\n\n"
            + listed([f"{r.name}（{r.verdict.label}）" for r in chosen])
            + "\n\n不符合条件或已有兑现事项的不会立案，并逐一说明原因。"
        )
        if not confirm(self, "立案", question):
            return

        def work(s: Session) -> Opened:
            opened: list[Case] = []
            refused: list[str] = []
            for basis, results in by_basis(chosen):
                opening = open_selected(s, results, basis, load_case_parameters())
                opened += opening.opened
                refused += opening.refused
            summary = f"已立案 {len(opened)} 件：\n{_numbers(opened)}"
            if refused:
                summary += f"\n\n未立案 {len(refused)} 件：\n{listed(refused)}"
            return summary, bool(opened)

        self._run(work)

    def open_all(self) -> None:
        """Open a case for every eligible result of the measure without one yet."""
        if not self._ready():
            return
        results = self._measure_results()
        eligible = [r for r in results if r.verdict is Verdict.ELIGIBLE]
        if not eligible:
            QMessageBox.information(self, "立案", "本条措施没有符合条件的企业。")
            return
        clauses = "、".join(dict.fromkeys(r.clause for r in eligible))
        question = (
            f"为{clauses}全部 {len(eligible)} 家符合条件的企业立案（已有兑现事项的不重复立案）？"
        )
        if not confirm(self, "全部符合条件立案", question):
            return

        def work(s: Session) -> Opened:
            opened: list[Case] = []
            standing = 0
            for basis, results in by_basis(eligible):
                fresh, had = open_eligible(s, results, basis, load_case_parameters())
                opened += fresh
                standing += had
            summary = f"已立案 {len(opened)} 件：\n{_numbers(opened)}" if opened else ""
            if standing:
                summary += f"\n\n{standing} 家已有兑现事项，未重复立案。"
            return summary.strip(), bool(opened)

        self._run(work)

    def _run(self, work: Callable[[Session], Opened]) -> None:
        """Open the cases off the UI thread, in one transaction; then say what was done."""
        db = self._database()

        def job(_progress: Progress) -> Opened:
            with db.session(source="window") as s:
                return work(s)

        self.op = run_with_progress(self, "立案", job, self._done, cancellable=False)

    def _done(self, outcome: Opened) -> None:
        summary, changed = outcome
        if changed:
            self.opened.emit(Changes.CASES)
        QMessageBox.information(self, "立案结果", summary)
