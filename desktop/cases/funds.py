"""Funds (资金) per measure and level, and what the approvals have taken of each."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.cases.errors import CaseError, clause_text, yuan_text
from desktop.cases.facts import CaseFacts
from desktop.cases.states import HOLDS_APPROVAL
from desktop.models import LEVELS, Case, Fund

ZERO = Decimal("0.00")


def fund_name(measure: str, level: str) -> str:
    """How messages name a fund: 第十二条市级资金."""
    return f"{clause_text(measure)}{level}资金"


def find_fund(session: Session, measure: str, level: str) -> Fund | None:
    """The fund of ``measure`` at ``level``, if one is recorded."""
    return session.scalar(select(Fund).where(Fund.measure == measure, Fund.level == level))


def approved_total(session: Session, measure: str, level: str) -> Decimal:
    """The approved amounts of ``measure``'s cases at ``level`` still holding their approval
    (approved and after; not rejected or withdrawn)."""
    query = select(func.sum(Case.approved_amount)).where(
        Case.measure == measure,
        Case.level == level,
        Case.state.in_([s.value for s in HOLDS_APPROVAL]),
    )
    return session.scalar(query) or ZERO  # summed in fen, read back as yuan by the column type


@dataclass(frozen=True)
class BudgetCheck:
    """What approving ``amount`` does to a fund: within it, over it, or no fund to check."""

    fund: Fund | None
    taken: Decimal  # approved before this one
    amount: Decimal

    @property
    def over(self) -> Decimal:
        """By how much the approval would exceed the budget (0 when within, or no fund)."""
        if self.fund is None:
            return ZERO
        return max(ZERO, self.taken + self.amount - self.fund.budget)

    def refusal(self, number: str, measure: str, level: str) -> str:
        """The message refusing it (when :attr:`over` is positive)."""
        assert self.fund is not None
        return (
            f"兑现事项 {number} 审核金额 {yuan_text(self.amount)} 超出{fund_name(measure, level)}"
            f"预算：预算 {yuan_text(self.fund.budget)}，已审核 {yuan_text(self.taken)}，"
            f"超出 {yuan_text(self.over)}；确需审核通过的，请填写超预算理由"
        )


def _held(case: CaseFacts) -> Decimal:
    """What ``case`` already holds of its fund (an objected case keeps its approval)."""
    if case.state in HOLDS_APPROVAL and case.approved_amount is not None:
        return case.approved_amount
    return ZERO


class FundTally:
    """The approved totals of the funds a batch of approvals touches, each summed once and then
    kept up to date as the batch approves (a bulk approval costs one sum per fund)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._funds: dict[tuple[str, str], tuple[Fund | None, Decimal]] = {}

    def _of(self, case: CaseFacts) -> tuple[Fund | None, Decimal]:
        key = (case.measure, case.level)
        if key not in self._funds:
            self._funds[key] = (find_fund(self._session, *key), approved_total(self._session, *key))
        return self._funds[key]

    def check(self, case: CaseFacts, amount: Decimal) -> BudgetCheck:
        """What approving ``case`` for ``amount`` does to its measure's fund at its level."""
        fund, taken = self._of(case)
        return BudgetCheck(fund, taken - _held(case), amount)

    def approve(self, case: CaseFacts, amount: Decimal) -> None:
        """Count ``case``'s approval for ``amount`` (before its state and amount change)."""
        fund, taken = self._of(case)
        self._funds[(case.measure, case.level)] = (fund, taken - _held(case) + amount)


def set_fund(
    session: Session,
    measure: str,
    level: str,
    budget: Decimal,
    *,
    document: str | None = None,
    pre_allocated: bool = False,
) -> Fund:
    """Record or change the fund of ``measure`` at ``level``.

    A budget may not be cut below what is already approved against it (raising it is always
    allowed, even where overrides took the approvals over the old budget).
    """
    if level not in LEVELS:
        raise CaseError(f"资金级别「{level}」无法识别；可用：{'、'.join(LEVELS)}")
    if budget < 0:
        raise CaseError(f"{fund_name(measure, level)}预算不能为负数：{yuan_text(budget)}")
    fund = find_fund(session, measure, level)
    taken = approved_total(session, measure, level)
    lowered = fund is None or budget < fund.budget
    if lowered and budget < taken:
        raise CaseError(
            f"{fund_name(measure, level)}预算 {yuan_text(budget)} 低于已审核通过的 "
            f"{yuan_text(taken)}，未保存"
        )
    if fund is None:
        fund = Fund(measure=measure, level=level)
        session.add(fund)
    fund.budget = budget
    fund.document = (document or "").strip() or None
    fund.pre_allocated = pre_allocated
    session.flush()
    return fund
