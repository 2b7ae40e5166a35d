"""Numbers with their units: money in yuan, areas, counts. Thousands separators, full-width
digits, stray spaces, a unit written in the cell and Excel's text forms are all accepted."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from math import isfinite
from typing import Any

from desktop.values.cells import OutOfRange, ValueProblem, half_width, unquoted

CENT = Decimal("0.01")
MONEY_UNITS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "亿元": Decimal(100000000),
}
UNIT_SHORT_FORMS = {"千": "千元", "万": "万元", "亿": "亿元"}  # 300万, as officers write amounts
AREA_UNITS = ("平方米", "m2", "平米")
# Electricity (用电量) in kilowatt-hours: 度 is the same unit; reports often count 万千瓦时.
ENERGY_UNITS: dict[str, Decimal] = {
    "千瓦时": Decimal(1), "度": Decimal(1), "kWh": Decimal(1), "kwh": Decimal(1),
    "万千瓦时": Decimal(10000), "万度": Decimal(10000),
}  # fmt: skip
MAX_KWH = Decimal(10) ** 11  # a hundred billion kWh a period (the column holds 10^12)
# The ranges a value may take: beyond them, a wrong unit or a typo (and the database's limits).
MAX_YUAN = Decimal(10) ** 15  # a thousand trillion yuan
MAX_AREA = Decimal(10) ** 8  # a hundred million square metres (the column holds 10^10)
MAX_COUNT = 10**9  # people, days: a whole count
MAX_RATIO = Decimal(10)  # a rate or share, 1000%
NEGATIVE = "不能为负数"
NOT_MONEY = "应为金额，如 1234.5 或 12.5万元"
BAD_GROUPING = "千分位分隔不正确（应每三位一组，如 1,234,567）"

_NUMBER = re.compile(
    r"([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?)(元|千元|万元|亿元|千|万|亿|平方米|m2|平米|人|万千瓦时|千瓦时|万度|度|kWh|kwh)?"
)


class _NotANumber(ValueProblem):
    """No number at all (which money says in its own words)."""


_SEPARATORS = str.maketrans("", "", ", \u3000'")
_GROUPED = re.compile(r"[+-]?\(?\d{1,3}(,\d{3})+(\.\d*)?\D*")  # 1,234,567.5万元


def _text_number(value: str) -> tuple[Decimal, str | None]:
    written = half_width(unquoted(value))
    if "," in written and not _GROUPED.fullmatch(written.replace(" ", "")):
        raise ValueProblem(BAD_GROUPING)
    raw = written.translate(_SEPARATORS)
    negative = raw.startswith("(") and raw.endswith(")")
    match = _NUMBER.fullmatch(raw[1:-1] if negative else raw)
    if not match:
        raise _NotANumber("应为数字")
    sign, digits, unit = match.groups()
    unit = UNIT_SHORT_FORMS.get(unit, unit)
    try:
        amount = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only decimals
        raise _NotANumber("应为数字") from exc
    return (-amount if sign == "-" or negative else amount), unit


def number(value: Any) -> tuple[Decimal, str | None]:
    """A number and the unit written after it in the cell, if any (``12.5万元`` → 12.5, 万元)."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _NotANumber("应为数字")
        return value, None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _NotANumber("应为数字")
    if isinstance(value, int):
        return Decimal(value), None
    if isinstance(value, float):
        if not isfinite(value):
            raise _NotANumber("应为数字")
        return Decimal(int(value) if value.is_integer() else repr(value)), None
    return _text_number(value)


def money(value: Any, unit: str = "元") -> Decimal:
    """An amount in yuan, to the cent, of either sign (a taxable income may be a loss); a unit
    written in the cell wins over the column's."""
    try:
        found, cell_unit = number(value)
    except _NotANumber:
        raise ValueProblem(NOT_MONEY) from None
    factor = MONEY_UNITS.get(cell_unit or unit)
    if factor is None:
        raise ValueProblem(f"单位「{cell_unit or unit}」不是金额单位")
    return yuan(found * factor)


def amount(value: Any, unit: str = "元") -> Decimal:
    """A non-negative amount in yuan (output, assets, rent, an award): as :func:`money`."""
    found = money(value, unit)
    if found < 0:
        raise OutOfRange(NEGATIVE)
    return found


def yuan(found: Decimal) -> Decimal:
    """An amount rounded to the cent, half up; refused beyond what a roster can mean."""
    if abs(found) >= MAX_YUAN:
        raise OutOfRange("金额过大（应小于1000万亿元），请检查数值和单位")
    return found.quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(amount: Decimal, *, signed: bool = False) -> str:
    """Money as every table, explanation and message shows it: to the cent (half up), in
    groups of three (``1234567.5`` → ``1,234,567.50``); ``signed`` shows a plus too."""
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{rounded:+,}" if signed else f"{rounded:,}"


def decimal(value: Any) -> Decimal:
    """A non-negative measure such as an area (平方米 may be written after it)."""
    found, unit = number(value)
    if unit is not None and unit not in AREA_UNITS:
        raise ValueProblem(f"单位「{unit}」不适用")
    if found < 0:
        raise OutOfRange(NEGATIVE)
    if found >= MAX_AREA:
        raise OutOfRange("面积过大（应小于1亿平方米），请检查数值和单位")
    return found


def ratio(value: Any) -> Decimal:
    """A rate or share from 0 to 10: ``0.015``, ``1.5%`` or ``1.5％`` (a percent sign divides
    by 100)."""
    raw = half_width(unquoted(value)) if isinstance(value, str) else value
    percent = isinstance(raw, str) and raw.endswith("%")
    found, unit = number(raw[:-1] if percent else raw)
    if unit is not None:
        raise ValueProblem(f"单位「{unit}」不适用")
    found = found / 100 if percent else found
    if not 0 <= found <= MAX_RATIO:
        raise OutOfRange("比率应在0到10之间（即0%到1000%）")
    return found


def integer(value: Any) -> int:
    """A whole count from 0 to ``MAX_COUNT`` (``1,234``, ``１２３人``, 12.0): people, days."""
    found, unit = number(value)
    if unit not in (None, "人"):
        raise ValueProblem(f"单位「{unit}」不适用")
    if found != found.to_integral_value():
        raise ValueProblem("应为整数")
    if found < 0:
        raise OutOfRange(NEGATIVE)
    if found > MAX_COUNT:
        raise OutOfRange("数值过大（应为0到10亿之间的整数）")
    return int(found)


def energy(value: Any, unit: str = "千瓦时") -> Decimal:
    """Electricity in kWh, to the hundredth, not negative: the column's unit (千瓦时, 度, 万千瓦时)
    unless the cell writes its own (``1.2万千瓦时``)."""
    found, cell_unit = number(value)
    factor = ENERGY_UNITS.get(cell_unit or unit)
    if factor is None:
        raise ValueProblem(f"单位「{cell_unit or unit}」不是电量单位（千瓦时、度、万千瓦时）")
    found *= factor
    if found < 0:
        raise OutOfRange(NEGATIVE)
    if found >= MAX_KWH:
        raise OutOfRange("用电量过大（应小于1000亿千瓦时），请检查数值和单位")
    return found.quantize(CENT, rounding=ROUND_HALF_UP)
