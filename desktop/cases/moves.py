"""Moving cases through the state table, with the reasons, dates and amounts each move records.

Every move is a ``CaseMove`` row and an update of the case, both written through the ORM so
the change log has them with the operator. Moves on several cases are all or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from desktop.cases.errors import BudgetRefused, CaseError, yuan_text
from desktop.cases.funds import FundTally, fund_name
from desktop.cases.parameters import CaseParameters
from desktop.cases.states import NEEDS_REASON, State, check_move
from desktop.cases.workdays import add_working_days, holidays
from desktop.models import Case, CaseMove
from desktop.rules.result import Verdict


@dataclass(frozen=True)
class Move:
    """Where to move and what the move records.

    ``on`` is the day it takes effect (the date received, the publicity's start; default
    today); ``amount`` the approved amount (default the snapshot's); ``override_budget`` the
    reason for approving over the fund's budget.
    """

    to: State
    reason: str = ""
    on: date | None = None
    amount: Decimal | None = None
    override_budget: str = ""


@dataclass(frozen=True)
class Moved:
    """A case moved, and what the officer should be told about it (or ``None``)."""

    case: Case
    note: str | None = None


@dataclass(frozen=True)
class _Batch:
    """What every move of one call shares, read once."""

    session: Session
    parameters: CaseParameters
    today: date
    days_off: frozenset[date]
    tally: FundTally


def move_cases(
    session: Session,
    cases: Sequence[Case],
    move: Move,
    parameters: CaseParameters,
    today: date | None = None,
) -> list[Moved]:
    """Make ``move`` on every case (a case given twice moves once), or on none: the first
    refused one refuses them all."""
    days_off = holidays(session) if move.to is State.PUBLICITY else frozenset()
    batch = _Batch(session, parameters, today or date.today(), days_off, FundTally(session))
    with session.begin_nested():  # rolled back, every case with it, when one is refused
        moved = [_move(case, move, batch) for case in dict.fromkeys(cases)]
        session.flush()
    return moved


def _move(case: Case, move: Move, batch: _Batch) -> Moved:
    current = State(case.state)
    check_move(case.number, current, move.to)
    reason = move.reason.strip()
    if move.to in NEEDS_REASON and not reason:
        raise CaseError(f"兑现事项 {case.number} 改为「{move.to.label}」须填写理由")
    on = move.on or batch.today
    note, override = None, None
    if move.to is State.RECEIVED:
        case.received_on = on
    elif move.to is State.PUBLICITY:
        case.publicity_start = on
        case.publicity_end = add_working_days(
            on, batch.parameters.publicity_working_days, batch.days_off
        )
    elif move.to is State.PUBLICIZED:
        _check_publicity_over(case, min(on, batch.today))
    elif move.to is State.APPROVED:
        note, override = _approve(case, move, reason, batch.tally)
    elif move.to is State.WITHDRAWN and case.payments:
        raise CaseError(f"兑现事项 {case.number} 已拨付 {yuan_text(case.paid_amount)}，不能撤回")
    amount = case.approved_amount if move.to is State.APPROVED else None
    record = CaseMove(case=case, from_state=current.value, to_state=move.to.value, moved_on=on,
                      reason=reason or None, amount=amount, budget_override=override)  # fmt: skip
    batch.session.add(record)  # it joins case.moves without loading them
    case.state = move.to.value
    return Moved(case, note)


def _check_publicity_over(case: Case, on: date) -> None:
    """Refuse 公示无异议 dated (or made) before the publicity's end."""
    end = case.publicity_end
    assert end is not None  # set by the move to publicity
    if on < end:
        raise CaseError(
            f"兑现事项 {case.number} 公示期 {case.publicity_start} 至 {end}，"
            f"{end} 前不能改为「{State.PUBLICIZED.label}」"
        )


def _approve(
    case: Case, move: Move, reason: str, tally: FundTally
) -> tuple[str | None, str | None]:
    """Record the approved amount after its checks; returns the note saying how the fund was
    treated, and the override's reason when the approval goes over the budget."""
    allowed = case.snapshot_amount
    if case.snapshot_verdict != Verdict.ELIGIBLE or allowed is None:
        verdict = Verdict(case.snapshot_verdict).label
        raise CaseError(f"兑现事项 {case.number} 测算结论为「{verdict}」，不能审核通过")
    amount = allowed if move.amount is None else move.amount
    if amount < 0:
        raise CaseError(f"兑现事项 {case.number} 审核金额不能为负数：{yuan_text(amount)}")
    if amount > allowed:
        raise CaseError(
            f"兑现事项 {case.number} 审核金额 {yuan_text(amount)} 超过政策允许的 "
            f"{yuan_text(allowed)}"
        )
    if amount != allowed and not reason:
        raise CaseError(
            f"兑现事项 {case.number} 审核金额 {yuan_text(amount)} 与测算金额 "
            f"{yuan_text(allowed)} 不同，须填写理由"
        )
    budget = tally.check(case, amount)
    override = move.override_budget.strip()
    if budget.over > 0 and not override:
        raise BudgetRefused(budget.refusal(case.number, case.measure, case.level))
    tally.approve(case, amount)
    case.approved_amount = amount
    case.approval_reason = reason or None
    name = fund_name(case.measure, case.level)
    if budget.fund is None:
        return f"{name}未登记，未作预算检查", None
    if budget.over > 0:
        return (
            f"超出{name}预算 {yuan_text(budget.over)}，已按超预算理由审核通过：{override}",
            override,
        )
    return None, None
