"""Monitoring periods: a calendar month (``2023-03``) or an ISO week (``2023-W05``), read by the
one parser of ``desktop.values.dates`` (the import's too); their dates, the year before (同比)
and the one before (环比)."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from desktop.values.dates import PeriodKind, period_code, period_parts

Kind = PeriodKind


@dataclass(frozen=True)
class Period:
    """A month (``number`` 1–12) or an ISO week (``number`` 1–53) of ``year``."""

    kind: Kind
    year: int
    number: int

    @property
    def code(self) -> str:
        """As stored and printed in JSON: ``2023-03`` or ``2023-W05``."""
        return period_code(self.kind, self.year, self.number)

    @property
    def label(self) -> str:
        """As an officer writes it: 2023年3月, 2023年第5周."""
        if self.kind == "week":
            return f"{self.year}年第{self.number}周"
        return f"{self.year}年{self.number}月"

    @property
    def start(self) -> date:
        """Its first day (a week starts on Monday)."""
        if self.kind == "week":
            return date.fromisocalendar(self.year, self.number, 1)
        return date(self.year, self.number, 1)

    @property
    def end(self) -> date:
        """Its last day."""
        if self.kind == "week":
            return self.start + timedelta(days=6)
        return date(self.year, self.number, monthrange(self.year, self.number)[1])

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls in the period."""
        return self.start <= day <= self.end

    def previous(self) -> Period:
        """The period before (环比)."""
        if self.kind == "week":
            return week_of(self.start - timedelta(days=7))
        return month_of(self.start - timedelta(days=1))

    def year_before(self) -> Period | None:
        """The same period a year before (同比); None for a week 53 the year before lacks."""
        if self.kind == "month":
            return Period("month", self.year - 1, self.number)
        try:
            return week_of(date.fromisocalendar(self.year - 1, self.number, 1))
        except ValueError:
            return None

    def __str__(self) -> str:
        return self.code


def month_of(day: date) -> Period:
    """The month ``day`` falls in."""
    return Period("month", day.year, day.month)


def week_of(day: date) -> Period:
    """The ISO week ``day`` falls in."""
    found = day.isocalendar()
    return Period("week", found.year, found.week)


def period(value: Any) -> Period:
    """A period as written (``values.dates.period_parts``): ``2023-03``, ``2023年3月`` (or a date
    cell: its month), ``2023-W05``, ``2023年第5周``; :class:`ValueProblem` otherwise."""
    return Period(*period_parts(value))
