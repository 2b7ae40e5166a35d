"""Working days: not Saturday, not Sunday, and not in the holiday list the officer keeps.

The list starts empty and holds only what the officer enters (never invented); make-up working
days on a weekend (调休) are not modelled, as CASES.md counts every Saturday and Sunday out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.cases.errors import CaseError
from desktop.models import Holiday

SATURDAY = 5
ONE_DAY = timedelta(days=1)


def is_working_day(day: date, holidays: frozenset[date]) -> bool:
    """True for a Monday to Friday not in ``holidays``."""
    return day.weekday() < SATURDAY and day not in holidays


def add_working_days(start: date, count: int, holidays: Iterable[date]) -> date:
    """The day ``count`` working days after ``start``: Wednesday 7 June 2023 + 5 is Wednesday
    14 June (Thursday, Friday, Monday, Tuesday, Wednesday)."""
    listed = frozenset(holidays)
    day, left = start, count
    while left > 0:
        day += ONE_DAY
        if is_working_day(day, listed):
            left -= 1
    return day


def holidays(session: Session) -> frozenset[date]:
    """The days in the officer's holiday list."""
    return frozenset(session.scalars(select(Holiday.day)))


def add_holiday(session: Session, day: date, name: str | None = None) -> Holiday:
    """List ``day`` as a holiday (a day listed twice is refused)."""
    if session.scalar(select(Holiday).where(Holiday.day == day)) is not None:
        raise CaseError(f"{day.isoformat()} 已在节假日清单中")
    holiday = Holiday(day=day, name=(name or "").strip() or None)
    session.add(holiday)
    session.flush()
    return holiday


def remove_holiday(session: Session, day: date) -> None:
    """Take ``day`` off the holiday list (publicity ends already computed stay as they were)."""
    holiday = session.scalar(select(Holiday).where(Holiday.day == day))
    if holiday is None:
        raise CaseError(f"{day.isoformat()} 不在节假日清单中")
    session.delete(holiday)
    session.flush()
