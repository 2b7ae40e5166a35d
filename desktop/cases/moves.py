"""Moving cases through the state table, with the reasons, dates and amounts each move records.

Every move is a ``CaseMove`` row and an update of the case. Every case is checked first, on its
columns as the database has them (``desktop.cases.facts``: one query, no ORM objects); then
the moves are written together (``desktop.cases.writes``: one executemany each for the moves,
the cases and their change-log lines, the same lines the ORM writes, with the operator). Moves
on several cases are all or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.cases.errors import BudgetRefused, CaseError, yuan_text
from desktop.cases.facts import CHUNK, CaseFacts, read_facts
from desktop.cases.funds import FundTally, fund_name
from desktop.cases.parameters import CaseParameters
from desktop.cases.states import NEEDS_REASON, State, check_move
from desktop.cases.workdays import add_working_days, holidays
from desktop.cases.writes import expire, insert_rows, update_rows
from desktop.gcpause import gc_paused
from desktop.models import Case, CaseMove, Payment
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
class MovedCase:
    """A case moved by id (:func:`move_case_ids`): its number, and the officer's note."""

    id: int
    number: str
    note: str | None = None


@dataclass(frozen=True)
class _Batch:
    """What every move of one call shares, read once."""

    session: Session
    parameters: CaseParameters
    today: date
    publicity_end: date | None  # of a move to publicity (the same for every case)
    tally: FundTally
    paid: dict[int, Decimal]  # case id → paid so far (read for withdrawals only)


@dataclass(slots=True)
class _Planned:
    """One checked move: the case's new values, its ``CaseMove`` row, the officer's note."""

    case: CaseFacts
    values: dict[str, Any]
    record: dict[str, Any]
    note: str | None


def move_cases(
    session: Session,
    cases: Sequence[Case],
    move: Move,
    parameters: CaseParameters,
    today: date | None = None,
) -> list[Moved]:
    """Make ``move`` on every case (a case given twice moves once), or on none: the first
    refused one refuses them all (before anything is written). The objects are kept current."""
    chosen = list(dict.fromkeys(cases))
    session.flush()  # what the objects hold is what the checks read
    moved = move_case_ids(session, [c.id for c in chosen], move, parameters, today)
    return [Moved(case, m.note) for case, m in zip(chosen, moved, strict=True)]


def move_case_ids(
    session: Session,
    ids: Sequence[int],
    move: Move,
    parameters: CaseParameters,
    today: date | None = None,
) -> list[MovedCase]:
    """:func:`move_cases` on the cases ``ids`` (in that order), with no ORM object read for
    them: an id not of a case refuses them all. Any object of them the session holds is kept
    current."""
    chosen = list(dict.fromkeys(ids))
    with gc_paused():  # the facts, plans and rows of a bulk move: many acyclic objects
        found = read_facts(session, chosen)
        missing = [i for i in chosen if i not in found]
        if missing:
            listed = "、".join(map(str, missing))
            raise CaseError(f"没有兑现事项（内部编号 {listed}），未作任何改动")
        cases = [found[i] for i in chosen]
        day = today or date.today()
        end = None
        if move.to is State.PUBLICITY:
            days_off = holidays(session)
            end = add_working_days(move.on or day, parameters.publicity_working_days, days_off)
        paid = paid_amounts(session, cases) if move.to is State.WITHDRAWN else {}
        batch = _Batch(session, parameters, day, end, FundTally(session), paid)
        planned = [_plan(case, move, batch) for case in cases]
        with session.begin_nested():  # a failed write takes every move back with it
            write_moves(session, [(p.case, p.values, p.record) for p in planned])
        return [MovedCase(p.case.id, p.case.number, p.note) for p in planned]


class CaseRow(Protocol):
    """A case as a writer holds it (an ORM ``Case``, or a lighter record): its id and number,
    and the columns a move changes."""

    @property
    def id(self) -> int: ...

    @property
    def number(self) -> str: ...


def write_moves(
    session: Session,
    moves: Sequence[tuple[CaseRow, dict[str, Any], dict[str, Any]]],
    source_rows: Sequence[int | None] | None = None,
) -> None:
    """Write checked moves: each case's ``CaseMove`` row (its columns but ``case_id``) and its
    new values (the old read from the case), logged as the ORM logs them."""
    records = [{"case_id": case.id, **record} for case, _, record in moves]
    keys = [f"{case.number} {record['to_state']}" for case, _, record in moves]
    insert_rows(session, CaseMove, records, keys, source_rows)
    update_rows(session, Case, [(case, case.number, values) for case, values, _ in moves],
                source_rows)  # fmt: skip
    expire(session, Case, (case.id for case, _, _ in moves), "moves")


def paid_amounts(session: Session, cases: Sequence[CaseRow]) -> dict[int, Decimal]:
    """What each of ``cases`` has been paid (payments standing, not reversed); absent if none."""
    ids = [c.id for c in cases]
    paid: dict[int, Decimal] = {}
    for start in range(0, len(ids), CHUNK):
        query = (
            select(Payment.case_id, func.sum(Payment.amount))
            .where(Payment.case_id.in_(ids[start : start + CHUNK]), Payment.reversed_on.is_(None))
            .group_by(Payment.case_id)
        )
        paid.update((i, total) for i, total in session.execute(query))  # yuan, by the column type
    return paid


def _plan(case: CaseFacts, move: Move, batch: _Batch) -> _Planned:
    current = State(case.state)
    check_move(case.number, current, move.to)
    reason = move.reason.strip()
    if move.to in NEEDS_REASON and not reason:
        raise CaseError(f"兑现事项 {case.number} 改为「{move.to.label}」须填写理由")
    on = move.on or batch.today
    note, override, amount = None, None, None
    values: dict[str, Any] = {"state": move.to.value}
    if move.to is State.RECEIVED:
        values["received_on"] = on
    elif move.to is State.PUBLICITY:
        values["publicity_start"] = on
        values["publicity_end"] = batch.publicity_end
    elif move.to is State.PUBLICIZED:
        _check_publicity_over(case, min(on, batch.today))
    elif move.to is State.APPROVED:
        amount, reason_of_amount, note, override = _approve(case, move, reason, batch.tally)
        values.update(approved_amount=amount, approval_reason=reason_of_amount)
    elif move.to is State.WITHDRAWN and batch.paid.get(case.id):
        raise CaseError(f"兑现事项 {case.number} 已拨付 {yuan_text(batch.paid[case.id])}，不能撤回")
    record = {"from_state": current.value, "to_state": move.to.value, "moved_on": on,
              "reason": reason or None, "amount": amount, "budget_override": override}  # fmt: skip
    return _Planned(case, values, record, note)


def _check_publicity_over(case: CaseFacts, on: date) -> None:
    """Refuse 公示无异议 dated (or made) before the publicity's end."""
    end = case.publicity_end
    assert end is not None  # set by the move to publicity
    if on < end:
        raise CaseError(
            f"兑现事项 {case.number} 公示期 {case.publicity_start} 至 {end}，"
            f"{end} 前不能改为「{State.PUBLICIZED.label}」"
        )


def _approve(
    case: CaseFacts, move: Move, reason: str, tally: FundTally
) -> tuple[Decimal, str | None, str | None, str | None]:
    """The approved amount after its checks, and its reason; the note saying how the fund was
    treated; the override's reason when the approval goes over the budget."""
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
    name = fund_name(case.measure, case.level)
    if budget.fund is None:
        return amount, reason or None, f"{name}未登记，未作预算检查", None
    if budget.over > 0:
        said = f"超出{name}预算 {yuan_text(budget.over)}，已按超预算理由审核通过：{override}"
        return amount, reason or None, said, override
    return amount, reason or None, None, None
