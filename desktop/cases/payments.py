"""Recording payments on cases (the ``payments`` sheet's rows, or one entered by hand): refused
unless the case is publicised, beyond its approved amount, or under a voucher already recorded
for the enterprise; the case is paid when the sum reaches it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.cases.errors import CaseError, clause_text, yuan_text
from desktop.cases.moves import write_moves
from desktop.cases.states import STANDING, TAKES_PAYMENT, State, check_move, labels
from desktop.cases.writes import expire, insert_rows
from desktop.models import LEVELS, Case, Enterprise, Payment

ZERO = Decimal("0.00")


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


@dataclass(frozen=True)
class _Recorded:
    """A payment recorded in a book: which case, how much, when (what a repeat is told)."""

    number: str
    amount: Decimal
    paid_on: date


@dataclass(slots=True)
class _Standing:
    """A standing case as a book reads it (its columns, not an ORM object), with what it has
    been paid and its state as this book's rows leave them."""

    id: int
    number: str
    period: str
    enterprise_id: int
    approved_amount: Decimal | None
    level: str
    state: State
    paid: Decimal


@dataclass(slots=True)
class _Planned:
    """A checked row: the case, the payment's columns, and whether it pays the case in full."""

    case: _Standing
    values: dict[str, Any]
    completes: bool


class PaymentBook:
    """Records payment rows against the standing cases.

    Each measure's standing cases (their columns), what each has been paid and their
    enterprises' vouchers are read once, on its first row, so a file of many rows costs a few
    queries rather than several per row; :meth:`record_all` then writes every accepted row
    together (``desktop.cases.writes``: one executemany each for the payments, the moves to
    paid, the cases and their change-log lines; any case object the session holds is kept
    current). A book is for one batch of rows: other changes to the cases meanwhile are not
    seen. Reversed payments do not count, and their vouchers may be recorded again.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._read: set[str] = set()
        self._cases: dict[tuple[str, str], list[_Standing]] = {}  # (code, measure) → standing
        self._vouchers: dict[int, dict[str, _Recorded]] = {}  # enterprise id → voucher → payment

    def _read_measure(self, measure: str) -> None:
        if measure in self._read:
            return
        standing = (Case.measure == measure, Case.state.in_(STANDING))
        paid = self._session.execute(
            select(Payment.case_id, func.sum(Payment.amount))
            .join(Payment.case)
            .where(*standing, Payment.reversed_on.is_(None))
            .group_by(Payment.case_id)
        )
        sums = {case_id: total for case_id, total in paid}  # yuan, by the column type
        found = self._session.execute(
            select(Case.id, Case.number, Case.period, Case.enterprise_id, Case.approved_amount,
                   Case.level, Case.state, Enterprise.uscc)
            .join(Case.enterprise)
            .where(*standing)
        )  # fmt: skip
        for id_, number, period, enterprise_id, approved, level, state, uscc in found:
            case = _Standing(id_, number, period, enterprise_id, approved, level, State(state),
                             sums.get(id_, ZERO))  # fmt: skip
            self._cases.setdefault((uscc, measure), []).append(case)
        enterprises = select(Case.enterprise_id).where(*standing)
        vouchers = self._session.execute(
            select(Payment.voucher, Payment.amount, Payment.paid_on, Case.number,
                   Case.enterprise_id)
            .join(Payment.case)
            .where(Case.enterprise_id.in_(enterprises), Payment.reversed_on.is_(None))
        )  # fmt: skip
        for voucher, amount, paid_on, number, enterprise_id in vouchers:
            self._vouchers.setdefault(enterprise_id, {})[voucher] = _Recorded(
                number, amount, paid_on
            )
        self._read.add(measure)

    def _find(self, row: PaymentRow) -> _Standing:
        """The enterprise's case the row pays: of its measure (and period), still standing."""
        self._read_measure(row.measure)
        period = (row.period or "").replace("-", "").upper()
        found = [
            c
            for c in self._cases.get((row.uscc, row.measure), ())
            if not period or c.period.replace("-", "") == period
        ]
        if not found:
            known = self._session.scalar(select(Enterprise.id).where(Enterprise.uscc == row.uscc))
            problem = "没有可拨付的兑现事项" if known else "企业不在名录中"
            raise CaseError(f"{row.describe()}：{problem}", "measure" if known else "uscc")
        if len(found) > 1:
            periods = "、".join(c.period for c in found)
            raise CaseError(
                f"{row.describe()}：有多个期间的兑现事项（{periods}），请填写期间", "period"
            )
        return found[0]

    def _check(self, row: PaymentRow) -> _Planned:
        """Check ``row`` against its case and this book's rows so far, and count it in."""
        case = self._find(row)
        state = case.state
        if state not in TAKES_PAYMENT:
            raise CaseError(
                f"{row.describe()}：兑现事项 {case.number} 当前为「{state.label}」，"
                f"只有{labels(TAKES_PAYMENT)}的事项可以拨付",
                "measure",
            )
        vouchers = self._vouchers.setdefault(case.enterprise_id, {})
        voucher = _checked_voucher(row, vouchers)
        _check_amount(case, row)
        level = row.level or case.level
        if level not in LEVELS:
            raise CaseError(
                f"{row.describe()}：资金级别「{level}」无法识别；可用：{'、'.join(LEVELS)}",
                "level",
            )
        vouchers[voucher] = _Recorded(case.number, row.amount, row.paid_on)
        case.paid += row.amount
        completes = state is State.PUBLICIZED and case.paid == case.approved_amount
        if completes:
            check_move(case.number, state, State.PAID, by_payment=True)
        values = {"case_id": case.id, "amount": row.amount, "paid_on": row.paid_on,
                  "voucher": voucher, "level": level, "reversed_on": None,
                  "reversal_reason": None}  # fmt: skip
        return _Planned(case, values, completes)

    def record(self, row: PaymentRow) -> Payment:
        """Record ``row`` against its case; the case becomes paid when its approved amount is
        paid. Refused (nothing written) with a message naming the row's enterprise and measure.
        """
        planned = self._check(row)
        (payment_id,) = self._write([planned], [None])
        payment = self._session.get(Payment, payment_id)
        assert payment is not None
        return payment

    def record_all(
        self, rows: Sequence[PaymentRow], source_rows: Sequence[int | None] | None = None
    ) -> list[CaseError | None]:
        """Record every row that passes, in order, all written together; per row, its refusal
        or ``None``. ``source_rows`` (the sheet's row numbers) go into the change log."""
        numbers = source_rows or [None] * len(rows)
        outcomes: list[CaseError | None] = []
        planned, kept = [], []
        for row, number in zip(rows, numbers, strict=True):
            try:
                planned.append(self._check(row))
            except CaseError as refused:
                outcomes.append(refused)
                continue
            kept.append(number)
            outcomes.append(None)
        self._write(planned, kept)
        return outcomes

    def _write(self, planned: Sequence[_Planned], numbers: Sequence[int | None]) -> list[int]:
        """Insert the payments, and move the cases they pay in full to paid (logged)."""
        session = self._session
        keys = [f"{p.case.number} {p.values['voucher']}" for p in planned]
        ids = insert_rows(session, Payment, [p.values for p in planned], keys, numbers)
        moves = [
            (p.case, {"state": State.PAID.value}, _paid_move(p))
            for p in planned if p.completes
        ]  # fmt: skip
        write_moves(session, moves, [n for p, n in zip(planned, numbers, strict=True)
                                     if p.completes])  # fmt: skip
        for case, _, _ in moves:
            case.state = State.PAID  # written: the book's later rows see it paid
        expire(session, Case, {p.case.id for p in planned}, "payments")
        return ids


def _paid_move(planned: _Planned) -> dict[str, Any]:
    """The move to paid made by the payment completing its case (on its date)."""
    return {"from_state": State.PUBLICIZED.value, "to_state": State.PAID.value,
            "moved_on": planned.values["paid_on"], "reason": None, "amount": None,
            "budget_override": None}  # fmt: skip


def _checked_voucher(row: PaymentRow, recorded: dict[str, _Recorded]) -> str:
    voucher = row.voucher.strip()
    if not voucher:
        raise CaseError(f"{row.describe()}：缺少凭证号", "voucher")
    earlier = recorded.get(voucher)
    if earlier is not None:
        raise CaseError(
            f"{row.describe()}：凭证号 {voucher} 已登记（兑现事项 {earlier.number}，"
            f"{yuan_text(earlier.amount)}，{earlier.paid_on.isoformat()}），不能重复登记",
            "voucher",
        )
    return voucher


def _check_amount(case: _Standing, row: PaymentRow) -> None:
    paid = case.paid
    if row.amount <= 0:
        raise CaseError(f"{row.describe()}：拨付金额应大于 0（{yuan_text(row.amount)}）", "amount")
    approved = case.approved_amount
    assert approved is not None  # a publicised case was approved
    if paid + row.amount > approved:
        raise CaseError(
            f"{row.describe()}：兑现事项 {case.number} 审核金额 {yuan_text(approved)}，"
            f"已拨付 {yuan_text(paid)}，本次 {yuan_text(row.amount)} 将超出 "
            f"{yuan_text(paid + row.amount - approved)}",
            "amount",
        )


def record_payment(session: Session, row: PaymentRow) -> Payment:
    """Record one payment (entered by hand): :meth:`PaymentBook.record` on a book of its own."""
    return PaymentBook(session).record(row)
