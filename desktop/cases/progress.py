"""The progress board (兑现进度表): per measure and county, how many qualify, how many cases
stand in each state, what was approved and paid, the funds' remaining budgets and the
deadline's red and yellow warnings.

Counted by SQL aggregates (two grouped queries, whatever the number of cases); only the
eligible results come from an evaluation, which the caller may pass when it holds one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.cases.deadlines import Alert, state_alert
from desktop.cases.parameters import CaseParameters, load_case_parameters
from desktop.cases.states import HOLDS_APPROVAL, State
from desktop.models import LEVELS, Case, County, Enterprise, Fund, Payment
from desktop.rules import catalogue, engine
from desktop.rules.result import Result, Verdict
from desktop.taskforce.figures import roster_units, unit_key, yuan_text

ZERO = Decimal("0.00")
Place = tuple[str, str]  # measure, county


def yuan_json(amount: Decimal | None) -> str | None:
    """An amount as the command line's JSON writes it: yuan with two decimals, or null."""
    return None if amount is None else yuan_text(amount)


@dataclass
class ProgressRow:
    """One county's figures under one measure (``county`` is ``None`` on the measure's total)."""

    county: str | None
    eligible: int = 0
    states: Counter[State] = field(default_factory=Counter)
    approved: Decimal = ZERO  # of the cases still holding their approval
    paid: Decimal = ZERO
    red: int = 0
    yellow: int = 0

    @property
    def cases(self) -> int:
        """Every case opened, whatever its state."""
        return sum(self.states.values())

    def add(self, other: ProgressRow) -> None:
        """Count ``other``'s figures in this one (a total)."""
        self.eligible += other.eligible
        self.states.update(other.states)
        self.approved += other.approved
        self.paid += other.paid
        self.red += other.red
        self.yellow += other.yellow

    def to_json(self) -> dict[str, Any]:
        """``{"county", "eligible", "cases", "states": {state: count}, "approved", "paid",
        "red", "yellow"}``: counts as integers (every state present), money as yuan strings."""
        return {
            "county": self.county, "eligible": self.eligible, "cases": self.cases,
            "states": {s.value: self.states[s] for s in State},
            "approved": yuan_json(self.approved), "paid": yuan_json(self.paid),
            "red": self.red, "yellow": self.yellow,
        }  # fmt: skip


@dataclass(frozen=True)
class FundLine:
    """A fund of the measure: its budget, what approvals hold of it, what remains."""

    level: str
    budget: Decimal
    approved: Decimal

    @property
    def remaining(self) -> Decimal:
        """The budget less the approvals (negative where overrides went over it)."""
        return self.budget - self.approved

    def to_json(self) -> dict[str, Any]:
        """``{"level", "budget", "approved", "remaining"}``, money as yuan strings."""
        money = {"budget": self.budget, "approved": self.approved, "remaining": self.remaining}
        return {"level": self.level, **{k: yuan_json(v) for k, v in money.items()}}


@dataclass(frozen=True)
class MeasureProgress:
    """One measure's board: a row per county, their total, the measure's funds."""

    measure: str
    counties: list[ProgressRow]
    total: ProgressRow
    funds: list[FundLine]

    @property
    def remaining_budget(self) -> Decimal | None:
        """What the measure's funds have left (``None`` when no fund is recorded)."""
        if not self.funds:
            return None
        return sum((f.remaining for f in self.funds), ZERO)

    def to_json(self) -> dict[str, Any]:
        """``{"measure", "clause", "counties": [ROW], "total": ROW, "funds": [FUND],
        "remaining_budget"}``."""
        return {
            "measure": self.measure, "clause": catalogue.measure(self.measure).clause,
            "counties": [r.to_json() for r in self.counties], "total": self.total.to_json(),
            "funds": [f.to_json() for f in self.funds],
            "remaining_budget": yuan_json(self.remaining_budget),
        }  # fmt: skip


def eligible_counts(results: Iterable[Result]) -> Counter[Place]:
    """The eligible results per measure and county."""
    return Counter((r.measure, r.county) for r in results if r.verdict is Verdict.ELIGIBLE)


def progress_board(
    session: Session,
    today: date,
    eligible: Mapping[Place, int] | None = None,
    parameters: CaseParameters | None = None,
) -> list[MeasureProgress]:
    """The board of every measure of the catalogue, as of ``today`` (for the warnings).

    ``eligible`` counts the eligible results per (measure, county); when not given the roster
    is evaluated for them (the slow part: a page holding results passes their counts).
    """
    if eligible is None:
        eligible = eligible_counts(engine.evaluate_roster(session))
    rows = _Rows()
    for place, count in eligible.items():
        rows[place].eligible = count
    held = _count_cases(session, rows, parameters or load_case_parameters(), today)
    for measure, county, paid in session.execute(_paid()):
        rows[(measure, county)].paid += paid or ZERO
    funds: dict[str, list[FundLine]] = {}
    for fund in session.scalars(select(Fund).order_by(Fund.measure, Fund.id)):
        line = FundLine(fund.level, fund.budget, held.get((fund.measure, fund.level), ZERO))
        funds.setdefault(fund.measure, []).append(line)
    order = unit_key(roster_units(session))
    return [_measure_board(m, rows, funds.get(m, []), order) for m in catalogue.CATALOGUE]


class _Rows(dict[Place, ProgressRow]):
    """The rows by measure and county, each made on first use."""

    def __missing__(self, place: Place) -> ProgressRow:
        made = self[place] = ProgressRow(place[1])
        return made


def _count_cases(
    session: Session, rows: _Rows, parameters: CaseParameters, today: date
) -> dict[tuple[str, str], Decimal]:
    """Count the cases into ``rows`` by state, approval and warning; returns the approved
    amounts held per (measure, level), what each fund has given."""
    held: dict[tuple[str, str], Decimal] = {}
    for measure, county, level, state_name, count, approved in session.execute(_by_state()):
        state, figures = State(state_name), rows[(measure, county)]
        figures.states[state] += count
        if state in HOLDS_APPROVAL:
            figures.approved += approved or ZERO
            held[(measure, level)] = held.get((measure, level), ZERO) + (approved or ZERO)
        warned = state_alert(measure, state, parameters, today)
        if warned is Alert.RED:
            figures.red += count
        elif warned is Alert.YELLOW:
            figures.yellow += count
    return held


def _by_state() -> Any:
    """Cases counted and approved amounts summed per measure, county, level and state."""
    return (
        select(Case.measure, County.name, Case.level, Case.state, func.count(Case.id),
               func.sum(Case.approved_amount))
        .join(Enterprise, Case.enterprise_id == Enterprise.id)
        .join(County, Enterprise.county_id == County.id)
        .group_by(Case.measure, County.name, Case.level, Case.state)
    )  # fmt: skip


def _paid() -> Any:
    """Payments standing (not reversed) summed per measure and county."""
    return (
        select(Case.measure, County.name, func.sum(Payment.amount))
        .join(Case, Payment.case_id == Case.id)
        .join(Enterprise, Case.enterprise_id == Enterprise.id)
        .join(County, Enterprise.county_id == County.id)
        .where(Payment.reversed_on.is_(None))  # a reversed payment no longer counts
        .group_by(Case.measure, County.name)
    )


def _measure_board(
    measure: str,
    rows: Mapping[Place, ProgressRow],
    funds: Iterable[FundLine],
    order: Callable[[str], tuple[int, str]],
) -> MeasureProgress:
    """``measure``'s rows (counties in the city's order), their total and its funds."""
    counties = sorted(
        (r for (m, _), r in rows.items() if m == measure),
        key=lambda r: order(r.county or ""),
    )
    total = ProgressRow(None)
    for county_row in counties:
        total.add(county_row)
    in_order = sorted(funds, key=lambda f: LEVELS.index(f.level))
    return MeasureProgress(measure, counties, total, in_order)
