"""The per-case calculators, worked by hand from RULES.md."""

from __future__ import annotations

import inspect
import typing
from datetime import date
from decimal import Decimal

import pytest

from desktop.rules.calculators import CALCULATORS, CalculatorError, add_months


@pytest.mark.parametrize(
    ("kind", "cause", "days", "words"),
    [
        ("coal", "epidemic", 10, "主体企业自行组织验收"),
        ("化工企业", "疫情", 11, "当地应急部门"),
        ("coal", "accident", 3, "整顿恢复机制实施办法"),
        ("other", "epidemic", 3, "只适用于煤矿、化工企业"),
    ],
)
def test_acceptance_route(kind: str, cause: str, days: int, words: str) -> None:
    assert words in CALCULATORS["acceptance"](kind, cause, days).explanation[0]


def test_acceptance_refuses_an_unknown_kind() -> None:
    with pytest.raises(CalculatorError, match="企业类型"):
        CALCULATORS["acceptance"]("farm", "epidemic", 3)


@pytest.mark.parametrize(
    ("expiry", "until"),
    [
        (date(2023, 1, 31), date(2023, 4, 30)),
        (date(2022, 11, 30), date(2023, 2, 28)),
        (date(2023, 11, 30), date(2024, 2, 29)),
        (date(2023, 2, 15), date(2023, 5, 15)),
        (date(2022, 12, 31), date(2023, 3, 31)),
    ],
)
def test_licence_extension_clamps_to_month_end(expiry: date, until: date) -> None:
    assert CALCULATORS["licence"](expiry).until == until == add_months(expiry, 3)


@pytest.mark.parametrize(
    ("month", "applies"),
    [("2022-11", False), ("2022-12", True), ("2023-03", True), ("2023-04", False)],
)
def test_deferral_window(month: str, applies: bool) -> None:
    assert CALCULATORS["deferral"](month).applies is applies


@pytest.mark.parametrize(
    ("day", "fee"),
    [(date(2022, 11, 30), None), (date(2022, 12, 1), Decimal("7500.00")),
     (date(2023, 3, 31), Decimal("7500.00")), (date(2023, 4, 1), None)],
)  # fmt: skip
def test_guarantee_fee_halved_in_window(day: date, fee: Decimal | None) -> None:
    assert CALCULATORS["guarantee"](Decimal(1000000), Decimal("0.015"), day).amount == fee


def test_employment_subsidy_needs_the_setting() -> None:
    unset = CALCULATORS["employment"](5)
    assert not unset.applies and "employment_subsidy_per_person" in unset.explanation[0]
    assert CALCULATORS["employment"](5, Decimal("1000")).amount == Decimal("5000.00")


def test_every_calculator_labels_each_parameter() -> None:
    for calc in CALCULATORS.values():
        names = list(inspect.signature(calc).parameters)
        assert names == list(calc.labels)
        assert set(typing.get_type_hints(calc)) == {*names, "return"}
