"""The pure cell normalisers: examples from real files, and properties over generated values."""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as uscc_code

from desktop import values
from desktop.values import USCC_ALPHABET, ValueProblem

FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        (12.5, "万元", Decimal("125000.00")),
        ("1,234.5", "元", Decimal("1234.50")),
        (" １２３４ ", "万元", Decimal("12340000.00")),
        ("2.5", "亿元", Decimal("250000000.00")),
        ("3万元", "元", Decimal("30000.00")),  # a unit in the cell wins over the column's
        ("(1,000)", "元", Decimal("-1000.00")),
        (7, "千元", Decimal("7000.00")),
        (0.1 + 0.2, "元", Decimal("0.30")),
    ],
)
def test_money_converts_units_to_yuan(raw: object, unit: str, expected: Decimal) -> None:
    assert values.money(raw, unit) == expected


@pytest.mark.parametrize(
    "raw", ["abc", "12..5", True, date(2023, 1, 1), "3平方米", 1e300, float("nan"), "1e99"]
)
def test_money_refuses_what_is_not_an_amount(raw: object) -> None:
    with pytest.raises(ValueProblem):
        values.money(raw, "元")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("是", True), ("否", False), ("√", True), ("×", False), ("y", True), ("N", False),
     (1, True), (0.0, False), ("有", True), ("无", False), (True, True), ("Ｙ", True)],
)  # fmt: skip
def test_flag_words(raw: object, expected: bool) -> None:
    assert values.flag(raw) is expected


def test_flag_refuses_other_words() -> None:
    with pytest.raises(ValueProblem, match="是"):
        values.flag("可能")


@pytest.mark.parametrize(
    "raw",
    [date(2023, 1, 5), datetime(2023, 1, 5, 10, 30), 44931, 44931.0, "2023-01-05",
     "2023/1/5", "2023.1.5", "2023年1月5日", "20230105", 20230105, "２０２３-０１-０５",
     "2023-01-05 00:00:00"],
)  # fmt: skip
def test_day_formats(raw: object) -> None:
    assert values.day(raw) == date(2023, 1, 5)


@pytest.mark.parametrize(("raw", "message"), [("2023-02-30", "不存在"), ("明天", "无法识别")])
def test_day_problems(raw: str, message: str) -> None:
    with pytest.raises(ValueProblem, match=message):
        values.day(raw)


@pytest.mark.parametrize(
    "raw",
    ["2023-01", "2023/1", "2023.01", "2023年1月", "2023年01月份", "202301", 202301,
     date(2023, 1, 1), datetime(2023, 1, 31), "2023-01-15"],
)  # fmt: skip
def test_month_formats(raw: object) -> None:
    assert values.month(raw) == (2023, 1)


@pytest.mark.parametrize(("raw", "message"), [("2023-13", "1到12"), ("一月", "年月")])
def test_month_problems(raw: str, message: str) -> None:
    with pytest.raises(ValueProblem, match=message):
        values.month(raw)


@pytest.mark.parametrize("raw", [2022, 2022.0, "2022", "2022年", "2022年度", date(2022, 6, 1)])
def test_year_formats(raw: object) -> None:
    assert values.year(raw) == 2022


def test_uscc_is_upper_cased_and_checked() -> None:
    good = "91140902MA0EXAMPL3"
    assert values.uscc(" " + good.lower() + " ") == good
    assert values.uscc(good.translate(str.maketrans("0123456789", "０１２３４５６７８９"))) == good
    with pytest.raises(ValueProblem, match="校验位错误"):
        values.uscc(good[:-1] + "4")
    with pytest.raises(ValueProblem, match="长度应为18位（实为17位）"):
        values.uscc(good[:-1])
    with pytest.raises(ValueProblem, match="不允许的字符"):
        values.uscc("91140902MA0EXAMPLO")
    with pytest.raises(ValueProblem, match="丢失"):
        values.uscc(9.11409021234567e17)


@given(st.text(alphabet=USCC_ALPHABET, min_size=18, max_size=18))
def test_fast_uscc_check_agrees_with_stdnum(candidate: str) -> None:
    expected = uscc_code.is_valid(candidate)
    try:
        values.uscc(candidate)
    except ValueProblem:
        assert not expected
    else:
        assert expected


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17).filter(lambda s: s[:8].isdigit()))
def test_every_code_with_its_check_character_is_accepted(body: str) -> None:
    code = body + uscc_code.calc_check_digit(body)
    assert values.uscc(code.lower()) == code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("忻府区", "忻府区"), ("忻府", "忻府区"), ("原平", "原平市"), ("代县", "代县"),
     ("山西省忻州市五台县", "五台县"), ("五台", "五台县"), ("五台山", "五台山风景名胜区"),
     ("忻州经开区", "忻州经济开发区"), (" 岢岚县 ", "岢岚县")],
)  # fmt: skip
def test_county_names(raw: str, expected: str) -> None:
    assert values.county(raw) == expected


def test_county_outside_xinzhou_is_a_problem() -> None:
    with pytest.raises(ValueProblem, match="忻州市"):
        values.county("太原市")


@pytest.mark.parametrize(
    ("raw", "expected"), [("C3311", "C3311"), ("c 3311", "C3311"), (3311, "C3311"),
                          ("3311", "C3311"), ("B0610", "B0610"), ("D44", "D44"),
                          ("C3311 金属结构制造", "C3311"), ("3311（金属结构制造）", "C3311")]
)  # fmt: skip
def test_industry_codes(raw: object, expected: str) -> None:
    assert values.industry(raw) == expected


@pytest.mark.parametrize(("raw", "message"), [("A3311", "门类字母与代码不符"), ("C99", "不存在")])
def test_industry_code_problems(raw: str, message: str) -> None:
    with pytest.raises(ValueProblem, match=message):
        values.industry(raw)


def test_long_numbers_stored_as_floats_are_refused() -> None:
    assert values.long_digits(13912345678.0) == "13912345678"
    with pytest.raises(ValueProblem, match="文本"):
        values.long_digits(6.222020200112346e18)


def test_integer_counts() -> None:
    assert values.integer("1,234人") == 1234
    assert values.integer(12.0) == 12
    with pytest.raises(ValueProblem, match="整数"):
        values.integer(12.5)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_money_text_in_any_width_round_trips(amount: Decimal) -> None:
    plain = f"{amount:,.2f}"
    assert values.money(plain, "元") == amount
    assert values.money(plain.translate(FULL_WIDTH), "元") == amount
    assert values.money(f"  {amount}  ", "万元") == amount * 10000


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_money_of_a_float_cell_matches_its_text(amount: float) -> None:
    assert values.money(amount, "万元") == values.money(repr(amount), "万元")


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_every_date_spelling_reads_back(day: date) -> None:
    spellings = [day, day.isoformat(), f"{day.year}/{day.month}/{day.day}",
                 f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y%m%d"),
                 (day - date(1899, 12, 30)).days]  # fmt: skip
    assert {values.day(s) for s in spellings} == {day}
    assert values.month(f"{day.year}年{day.month}月") == (day.year, day.month)
    assert values.month(day.strftime("%Y%m")) == (day.year, day.month)


@given(st.sampled_from(sorted(values.YES | values.NO)), st.booleans())
def test_flag_words_in_any_case_and_padding(word: str, pad: bool) -> None:
    raw = f" {word.lower()} " if pad else word
    assert values.flag(raw) is (word in values.YES)


@given(st.one_of(st.floats(), st.integers(), st.text(), st.booleans(), st.dates()),
       st.sampled_from(sorted(values.MONEY_UNITS)))  # fmt: skip
def test_money_of_anything_is_an_amount_or_a_value_problem(raw: object, unit: str) -> None:
    try:
        amount = values.money(raw, unit)
    except ValueProblem:
        return
    assert amount == amount.quantize(Decimal("0.01"))
    assert abs(amount) < values.MAX_YUAN


@given(st.one_of(st.floats(), st.integers(), st.text(), st.dates(), st.datetimes()))
def test_other_normalisers_raise_nothing_but_value_problems(raw: object) -> None:
    for normalise in (
        values.day,
        values.month,
        values.year,
        values.integer,
        values.decimal,
        values.flag,
        values.uscc,
        values.county,
        values.industry,
        values.text,
        values.amount,
        values.ratio,
        values.month_number,
        values.ZONE_LEVEL,
    ):
        with contextlib.suppress(ValueProblem):
            normalise(raw)


@pytest.mark.parametrize("raw", ["'{c}", '="{c}"', ' ＝"{c}" ', "’{c}", "{c}"])
def test_excel_text_forms_of_a_code(raw: str) -> None:
    code = "91140902MA0EXAMPL3"
    assert values.uscc(raw.format(c=code).replace("＝", "=")) == code


@pytest.mark.parametrize(
    ("parse", "raw", "expected"),
    [(values.long_digits, "'6222021234567890123", "6222021234567890123"),
     (values.integer, "'1,234", 1234), (values.day, '="2023-01-05"', date(2023, 1, 5)),
     (values.money, "'12.5万元", Decimal("125000.00")), (values.text, "'甲公司", "甲公司")],
)  # fmt: skip
def test_excel_text_forms_of_other_values(parse: Any, raw: str, expected: object) -> None:
    assert parse(raw) == expected


def test_none_word_is_blank_only_in_number_columns() -> None:
    assert values.blank(values.ValueType.money, "无")
    assert values.blank(values.ValueType.integer, " 无 ")
    assert not values.blank(values.ValueType.flag, "无")  # 无 is 否 there
    assert values.optional(values.ValueType.decimal)("无") is None


def test_amounts_refuse_negatives_but_a_taxable_income_may_be_a_loss() -> None:
    with pytest.raises(ValueProblem, match="不能为负数"):
        values.parser(values.ValueType.money, "万元")("-1")
    assert values.parser(values.ValueType.signed_money, "万元")("-1") == Decimal("-10000.00")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0.015", Decimal("0.015")), ("1.5%", Decimal("0.015")), ("30％", Decimal("0.3"))],
)
def test_ratio(raw: str, expected: Decimal) -> None:
    assert values.ratio(raw) == expected


def test_fixed_choices_refuse_with_the_allowed_words() -> None:
    assert values.ZONE_LEVEL(" 省级 ") == "省级"
    with pytest.raises(ValueProblem) as refused:
        values.ZONE_LEVEL("省级开发区")
    assert str(refused.value) == "应为：国家级、省级、市级、县级"
    assert values.ENTERPRISE_KIND("Coal") == "煤矿"
    with pytest.raises(ValueProblem, match="应为：工业类、其他"):
        values.ZONE_KIND("工业")


@pytest.mark.parametrize(("raw", "expected"), [("3", 3), ("12月", 12), (4.0, 4)])
def test_month_number(raw: object, expected: int) -> None:
    assert values.month_number(raw) == expected


@pytest.mark.parametrize("raw", ["13", "0", "三月", True])
def test_month_number_refuses(raw: object) -> None:
    with pytest.raises(ValueProblem):
        values.month_number(raw)


def test_money_text_groups_thousands_and_rounds_half_up() -> None:
    """The one money formatter of tables, explanations and messages."""
    assert values.money_text(Decimal("1234567.5")) == "1,234,567.50"
    assert values.money_text(Decimal("0.125")) == "0.13"  # half up, not half even
    assert values.money_text(Decimal("1E+7")) == "10,000,000.00"
    assert values.money_text(Decimal("-1234.5"), signed=True) == "-1,234.50"
    assert values.money_text(Decimal("12"), signed=True) == "+12.00"


@pytest.mark.parametrize("raw", ["第十二条", "12", 12, 12.0, "第12条", " 第十二条 ", "十二"])
def test_a_measure_by_its_clause_or_number(raw: object) -> None:
    assert values.parser(values.ValueType.measure)(raw) == "12"


@pytest.mark.parametrize("raw", ["第十九条", "0", "19", "第十二款", "十二十", "第条", "12a"])
def test_a_measure_outside_the_eighteen_is_refused(raw: object) -> None:
    with pytest.raises(ValueProblem, match=r"应为措施编号（1至18，如 12）或条款（如 第十二条）"):
        values.parser(values.ValueType.measure)(raw)


def test_a_fund_level_is_one_of_three() -> None:
    assert values.parser(values.ValueType.fund_level)(" 市级 ") == "市级"
    with pytest.raises(ValueProblem, match="应为：省级、市级、县级"):
        values.parser(values.ValueType.fund_level)("乡级")
