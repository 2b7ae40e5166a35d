"""The catalogue: each measure module declares one Measure, and the rules' results never hold
the amount among their facts (the paperwork shows it once)."""

from __future__ import annotations

import importlib
import pkgutil
import tomllib
from importlib import resources

import pytest

import desktop.rules.measures as measures_package
from desktop.rules.catalogue import CATALOGUE, ScopeError, measure, measures
from desktop.rules.engine import evaluate_roster
from desktop.rules.fact_text import fact_text
from desktop.rules.measure import Measure
from desktop.rules.policy import load_policy
from desktop.samples import load_sample


def test_every_measure_module_declares_one_measure_and_the_catalogue_holds_them() -> None:
    declared = []
    for info in pkgutil.iter_modules(measures_package.__path__):
        module = importlib.import_module(f"desktop.rules.measures.{info.name}")
        if isinstance(getattr(module, "MEASURE", None), Measure):
            declared.append(module.MEASURE)
    assert sorted(m.key for m in declared) == sorted(CATALOGUE)
    assert list(CATALOGUE) == ["5", "11", "12", "13"]
    assert [m.heading for m in CATALOGUE.values()] == [
        "第五条 小型微利企业所得税减免", "第十一条 开发区标准化厂房租金减免",
        "第十二条 “白名单”企业市级配套奖励", "第十三条 重点产业链链主企业奖励",
    ]  # fmt: skip
    assert (
        measure("12").basis
        == "《忻州市支持工业企业加快复工复产达产达效十八条措施》（忻政办发〔2022〕86号）第十二条"
    )


def test_unknown_measure_names_the_catalogue() -> None:
    with pytest.raises(ScopeError) as caught:
        measures(["12", "7"])
    assert str(caught.value) == "措施编号「7」无效；可测算：第五条、第十一条、第十二条、第十三条"


def test_no_result_holds_its_amount_as_a_fact(db) -> None:  # type: ignore[no-untyped-def]
    load_sample(db)
    with db.reader() as session:
        results = evaluate_roster(session)
    assert {r.measure for r in results if r.amount} == set(CATALOGUE)
    for r in results:
        labels = [label for label, _ in r.facts]
        assert not [x for x in labels if CATALOGUE[r.measure].amount_label in x], r.measure
        assert "True" not in "".join(fact_text(label, v) for label, v in r.facts)


def test_parameters_carry_no_effective_dates_nobody_reads() -> None:
    text = (resources.files("desktop.resources") / "policies" / "xinzhou-2022-86.toml").read_text(
        "utf-8"
    )
    assert all("effective" not in p for p in tomllib.loads(text)["parameters"].values())
    assert not hasattr(next(iter(load_policy().parameters.values())), "effective")


@pytest.mark.parametrize(
    ("key", "shown", "typed", "value"),
    [("5.taxable_income_limit", "300万元", "250万", "2500000.00"),
     ("12.city_match_ratio", "50%", "60%", "0.6"),
     ("5.standard_rate", "25%", "0.3", "0.3"),
     ("11.max_waived_months", "6个月", "7", "7")],
)  # fmt: skip
def test_a_parameter_reads_and_is_typed_in_the_officers_units(
    key: str, shown: str, typed: str, value: str
) -> None:
    p = load_policy().parameters[key]
    assert p.shown == shown
    assert str(p.overridden(typed).value) == value
