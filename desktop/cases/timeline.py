"""A case's timeline: its moves, each with who made it and when, as the change log has them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from desktop.cases.states import State
from desktop.models import Case, CaseMove, ChangeRecord


@dataclass(frozen=True)
class Step:
    """One move of a case: from, to, on which day, why, for how much, by whom and when."""

    from_state: State
    to_state: State
    moved_on: date
    reason: str | None
    amount: Decimal | None
    budget_override: str | None
    operator: str
    at: datetime


def timeline(session: Session, case: Case) -> list[Step]:
    """The case's moves in order, attributed by the change log's record of each."""
    logged = and_(
        ChangeRecord.table_name == CaseMove.__tablename__,
        ChangeRecord.row_id == CaseMove.id,
        ChangeRecord.action == "insert",
    )
    rows = session.execute(
        select(CaseMove, ChangeRecord.operator, ChangeRecord.at)
        .join(ChangeRecord, logged)
        .where(CaseMove.case_id == case.id)
        .order_by(CaseMove.id)
    )
    return [
        Step(State(m.from_state), State(m.to_state), m.moved_on, m.reason, m.amount,
             m.budget_override, operator, at)
        for m, operator, at in rows
    ]  # fmt: skip
