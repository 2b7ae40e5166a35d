"""The applicants' details, read from the enterprise roster."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from desktop.forms.content import Applicant
from desktop.models import Enterprise


def load_applicants(session: Session, usccs: Iterable[str]) -> dict[str, Applicant]:
    """The applicant of each code in ``usccs`` that the roster holds, by code."""
    wanted = sorted(set(usccs))
    found: dict[str, Applicant] = {}
    for start in range(0, len(wanted), 500):  # SQLite's bound-parameter limit
        chunk = wanted[start : start + 500]
        query = (
            select(Enterprise)
            .where(Enterprise.uscc.in_(chunk))
            .options(joinedload(Enterprise.county))
        )
        for e in session.scalars(query):
            found[e.uscc] = Applicant(
                name=e.name,
                uscc=e.uscc,
                county=e.county.name,
                legal_representative=e.legal_representative or "",
                contact=e.contact or "",
                phone=e.phone or "",
                address=e.address or "",
                bank=e.bank or "",
                bank_account=e.bank_account or "",
            )
    return found
