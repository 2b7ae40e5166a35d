"""Policy parameters: the shipped file, what-if overrides, and a second policy document."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from desktop.rules.catalogue import CATALOGUE
from desktop.rules.engine import apply_overrides, evaluate_facts
from desktop.rules.enterprise_facts import EnterpriseFacts
from desktop.rules.measure import Measure
from desktop.rules.policy import DEFAULT_DOCUMENT, PolicyError, load_policy, load_policy_file
from desktop.rules.result import Result, Verdict

SECOND = Path(__file__).parent / "second_policy.toml"


def test_every_parameter_is_labelled_and_cited() -> None:
    policy = load_policy()
    assert policy.number == "忻政办发〔2022〕86号"
    for p in policy.parameters.values():
        assert p.label and p.unit and p.clause.startswith("第") and p.source
    assert [(t.first, t.last) for t in policy.tax_years] == [
        (2021, 2021),
        (2022, 2022),
        (2023, 2027),
    ]
    assert all("公告" in t.source or "财税" in t.source for t in policy.tax_years)


def test_parameter_without_label_is_a_load_error_naming_the_key(tmp_path: Path) -> None:
    text = SECOND.read_text("utf-8").replace('label = "白名单企业奖励金额"\n', "")
    assert "label" not in text
    (tmp_path / "p.toml").write_text(text, "utf-8")
    with pytest.raises(PolicyError, match=r"3\.white_list_bonus.*label"):
        load_policy_file(tmp_path / "p.toml")


def test_unknown_override_lists_keys_with_labels() -> None:
    with pytest.raises(PolicyError, match=r"12\.city_match_ratio（市级配套比例）"):
        load_policy().with_overrides({"12.no_such": "1"})


def test_override_changes_one_evaluation_only() -> None:
    policy = load_policy()
    changed = policy.with_overrides({"12.city_match_ratio": "0.6"})
    assert changed["12.city_match_ratio"] == Decimal("0.6")
    assert policy["12.city_match_ratio"] == Decimal("0.50")
    assert load_policy()["12.city_match_ratio"] == Decimal("0.50")


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"12.no_such": "1"}, "12.no_such"),
        ({"12.city_match_ratio": "六成"}, "六成"),
        ({"12.city_match_ratio": "NaN"}, "NaN"),
        ({"11.max_waived_months": "6.5"}, "6.5"),
        ({"12.window_start": "2023-13"}, "2023-13"),
    ],
)
def test_bad_override_is_a_clear_error(overrides: dict[str, str], words: str) -> None:
    with pytest.raises(PolicyError, match=words):
        apply_overrides({DEFAULT_DOCUMENT: load_policy()}, overrides)


@pytest.mark.parametrize(
    ("key", "text", "kind"),
    [
        ("12.city_match_ratio", "六成", "应为数字"),
        ("11.max_waived_months", "6.5", "应为整数"),
        ("9.first_day", "2022-13-01", "应为日期"),
        ("12.window_start", "一月", "应为年月"),
    ],
)
def test_bad_value_names_the_type_in_chinese(key: str, text: str, kind: str) -> None:
    with pytest.raises(PolicyError, match=kind) as caught:
        load_policy().with_overrides({key: text})
    assert "decimal" not in str(caught.value) and "int" not in str(caught.value)


def _bonus(f: EnterpriseFacts, p) -> list[Result]:  # type: ignore[no-untyped-def]
    """The second document's new rule: a fixed bonus to white-list enterprises."""
    verdict = Verdict.ELIGIBLE if f.white_list else Verdict.INELIGIBLE
    amount = p["3.white_list_bonus"] if f.white_list else None
    return [Result("3", f.uscc, f.name, f.county, "2023", verdict, amount, False, "第三条", ())]


def test_a_second_policy_document_is_a_file_and_a_rule() -> None:
    second = load_policy_file(SECOND)
    bonus = Measure("3", "第三条", "白名单企业奖励", "奖励金额", "申报汇总表", None, _bonus,
                    second.document)  # fmt: skip
    measures = [CATALOGUE["12"], bonus]
    policies = apply_overrides(
        {DEFAULT_DOCUMENT: load_policy(), second.document: second},
        {"3.white_list_bonus": "100", "12.city_match_ratio": "0.6"},
    )
    facts = EnterpriseFacts("91140900MA0000000X", "甲", "忻府区", white_list=True,
                            monthly={(2022, 1): Decimal(100), (2023, 1): Decimal(200)})  # fmt: skip
    twelve, three = evaluate_facts([facts], measures, policies)
    assert (twelve.amount, three.amount) == (Decimal("600000.00"), Decimal(100))
    assert load_policy_file(SECOND)["3.white_list_bonus"] == Decimal("12345.67")
