"""A case as the checks of a move read it: the columns, read by one query per chunk of ids
rather than as ORM objects (reading 40,000 ``Case`` objects costs more than moving them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import Case

CHUNK = 10_000  # ids per IN list, within SQLite's limit on bound values


@dataclass(slots=True)
class CaseFacts:
    """The columns of a case that a move checks or changes (the old values its log lines give)."""

    id: int
    number: str
    measure: str
    level: str
    state: str
    snapshot_verdict: str
    snapshot_amount: Decimal | None
    approved_amount: Decimal | None
    approval_reason: str | None
    received_on: date | None
    publicity_start: date | None
    publicity_end: date | None


_COLUMNS = tuple(Case.__table__.c[f.name] for f in fields(CaseFacts))


def read_facts(session: Session, ids: Sequence[int]) -> dict[int, CaseFacts]:
    """The facts of the cases ``ids`` (as the database has them), by id; absent if unknown.

    Ids mostly in one run are read as their range (thousands of bound ids cost more to compile
    than the rows between them to read), others in chunks."""
    found: dict[int, CaseFacts] = {}
    if ids and max(ids) - min(ids) < 2 * len(ids):  # a run of ids (a bulk move): one range
        wanted = set(ids)
        rows = session.execute(select(*_COLUMNS).where(Case.id.between(min(ids), max(ids))))
        found.update((row[0], CaseFacts(*row)) for row in rows if row[0] in wanted)
        return found
    for start in range(0, len(ids), CHUNK):
        query = select(*_COLUMNS).where(Case.id.in_(ids[start : start + CHUNK]))
        found.update((row[0], CaseFacts(*row)) for row in session.execute(query))
    return found
