"""第五条 beyond the golden cases: enterprises with no taxable income in any annual record, and
a restricted-industry fact that was not given."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.cli import main
from desktop.models import AnnualFigures, Enterprise
from desktop.rules.enterprise_facts import EnterpriseFacts, YearFigures
from desktop.rules.measures.small_profit_tax import MEASURE, RESTRICTED_ASSUMED
from desktop.rules.policy import load_policy
from desktop.rules.result import Verdict
from desktop.samples import load_sample

SMALL = {"taxable_income": Decimal(1_000_000), "employees": 50, "total_assets": Decimal(9_000_000)}


def _facts(**years: YearFigures) -> EnterpriseFacts:
    annual = {int(y[1:]): figures for y, figures in years.items()}
    return EnterpriseFacts("91140900MA0000000X", "测试企业", "忻府区", annual=annual)


def test_no_taxable_income_in_any_year_is_one_incomplete_result_for_the_latest() -> None:
    facts = _facts(y2021=YearFigures(output=Decimal(5)), y2022=YearFigures(employees=10))
    (r,) = MEASURE.decide(facts, load_policy())
    assert (r.period, r.verdict, r.amount) == ("2022", Verdict.INCOMPLETE, None)
    assert r.explanation == (
        "年度数据均无应纳税所得额，请在「年度数据」表补录2022年应纳税所得额。依据：第五条",
    )
    assert dict(r.facts)["应纳税所得额（元）"] is None


def test_no_annual_record_is_no_result() -> None:
    assert MEASURE.decide(_facts(), load_policy()) == []


@pytest.mark.parametrize(
    ("given", "verdict", "said"),
    [(None, Verdict.ELIGIBLE, True), (False, Verdict.ELIGIBLE, False),
     (True, Verdict.INELIGIBLE, False)],
)  # fmt: skip
def test_restricted_industry_not_given_is_taken_as_no_and_said(
    given: bool | None, verdict: Verdict, said: bool
) -> None:
    (r,) = MEASURE.decide(_facts(y2023=YearFigures(**SMALL, restricted_industry=given)),
                          load_policy())  # fmt: skip
    assert r.verdict is verdict
    assert (r.explanation[0] == RESTRICTED_ASSUMED) is said
    assert RESTRICTED_ASSUMED == "未填报限制或禁止行业，按“否”处理"
    if verdict is Verdict.ELIGIBLE:  # 1,000,000 × 25% − 1,000,000 × 25% × 20% = 200,000
        assert r.amount == Decimal("200000.00")


def test_restricted_not_given_is_said_on_an_incomplete_result_too() -> None:
    year = YearFigures(taxable_income=Decimal(10), restricted_industry=None)
    (r,) = MEASURE.decide(_facts(y2023=year), load_policy())
    assert r.verdict is Verdict.INCOMPLETE and r.explanation[0] == RESTRICTED_ASSUMED


def test_the_enterprise_is_listed_by_the_command_line(db, db_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    load_sample(db)
    with db.session() as session:
        recorded = select(AnnualFigures.enterprise_id)
        enterprise = session.scalars(
            select(Enterprise).where(Enterprise.id.not_in(recorded)).order_by(Enterprise.uscc)
        ).first()
        assert enterprise is not None
        uscc = enterprise.uscc
        for year in (2021, 2022):
            session.add(AnnualFigures(enterprise=enterprise, year=year, output=Decimal(100)))
    db.close()
    assert main(["--db", db.where, "evaluate", "--measure", "5", "--json"]) == 1
    mine = [r for r in json.loads(capsys.readouterr().out) if r["uscc"] == uscc]
    assert [(r["period"], r["verdict"]) for r in mine] == [("2022", "incomplete")]
    # the rows leave 限制或禁止行业 not given, so the assumption is said too (before or after)
    missing = next(line for line in mine[0]["explanation"] if "应纳税所得额" in line)
    assert "「年度数据」" in missing
