"""Recording a payment on a case, one plain row at a time (the ``payments`` sheet's rows, or
one entered by hand): refused unless the case is publicised, beyond its approved amount, or
under a voucher already recorded for the enterprise; the case is paid when the sum reaches it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.cases.errors import CaseError, clause_text, yuan_text
from desktop.cases.states import ENDED, TAKES_PAYMENT, State, check_move, labels
from desktop.models import LEVELS, Case, CaseMove, Enterprise, Payment


@dataclass(frozen=True)
class PaymentRow:
    """One payment as the finance bureau's list gives it (TEMPLATE.md, sheet kind ``payments``).

    ``measure`` is the measure's number ("12"); ``period`` may be ``None`` when the enterprise
    has one standing case of the measure; ``level`` defaults to the case's.
    """

    uscc: str
    measure: str
    period: str | None
    amount: Decimal
    paid_on: date
    voucher: str
    level: str | None = None

    def describe(self) -> str:
        """统一社会信用代码 … 第十二条 2023-Q1."""
        period = f" {self.period}" if self.period else ""
        return f"统一社会信用代码 {self.uscc} {clause_text(self.measure)}{period}"


def find_case(session: Session, row: PaymentRow) -> Case:
    """The enterprise's case the row pays: of its measure (and period), still standing."""
    enterprise = session.scalar(select(Enterprise).where(Enterprise.uscc == row.uscc))
    if enterprise is None:
        raise CaseError(f"{row.describe()}：企业不在名录中")
    query = select(Case).where(
        Case.enterprise_id == enterprise.id,
        Case.measure == row.measure,
        Case.state.not_in([s.value for s in ENDED]),
    )
    if row.period:
        query = query.where(Case.period == row.period)
    found = list(session.scalars(query))
    if not found:
        raise CaseError(f"{row.describe()}：没有可拨付的兑现事项")
    if len(found) > 1:
        periods = "、".join(c.period for c in found)
        raise CaseError(f"{row.describe()}：有多个期间的兑现事项（{periods}），请填写期间")
    return found[0]


def _check_voucher(session: Session, case: Case, row: PaymentRow) -> str:
    voucher = row.voucher.strip()
    if not voucher:
        raise CaseError(f"{row.describe()}：缺少凭证号")
    earlier = session.scalar(
        select(Payment)
        .join(Payment.case)
        .where(Case.enterprise_id == case.enterprise_id, Payment.voucher == voucher)
    )
    if earlier is not None:
        raise CaseError(
            f"{row.describe()}：凭证号 {voucher} 已登记（兑现事项 {earlier.case.number}，"
            f"{yuan_text(earlier.amount)}，{earlier.paid_on.isoformat()}），不能重复登记"
        )
    return voucher


def _check_amount(case: Case, row: PaymentRow) -> None:
    if row.amount <= 0:
        raise CaseError(f"{row.describe()}：拨付金额应大于 0（{yuan_text(row.amount)}）")
    approved = case.approved_amount
    assert approved is not None  # a publicised case was approved
    paid = case.paid_amount
    if paid + row.amount > approved:
        raise CaseError(
            f"{row.describe()}：兑现事项 {case.number} 审核金额 {yuan_text(approved)}，"
            f"已拨付 {yuan_text(paid)}，本次 {yuan_text(row.amount)} 将超出 "
            f"{yuan_text(paid + row.amount - approved)}"
        )


def record_payment(session: Session, row: PaymentRow) -> Payment:
    """Record ``row`` against its case; the case becomes paid when its approved amount is paid.

    Refused (nothing written) with a message naming the row's enterprise and measure.
    """
    case = find_case(session, row)
    state = State(case.state)
    if state not in TAKES_PAYMENT:
        raise CaseError(
            f"{row.describe()}：兑现事项 {case.number} 当前为「{state.label}」，"
            f"只有{labels(TAKES_PAYMENT)}的事项可以拨付"
        )
    voucher = _check_voucher(session, case, row)
    _check_amount(case, row)
    level = row.level or case.level
    if level not in LEVELS:
        raise CaseError(f"{row.describe()}：资金级别「{level}」无法识别；可用：{'、'.join(LEVELS)}")
    payment = Payment(amount=row.amount, paid_on=row.paid_on, voucher=voucher, level=level)
    case.payments.append(payment)
    if state is State.PUBLICIZED and case.paid_amount == case.approved_amount:
        check_move(case.number, state, State.PAID, by_payment=True)
        case.moves.append(
            CaseMove(from_state=state.value, to_state=State.PAID.value, moved_on=row.paid_on)
        )
        case.state = State.PAID.value
    session.flush()
    return payment
