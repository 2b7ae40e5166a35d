"""Taking payments back without deleting anything (冲销): what undoing a payments import does.

Payments and moves are never deleted (the database's triggers refuse it). A reversal instead
*adds* to the record, so what was paid and what was taken back both stay readable:

- each payment is kept and marked reversed: ``reversed_on`` (the day) and ``reversal_reason``
  (e.g. 撤销导入批次 3), an update in the change log with the operator; it no longer counts
  towards the case's paid amount, and its voucher may be recorded again;
- a case those payments had made ``paid`` and now falls short of its approved amount moves back
  to ``publicized`` by a recorded move (``CaseMove`` paid → publicized, with the reason), the
  way the state table allows a reversal (``desktop.cases.states.check_reversal``); the earlier
  move to paid stays in its history;
- a case past ``paid`` (reconciled) is refused: its accounts were settled on those payments.

Every line goes to the change log with the session's operator and source (``undo`` and the
batch, when an import is undone), so the timeline shows the payment, its reversal and the move.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.cases.moves import write_moves
from desktop.cases.states import State, check_reversal
from desktop.cases.writes import update_objects
from desktop.models import Case, Payment

CHUNK = 10_000  # ids per IN list, within SQLite's limit on bound values
REVERSED_LABEL = "已冲销"


def reversal_text(reversed_on: date | None, reason: str | None) -> str:
    """How a payment's reversal reads: 已冲销 2024-03-05（撤销导入批次 3）; empty if standing."""
    if reversed_on is None:
        return ""
    why = f"（{reason}）" if reason else ""
    return f"{REVERSED_LABEL} {reversed_on.isoformat()}{why}"


def reverse_payments(
    session: Session, payment_ids: Sequence[int], reason: str, on: date | None = None
) -> tuple[int, int]:
    """Reverse the standing payments among ``payment_ids`` for ``reason`` (on ``on``, default
    today), moving back the cases they no longer pay in full; all or none (CaseError naming a
    case that cannot be taken back). Returns how many payments were reversed and cases moved."""
    on = on or date.today()
    payments: list[Payment] = []
    for start in range(0, len(payment_ids), CHUNK):
        chosen = payment_ids[start : start + CHUNK]
        payments += session.scalars(
            select(Payment)
            .where(Payment.id.in_(chosen), Payment.reversed_on.is_(None))
            .options(selectinload(Payment.case).selectinload(Case.payments))
            .order_by(Payment.id)
        )
    taken: dict[int, Decimal] = {}
    for payment in payments:
        taken[payment.case_id] = taken.get(payment.case_id, Decimal("0.00")) + payment.amount
    cases = {p.case_id: p.case for p in payments}
    moves = [_move_back(case, on, reason) for case in cases.values()
             if _falls_short(case, taken[case.id])]  # fmt: skip
    marked = {"reversed_on": on, "reversal_reason": reason}
    update_objects(session, [(p, marked) for p in payments])
    write_moves(session, moves)
    return len(payments), len(moves)


def _falls_short(case: Case, taken: Decimal) -> bool:
    """Whether ``case`` must move back once ``taken`` of its payments no longer counts."""
    state = State(case.state)
    if state is State.PUBLICIZED:
        return False
    check_reversal(case.number, state)  # refuses a case past paid
    return case.paid_amount - taken < (case.approved_amount or Decimal("0.00"))


def _move_back(case: Case, on: date, reason: str) -> tuple[Case, dict[str, Any], dict[str, Any]]:
    back = check_reversal(case.number, State(case.state))
    record = {"from_state": case.state, "to_state": back.value, "moved_on": on,
              "reason": reason, "amount": None, "budget_override": None}  # fmt: skip
    return case, {"state": back.value}, record
