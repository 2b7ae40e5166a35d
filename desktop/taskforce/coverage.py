"""包联 coverage (第十五条): 规上 enterprises with a service team (全覆盖), 大型/中型 enterprises
with a responsible leader, and the enterprises not covered."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from desktop.models import Assignment, County, Enterprise
from desktop.rules.catalogue import check_county
from desktop.taskforce.figures import COUNTY_ORDER, rate_text, share
from desktop.values.choices import LARGE_OR_MEDIUM

TEAM, LEADER = "服务小组", "包联领导"


@dataclass(frozen=True)
class Share:
    """``covered`` of ``of`` enterprises."""

    covered: int
    of: int

    def to_json(self) -> dict[str, Any]:
        return {
            "covered": self.covered,
            "of": self.of,
            "rate": rate_text(share(self.covered, self.of)),
        }


@dataclass(frozen=True)
class Uncovered:
    """An enterprise without the ``missing`` 服务小组 or 包联领导."""

    uscc: str
    name: str
    county: str
    missing: str


@dataclass(frozen=True)
class Coverage:
    """Both shares and every enterprise not covered (by county, then code)."""

    team: Share
    leader: Share
    uncovered: list[Uncovered] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "team": self.team.to_json(),
            "leader": self.leader.to_json(),
            "not_covered": [vars(u) for u in self.uncovered],
        }


def _rows(county: str | None, wanted: Any, missing: Any) -> Select[Any]:
    query = (
        select(Enterprise.uscc, Enterprise.name, County.name, missing.is_(None))
        .join(County, Enterprise.county_id == County.id)
        .outerjoin(Assignment, Assignment.enterprise_id == Enterprise.id)
        .where(wanted)
        .order_by(*COUNTY_ORDER, Enterprise.uscc)
    )
    return query if county is None else query.where(County.name == county)


def coverage(session: Session, county: str | None = None) -> Coverage:
    """包联 coverage of the roster (of one ``county`` when given; ScopeError for an unknown one)."""
    check_county(session, county)
    found = []
    shares = []
    for wanted, missing, what in (
        (Enterprise.above_scale.is_(True), Assignment.team_id, TEAM),
        (Enterprise.size.in_(LARGE_OR_MEDIUM), Assignment.leader_id, LEADER),
    ):
        rows = session.execute(_rows(county, wanted, missing)).all()
        lacking = [Uncovered(uscc, name, where, what) for uscc, name, where, no in rows if no]
        shares.append(Share(len(rows) - len(lacking), len(rows)))
        found += lacking
    return Coverage(shares[0], shares[1], found)
