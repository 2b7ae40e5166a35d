"""Recording payments on cases, one plain row at a time (the ``payments`` sheet's rows, or one
entered by hand): refused unless the case is publicised, beyond its approved amount, or under a
voucher already recorded for the enterprise; the case is paid when the sum reaches it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.cases.errors import CaseError, clause_text, yuan_text
from desktop.cases.states import STANDING, TAKES_PAYMENT, State, check_move, labels
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


class PaymentBook:
    """Records payment rows against the standing cases, one row at a time.

    Each measure's standing cases, their payments and their enterprises' vouchers are read once,
    on its first row, so a file of many rows costs a few queries rather than several per row.
    A book is for one batch of rows: other changes to the cases meanwhile are not seen. Nothing
    is flushed here; the caller's session writes what it keeps (flush per row to have each
    row's number in the change log).
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._read: set[str] = set()
        self._cases: dict[tuple[str, str], list[Case]] = {}  # (code, measure) → standing cases
        self._vouchers: dict[int, dict[str, Payment]] = {}  # enterprise id → voucher → payment

    def _read_measure(self, measure: str) -> None:
        if measure in self._read:
            return
        found = self._session.execute(
            select(Case, Enterprise.uscc)
            .join(Case.enterprise)
            .where(Case.measure == measure, Case.state.in_(STANDING))
            .options(selectinload(Case.payments))
        )
        for case, uscc in found:
            self._cases.setdefault((uscc, measure), []).append(case)
        enterprises = select(Case.enterprise_id).where(
            Case.measure == measure, Case.state.in_(STANDING)
        )
        paid = self._session.execute(
            select(Payment, Case.enterprise_id)
            .join(Payment.case)
            .where(Case.enterprise_id.in_(enterprises))
        )
        for payment, enterprise_id in paid:
            self._vouchers.setdefault(enterprise_id, {})[payment.voucher] = payment
        self._read.add(measure)

    def find_case(self, row: PaymentRow) -> Case:
        """The enterprise's case the row pays: of its measure (and period), still standing."""
        self._read_measure(row.measure)
        found = [
            c
            for c in self._cases.get((row.uscc, row.measure), ())
            if not row.period or c.period == row.period
        ]
        if not found:
            known = self._session.scalar(select(Enterprise.id).where(Enterprise.uscc == row.uscc))
            problem = "没有可拨付的兑现事项" if known else "企业不在名录中"
            raise CaseError(f"{row.describe()}：{problem}")
        if len(found) > 1:
            periods = "、".join(c.period for c in found)
            raise CaseError(f"{row.describe()}：有多个期间的兑现事项（{periods}），请填写期间")
        return found[0]

    def record(self, row: PaymentRow) -> Payment:
        """Record ``row`` against its case; the case becomes paid when its approved amount is
        paid. Refused (nothing written) with a message naming the row's enterprise and measure.
        """
        case = self.find_case(row)
        state = State(case.state)
        if state not in TAKES_PAYMENT:
            raise CaseError(
                f"{row.describe()}：兑现事项 {case.number} 当前为「{state.label}」，"
                f"只有{labels(TAKES_PAYMENT)}的事项可以拨付"
            )
        vouchers = self._vouchers.setdefault(case.enterprise_id, {})
        voucher = _checked_voucher(row, vouchers)
        _check_amount(case, row)
        level = row.level or case.level
        if level not in LEVELS:
            raise CaseError(
                f"{row.describe()}：资金级别「{level}」无法识别；可用：{'、'.join(LEVELS)}"
            )
        payment = Payment(amount=row.amount, paid_on=row.paid_on, voucher=voucher, level=level)
        case.payments.append(payment)
        vouchers[voucher] = payment
        if state is State.PUBLICIZED and case.paid_amount == case.approved_amount:
            check_move(case.number, state, State.PAID, by_payment=True)
            self._session.add(
                CaseMove(case=case, from_state=state.value, to_state=State.PAID.value,
                         moved_on=row.paid_on)
            )  # fmt: skip
            case.state = State.PAID.value
        return payment


def _checked_voucher(row: PaymentRow, recorded: dict[str, Payment]) -> str:
    voucher = row.voucher.strip()
    if not voucher:
        raise CaseError(f"{row.describe()}：缺少凭证号")
    earlier = recorded.get(voucher)
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
    """Record one payment (entered by hand): :meth:`PaymentBook.record` on a book of its own."""
    payment = PaymentBook(session).record(row)
    session.flush()
    return payment
