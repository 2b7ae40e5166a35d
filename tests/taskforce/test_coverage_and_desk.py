"""包联 coverage and the work desk on the fixture county (golden/README.md)."""

from __future__ import annotations

from datetime import date

from desktop.taskforce.coverage import coverage
from desktop.taskforce.desk import desk_items, desk_json, last_period
from desktop.taskforce.periods import period
from tests.taskforce.conftest import FixtureCounty, code, golden


def test_coverage(county: FixtureCounty) -> None:
    with county.db.reader() as s:
        found = coverage(s).to_json()
    expected = golden("coverage.json")
    assert (found["team"], found["leader"]) == (expected["team"], expected["leader"])
    assert [(u["uscc"], u["missing"]) for u in found["not_covered"]] == [
        (code(n), missing) for missing, ns in expected["not_covered"].items() for n in ns
    ]
    assert found["not_covered"][0] == {
        "uscc": code(3), "name": "企业03", "county": "忻府区", "missing": "服务小组"
    }  # fmt: skip


def test_coverage_of_one_county(county: FixtureCounty) -> None:
    with county.db.reader() as s:
        found = coverage(s, "原平市")
    assert (found.team.covered, found.team.of, found.leader.covered, found.leader.of) == (
        2,
        5,
        2,
        2,
    )
    assert [u.uscc for u in found.uncovered] == [code(23), code(24), code(25)]


def test_desk(county: FixtureCounty) -> None:
    ids = county.problems
    with county.db.reader() as s:
        items = desk_items(s, date(2023, 4, 10))
        assert last_period(s) == period("2023-03")
    problems = [(i.ref, i.warning) for i in items if i.kind == "problem"]
    assert problems == [
        *((ids[p], "red") for p in ("P7", "P2", "P8", "P5", "P4")), (ids["P10"], "yellow")
    ]  # fmt: skip
    assert [i.uscc for i in items if i.kind == "visit"] == [code(n) for n in (1, 2, 4, 9, 21, 22)]
    assert [i.uscc for i in items if i.kind == "report"] == [
        code(n) for n in (7, 8, 21, 22, 23, 24, 25)
    ]
    assert [i.kind for i in items] == ["problem"] * 6 + ["visit"] * 6 + ["report"] * 7
    first = desk_json(items)["items"][0]
    text = f"问题 #{ids['P7']}（企业12）：P7 的问题；主办 工信局，办理时限 2023-03-15，已超期 26 天"
    assert first == {"kind": "problem", "warning": "red", "uscc": code(12), "text": text}
    yellow = next(i for i in items if i.warning == "yellow")
    assert yellow.text.endswith("办理时限 2023-04-12，还有 2 天到期")
    assert next(i for i in items if i.kind == "visit").text == "企业01：包联企业2023年4月尚未走访"
    assert items[-1].text == "企业25：2023年3月运行监测未报送"
