"""The cases as lines of a list (the command line's ``cases``, the ledger's lifecycle columns):
each case with its enterprise, its paid sum and its last payment, read in two plain queries
(no case loaded as an object), so fifty thousand cases list in a moment."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from desktop.cases.states import ENDED, State
from desktop.models import Case, County, Enterprise, Payment

ZERO = Decimal("0.00")
Key = tuple[str, str, str]  # credit code, measure, period


@dataclass(slots=True)
class CaseLine:
    """One case as lists show it (the snapshot's verdict, amount and expected flag under the
    names the case gives them, so ``opening.changed`` compares a line like a case).

    Read-only by convention: not ``frozen``, which costs several times as much to construct
    (fifty thousand at a time)."""

    id: int
    number: str
    measure: str
    period: str
    uscc: str
    name: str
    county: str
    level: str
    state: State
    snapshot_verdict: str
    snapshot_amount: Decimal | None
    snapshot_expected: bool
    approved_amount: Decimal | None
    publicity_start: date | None
    publicity_end: date | None
    paid_amount: Decimal = ZERO
    last_paid_on: date | None = None
    last_voucher: str | None = None

    @property
    def key(self) -> Key:
        """The enterprise, measure and period the case is for (a result's key)."""
        return (self.uscc, self.measure, self.period)


def _query(
    measure: str | None,
    states: Collection[State],
    county: str | None,
    number: str | None,
    uscc: str | None,
) -> Select[*tuple[Any, ...]]:
    query = (
        select(Case.id, Case.number, Case.measure, Case.period, Enterprise.uscc, Enterprise.name,
               County.name, Case.level, Case.state, Case.snapshot_verdict,
               Case.snapshot_amount, Case.snapshot_expected, Case.approved_amount,
               Case.publicity_start, Case.publicity_end)
        .join(Enterprise, Case.enterprise_id == Enterprise.id)
        .join(County, Enterprise.county_id == County.id)
        .order_by(Case.id)
    )  # fmt: skip
    if measure is not None:
        query = query.where(Case.measure == measure)
    if states:
        query = query.where(Case.state.in_([s.value for s in states]))
    if county is not None:
        query = query.where(County.name == county)
    if number is not None:
        query = query.where(Case.number == number)
    if uscc is not None:
        query = query.where(Enterprise.uscc == uscc)
    return query


def case_lines(
    session: Session,
    *,
    measure: str | None = None,
    states: Collection[State] = (),
    county: str | None = None,
    number: str | None = None,
    uscc: str | None = None,
) -> list[CaseLine]:
    """The cases (of ``measure``, in ``states``, of ``county``; the one ``number``; of the
    enterprise ``uscc``), in the order they were opened, each with the sum of its payments
    still standing (a reversed one no longer counts) and its last one's date and voucher."""
    query = _query(measure, states, county, number, uscc)
    paid: dict[int, tuple[Decimal, date | None, str | None]] = {}
    payments = (
        select(Payment.case_id, Payment.amount, Payment.paid_on, Payment.voucher)
        .where(
            Payment.case_id.in_(query.with_only_columns(Case.id).order_by(None)),
            Payment.reversed_on.is_(None),  # a reversed payment no longer counts
        )
        .order_by(Payment.case_id, Payment.paid_on, Payment.id)
    )
    for case_id, amount, paid_on, voucher in session.execute(payments):
        before = paid[case_id][0] if case_id in paid else ZERO
        paid[case_id] = (before + amount, paid_on, voucher)
    named = {s.value: s for s in State}
    lines = []
    for row in session.execute(query):
        (case_id, number, measure_, period, uscc, name, county_, level, state, verdict, amount,
         expected, approved, start, end) = row  # fmt: skip
        total, last_on, last_voucher = paid.get(case_id, (ZERO, None, None))
        lines.append(CaseLine(case_id, number, measure_, period, uscc, name, county_, level,
                              named[state], verdict, amount, expected, approved, start, end,
                              total, last_on, last_voucher))  # fmt: skip
    return lines


def latest_by_key(lines: Iterable[CaseLine]) -> dict[Key, CaseLine]:
    """Each result's case: the one standing, else the latest ended (rejected or withdrawn)."""
    chosen: dict[Key, CaseLine] = {}
    for line in lines:  # in the order opened: a later one replaces an ended one
        earlier = chosen.get(line.key)
        if earlier is None or earlier.state in ENDED:
            chosen[line.key] = line
    return chosen
