"""The fixture county of golden/county.toml, loaded into a fresh database through the ORM."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from stdnum.cn import uscc as uscc_code

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
from desktop.store import Database

GOLDEN = Path(__file__).with_name("golden")
WAN = Decimal(10000)


def code(n: int) -> str:
    """The credit code of fixture enterprise ``n``."""
    body = f"91140902MA{n:07d}"
    return body + uscc_code.calc_check_digit(body)


def golden(name: str) -> Any:
    """A golden JSON file's content."""
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


def _load(db: Database, data: dict[str, Any]) -> dict[str, int]:
    """Write the fixture; returns each problem's label → id."""
    with db.session(source="command") as s:
        counties = dict(s.execute(select(County.name, County.id)).all())
        firms = {}
        for n, county, above, size in data["enterprises"]:
            firms[n] = Enterprise(uscc=code(n), name=f"企业{n:02d}", county_id=counties[county],
                                  above_scale=above, size=size or None)  # fmt: skip
        s.add_all(firms.values())
        for n, month, wan in data["monthly_output"]:
            year, number = map(int, month.split("-"))
            s.add(MonthlyOutput(enterprise=firms[n], year=year, month=number, output=wan * WAN))
        for n, period, status, wan in data["monitoring"]:
            output = None if wan < 0 else wan * WAN
            s.add(Monitoring(enterprise=firms[n], period=period, status=status, output=output))
        people = {name: Person(name=name, kind=kind) for name, kind in data["people"]}
        teams = {name: ServiceTeam(name=name) for name in data["teams"]}
        for n, leader, team in data["assignments"]:
            s.add(Assignment(enterprise=firms[n], leader=people.get(leader), team=teams.get(team)))
        for n, day in data["visits"]:
            s.add(Visit(enterprise=firms[n], visited_on=day, people="周专员"))
        problems = {}
        for label, n, raised, due, state in data["problems"]:
            problems[label] = Problem(
                enterprise=firms[n], raised_on=raised, deadline=due, state=state,
                category="其他", description=f"{label} 的问题", lead_unit="工信局",
            )  # fmt: skip
        s.add_all(problems.values())
        s.flush()
        return {label: p.id for label, p in problems.items()}


@dataclass(frozen=True)
class FixtureCounty:
    """The database holding the fixture, and its problems' ids by label (P1 …)."""

    db: Database
    problems: dict[str, int]


@pytest.fixture
def county(db: Database) -> FixtureCounty:
    """A database holding the fixture county."""
    data = tomllib.loads((GOLDEN / "county.toml").read_text(encoding="utf-8"))
    return FixtureCounty(db, _load(db, data))
