"""The one vocabulary of values (Qt-free): each normaliser returns the typed value or raises
``ValueProblem``; import, editor, settings, calculators and what-if all read values here.

A cell arrives as python-calamine (or the CSV reader) gives it: ``str`` ("" when empty), ``int``,
``float``, ``bool``, ``date``/``datetime``, ``time`` or ``timedelta``. Numbers typed as text,
full-width digits, thousands separators and stray spaces are all accepted.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from math import isfinite
from operator import mul
from typing import Any

from stdnum.cn import uscc as uscc_code
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

CENT = Decimal("0.01")
MONEY_UNITS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "亿元": Decimal(100000000),
}
AREA_UNITS = ("平方米", "m2", "平米")
# GB/T 2260 county-level units of 忻州市 and the two units city documents address (RULES.md).
COUNTIES = (
    "忻府区", "定襄县", "五台县", "代县", "繁峙县", "宁武县", "静乐县", "神池县", "五寨县",
    "岢岚县", "河曲县", "保德县", "偏关县", "原平市", "五台山风景名胜区", "忻州经济开发区",
)  # fmt: skip
COUNTY_ALIASES = {
    "五台山": "五台山风景名胜区",
    "五台山景区": "五台山风景名胜区",
    "五台山风景区": "五台山风景名胜区",
    "忻州经开区": "忻州经济开发区",
    "经济开发区": "忻州经济开发区",
    "忻州开发区": "忻州经济开发区",
}
YES = frozenset({"是", "Y", "YES", "√", "✓", "✔", "1", "有", "TRUE", "对"})
NO = frozenset({"否", "N", "NO", "×", "✗", "✘", "X", "0", "无", "FALSE", "不是"})
BLANK_MARKS = frozenset({"-", "—", "——", "/", "--"})
EXCEL_EPOCH = date(1899, 12, 30)
# Two-digit GB/T 4754-2017 divisions and the section letter each belongs to.
SECTIONS = (
    (1, 5, "A"), (6, 12, "B"), (13, 43, "C"), (44, 46, "D"), (47, 50, "E"), (51, 52, "F"),
    (53, 60, "G"), (61, 62, "H"), (63, 65, "I"), (66, 69, "J"), (70, 70, "K"), (71, 72, "L"),
    (73, 75, "M"), (76, 79, "N"), (80, 82, "O"), (83, 83, "P"), (84, 85, "Q"), (86, 90, "R"),
    (91, 96, "S"), (97, 97, "T"),
)  # fmt: skip
MAX_EXACT_FLOAT = 10**15  # beyond this a number typed into Excel has lost digits
MAX_YUAN = Decimal(10) ** 15  # a thousand trillion yuan: beyond it, a wrong unit or a typo

_NUMBER = re.compile(
    r"([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?)(元|千元|万元|亿元|平方米|m2|平米|人)?"
)
_DAY = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_MONTH = (
    re.compile(r"(\d{4})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月份?"),
    re.compile(r"(\d{4})(\d{2})"),
)
_YEAR = re.compile(r"(\d{4})(?:年度?)?")
_INDUSTRY = re.compile(r"([A-Z]?)(\d{2,4})(?:[^0-9A-Z].*)?")  # a name may follow
_SEPARATORS = str.maketrans("", "", ", \u3000'")


class ValueProblem(ValueError):
    """A cell that cannot be read as its column demands; ``str()`` is the Chinese message."""


def is_blank(value: Any) -> bool:
    """Empty cell, whitespace only, or a dash that tables use for "nothing"."""
    if value is None:
        return True
    return isinstance(value, str) and (not value.strip() or value.strip() in BLANK_MARKS)


def half_width(text: str) -> str:
    """Full-width digits, letters and punctuation to ASCII (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def text(value: Any) -> str:
    """Free text (names, addresses): trimmed; whole numbers without a trailing ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def long_digits(value: Any) -> str:
    """Phone or account numbers: refused when Excel stored them as a number and lost digits."""
    if isinstance(value, float) and abs(value) >= MAX_EXACT_FLOAT:
        raise ValueProblem("数字位数过长，已被表格软件存成数字而丢失末几位，请将该列设为文本后重填")
    return text(value)


def number(value: Any) -> tuple[Decimal, str | None]:
    """A number and the unit written after it in the cell, if any (``12.5万元`` → 12.5, 万元)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueProblem("应为数字")
    if isinstance(value, int):
        return Decimal(value), None
    if isinstance(value, float):
        if not isfinite(value):
            raise ValueProblem("应为数字")
        return Decimal(int(value) if value.is_integer() else repr(value)), None
    raw = half_width(value).translate(_SEPARATORS)
    negative = raw.startswith("(") and raw.endswith(")")
    match = _NUMBER.fullmatch(raw[1:-1] if negative else raw)
    if not match:
        raise ValueProblem("应为数字")
    sign, digits, unit = match.groups()
    try:
        amount = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only decimals
        raise ValueProblem("应为数字") from exc
    return (-amount if sign == "-" or negative else amount), unit


def money(value: Any, unit: str = "元") -> Decimal:
    """An amount in yuan, to the cent; a unit written in the cell wins over the column's."""
    amount, cell_unit = number(value)
    factor = MONEY_UNITS.get(cell_unit or unit)
    if factor is None:
        raise ValueProblem(f"单位「{cell_unit or unit}」不是金额单位")
    return yuan(amount * factor)


def yuan(amount: Decimal) -> Decimal:
    """An amount rounded to the cent, half up; refused beyond what a roster can mean."""
    if abs(amount) >= MAX_YUAN:
        raise ValueProblem("金额过大，请检查数值和单位")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def decimal(value: Any) -> Decimal:
    """A non-negative measure such as an area (平方米 may be written after it)."""
    amount, unit = number(value)
    if unit is not None and unit not in AREA_UNITS:
        raise ValueProblem(f"单位「{unit}」不适用")
    if amount < 0:
        raise ValueProblem("不能为负数")
    return amount


def integer(value: Any) -> int:
    """A whole non-negative count (``1,234``, ``１２３人``, 12.0)."""
    amount, unit = number(value)
    if unit not in (None, "人"):
        raise ValueProblem(f"单位「{unit}」不适用")
    if amount != amount.to_integral_value():
        raise ValueProblem("应为整数")
    if amount < 0:
        raise ValueProblem("不能为负数")
    return int(amount)


def flag(value: Any) -> bool:
    """是/否, √/×, Y/N, 1/0, 有/无, or a boolean cell."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return value == 1
    word = half_width(str(value)).upper()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueProblem("应填“是”或“否”")


def _checked_day(year: int, month: int, day: int) -> date:
    if not 1900 <= year <= 2100:
        raise ValueProblem("年份超出范围")
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueProblem("日期不存在") from exc


def _serial_day(serial: float) -> date:
    if not 1 <= serial < 73051:  # 1900-01-01 … 2099-12-31
        raise ValueProblem("无法识别的日期")
    return EXCEL_EPOCH + timedelta(days=int(serial))


def day(value: Any) -> date:
    """A date: date cell, Excel serial, 2023-01-05, 2023/1/5, 2023年1月5日 or 20230105."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 19000101 <= value <= 21001231:
            value = str(int(value))
        else:
            return _serial_day(value)
    if not isinstance(value, str):
        raise ValueProblem("无法识别的日期")
    raw = half_width(value)
    for pattern in _DAY:
        match = pattern.fullmatch(raw)
        if match:
            return _checked_day(*(int(g) for g in match.groups()))
    if raw.isdigit() and len(raw) == 5:
        return _serial_day(int(raw))
    raise ValueProblem("无法识别的日期，请写成 2023-01-05 的样子")


def _checked_month(year: int, month: int) -> tuple[int, int]:
    if not 1 <= month <= 12:
        raise ValueProblem("月份应在1到12之间")
    if not 1990 <= year <= 2100:
        raise ValueProblem("年份超出范围")
    return year, month


def month(value: Any) -> tuple[int, int]:
    """A (year, month): 2023-01, 2023/1, 2023年1月, 202301, or a date cell (its day ignored)."""
    if isinstance(value, date):
        return value.year, value.month
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not float(value).is_integer():
            raise ValueProblem("无法识别的年月")
        value = str(int(value))
    if not isinstance(value, str):
        raise ValueProblem("无法识别的年月")
    raw = half_width(value)
    for pattern in _MONTH:
        match = pattern.fullmatch(raw)
        if match:
            return _checked_month(int(match[1]), int(match[2]))
    try:
        whole = day(raw)
    except ValueProblem:
        raise ValueProblem("无法识别的年月，请写成 2023-01 的样子") from None
    return whole.year, whole.month


def year(value: Any) -> int:
    """A year: 2023, ``2023年``, ``2023年度`` or a date cell."""
    if isinstance(value, date):
        return value.year
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not float(value).is_integer():
            raise ValueProblem("无法识别的年度")
        value = str(int(value))
    match = _YEAR.fullmatch(half_width(str(value)))
    if not match:
        raise ValueProblem("无法识别的年度")
    found = int(match[1])
    if not 1990 <= found <= 2100:
        raise ValueProblem("年份超出范围")
    return found


_USCC_SHAPE = re.compile(r"[0-9]{8}[0-9A-HJ-NP-RTUW-Y]{10}")
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _uscc_well_formed(code: str) -> bool:
    """GB 32100-2015's check for a code already in shape: the fast path for clean rosters.

    The same computation as ``stdnum.cn.uscc`` (the tests hold them equal), without its
    per-character cleaning, which dominates reading 300,000 rows.
    """
    if not _USCC_SHAPE.fullmatch(code):
        return False
    total = sum(map(mul, map(_USCC_VALUE.__getitem__, code[:17]), _USCC_WEIGHTS))
    return code[17] == _USCC_ALPHABET[(31 - total) % 31]


def _checked_uscc(raw: str) -> tuple[str, str | None]:
    if _uscc_well_formed(raw):
        return raw, None
    code = half_width(raw).replace(" ", "").replace("-", "").upper()
    try:
        return uscc_code.validate(code), None
    except InvalidLength:
        return code, f"长度应为18位（实为{len(code)}位）"
    except InvalidChecksum:
        return code, "校验位错误"
    except ValidationError:
        return code, "含有不允许的字符（前8位应为数字，不能含 I、O、S、V、Z）"


def uscc(value: Any) -> str:
    """An 18-character 统一社会信用代码, upper-cased and checked (GB 32100-2015)."""
    if isinstance(value, float):
        if abs(value) >= MAX_EXACT_FLOAT:
            raise ValueProblem("代码被存成了数字，已丢失末几位，请将该列设为文本后重填")
        value = text(value)
    code, message = _checked_uscc(str(value))
    if message:
        raise ValueProblem(message)
    return code


def _county_index() -> dict[str, str]:
    index = {name: name for name in COUNTIES} | COUNTY_ALIASES
    stems: dict[str, list[str]] = {}
    for name in COUNTIES:
        if name[-1] in "县区市" and len(name) > 2:
            stems.setdefault(name[:-1], []).append(name)
    index |= {stem: names[0] for stem, names in stems.items() if len(names) == 1}
    return index


_COUNTY_INDEX = _county_index()


def county(value: Any) -> str:
    """The canonical name of one of the 16 units (忻府区, also 忻府, 山西省忻州市忻府区)."""
    raw = half_width(text(value)).replace(" ", "")
    for prefix in ("山西省", "忻州市"):
        raw = raw.removeprefix(prefix)
    found = _COUNTY_INDEX.get(raw)
    if found is None:
        raise ValueProblem("不是忻州市的县（市、区）")
    return found


def section_of(division: int) -> str | None:
    """The GB/T 4754 section letter of a two-digit division, or None when there is none."""
    return next((letter for low, high, letter in SECTIONS if low <= division <= high), None)


def industry(value: Any) -> str:
    """A GB/T 4754 code like C3311 (or ``C3311 金属结构制造``); a code without its letter gets
    it from its division."""
    match = _INDUSTRY.fullmatch(half_width(text(value)).upper().replace(" ", ""))
    if not match:
        raise ValueProblem("应为门类字母加2至4位数字，如 C3311")
    letter, digits = match.groups()
    section = section_of(int(digits[:2]))
    if section is None:
        raise ValueProblem("行业大类代码不存在")
    if letter and letter != section:
        raise ValueProblem(f"门类字母与代码不符（{digits[:2]}大类属于{section}门类）")
    return section + digits


# ── What an officer types for a policy parameter (what-if): amounts and ratios ──────────
_SHORT_MONEY_UNITS = ("千", "万", "亿")


def typed_money(value: Any) -> Decimal:
    """An amount as typed: ``300万``, ``300万元``, ``3,000,000`` → yuan, to the cent."""
    raw = half_width(str(value))
    return money(f"{raw}元" if raw.endswith(_SHORT_MONEY_UNITS) else raw)


def ratio(value: Any) -> Decimal:
    """A share as typed: ``30%``, ``30％`` or ``0.3`` → ``Decimal("0.3")``."""
    raw = half_width(str(value))
    percent = raw.endswith("%")
    amount, unit = number(raw[:-1] if percent else raw)
    if unit is not None:
        raise ValueProblem(f"单位「{unit}」不适用")
    return amount / 100 if percent else amount
