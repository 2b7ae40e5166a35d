"""Codes: 统一社会信用代码 (GB 32100-2015), GB/T 4754 industry codes and the county units."""

from __future__ import annotations

import re
from functools import cache
from operator import mul
from typing import Any

from stdnum.cn import uscc as uscc_code
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from desktop.values.cells import MAX_EXACT_FLOAT, ValueProblem, half_width, text

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
# Two-digit GB/T 4754-2017 divisions and the section letter each belongs to.
SECTIONS = (
    (1, 5, "A"), (6, 12, "B"), (13, 43, "C"), (44, 46, "D"), (47, 50, "E"), (51, 52, "F"),
    (53, 60, "G"), (61, 62, "H"), (63, 65, "I"), (66, 69, "J"), (70, 70, "K"), (71, 72, "L"),
    (73, 75, "M"), (76, 79, "N"), (80, 82, "O"), (83, 83, "P"), (84, 85, "Q"), (86, 90, "R"),
    (91, 96, "S"), (97, 97, "T"),
)  # fmt: skip
USCC_LENGTH = 18
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, S, V, Z

MEASURE_COUNT = 18  # 忻政办发〔2022〕86号: 第一条 … 第十八条

_CLAUSE = re.compile(r"第?([0-9]+|[一二三四五六七八九十]+)条?")
_INDUSTRY = re.compile(r"([A-Z]?)(\d{2,4})(?:[^0-9A-Z].*)?")  # a name may follow
_USCC_SHAPE = re.compile(f"[0-9]{{8}}[{USCC_ALPHABET}]{{10}}")
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _uscc_well_formed(code: str) -> bool:
    """GB 32100-2015's check for a code already in shape: the fast path for clean rosters.

    The same computation as ``stdnum.cn.uscc`` (the tests hold them equal), without its
    per-character cleaning, which dominates reading 300,000 rows.
    """
    if not _USCC_SHAPE.fullmatch(code):
        return False
    total = sum(map(mul, map(_USCC_VALUE.__getitem__, code[:17]), _USCC_WEIGHTS))
    return code[17] == USCC_ALPHABET[(31 - total) % 31]


def _checked_uscc(raw: str) -> tuple[str, str | None]:
    if _uscc_well_formed(raw):
        return raw, None
    code = half_width(text(raw)).replace(" ", "").replace("-", "").upper()
    try:
        return uscc_code.validate(code), None
    except InvalidLength:
        return code, f"长度应为{USCC_LENGTH}位（实为{len(code)}位）"
    except InvalidChecksum:
        return code, "校验位错误"
    except ValidationError:
        return code, "含有不允许的字符（前8位应为数字，不能含 I、O、S、V、Z）"


def uscc(value: Any) -> str:
    """An 18-character 统一社会信用代码, upper-cased and checked (GB 32100-2015); written
    ``'9114…`` or ``="9114…"`` it is read as the code."""
    if isinstance(value, float):
        if abs(value) >= MAX_EXACT_FLOAT:
            raise ValueProblem("代码被存成了数字，已丢失末几位，请将该列设为文本后重填")
        value = text(value)
    code, message = _checked_uscc(str(value))
    if message:
        raise ValueProblem(message)
    return code


def uscc_problem(value: str) -> str | None:
    """Why ``value`` is not a 统一社会信用代码 (``统一社会信用代码…``), or None."""
    try:
        uscc(value)
    except ValueProblem as problem:
        return f"统一社会信用代码{problem}"
    return None


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


@cache  # a payments file names the same few clauses on every row
def _chinese_number(digits: str) -> int:
    """十二 → 12 (``ValueError`` if not a number)."""
    import cn2an  # its import takes half a second: paid by each child reading a sheet otherwise

    return int(cn2an.cn2an(digits, "strict"))


def measure(value: Any) -> str:
    """A measure by its number, as the rules name it: "12" from 12, 第十二条 or 第12条."""
    match = _CLAUSE.fullmatch(half_width(text(value)).replace(" ", ""))
    number = 0
    if match:
        digits = match.group(1)
        try:
            number = int(digits) if digits.isdigit() else _chinese_number(digits)
        except ValueError:
            number = 0
    if not 1 <= number <= MEASURE_COUNT:
        raise ValueProblem(f"应为措施编号（1至{MEASURE_COUNT}，如 12）或条款（如 第十二条）")
    return str(number)
