"""cases.toml: the shipped values, and a missing or wrong one refused by its key."""

from __future__ import annotations

import tomllib
from datetime import date
from importlib import resources
from typing import Any

import pytest

from desktop.cases.errors import CaseError
from desktop.cases.parameters import load_case_parameters, parse_case_parameters


def _shipped() -> dict[str, Any]:
    entry = resources.files("desktop.resources") / "policies" / "cases.toml"
    return tomllib.loads(entry.read_text("utf-8"))


def test_the_shipped_parameters() -> None:
    p = load_case_parameters()
    assert (p.publicity_working_days, p.warn_days) == (5, 15)
    assert p.deadline("12") == date(2023, 12, 31)
    assert {m: p.level(m) for m in ("5", "11", "12", "13")} == {
        "5": "县级", "11": "县级", "12": "市级", "13": "市级",
    }  # fmt: skip
    assert "第八条" in _shipped()["cases"]["deadline"]["source"]
    assert all(entry["label"] for entry in _shipped()["cases"].values())


def test_a_measure_without_a_deadline_is_named() -> None:
    with pytest.raises(CaseError, match=r"兑现参数缺少「cases.deadline.6」（cases.toml）"):
        load_case_parameters().deadline("6")


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("publicity_working_days", "value"), "5", "「cases.publicity_working_days」的值「5」"),
        (("publicity_working_days", "value"), 0, "应至少为 1"),
        (("warn_days", "value"), -1, "「cases.warn_days」的值「-1」"),
        (("level", "values"), {"12": "乡级"}, "「cases.level.12」的值「乡级」"),
        (("deadline", "values"), {"12": "2023-12-31"}, "「cases.deadline.12」的值「2023-12-31」"),
    ],
)
def test_a_wrong_value_is_refused_by_its_key(
    path: tuple[str, str], value: object, message: str
) -> None:
    data = _shipped()
    data["cases"][path[0]][path[1]] = value
    with pytest.raises(CaseError, match=message):
        parse_case_parameters(data)


def test_a_missing_entry_is_refused_by_its_key() -> None:
    data = _shipped()
    del data["cases"]["warn_days"]
    with pytest.raises(CaseError, match=r"兑现参数缺少「cases.warn_days」"):
        parse_case_parameters(data)
