"""Random moves, payments and their reversals, fund changes, holidays and days passing, with
CASES.md's promises checked after every step: each state reached only through the table (or a
reversal of payments); paid ≤ approved; the approvals within each fund's budget unless an
override is recorded; every move in the change log with its operator; no case or payment ever
deleted; one standing case per enterprise and period.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from itertools import pairwise
from pathlib import Path

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from desktop.cases.errors import CaseError
from desktop.cases.funds import set_fund
from desktop.cases.moves import Move, move_cases
from desktop.cases.opening import open_cases
from desktop.cases.payments import PaymentRow, record_payment
from desktop.cases.reversal import reverse_payments
from desktop.cases.states import (
    BY_PAYMENT,
    ENDED,
    HOLDS_APPROVAL,
    MOVES,
    NEEDS_REASON,
    REVERSALS,
    TAKES_PAYMENT,
    State,
)
from desktop.cases.workdays import add_holiday
from desktop.models import Case, ChangeRecord, Fund, Payment
from desktop.store import Database, open_database
from tests.cases.conftest import BASIS, PARAMETERS, add_enterprises, code, result
from tests.conftest import seal

OPERATOR = "随机测试员"
MEASURES = ("12", "13")
AMOUNTS = ("100000.00", "250000.00", "333333.33")
BUDGETS = ("0", "200000", "500000")
CENT = Decimal("0.01")
MEMORY = Path("/dev/shm")  # where there is one: commits need no disk (synchronous=FULL)


def _folder(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix, dir=MEMORY if MEMORY.is_dir() else None))


@cache
def _template() -> Path:
    """A migrated database with enterprises 1 … 3, copied for each run of the machine."""
    folder = _folder("cases-stateful-")
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "template.sqlite3"
    db = open_database(path, OPERATOR)
    with db.session(source="command") as s:
        add_enterprises(s, 3)
    seal(db)
    return path


class CaseMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = _folder("cases-run-")
        shutil.copy(_template(), self.folder / "relief.sqlite3")
        self.db: Database = open_database(self.folder / "relief.sqlite3", OPERATOR)
        self.today = date(2023, 6, 1)
        self.case_ids: set[int] = set()
        self.payment_ids: set[int] = set()
        self.vouchers: dict[str, list[str]] = {}  # per credit code, the vouchers recorded

    def teardown(self) -> None:
        with self.db.reader() as s:
            deepest = max((len(c.moves) for c in self._cases(s)), default=0)
        event(f"longest case history: {min(deepest, 6)}{'+' if deepest >= 6 else ''} moves")
        self.db.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _cases(self, s: Session) -> list[Case]:
        loaded = (selectinload(Case.moves), selectinload(Case.payments))
        return list(s.scalars(select(Case).options(*loaded).order_by(Case.id)))

    def _pick(self, s: Session, index: int) -> Case:
        cases = list(s.scalars(select(Case).order_by(Case.id)))
        return cases[index % len(cases)]

    # ── rules ────────────────────────────────────────────────────────────────────────────
    @initialize(
        amounts=st.lists(st.sampled_from(AMOUNTS), min_size=4, max_size=4),
        days_off=st.sets(st.integers(0, 30), max_size=4),
        budgets=st.lists(st.sampled_from(BUDGETS), min_size=2, max_size=2),
    )
    def open_some(self, amounts: list[str], days_off: set[int], budgets: list[str]) -> None:
        """Cases of enterprises 1 and 2 under both measures, so moves have cases from the start,
        their 市级 funds, and a few holidays listed in the month ahead."""
        ns = [(n, m) for n in (1, 2) for m in MEASURES]
        with self.db.session() as s:
            for measure, budget in zip(MEASURES, budgets, strict=True):
                set_fund(s, measure, "市级", Decimal(budget))
            for ahead in sorted(days_off):
                add_holiday(s, self.today + timedelta(days=ahead))
            opened = open_cases(
                s, [result(n, m, a) for (n, m), a in zip(ns, amounts, strict=True)],
                BASIS, PARAMETERS,
            )  # fmt: skip
            self.case_ids.update(c.id for c in opened)

    @rule(n=st.integers(1, 2), measure=st.sampled_from(MEASURES), amount=st.sampled_from(AMOUNTS))
    def open_case(self, n: int, measure: str, amount: str) -> None:
        with self.db.session() as s:
            standing = s.scalar(
                select(func.count(Case.id))
                .join(Case.enterprise)
                .where(
                    Case.measure == measure,
                    Case.state.not_in([x.value for x in ENDED]),
                    Case.enterprise.has(uscc=code(n)),
                )
            )
            try:
                (case,) = open_cases(s, [result(n, measure, amount)], BASIS, PARAMETERS)
            except CaseError as refused:
                assert standing, refused
                assert "不能重复立案" in str(refused)
                return
            assert not standing
            self.case_ids.add(case.id)

    @precondition(lambda self: self.case_ids)
    @rule(
        indices=st.lists(st.integers(0, 30), min_size=1, max_size=3, unique=True),
        legal=st.integers(0, 9),
        data=st.data(),
        reason=st.integers(0, 9),
        amount=st.sampled_from(["default", "default", "less", "more"]),
        override=st.booleans(),
        days=st.integers(-3, 3),
    )
    def move(
        self,
        indices: list[int],
        legal: int,
        data: st.DataObject,
        reason: int,
        amount: str,
        override: bool,
        days: int,
    ) -> None:
        """Mostly a move the table allows the first case (the walk then goes deep), else any."""
        with self.db.session() as s:
            cases = list({id(c): c for c in (self._pick(s, i) for i in indices)}.values())
            allowed = sorted(MOVES[State(cases[0].state)])
            to = data.draw(st.sampled_from(allowed if legal < 8 and allowed else list(State)))
            before = [(c.state, len(c.moves)) for c in cases]
            snapshot = cases[0].snapshot_amount or Decimal(0)
            approved = {"default": None, "less": snapshot - 1000, "more": snapshot + CENT}[amount]
            move = Move(
                to,
                reason="理由" if reason < 8 else "",
                on=self.today + timedelta(days=days),
                amount=approved,
                override_budget="超预算理由" if override else "",
            )
            try:
                moved = move_cases(s, cases, move, PARAMETERS, self.today)
            except CaseError:
                assert [(c.state, len(c.moves)) for c in cases] == before  # all or none
                event(f"move to {to.value} refused")
                return
            for (state, count), case in zip(before, cases, strict=True):
                assert to in MOVES[State(state)] and to not in BY_PAYMENT
                assert move.reason or to not in NEEDS_REASON
                assert (case.state, len(case.moves)) == (to, count + 1)
                if to is State.PUBLICIZED:
                    assert move.on >= case.publicity_end
            overridden = any(m.case.moves[-1].budget_override for m in moved)
            event(f"moved to {to.value}" + (" over budget" if overridden else ""))

    @precondition(lambda self: self.case_ids)
    @rule(
        index=st.integers(0, 30),
        steps=st.integers(1, 7),
        override=st.booleans(),
        part=st.sampled_from(["rest", "half", "over"]),
        early=st.booleans(),
    )
    def advance(self, index: int, steps: int, override: bool, part: str, early: bool) -> None:
        """Up to ``steps`` moves along the usual way (received, approved, publicity, publicized
        — waiting out the publicity —, paid in full, reconciled), so runs reach the late states."""
        with self.db.session() as s:
            case = self._pick(s, index)
            for _ in range(steps):
                if not self._ahead(s, case, override, part, early):
                    return

    def _ahead(self, s: Session, case: Case, override: bool, part: str, early: bool) -> bool:
        state = State(case.state)
        if state is State.PUBLICITY and early:  # publicized before the end: refused
            try:
                move_cases(s, [case], Move(State.PUBLICIZED), PARAMETERS, self.today)
            except CaseError:
                assert self.today < case.publicity_end
                event("publicized before the end refused")
                return False
            assert self.today >= case.publicity_end
            return True
        if state is State.PUBLICITY:
            self.today = max(self.today, case.publicity_end)
        if state is State.PUBLICIZED:
            return self._pay_part(s, case, part)
        ahead = {State.OPEN: State.RECEIVED, State.RECEIVED: State.APPROVED,
                 State.RETURNED: State.RECEIVED, State.APPROVED: State.PUBLICITY,
                 State.OBJECTED: State.APPROVED, State.PUBLICITY: State.PUBLICIZED,
                 State.PAID: State.RECONCILED}.get(state)  # fmt: skip
        if ahead is None:
            return False
        move = Move(ahead, override_budget="超预算理由" if override else "")
        try:
            move_cases(s, [case], move, PARAMETERS, self.today)
        except CaseError as refused:
            assert ahead is State.APPROVED and "超出" in str(refused), refused
            event("approval refused by the budget")
            return False
        event(
            f"advanced to {ahead.value}"
            + (" over budget" if case.moves[-1].budget_override else "")
        )
        return True

    @precondition(lambda self: self.case_ids)
    @rule(
        index=st.integers(0, 30),
        part=st.sampled_from(["rest", "half", "over", "nothing"]),
        again=st.booleans(),
    )
    def pay(self, index: int, part: str, again: bool) -> None:
        """A payment row for a case's enterprise, measure and period: it pays the case of
        theirs that stands (a later one, when the case picked has ended), or is refused."""
        with self.db.session() as s:
            picked = self._pick(s, index)
            standing = s.scalar(
                select(Case).where(
                    Case.enterprise_id == picked.enterprise_id,
                    Case.measure == picked.measure,
                    Case.period == picked.period,
                    Case.state.not_in([x.value for x in ENDED]),
                )
            )
            self._pay_part(s, standing or picked, part, again=again)

    def _pay_part(self, s: Session, case: Case, part: str, *, again: bool = False) -> bool:
        """Pay ``part`` of what is left of ``case`` (under a voucher already used, ``again``);
        True when it was recorded, which must be exactly when CASES.md allows it."""
        uscc = case.enterprise.uscc
        left = (case.approved_amount or Decimal(1000)) - case.paid_amount
        amount = {
            "rest": left,
            "half": (left / 2).quantize(CENT),
            "over": left + CENT,
            "nothing": Decimal(0),
        }[part]
        earlier = self.vouchers.get(uscc, [])
        voucher = earlier[0] if again and earlier else f"V{len(self.payment_ids) + 1}"
        row = PaymentRow(uscc, case.measure, case.period, amount, self.today, voucher)
        state, paid = State(case.state), case.paid_amount
        allowed = state in TAKES_PAYMENT and amount > 0 and voucher not in earlier
        try:
            payment = record_payment(s, row)
        except CaseError:
            assert (case.state, case.paid_amount) == (state, paid)
            assert not allowed or part == "over" or left <= 0
            event(f"payment ({part}) refused")
            return False
        assert allowed and part in ("rest", "half")
        self.payment_ids.add(payment.id)
        self.vouchers.setdefault(uscc, []).append(voucher)
        event(f"payment ({part}) recorded, case {case.state}")
        return True

    @precondition(lambda self: self.payment_ids)
    @rule(index=st.integers(0, 30))
    def reverse(self, index: int) -> None:
        """Take back a case's standing payments, as undoing their import does: kept, no longer
        counted; a paid case returns to publicized; refused once the case is reconciled."""
        with self.db.session() as s:
            case = self._pick(s, index)
            standing = [p for p in case.payments if p.reversed_on is None]
            if not standing:
                return
            state = State(case.state)
            try:
                reverse_payments(s, [p.id for p in standing], "冲销", self.today)
            except CaseError:
                assert state is State.RECONCILED
                event("reversal of a reconciled case refused")
                return
            assert state in TAKES_PAYMENT
            assert (case.state, case.paid_amount) == (State.PUBLICIZED, Decimal(0))
            uscc, taken = case.enterprise.uscc, {p.voucher for p in standing}
            self.vouchers[uscc] = [v for v in self.vouchers.get(uscc, []) if v not in taken]
            event(f"payments of a {state.value} case reversed")

    @rule(
        measure=st.sampled_from(MEASURES),
        level=st.sampled_from(["市级", "市级", "省级"]),  # the cases' level, mostly
        budget=st.sampled_from(BUDGETS),
    )
    def change_fund(self, measure: str, level: str, budget: str) -> None:
        """A new budget; refused exactly when it cuts below what is approved against it."""
        with self.db.session() as s:
            holding = s.scalars(
                select(Case.approved_amount).where(
                    Case.measure == measure,
                    Case.level == level,
                    Case.state.in_([x.value for x in HOLDS_APPROVAL]),
                )
            )
            taken = sum(holding, Decimal(0))
            old = s.scalar(select(Fund.budget).where(Fund.measure == measure, Fund.level == level))
            cut = old is None or Decimal(budget) < old
            try:
                set_fund(s, measure, level, Decimal(budget))
            except CaseError:
                assert cut and Decimal(budget) < taken
                event("budget cut refused")
                return
            assert not (cut and Decimal(budget) < taken)

    @rule(days=st.integers(0, 12))
    def days_pass(self, days: int) -> None:
        self.today += timedelta(days=days)

    # ── invariants: read once after every step, each promise checked on what was read ──────
    @invariant()
    def promises_kept(self) -> None:
        with self.db.reader() as s:
            cases = self._cases(s)
            _states_only_through_the_table(cases)
            _paid_within_approved(cases)
            _approvals_within_budget_unless_overridden(list(s.scalars(select(Fund))), cases)
            _every_move_logged_with_its_operator(s, cases)
            _one_standing_case(cases)
            assert self.case_ids <= {c.id for c in cases}  # no case deleted
            assert self.payment_ids <= set(s.scalars(select(Payment.id)))  # no payment deleted


def _states_only_through_the_table(cases: list[Case]) -> None:
    for case in cases:
        path = [State.OPEN, *(State(m.to_state) for m in case.moves)]
        assert [State(m.from_state) for m in case.moves] == path[:-1], case.number
        assert all(b in MOVES[a] or REVERSALS.get(a) == b for a, b in pairwise(path)), case.number
        assert path[-1] == case.state


def _paid_within_approved(cases: list[Case]) -> None:
    for case in cases:
        if case.payments:
            assert case.paid_amount <= case.approved_amount, case.number
        if case.state in (State.PAID, State.RECONCILED):
            assert case.paid_amount == case.approved_amount, case.number


def _approvals_within_budget_unless_overridden(funds: list[Fund], cases: list[Case]) -> None:
    """Summed here from the cases, not by the code under test."""
    for fund in funds:
        holding = [
            c for c in cases
            if (c.measure, c.level) == (fund.measure, fund.level) and c.state in HOLDS_APPROVAL
        ]  # fmt: skip
        if sum(c.approved_amount for c in holding) <= fund.budget:
            continue
        approvals = [next(m for m in reversed(c.moves) if m.to_state == State.APPROVED)
                     for c in holding]  # fmt: skip
        assert any(m.budget_override for m in approvals), fund.log_key


def _every_move_logged_with_its_operator(s: Session, cases: list[Case]) -> None:
    moves = [m for c in cases for m in c.moves]
    logged = s.execute(
        select(ChangeRecord.row_id, ChangeRecord.operator).where(
            ChangeRecord.table_name == "case_move", ChangeRecord.action == "insert"
        )
    ).all()
    assert sorted(logged) == sorted((m.id, OPERATOR) for m in moves)
    state_updates = s.execute(
        select(ChangeRecord.row_id, func.count())
        .where(ChangeRecord.table_name == "subsidy_case", ChangeRecord.field == "state")
        .group_by(ChangeRecord.row_id)
    ).all()
    assert dict(state_updates) == {c.id: len(c.moves) for c in cases if c.moves}


def _one_standing_case(cases: list[Case]) -> None:
    standing = [(c.enterprise_id, c.measure, c.period) for c in cases if c.state not in ENDED]
    assert len(standing) == len(set(standing))


CaseMachine.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_case_lifecycle = CaseMachine.TestCase
