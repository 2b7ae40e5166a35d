"""A database with a few enterprises, results made by hand, and the shipped case parameters."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import uscc as uscc_code

from desktop.cases.opening import Basis
from desktop.cases.parameters import CaseParameters, load_case_parameters
from desktop.models import County, Enterprise
from desktop.rules.result import Result, Verdict
from desktop.store import Database

PARAMETERS: CaseParameters = load_case_parameters()
BASIS = Basis("xinzhou-2022-86", {"12.city_match_ratio": "0.50", "13.base_reward": "100000"})
PERIODS = {"5": "2022", "11": "2023", "12": "2023-Q1", "13": "2022"}
CLAUSES = {"5": "第五条", "11": "第十一条", "12": "第十二条", "13": "第十三条"}
ENTERPRISES = 4


def code(n: int) -> str:
    """A valid credit code for fictional enterprise ``n``."""
    body = f"91140902MA{n:07d}"
    return body + uscc_code.calc_check_digit(body)


def result(
    n: int,
    measure: str = "12",
    amount: str | None = "250000.00",
    verdict: Verdict = Verdict.ELIGIBLE,
    *,
    period: str | None = None,
    expected: bool = False,
) -> Result:
    """Enterprise ``n``'s result under ``measure``, as the rules would give it."""
    return Result(
        measure=measure,
        uscc=code(n),
        name=f"测试企业{n}",
        county="忻府区",
        period=period or PERIODS[measure],
        verdict=verdict,
        amount=None if amount is None else Decimal(amount),
        expected=expected,
        clause=CLAUSES[measure],
        explanation=(f"测试企业{n}的测算说明",),
    )


def with_verdict(r: Result, verdict: Verdict, amount: str | None) -> Result:
    """``r`` with another verdict and amount (a later evaluation)."""
    return replace(r, verdict=verdict, amount=None if amount is None else Decimal(amount))


def add_enterprises(session: Session, count: int = ENTERPRISES) -> None:
    """Enterprises 1 … ``count`` in 忻府区."""
    county = session.scalar(select(County).where(County.name == "忻府区"))
    for n in range(1, count + 1):
        session.add(Enterprise(uscc=code(n), name=f"测试企业{n}", county=county))
    session.flush()


@pytest.fixture
def cases_db(db: Database) -> Iterator[Database]:
    """The test database holding enterprises 1 … 4."""
    with db.session(source="command") as s:
        add_enterprises(s)
    yield db
