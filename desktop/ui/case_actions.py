"""What the 兑现管理 page may do to the cases selected: the moves the state table allows all
of them, and making one (all or none, in one transaction, logged under the operator); taking
the current results as their snapshots when 测算已变化; entering a payment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy import select

from desktop.cases.moves import Move, move_case_ids
from desktop.cases.opening import Key, basis_of, refresh
from desktop.cases.parameters import CaseParameters
from desktop.cases.payments import PaymentRow, record_payment
from desktop.cases.states import BY_PAYMENT, MOVES, REFRESHABLE, TAKES_PAYMENT, State
from desktop.models import Case
from desktop.rules import catalogue
from desktop.rules.policy import load_policy
from desktop.rules.result import Result
from desktop.store import Database
from desktop.ui.case_model import CaseLine


def legal_moves(lines: Sequence[CaseLine]) -> list[State]:
    """The states every selected case may be moved to by hand (the table's moves, less those
    made by payments), in the table's order; none for an empty selection."""
    if not lines:
        return []
    allowed = set.intersection(*(set(MOVES[line.current]) for line in lines)) - BY_PAYMENT
    return [state for state in State if state in allowed]


def make_move(
    db: Database,
    lines: Sequence[CaseLine],
    move: Move,
    parameters: CaseParameters,
    today: date,
) -> list[str]:
    """Make ``move`` on the cases of ``lines``, all or none (``CaseError`` names the first
    refused); returns what the officer should be told, each note once."""
    ids = [line.case_id for line in lines]
    with db.session(source="window") as s:
        moved = move_case_ids(s, ids, move, parameters, today)
        return list(dict.fromkeys(m.note for m in moved if m.note))


def moved_text(to: State, count: int, notes: Sequence[str]) -> str:
    """已将 2 件兑现事项改为「审核通过」；第十二条市级资金未登记，未作预算检查."""
    return "；".join((f"已将 {count} 件兑现事项改为「{to.label}」", *notes))


def refreshable(lines: Sequence[CaseLine]) -> bool:
    """True when every selected case shows 测算已变化 and may still take a new snapshot."""
    return bool(lines) and all(
        line.change is not None and line.current in REFRESHABLE for line in lines
    )


def refresh_question(lines: Sequence[CaseLine]) -> str:
    """What the officer confirms before the snapshots are replaced."""
    changes = [f"{line.number} {line.name}：{line.change.text()}" for line in lines if line.change]
    return (
        f"按最新测算结果刷新以下 {len(lines)} 件兑现事项的立案测算？\n\n"
        + "\n".join(changes)
        + "\n\n刷新后，审核通过时以新的测算金额为准；刷新记入操作记录。"
    )


def refresh_snapshots(
    db: Database, lines: Sequence[CaseLine], results: Mapping[Key, Result]
) -> None:
    """Take the current result as the snapshot of each case of ``lines`` (all or none)."""
    ids = [line.case_id for line in lines]
    with db.session(source="window") as s:
        found = {c.id: c for c in s.scalars(select(Case).where(Case.id.in_(ids)))}
        for line in lines:
            measure = catalogue.measure(line.measure)
            basis = basis_of(load_policy(measure.document))
            refresh(s, found[line.case_id], results[(line.uscc, line.measure, line.period)], basis)


def payable(lines: Sequence[CaseLine]) -> bool:
    """True for one case selected that takes payments (publicised, or paid in part)."""
    return len(lines) == 1 and lines[0].current in TAKES_PAYMENT


def enter_payment(db: Database, row: PaymentRow) -> None:
    """Record one payment entered by hand (``CaseError`` says why one is refused)."""
    with db.session(source="window") as s:
        record_payment(s, row)
