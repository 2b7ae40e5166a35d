"""The figures of a bulletin (月通报, 周调度表; TASKFORCE.md, CLI.md's ``bulletin --json``):
per county and in total, for one month or ISO week.

Each figure is one SQL aggregate grouped by county, so a bulletin over 50,000 enterprises costs
a handful of indexed queries. Counts are integers, money exact ``Decimal`` yuan (summed as fen),
rates exact quotients written with four decimals only in :meth:`Bulletin.to_json`.

- ``reporting``: enterprises with a monitoring row for the period; ``not_reporting``: 规上
  enterprises without one; the resumption rate: (全面复工 + 达产达效) / reporting.
- Output: a month's is the 月度产值 of the enterprises reporting (kept once, there), a week's
  the monitoring row's. 同比 compares it with the same enterprises' output of the same period a
  year before, 环比 with the period before; the ten largest decliners fall most against the year
  before, in yuan.
- Problems raised up to the period's end; solved (已办结/已回访/已销号) and closed (已销号) as they
  stand now; overdue: red on the period's last day, or today for a period not yet over.
- Visit coverage: 包联 enterprises visited in the period over 包联 enterprises.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, select
from sqlalchemy.orm import Session

from desktop.models import (
    Assignment,
    County,
    Enterprise,
    Monitoring,
    MonthlyOutput,
    Problem,
    Visit,
)
from desktop.rules.catalogue import check_county
from desktop.taskforce.figures import COUNTY_ORDER, change, rate_text, share, yuan_text
from desktop.taskforce.periods import Period
from desktop.taskforce.problem_states import DONE, State
from desktop.values.choices import PRODUCTION_STATUS, RESUMED

TOTAL = "合计"
DECLINERS = 10
ZERO = Decimal(0)
_DONE = [s.value for s in DONE]


@dataclass(frozen=True)
class UnitFigures:
    """One county's (or the total's) figures for the period."""

    unit: str
    not_reporting: int = 0
    by_status: tuple[int, ...] = (0,) * len(PRODUCTION_STATUS.words)  # in PRODUCTION_STATUS order
    output: Decimal = ZERO
    output_year_before: Decimal = ZERO  # the same enterprises, the same period a year before
    output_period_before: Decimal = ZERO  # the same enterprises, the period before
    problems_raised: int = 0
    problems_solved: int = 0
    problems_closed: int = 0
    problems_overdue: int = 0
    assigned: int = 0  # 包联 enterprises
    visited: int = 0  # of them, visited in the period

    @property
    def reporting(self) -> int:
        """Enterprises with a monitoring row for the period (each has one status)."""
        return sum(self.by_status)

    @property
    def resumed(self) -> int:
        """全面复工 + 达产达效."""
        words = PRODUCTION_STATUS.words
        return sum(n for word, n in zip(words, self.by_status, strict=True) if word in RESUMED)

    @property
    def resumption_rate(self) -> Decimal | None:
        return share(self.resumed, self.reporting)

    @property
    def output_yoy(self) -> Decimal | None:
        """同比 growth."""
        return change(self.output, self.output_year_before)

    @property
    def output_pop(self) -> Decimal | None:
        """环比 growth (on the period before)."""
        return change(self.output, self.output_period_before)

    @property
    def resolution_rate(self) -> Decimal | None:
        """化解率: closed over raised."""
        return share(self.problems_closed, self.problems_raised)

    @property
    def visit_coverage(self) -> Decimal | None:
        return share(self.visited, self.assigned)

    def plus(self, other: UnitFigures, unit: str) -> UnitFigures:
        """The figures of both, named ``unit`` (the units never share an enterprise)."""
        summed: dict[str, Any] = {"unit": unit}
        for f in fields(self):
            if f.name == "by_status":
                summed[f.name] = tuple(
                    a + b for a, b in zip(self.by_status, other.by_status, strict=True)
                )
            elif f.name != "unit":
                summed[f.name] = getattr(self, f.name) + getattr(other, f.name)
        return UnitFigures(**summed)

    def to_json(self) -> dict[str, Any]:
        """CLI.md's UNIT."""
        return {
            "unit": self.unit,
            "reporting": self.reporting,
            "not_reporting": self.not_reporting,
            "resumption_rate": rate_text(self.resumption_rate),
            "output": yuan_text(self.output),
            "output_yoy": rate_text(self.output_yoy),
            "problems_raised": self.problems_raised,
            "problems_solved": self.problems_solved,
            "problems_overdue": self.problems_overdue,
            "resolution_rate": rate_text(self.resolution_rate),
            "visit_coverage": rate_text(self.visit_coverage),
        }


@dataclass(frozen=True)
class Decliner:
    """An enterprise whose output fell against the same period a year before."""

    uscc: str
    name: str
    county: str
    output: Decimal
    year_before: Decimal

    @property
    def fall(self) -> Decimal:
        return self.year_before - self.output

    @property
    def growth(self) -> Decimal | None:
        return change(self.output, self.year_before)


@dataclass(frozen=True)
class Bulletin:
    """A period's figures per county, their total and the largest decliners."""

    period: Period
    units: list[UnitFigures]
    total: UnitFigures
    decliners: list[Decliner]

    def to_json(self) -> dict[str, Any]:
        """CLI.md's ``bulletin --json``."""
        return {
            "period": self.period.code,
            "units": [u.to_json() for u in self.units],
            "total": self.total.to_json(),
        }


def bulletin(session: Session, period: Period, today: date, county: str | None = None) -> Bulletin:
    """The bulletin of ``period`` for every county of the roster (or one ``county``; ScopeError
    for an unknown one, as evaluate and export say it)."""
    check_county(session, county)
    counties = _counties(session, county)
    found: dict[int, dict[str, Any]] = defaultdict(dict)
    for name, figures in _figures(session, period, today):
        for county_id, value in figures:
            found[county_id][name] = value
    units = [UnitFigures(unit=name, **found[cid]) for cid, name in counties]
    total = UnitFigures(TOTAL)
    for unit in units:
        total = total.plus(unit, TOTAL)
    return Bulletin(period, units, total, _decliners(session, period, county))


def _counties(session: Session, county: str | None) -> list[tuple[int, str]]:
    """The counties the roster has enterprises in (or the one asked for), in code order."""
    query = select(County.id, County.name).order_by(*COUNTY_ORDER)
    if county is not None:
        query = query.where(County.name == county)
    else:
        query = query.where(exists().where(Enterprise.county_id == County.id))
    return [(county_id, name) for county_id, name in session.execute(query)]


def _figures(
    session: Session, period: Period, today: date
) -> Iterable[tuple[str, Iterable[tuple[int, Any]]]]:
    """Each figure by name, as (county id, value) pairs."""
    yield "not_reporting", _by_county(session, _not_reporting(period))
    yield "by_status", _statuses(session, period)
    before = period.year_before()
    yield "output", _by_county(session, _output(period, period))
    if before is not None:
        yield "output_year_before", _by_county(session, _output(period, before))
    yield "output_period_before", _by_county(session, _output(period, period.previous()))
    yield from _problems(session, period, min(period.end, today))
    yield from _visits(session, period)


def _by_county(session: Session, query: Select[Any]) -> list[tuple[int, Any]]:
    """``query`` (one aggregate over rows joined to their enterprise) grouped by county."""
    grouped = query.add_columns(Enterprise.county_id).group_by(Enterprise.county_id)
    return [(county_id, value) for value, county_id in session.execute(grouped)]


def _not_reporting(period: Period) -> Select[Any]:
    row = exists().where(
        Monitoring.enterprise_id == Enterprise.id, Monitoring.period == period.code
    )
    return select(func.count()).select_from(Enterprise).where(Enterprise.above_scale, ~row)


def _statuses(session: Session, period: Period) -> list[tuple[int, tuple[int, ...]]]:
    counts = [
        func.sum(case((Monitoring.status == word, 1), else_=0)) for word in PRODUCTION_STATUS.words
    ]
    query = (
        select(Enterprise.county_id, *counts)
        .join(Enterprise, Monitoring.enterprise_id == Enterprise.id)
        .where(Monitoring.period == period.code)
        .group_by(Enterprise.county_id)
    )
    return [(county_id, tuple(n)) for county_id, *n in session.execute(query)]


def _output_rows(period: Period) -> Any:
    """(enterprise, output) of ``period``: 月度产值 for a month, monitoring for a week."""
    if period.kind == "month":
        where = and_(MonthlyOutput.year == period.year, MonthlyOutput.month == period.number)
        query: Select[int, Decimal | None] = select(
            MonthlyOutput.enterprise_id, MonthlyOutput.output
        ).where(where)
    else:
        query = select(Monitoring.enterprise_id, Monitoring.output).where(
            Monitoring.period == period.code, Monitoring.output.is_not(None)
        )
    return query.subquery()


def _output(reporting: Period, of: Period) -> Select[Any]:
    """The summed output in ``of`` of the enterprises reporting for ``reporting``."""
    rows = _output_rows(of)
    return (
        select(func.coalesce(func.sum(rows.c.output), 0).label("output"))
        .select_from(Monitoring)
        .join(Enterprise, Monitoring.enterprise_id == Enterprise.id)
        .join(rows, rows.c.enterprise_id == Monitoring.enterprise_id)
        .where(Monitoring.period == reporting.code)
    )


def _count_where(condition: ColumnElement[bool]) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _problems(
    session: Session, period: Period, on: date
) -> Iterable[tuple[str, list[tuple[int, Any]]]]:
    query = (
        select(
            Enterprise.county_id,
            func.count(),
            _count_where(Problem.state.in_(_DONE)),
            _count_where(Problem.state == State.CLOSED.value),
            _count_where(and_(Problem.deadline < on, Problem.state.not_in(_DONE))),
        )
        .join(Enterprise, Problem.enterprise_id == Enterprise.id)
        .where(Problem.raised_on <= period.end)
        .group_by(Enterprise.county_id)
    )
    rows = session.execute(query).all()
    names = ("problems_raised", "problems_solved", "problems_closed", "problems_overdue")
    for i, name in enumerate(names, start=1):
        yield name, [(row[0], row[i]) for row in rows]


def _visits(session: Session, period: Period) -> Iterable[tuple[str, list[tuple[int, Any]]]]:
    assigned = (
        select(func.count())
        .select_from(Assignment)
        .join(Enterprise, Assignment.enterprise_id == Enterprise.id)
    )
    yield "assigned", _by_county(session, assigned)
    visited = exists().where(
        Visit.enterprise_id == Assignment.enterprise_id,
        Visit.visited_on.between(period.start, period.end),
    )
    yield "visited", _by_county(session, assigned.where(visited))


def _decliners(session: Session, period: Period, county: str | None) -> list[Decliner]:
    """The enterprises reporting whose output fell most against the year before."""
    before = period.year_before()
    if before is None:
        return []
    this, base = _output_rows(period), _output_rows(before)
    output = func.coalesce(this.c.output, 0)
    query = (
        select(Enterprise.uscc, Enterprise.name, County.name, output, base.c.output)
        .select_from(Monitoring)
        .join(Enterprise, Monitoring.enterprise_id == Enterprise.id)
        .join(County, Enterprise.county_id == County.id)
        .join(base, base.c.enterprise_id == Monitoring.enterprise_id)
        .outerjoin(this, this.c.enterprise_id == Monitoring.enterprise_id)
        .where(Monitoring.period == period.code, base.c.output > output)
        .order_by((base.c.output - output).desc(), Enterprise.uscc)
        .limit(DECLINERS)
    )
    if county is not None:
        query = query.where(County.name == county)
    return [Decliner(*row) for row in session.execute(query)]
