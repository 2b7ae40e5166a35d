"""The bulk writes (executemany) leave the rows and change-log lines the ORM's unit of work does.

The same cases are opened, moved to paid and paid, once through ``desktop.cases`` and once by
plain ORM objects flushed through the audited session (what those functions did before); both
databases must then hold the same cases, moves and payments, and the same log lines with the
same operator, source and keys.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desktop.cases import writes
from desktop.cases.moves import Move, move_cases
from desktop.cases.opening import _snapshot, case_number, open_cases
from desktop.cases.payments import PaymentBook, PaymentRow
from desktop.cases.states import State
from desktop.models import GLOBAL_KEY, Case, CaseMove, Enterprise, Payment
from desktop.store import Database, open_database
from desktop.store.changelog import Line, write_lines
from tests.cases.conftest import BASIS, PARAMETERS, add_enterprises, code, result

AT = datetime(2023, 6, 1, 8, tzinfo=UTC)
START, END, PAID = date(2023, 6, 5), date(2023, 6, 12), date(2023, 7, 1)
RESULTS = [result(n) for n in (1, 2, 3)]
LESS = Decimal("200000.00")  # case 3's approved amount, with a reason
PAYMENTS = [(1, "250000.00", "记-1"), (2, "100000.00", "记-2"), (2, "150000.00", "记-3")]
LOG = ("operator, source, batch_id, source_row, table_name, row_id, row_key, action, field, "
       "old_value, new_value")  # fmt: skip


def _through_the_domain(s: Session) -> None:
    cases = open_cases(s, RESULTS, BASIS, PARAMETERS, AT)
    move_cases(s, cases, Move(State.RECEIVED, on=START), PARAMETERS, START)
    move_cases(s, cases[:2], Move(State.APPROVED), PARAMETERS, START)
    move_cases(s, cases[2:], Move(State.APPROVED, reason="核减", amount=LESS), PARAMETERS, START)
    move_cases(s, cases, Move(State.PUBLICITY, on=START), PARAMETERS, START)
    move_cases(s, cases, Move(State.PUBLICIZED), PARAMETERS, END)
    move_cases(s, cases[2:], Move(State.WITHDRAWN, reason="企业注销"), PARAMETERS, END)
    rows = [PaymentRow(code(n), "12", "2023-Q1", Decimal(a), PAID, v) for n, a, v in PAYMENTS]
    assert PaymentBook(s).record_all(rows) == [None, None, None]


def _move(s: Session, case: Case, to: State, on: date, **values: Any) -> None:
    """A move as plain ORM objects: its record, the case's new values, one flush."""
    reason, amount = values.pop("reason", None), values.get("approved_amount")
    s.add(CaseMove(case=case, from_state=case.state, to_state=to.value, moved_on=on,
                   reason=reason, amount=amount))  # fmt: skip
    for name, value in {**values, "state": to.value}.items():
        setattr(case, name, value)
    s.flush()


def _through_the_orm(s: Session) -> None:
    enterprises = {e.uscc: e for e in s.scalars(select(Enterprise))}
    cases = []
    for sequence, r in enumerate(RESULTS, start=1):
        cases.append(Case(number=case_number("12", r.period, sequence), measure="12",
                          enterprise=enterprises[r.uscc], period=r.period, sequence=sequence,
                          level="市级", state="open", **_snapshot(r, BASIS, AT)))  # fmt: skip
    s.add_all(cases)
    s.flush()
    for case in cases:
        _move(s, case, State.RECEIVED, START, received_on=START)
    for case in cases:
        amount, reason = (LESS, "核减") if case is cases[2] else (case.snapshot_amount, None)
        _move(
            s,
            case,
            State.APPROVED,
            START,
            approved_amount=amount,
            approval_reason=reason,
            reason=reason,
        )
    for case in cases:
        _move(s, case, State.PUBLICITY, START, publicity_start=START, publicity_end=END)
    for case in cases:
        _move(s, case, State.PUBLICIZED, END)
    _move(s, cases[2], State.WITHDRAWN, END, reason="企业注销")
    for n, amount, voucher in PAYMENTS:
        case = cases[n - 1]
        case.payments.append(Payment(amount=Decimal(amount), paid_on=PAID, voucher=voucher,
                                     level="市级"))  # fmt: skip
        if case.paid_amount == case.approved_amount:
            _move(s, case, State.PAID, PAID)
        s.flush()


def _written(tmp_path: Path, name: str, write: Callable[[Session], None]) -> dict[str, Any]:
    db: Database = open_database(tmp_path / name, "批量测试员")
    with db.session(source="command") as s:
        add_enterprises(s, 3)
    with db.session(source="window") as s:
        write(s)
    with db.engine.connect() as conn:  # each row's global key is random, either way
        found = {
            model.__tablename__: sorted(
                conn.execute(select(*(c for c in model.__table__.c if c.name != GLOBAL_KEY))).all()
            )
            for model in (Case, CaseMove, Payment)
        }
        found["log"] = sorted(
            conn.execute(text(f"SELECT {LOG} FROM change_log WHERE source = 'window'")).all(),
            key=repr,
        )
    db.close()
    return found


def test_bulk_writes_leave_what_the_orm_leaves(tmp_path: Path) -> None:
    bulk = _written(tmp_path, "bulk.sqlite3", _through_the_domain)
    orm = _written(tmp_path, "orm.sqlite3", _through_the_orm)
    assert bulk == orm
    # Hand-counted: 3 cases opened; received: 3 moves + state and date each; approved: 3 moves
    # + state and amount (and case 3's reason); publicity: 3 moves + state, start, end each;
    # publicized: 3 moves + state; withdrawn: 1 + 1; 3 payments, 2 moves to paid + their state.
    assert len(bulk["log"]) == 3 + (3 + 6) + (3 + 7) + (3 + 9) + (3 + 3) + 2 + (3 + 2 + 2)


def test_log_lines_reach_sqlite3_as_plain_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLAlchemy's names are a ``str`` subclass that sqlite3 asks for ``__conform__`` on every
    value: a third of a bulk move's logging time when they went into the log lines."""
    handed: list[Any] = []

    def keep(conn: Any, ctx: Any, lines: Sequence[Line]) -> None:
        handed.extend(lines)
        write_lines(conn, ctx, lines)

    monkeypatch.setattr(writes, "write_lines", keep)
    _written(tmp_path, "bulk.sqlite3", _through_the_domain)
    texts = {type(v) for line in handed for v in line if isinstance(v, str)}
    assert handed and texts == {str}


def test_a_bulk_write_converts_each_value_once_and_keeps_types_apart() -> None:
    calls: list[Any] = []

    def convert(value: Any) -> str:
        calls.append(value)
        return repr(value)

    once = writes._by_value(convert)
    given = [1, True, 1, Decimal("1.00"), START, START, True]
    assert [once(v) for v in given] == [repr(v) for v in given]
    assert calls == [1, True, Decimal("1.00"), START]
