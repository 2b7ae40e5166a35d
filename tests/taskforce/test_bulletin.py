"""Bulletin figures on the fixture county, worked by hand (golden/README.md), through to_json()."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desktop.rules.catalogue import ScopeError
from desktop.store import Database
from desktop.taskforce.bulletin import bulletin
from desktop.taskforce.figures import rate_text, yuan_text
from desktop.taskforce.periods import period
from tests.taskforce.conftest import FixtureCounty, code, golden


@pytest.mark.parametrize(
    ("written", "today"), [("2023-03", date(2023, 4, 10)), ("2023-W10", date(2023, 3, 9))]
)
def test_bulletin_json_is_the_hand_worked_one(
    county: FixtureCounty, written: str, today: date
) -> None:
    with county.db.reader() as s:
        found = bulletin(s, period(written), today).to_json()
    assert found == golden(f"bulletin_{period(written).code}.json")


@pytest.mark.parametrize(
    ("written", "today"), [("2023年3月", date(2023, 4, 10)), ("2023年第10周", date(2023, 3, 9))]
)
def test_the_period_before_and_the_largest_decliners(
    county: FixtureCounty, written: str, today: date
) -> None:
    with county.db.reader() as s:
        found = bulletin(s, period(written), today)
    expected = golden("bulletin_extras.json")[found.period.code]
    units = [*found.units, found.total]
    assert {u.unit: rate_text(u.output_pop) for u in units} == expected["output_pop"]
    assert [[d.uscc, yuan_text(d.fall)] for d in found.decliners] == [
        [code(n), fall] for n, fall in expected["decliners"]
    ]


def test_a_decliner_and_the_statuses(county: FixtureCounty) -> None:
    with county.db.reader() as s:
        march = bulletin(s, period("2023-03"), date(2023, 4, 10))
    assert march.decliners[0].growth == Decimal(-200) / Decimal(1200)
    # 停产 5; 部分复工 4, 9; 全面复工 2, 3, 6; 达产达效 1
    assert march.units[0].by_status == (1, 2, 3, 1)


def test_a_period_not_over_judges_problems_today(county: FixtureCounty) -> None:
    with county.db.reader() as s:
        found = bulletin(s, period("2023-03"), date(2023, 3, 16))
    assert [u.problems_overdue for u in found.units] == [0, 1, 0]  # P7, due 03-15
    assert found.total.problems_overdue == 1


def test_one_county(county: FixtureCounty) -> None:
    with county.db.reader() as s:
        found = bulletin(s, period("2023-03"), date(2023, 4, 10), county="定襄县").to_json()
    (unit,) = golden("bulletin_2023-03.json")["units"][1:2]
    assert found["units"] == [unit]
    assert found["total"] == {**unit, "unit": "合计"}


def test_an_unknown_county_is_refused_as_evaluate_refuses_it(county: FixtureCounty) -> None:
    with county.db.reader() as s, pytest.raises(ScopeError, match="没有名为「忻府」的县"):
        bulletin(s, period("2023-03"), date(2023, 4, 10), county="忻府")
    with county.db.reader() as s:  # a county of the city without enterprises: one empty unit
        (unit,) = bulletin(s, period("2023-03"), date(2023, 4, 10), county="代县").units
    assert unit.to_json()["not_reporting"] == 0 and unit.to_json()["output"] == "0.00"


def test_an_empty_roster_gives_an_empty_bulletin(db: Database) -> None:
    with db.reader() as s:
        found = bulletin(s, period("2023-03"), date(2023, 4, 10)).to_json()
    assert found["units"] == []
    assert found["total"] == {
        "unit": "合计", "reporting": 0, "not_reporting": 0, "resumption_rate": None,
        "output": "0.00", "output_yoy": None, "problems_raised": 0, "problems_solved": 0,
        "problems_overdue": 0, "resolution_rate": None, "visit_coverage": None,
    }  # fmt: skip
