"""What the window lists of the task force's ledgers: visits, 包联 assignments, one period's
monitoring reports and one enterprise's reports (read-only queries, one per list)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import String, and_, exists, false, func, literal_column, select
from sqlalchemy.orm import Session, aliased

from desktop.models import (
    Assignment,
    County,
    Enterprise,
    Monitoring,
    MonthlyOutput,
    Person,
    Problem,
    ServiceTeam,
    Visit,
)
from desktop.store.dialects import month_code
from desktop.taskforce.figures import COUNTY_ORDER
from desktop.taskforce.periods import Period, period


@dataclass(frozen=True)
class VisitLine:
    """One visit, with how many problems it raised."""

    id: int
    visited_on: date
    uscc: str
    enterprise: str
    county: str
    people: str
    purpose: str | None
    measures: str | None
    problems: int
    note: str | None
    version: int  # what a correction rests on


def visit_lines(session: Session, uscc: str | None = None) -> list[VisitLine]:
    """Every visit (to enterprise ``uscc`` when given), latest first."""
    raised = (
        select(func.count()).where(Problem.visit_id == Visit.id).correlate(Visit).scalar_subquery()
    )
    query = (
        select(
            Visit.id,
            Visit.visited_on,
            Enterprise.uscc,
            Enterprise.name,
            County.name,
            Visit.people,
            Visit.purpose,
            Visit.measures,
            raised,
            Visit.note,
            Visit.version,
        )
        .join(Enterprise, Visit.enterprise_id == Enterprise.id)
        .join(County, Enterprise.county_id == County.id)
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
    )
    if uscc is not None:
        query = query.where(Enterprise.uscc == uscc)
    return [VisitLine(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class AssignmentLine:
    """An enterprise of the 包联 list: its leader and team (None where missing)."""

    uscc: str
    enterprise: str
    county: str
    size: str | None
    leader_id: int | None
    leader: str | None
    team_id: int | None
    team: str | None


def assignment_lines(session: Session, uscc: str | None = None) -> list[AssignmentLine]:
    """The 包联 list (one enterprise's line when ``uscc`` is given), by county then code."""
    leader = aliased(Person)
    query = (
        select(
            Enterprise.uscc,
            Enterprise.name,
            County.name,
            Enterprise.size,
            Assignment.leader_id,
            leader.name,
            Assignment.team_id,
            ServiceTeam.name,
        )
        .select_from(Assignment)
        .join(Enterprise, Assignment.enterprise_id == Enterprise.id)
        .join(County, Enterprise.county_id == County.id)
        .outerjoin(leader, Assignment.leader_id == leader.id)
        .outerjoin(ServiceTeam, Assignment.team_id == ServiceTeam.id)
        .order_by(*COUNTY_ORDER, Enterprise.uscc)
    )
    if uscc is not None:
        query = query.where(Enterprise.uscc == uscc)
    return [AssignmentLine(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class ReportLine:
    """One enterprise's report for one period (output: a month's 月度产值, a week's own)."""

    period: str
    uscc: str
    enterprise: str
    county: str
    status: str
    output: Decimal | None
    electricity: Decimal | None
    employees: int | None
    version: int  # the monitoring row's, what a correction rests on

    @property
    def period_label(self) -> str:
        """The period as an officer writes it: 2023年3月."""
        return period(self.period).label


def report_lines(
    session: Session, of: Period | None = None, uscc: str | None = None
) -> list[ReportLine]:
    """The reports of period ``of`` (by county then code) or of enterprise ``uscc`` (latest
    period first); a month's output is its 月度产值."""
    same_firm = MonthlyOutput.enterprise_id == Monitoring.enterprise_id
    if of is not None:  # one period: its month's row, found by index
        monthly = and_(same_firm, MonthlyOutput.year == of.year, MonthlyOutput.month == of.number)
        if of.kind == "week":
            monthly = and_(monthly, false())
    else:
        named = MonthlyOutput.__tablename__
        code = literal_column(month_code(f"{named}.year", f"{named}.month"), String)
        monthly = and_(same_firm, code == Monitoring.period)
    output = func.coalesce(Monitoring.output, MonthlyOutput.output)
    query = (
        select(
            Monitoring.period,
            Enterprise.uscc,
            Enterprise.name,
            County.name,
            Monitoring.status,
            output,
            Monitoring.electricity,
            Monitoring.employees,
            Monitoring.version,
        )
        .join(Enterprise, Monitoring.enterprise_id == Enterprise.id)
        .join(County, Enterprise.county_id == County.id)
        .outerjoin(MonthlyOutput, monthly)
    )
    if of is not None:
        query = query.where(Monitoring.period == of.code).order_by(*COUNTY_ORDER, Enterprise.uscc)
    if uscc is not None:
        query = query.where(Enterprise.uscc == uscc).order_by(Monitoring.period.desc())
    return [ReportLine(*row) for row in session.execute(query)]


def reported_periods(session: Session) -> list[Period]:
    """The periods with any report, latest first (a month before the weeks ending with it)."""
    found = [period(code) for code in session.scalars(select(Monitoring.period).distinct())]
    return sorted(found, key=lambda p: (p.end, p.kind == "month"), reverse=True)


@dataclass(frozen=True)
class Silent:
    """A 规上 enterprise that has not reported for a period."""

    uscc: str
    name: str
    county: str


def not_reporting(session: Session, of: Period) -> list[Silent]:
    """The 规上 enterprises without a report for period ``of``, by county then code."""
    reported = exists().where(
        Monitoring.enterprise_id == Enterprise.id, Monitoring.period == of.code
    )
    query = (
        select(Enterprise.uscc, Enterprise.name, County.name)
        .join(County, Enterprise.county_id == County.id)
        .where(Enterprise.above_scale, ~reported)
        .order_by(*COUNTY_ORDER, Enterprise.uscc)
    )
    return [Silent(*row) for row in session.execute(query)]
