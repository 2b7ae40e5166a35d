"""``relief-desk evaluate`` over the bundled sample county."""

from __future__ import annotations

import json

import pytest

from desktop.cli import main
from desktop.samples import load_sample
from tests.conftest import cli_db

KEYS = ["measure", "uscc", "name", "county", "period", "verdict", "amount", "expected", "clause",
        "explanation"]  # fmt: skip


@pytest.fixture
def sample_db(db):
    load_sample(db)
    db.close()
    return cli_db(db)


def test_evaluate_json_shape(sample_db, capsys):
    code = main(["--db", str(sample_db), "evaluate", "--json"])
    rows = json.loads(capsys.readouterr().out)
    assert code == (1 if any(r["verdict"] == "incomplete" for r in rows) else 0)
    assert {r["measure"] for r in rows} == {"5", "11", "12", "13"}
    for r in rows:
        assert list(r) == KEYS
        assert r["verdict"] in ("eligible", "ineligible", "incomplete")
        assert (r["amount"] is None) == (r["verdict"] != "eligible")
        assert r["amount"] is None or r["amount"].split(".")[1].__len__() == 2


def test_evaluate_the_city_and_one_unit(sample_db, capsys):
    """The sample's roster spans seven units: the whole city decides each enterprise, a unit
    only its own, with the same verdicts."""
    main(["--db", str(sample_db), "evaluate", "--measure", "12", "--json"])
    city = {r["uscc"]: r for r in json.loads(capsys.readouterr().out)}
    assert len({r["county"] for r in city.values()}) == 7
    main(["--db", str(sample_db), "evaluate", "--measure", "12", "--county", "原平市", "--json"])
    unit = json.loads(capsys.readouterr().out)
    assert unit == [r for r in city.values() if r["county"] == "原平市"] and len(unit) == 3


def test_evaluate_what_if_raises_city_match(sample_db, capsys):
    main(["--db", str(sample_db), "evaluate", "--measure", "12", "--json"])
    before = {r["uscc"]: r["amount"] for r in json.loads(capsys.readouterr().out)}
    main(["--db", str(sample_db), "evaluate", "--measure", "12", "--json",
          "--set", "12.city_match_ratio=0.6"])  # fmt: skip
    after = {r["uscc"]: r["amount"] for r in json.loads(capsys.readouterr().out)}
    changed = [u for u in before if before[u] is not None]
    assert changed
    for u in changed:
        assert float(after[u]) == pytest.approx(float(before[u]) * 1.2)


def test_evaluate_unknown_parameter_is_one_line_exit_2(sample_db, capsys):
    code = main(["--db", str(sample_db), "evaluate", "--set", "12.nonsense=1"])
    assert code == 2
    assert "12.nonsense" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["acceptance", "--kind", "coal", "--cause", "epidemic", "--days", "12"], "应急部门"),
        (["licence", "--expiry", "2023-01-31"], "2023-04-30"),
        (["deferral", "--month", "2023-02"], "可申请缓缴"),
        (["guarantee", "--principal", "1000000", "--rate", "0.015", "--date", "2023-01-10"],
         "金额：7500.00 元"),
        (["employment", "--people", "5"], "尚未设置"),
    ],
)  # fmt: skip
def test_calc(db_path, capsys, argv: list[str], words: str) -> None:
    assert main(["--db", str(db_path), "calc", *argv]) == 0
    assert words in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [["nope"], ["licence", "--expiry", "2023-02-30"], ["licence"], ["deferral", "--when", "x"],
     ["guarantee", "--principal", "-1", "--rate", "0.01", "--date", "2023-01-01"]],
)  # fmt: skip
def test_calc_bad_input_is_one_chinese_line(db_path, capsys, argv: list[str]) -> None:
    assert main(["--db", str(db_path), "calc", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err and "\n" not in err and "Traceback" not in err


def test_evaluate_what_if_takes_wan_and_per_cent(sample_db, capsys):
    main(["--db", str(sample_db), "evaluate", "--measure", "12", "--json",
          "--set", "12.city_match_ratio=60%"])  # fmt: skip
    in_per_cent = json.loads(capsys.readouterr().out)
    main(["--db", str(sample_db), "evaluate", "--measure", "12", "--json",
          "--set", "12.city_match_ratio=0.6"])  # fmt: skip
    assert json.loads(capsys.readouterr().out) == in_per_cent
    main(["--db", str(sample_db), "evaluate", "--measure", "5", "--json"])
    before = json.loads(capsys.readouterr().out)
    main(["--db", str(sample_db), "evaluate", "--measure", "5", "--json",
          "--set", "5.taxable_income_limit=1万"])  # fmt: skip
    after = json.loads(capsys.readouterr().out)
    eligible = [sum(r["verdict"] == "eligible" for r in rows) for rows in (before, after)]
    assert eligible[0] > eligible[1]


@pytest.mark.parametrize(
    ("setting", "words"),
    [("12.city_match_ratio=0.6x",
      "「市级配套比例」的值「0.6x」无法识别（应为数字，如 60% 或 0.6）"),
     ("5.taxable_income_limit=三百万", "「小型微利企业应纳税所得额上限」的值「三百万」无法识别"
                                       "（应为金额，如 300万 或 3000000）")],
)  # fmt: skip
def test_evaluate_bad_what_if_value_is_one_line_exit_2(sample_db, capsys, setting, words):
    assert main(["--db", str(sample_db), "evaluate", "--set", setting]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == words and captured.out == ""


@pytest.mark.parametrize(
    ("scope", "words"),
    [(["--county", "太原市"], "没有名为「太原市」的县（市、区）"),
     (["--measure", "7"], "措施编号「7」无效；可测算：第五条、第十一条、第十二条、第十三条")],
)  # fmt: skip
def test_an_unknown_scope_is_the_same_refusal_for_evaluate_and_export(
    sample_db, tmp_path, capsys, scope, words
):
    out = str(tmp_path / "out.xlsx")
    export = ["export", *scope, "-o", out] if "--measure" in scope else [
        "export", "--measure", "12", *scope, "-o", out]  # fmt: skip
    seen = []
    for argv in (["evaluate", *scope], export):
        assert main(["--db", str(sample_db), *argv]) == 2
        seen.append(capsys.readouterr().err.strip())
    assert seen == [words, words]
