"""The ranges a value may take, defined once beside each parser: a value outside them is an
``OutOfRange`` problem naming the range, never a traceback further on."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from desktop import values
from desktop.values import OutOfRange, ValueProblem
from desktop.values.dates import period
from desktop.values.numbers import energy

YEARS = "年份应在1990到2100之间"


@pytest.mark.parametrize(
    ("parse", "raw", "message"),
    [
        (values.integer, "1e30", "数值过大（应为0到10亿之间的整数）"),
        (values.integer, 1e19, "数值过大（应为0到10亿之间的整数）"),
        (values.integer, "-3", "不能为负数"),
        (values.decimal, "1e30", "面积过大（应小于1亿平方米），请检查数值和单位"),
        (values.ratio, "1e999", "比率应在0到10之间（即0%到1000%）"),
        (values.ratio, "-5%", "比率应在0到10之间（即0%到1000%）"),
        (values.amount, "1e30", "金额过大（应小于1000万亿元），请检查数值和单位"),
        (values.month, "9999-12", YEARS),
        (values.month, date(9999, 12, 1), YEARS),
        (values.month, time(0), YEARS),  # a date cell of 1899-12-31, as the readers give it
        (values.month, "9999-12-31", YEARS),
        (values.day, datetime(9999, 12, 31), YEARS),
        (values.day, "1900-01-01", YEARS),
        (values.day, 5, YEARS),  # Excel's serial 5 is 1900-01-04
        (values.year, date(1899, 12, 31), YEARS),
        (values.year, "3000", YEARS),
        (energy, "1e11", "用电量过大（应小于1000亿千瓦时），请检查数值和单位"),
        (energy, "10000000万千瓦时", "用电量过大（应小于1000亿千瓦时），请检查数值和单位"),
        (energy, "-1", "不能为负数"),
        (period, "2101-01", YEARS),
    ],
)  # fmt: skip
def test_a_value_beyond_its_range_names_the_range(parse, raw, message) -> None:
    with pytest.raises(OutOfRange) as caught:
        parse(raw)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("parse", "raw", "expected"),
    [
        (values.integer, "1000000000", 10**9),
        (values.decimal, "99999999.99", Decimal("99999999.99")),
        (values.ratio, "1000%", Decimal(10)),
        (values.ratio, "0", Decimal(0)),
        (values.month, date(1990, 1, 1), (1990, 1)),
        (values.day, "2100-12-31", date(2100, 12, 31)),
        (values.year, 2100, 2100),
        (energy, "99999999999.99", Decimal("99999999999.99")),
        (energy, "1.5万度", Decimal("15000.00")),
        (period, "2020-W53", "2020-W53"),
    ],
)  # fmt: skip
def test_the_edges_of_each_range_are_taken(parse, raw, expected) -> None:
    assert parse(raw) == expected


def test_a_date_cell_of_day_zero_is_named_as_the_date_it_shows() -> None:
    assert values.text(time(0)) == "1899-12-31"
    assert values.text(time(8, 30)) == "08:30:00"


@pytest.mark.parametrize("raw", ["1,234,567", "1,234.5", "12,345万", "(1,234)", "１，２３４"])
def test_thousands_separators_in_groups_of_three_are_read(raw: str) -> None:
    assert values.number(raw)[0] in (
        Decimal(1234567),
        Decimal("1234.5"),
        Decimal(12345),
        Decimal(-1234),
        Decimal(1234),
    )


@pytest.mark.parametrize(
    ("parse", "raw"),
    [(values.number, "1,2,3"), (values.money, "1,5"), (values.integer, "12,34"),
     (values.ratio, "1,5%"), (values.number, "1234,567")],
)  # fmt: skip
def test_misplaced_thousands_separators_are_refused(parse, raw) -> None:
    with pytest.raises(ValueProblem, match="千分位分隔不正确"):
        parse(raw)
