"""The 兑现管理 table: one line per case, read in one query, with its warning and whether the
current results disagree with its snapshot (测算已变化); the filters over those lines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from desktop.cases.deadlines import Alert, state_alert
from desktop.cases.listing import CaseLine as ListedCase
from desktop.cases.listing import case_lines
from desktop.cases.opening import CHANGED_LABEL, Changed, Key, changed
from desktop.cases.parameters import CaseParameters
from desktop.cases.states import State
from desktop.qt.core import Qt
from desktop.qt.gui import QBrush, QColor
from desktop.rules.catalogue import CATALOGUE
from desktop.rules.result import Result
from desktop.ui.paged_model import Index
from desktop.ui.row_list_model import Column, RowListModel
from desktop.ui.tables import shown_columns

# The period is in the number (12-2023Q1-0001); the deadline in the warning's tip and the detail.
CASE_COLUMNS = shown_columns(
    ("number", "兑现事项编号"), ("name", "企业名称"), ("county", "县（市、区）"),
    ("state", "办理状态"), ("warning", "期限提醒"), ("changed", "测算比对"),
    ("snapshot_amount", "测算金额（元）"), ("approved_amount", "审核金额（元）"),
    ("paid_amount", "已拨付（元）"), ("clause", "支持事项"),
)  # fmt: skip
ALERT_COLOURS = {Alert.RED: ("#b00020", "#fde7ea"), Alert.YELLOW: ("#8a4b00", "#fff3cd")}
CHANGED_COLOURS = ("#8a4b00", "#fff3cd")
SHOWN_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # every column shown only
COLOUR_ROLES = {Qt.ItemDataRole.ForegroundRole: 0, Qt.ItemDataRole.BackgroundRole: 1}


@dataclass(frozen=True)
class CaseLine:
    """One case as the table shows it, with what the page needs to act on it."""

    number: str
    clause: str
    period: str
    name: str
    uscc: str
    county: str
    state: str  # its Chinese name
    snapshot_amount: Decimal | None
    approved_amount: Decimal | None
    paid_amount: Decimal
    deadline: date
    warning: str  # 已超期 / 临近期限 / empty
    changed: str  # 测算已变化 / empty (also while the results are not known yet)
    case_id: int
    measure: str
    level: str  # of the fund it counts against, and of its payments by default
    current: State
    alert: Alert | None
    change: Changed | None

    def describe(self) -> str:
        """12-2023Q1-0001 测试企业1（已受理）."""
        return f"{self.number} {self.name}（{self.state}）"


def load_case_lines(
    session: Session,
    parameters: CaseParameters,
    today: date,
    results: Mapping[Key, Result] | None,
    uscc: str | None = None,
) -> list[CaseLine]:
    """Every case (of the enterprise ``uscc``, when given), in the catalogue's order of
    measures and then by number, compared with ``results`` (by credit code, measure and
    period; ``None`` while not known yet). Read through ``listing.case_lines``, the one list
    of cases (its paid sum leaves out reversed payments)."""
    lines = [_line(listed, parameters, today, results)
             for listed in case_lines(session, uscc=uscc)]  # fmt: skip
    order = {key: n for n, key in enumerate(CATALOGUE)}
    return sorted(lines, key=lambda line: (order.get(line.measure, len(order)), line.number))


def _line(
    listed: ListedCase,
    parameters: CaseParameters,
    today: date,
    results: Mapping[Key, Result] | None,
) -> CaseLine:
    warning = state_alert(listed.measure, listed.state, parameters, today)
    result = None if results is None else results.get(listed.key)
    change = None if result is None else changed(listed, result)
    measure = CATALOGUE.get(listed.measure)
    return CaseLine(
        number=listed.number,
        clause=measure.clause if measure else listed.measure,
        period=listed.period,
        name=listed.name,
        uscc=listed.uscc,
        county=listed.county,
        state=listed.state.label,
        snapshot_amount=listed.snapshot_amount,
        approved_amount=listed.approved_amount,
        paid_amount=listed.paid_amount,
        deadline=parameters.deadline(listed.measure),
        warning=warning.label if warning else "",
        changed=CHANGED_LABEL if change else "",
        case_id=listed.id,
        measure=listed.measure,
        level=listed.level,
        current=listed.state,
        alert=warning,
        change=change,
    )


@dataclass(frozen=True)
class CaseFilter:
    """What the officer narrowed the table to (``None``: every one)."""

    measure: str | None = None
    state: State | None = None
    county: str | None = None
    alert: Alert | None = None
    changed_only: bool = False

    def keeps(self, line: CaseLine) -> bool:
        """True when ``line`` passes every filter set."""
        return (
            (self.measure is None or line.measure == self.measure)
            and (self.state is None or line.current is self.state)
            and (self.county is None or line.county == self.county)
            and (self.alert is None or line.alert is self.alert)
            and (not self.changed_only or line.change is not None)
        )


def filtered(lines: Sequence[CaseLine], chosen: CaseFilter) -> list[CaseLine]:
    """The lines ``chosen`` keeps, in order."""
    return [line for line in lines if chosen.keeps(line)]


class CaseTableModel(RowListModel):
    """The case lines, the warning red or yellow and 测算已变化 marked, as colour and text."""

    def __init__(self, parent: Any = None, columns: Sequence[Column] = CASE_COLUMNS) -> None:
        super().__init__(columns, parent=parent)
        attrs = [c.attr for c in columns]
        self._warning, self._changed = (attrs.index(a) if a in attrs else -1
                                        for a in ("warning", "changed"))  # fmt: skip

    def line(self, row: int) -> CaseLine:
        """The case shown on ``row``."""
        found: CaseLine = self._rows[row]  # not rows(): that copies the list, per cell
        return found

    def flags(self, index: Index) -> Qt.ItemFlag:
        return SHOWN_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in COLOUR_ROLES and index.isValid():
            colours = self._colours(index)
            return QBrush(QColor(colours[COLOUR_ROLES[role]])) if colours else None
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            return self._tip(index)
        return super().data(index, role)

    def _colours(self, index: Index) -> tuple[str, str] | None:
        line = self.line(index.row())
        if index.column() == self._warning and line.alert:
            return ALERT_COLOURS[line.alert]
        if index.column() == self._changed and line.change:
            return CHANGED_COLOURS
        return None

    def _tip(self, index: Index) -> str | None:
        line = self.line(index.row())
        if index.column() == self._changed and line.change:
            return line.change.text()
        if index.column() == self._warning and line.alert:
            return f"{line.warning}：拨付期限 {line.deadline.isoformat()}"
        return None
