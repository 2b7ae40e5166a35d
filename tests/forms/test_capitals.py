"""Amounts in Chinese capitals, as banks write them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.forms.capitals import amount_in_capitals


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        ("250000.00", "贰拾伍万元整"),
        ("500000", "伍拾万元整"),
        ("1000000.00", "壹佰万元整"),
        ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
        ("1234.50", "壹仟贰佰叁拾肆元伍角"),
        ("10005.01", "壹万零伍元零壹分"),
        ("0.05", "伍分"),
        ("7500.25", "柒仟伍佰元贰角伍分"),
    ],
)
def test_capitals(amount: str, capitals: str) -> None:
    assert amount_in_capitals(Decimal(amount)) == capitals


def test_negative_amount_is_refused() -> None:
    with pytest.raises(ValueError, match="负数"):
        amount_in_capitals(Decimal("-1"))
