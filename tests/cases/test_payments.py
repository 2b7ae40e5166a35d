"""Payments: only on a publicised case, never beyond the approved amount, no voucher twice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from desktop.cases.errors import CaseError
from desktop.cases.listing import case_lines
from desktop.cases.moves import Move, move_cases
from desktop.cases.opening import open_cases
from desktop.cases.payments import PaymentBook, PaymentRow, record_payment
from desktop.cases.progress import progress_board
from desktop.cases.reversal import reverse_payments
from desktop.cases.states import State
from desktop.cases.timeline import timeline
from desktop.models import Case
from desktop.store import Database
from tests.cases.conftest import BASIS, PARAMETERS, code, result

START, END = date(2023, 6, 5), date(2023, 6, 12)  # Monday + 5 working days


def _publicized(s: Session, n: int = 1, measure: str = "12", amount: str = "250000.00") -> Case:
    (case,) = open_cases(s, [result(n, measure, amount)], BASIS, PARAMETERS)
    for move in (Move(State.RECEIVED), Move(State.APPROVED), Move(State.PUBLICITY, on=START)):
        move_cases(s, [case], move, PARAMETERS, START)
    move_cases(s, [case], Move(State.PUBLICIZED), PARAMETERS, END)
    return case


def _row(amount: str, voucher: str, n: int = 1, **kw: object) -> PaymentRow:
    values = {"measure": "12", "period": "2023-Q1", "paid_on": date(2023, 7, 1), **kw}
    return PaymentRow(code(n), amount=Decimal(amount), voucher=voucher, **values)  # type: ignore[arg-type]


def test_a_partial_then_a_final_payment_makes_the_case_paid(cases_db: Database) -> None:
    with cases_db.session() as s:
        case = _publicized(s)
        first = record_payment(s, _row("100000", "记-0701"))
        assert (first.case, first.level, case.state) == (case, "市级", State.PUBLICIZED)
        record_payment(s, _row("150000", "记-0715", paid_on=date(2023, 7, 15), level="县级"))
        assert (case.state, case.paid_amount) == (State.PAID, Decimal("250000.00"))
        last = timeline(s, case)[-1]
        assert (last.from_state, last.to_state, last.moved_on, last.operator) == (
            State.PUBLICIZED, State.PAID, date(2023, 7, 15), "测试员",
        )  # fmt: skip


def test_an_over_payment_is_refused_with_the_amounts(cases_db: Database) -> None:
    with cases_db.session() as s:
        case = _publicized(s)
        record_payment(s, _row("200000", "记-1"))
        with pytest.raises(CaseError) as refused:
            record_payment(s, _row("50000.01", "记-2"))
        assert str(refused.value) == (
            f"统一社会信用代码 {code(1)} 第十二条 2023-Q1：兑现事项 12-2023Q1-0001 审核金额 "
            "250,000.00元，已拨付 200,000.00元，本次 50,000.01元 将超出 0.01元"
        )
        assert (case.paid_amount, len(case.payments)) == (Decimal("200000.00"), 1)


def test_a_paid_case_takes_nothing_more(cases_db: Database) -> None:
    with cases_db.session() as s:
        case = _publicized(s)
        record_payment(s, _row("250000", "记-1"))
        with pytest.raises(CaseError, match=r"将超出 0.01元"):
            record_payment(s, _row("0.01", "记-2"))
        assert case.state == State.PAID


@pytest.mark.parametrize("stop", [State.APPROVED, State.PUBLICITY])
def test_a_case_not_yet_publicised_takes_no_payment(cases_db: Database, stop: State) -> None:
    with cases_db.session() as s:
        (case,) = open_cases(s, [result(1)], BASIS, PARAMETERS)
        for to in (State.RECEIVED, State.APPROVED, State.PUBLICITY):
            move_cases(s, [case], Move(to, on=START), PARAMETERS, START)
            if to is stop:
                break
        with pytest.raises(CaseError) as refused:
            record_payment(s, _row("1", "记-1"))
        assert str(refused.value).endswith(
            f"兑现事项 12-2023Q1-0001 当前为「{stop.label}」，只有公示无异议、已拨付的事项可以拨付"
        )
        assert case.payments == []


def test_a_voucher_is_recorded_once_per_enterprise(cases_db: Database) -> None:
    with cases_db.session() as s:
        _publicized(s)
        _publicized(s, measure="13", amount="100000.00")
        record_payment(s, _row("1000", "记-1"))
        with pytest.raises(CaseError) as refused:
            record_payment(s, _row("1000", "记-1", measure="13", period=None))
        assert str(refused.value) == (
            f"统一社会信用代码 {code(1)} 第十三条：凭证号 记-1 已登记"
            "（兑现事项 12-2023Q1-0001，1,000.00元，2023-07-01），不能重复登记"
        )
        _publicized(s, n=2)
        record_payment(s, _row("1000", "记-1", n=2))  # another enterprise's voucher 记-1


def test_the_period_may_be_left_out_when_one_case_stands(cases_db: Database) -> None:
    with cases_db.session() as s:
        case = _publicized(s)
        payment = record_payment(s, _row("1000", "记-1", period=None))
        assert payment.case is case


def test_a_row_without_its_case_is_refused(cases_db: Database) -> None:
    with cases_db.session() as s:
        _publicized(s)
        with pytest.raises(CaseError, match="第十三条：没有可拨付的兑现事项"):
            record_payment(s, _row("1", "记-1", measure="13", period=None))
        with pytest.raises(CaseError, match="企业不在名录中"):
            record_payment(s, _row("1", "记-1", n=99))
        with pytest.raises(CaseError, match="拨付金额应大于 0"):
            record_payment(s, _row("0", "记-1"))
        with pytest.raises(CaseError, match="缺少凭证号"):
            record_payment(s, _row("1", " "))
        with pytest.raises(CaseError, match="资金级别「乡级」无法识别；可用：省级、市级、县级"):
            record_payment(s, _row("1", "记-1", level="乡级"))


def test_a_case_with_payments_cannot_be_withdrawn(cases_db: Database) -> None:
    with cases_db.session() as s:
        case = _publicized(s)
        record_payment(s, _row("1000", "记-1"))
        with pytest.raises(CaseError, match=r"已拨付 1,000.00元，不能撤回"):
            move_cases(s, [case], Move(State.WITHDRAWN, reason="企业注销"), PARAMETERS)


def test_a_paid_case_is_reconciled_by_hand(cases_db: Database) -> None:
    with cases_db.session() as s:
        case = _publicized(s)
        record_payment(s, _row("250000", "记-1"))
        move_cases(s, [case], Move(State.RECONCILED), PARAMETERS)
        assert case.state == State.RECONCILED


def test_payments_are_never_deleted(cases_db: Database) -> None:
    with cases_db.session() as s:
        _publicized(s)
        record_payment(s, _row("1000", "记-1"))
    with cases_db.engine.connect() as conn, pytest.raises(Exception, match="never deleted"):
        conn.exec_driver_sql("DELETE FROM payment")


def test_a_book_reads_each_measure_once_and_writes_its_rows_together(cases_db: Database) -> None:
    with cases_db.session() as s:
        for n in (1, 2, 3, 4):
            _publicized(s, n)
        s.flush()
        statements: list[str] = []

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        rows = [_row(amount, f"记-{n}{suffix}", n) for n in (1, 2, 3, 4)
                for amount, suffix in (("100000", ""), ("150000", "-2"))]  # fmt: skip
        event.listen(cases_db.engine, "before_cursor_execute", count)
        try:
            outcomes = PaymentBook(s).record_all([*rows, _row("1", "记-1")])
        finally:
            event.remove(cases_db.engine, "before_cursor_execute", count)
        *recorded, repeated = outcomes
        assert recorded == [None] * 8
        assert repeated is not None and "凭证号 记-1 已登记" in str(repeated)  # within the book too
        drawing_ids = ("max(id)", "nextval(")  # SQLite's next ids, PostgreSQL's
        reads = [q for q in statements if q.startswith(("SELECT", "WITH"))
                 and not any(d in q for d in drawing_ids)]  # fmt: skip
        assert len(reads) == 3  # the cases, their payments, the enterprises' vouchers
        # Whatever the rows: the payments, the moves to paid and the cases, each with its
        # next id (not for the cases) and its change-log lines.
        assert len(statements) - len(reads) == 8
        assert {c.state for c in s.scalars(select(Case))} == {State.PAID}


def test_a_reversed_payment_no_longer_counts_anywhere(cases_db: Database) -> None:
    """Not in the case's paid amount, the case list, the progress board; its voucher is free."""
    with cases_db.session() as s:
        case = _publicized(s)
        payment = record_payment(s, _row("250000", "记-1"))
        assert case.state == State.PAID
        assert reverse_payments(s, [payment.id], "撤销导入批次 9", date(2023, 8, 1)) == (1, 1)
        assert (case.state, case.paid_amount) == (State.PUBLICIZED, Decimal("0.00"))
        (line,) = case_lines(s)
        (twelve,) = [m for m in progress_board(s, date(2023, 8, 1), {}) if m.measure == "12"]
        assert (line.paid_amount, twelve.total.paid) == (Decimal("0.00"), Decimal("0.00"))
        record_payment(s, _row("250000", "记-1"))  # the voucher taken back, recorded again
        assert case.state == State.PAID
        assert case_lines(s)[0].paid_amount == Decimal("250000.00")
