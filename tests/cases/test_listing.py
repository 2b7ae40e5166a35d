"""Case lines: each case with its enterprise, paid sum and last payment; a result's case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from desktop.cases.listing import case_lines, latest_by_key
from desktop.cases.moves import Move, move_cases
from desktop.cases.opening import open_cases
from desktop.cases.payments import PaymentRow, record_payment
from desktop.cases.states import State
from desktop.store import Database
from tests.cases.conftest import BASIS, PARAMETERS, code, result

DAY = date(2023, 6, 1)


def _publicized(s, *ns: int):
    cases = open_cases(s, [result(n) for n in ns], BASIS, PARAMETERS)
    for to in (State.RECEIVED, State.APPROVED, State.PUBLICITY):
        move_cases(s, cases, Move(to, on=DAY), PARAMETERS, DAY)
    move_cases(s, cases, Move(State.PUBLICIZED), PARAMETERS, date(2023, 6, 30))
    return cases


def test_lines_carry_the_paid_sum_and_the_last_payment(cases_db: Database) -> None:
    with cases_db.session() as s:
        _publicized(s, 1, 2)
        for amount, day, voucher in (("100000", date(2023, 7, 3), "PZ-2"),
                                     ("50000", date(2023, 7, 1), "PZ-1")):  # fmt: skip
            record_payment(s, PaymentRow(code(1), "12", None, Decimal(amount), day, voucher))
        first, second = case_lines(s)
        assert (first.number, first.uscc, first.name, first.county, first.state) == (
            "12-2023Q1-0001",
            code(1),
            "测试企业1",
            "忻府区",
            State.PUBLICIZED,
        )
        assert (first.paid_amount, first.last_paid_on, first.last_voucher) == (
            Decimal("150000.00"),
            date(2023, 7, 3),
            "PZ-2",  # the latest by date, not by entry
        )
        assert (second.paid_amount, second.last_paid_on, second.last_voucher) == (
            Decimal("0.00"),
            None,
            None,
        )
        assert second.approved_amount == Decimal("250000.00")
        assert second.publicity_end == date(2023, 6, 8)
        assert [x.number for x in case_lines(s, number="12-2023Q1-0002")] == ["12-2023Q1-0002"]
        assert case_lines(s, states=[State.OPEN]) == []
        assert case_lines(s, county="原平市") == []


def test_a_results_case_is_the_standing_one_else_the_latest_ended(cases_db: Database) -> None:
    with cases_db.session() as s:
        (withdrawn,) = open_cases(s, [result(1)], BASIS, PARAMETERS)
        move_cases(s, [withdrawn], Move(State.WITHDRAWN, reason="企业放弃"), PARAMETERS)
        open_cases(s, [result(1)], BASIS, PARAMETERS)
        (other,) = open_cases(s, [result(2)], BASIS, PARAMETERS)
        move_cases(s, [other], Move(State.WITHDRAWN, reason="企业放弃"), PARAMETERS)
        chosen = latest_by_key(case_lines(s))
        assert chosen[(code(1), "12", "2023-Q1")].number == "12-2023Q1-0002"
        assert chosen[(code(2), "12", "2023-Q1")].state is State.WITHDRAWN
