"""What every cell shares: the problem a value raises, blanks, Excel's text forms, free text.

A cell arrives as python-calamine (or the CSV reader) gives it: ``str`` ("" when empty), ``int``,
``float``, ``bool``, ``date``/``datetime``, ``time`` or ``timedelta``; the editor gives ``str``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from typing import Any

BLANK_MARKS = frozenset({"-", "—", "——", "/", "--"})
NUMBER_BLANKS = BLANK_MARKS | {"无"}  # 无 in a number column means nothing, not zero
MAX_EXACT_FLOAT = 10**15  # beyond this a number typed into Excel has lost digits
# The longest free text taken (a name, an address, a problem's description): far beyond any real
# one, and far below the 32,767 characters an Excel cell holds, so exports never cut it.
MAX_TEXT = 2000
# A date cell before 1900-01-01 (Excel's day 0, as 1899-12-31 is stored) reads back as midnight.
DAY_ZERO = date(1899, 12, 31)
# ="9114…" as system CSV exports force text, and '9114… as typed to keep Excel's hands off.
_FORMULA_TEXT = re.compile(r'="(.*)"', re.DOTALL)


class ValueProblem(ValueError):
    """A cell that cannot be read as its column demands; ``str()`` is the Chinese message."""


class OutOfRange(ValueProblem):
    """A value read, but outside what its kind allows (negative, too large, a year beyond
    1990–2100); ``str()`` names the allowed range."""


def is_blank(value: Any) -> bool:
    """Empty cell, whitespace only, or a dash that tables use for "nothing"."""
    if value is None:
        return True
    return isinstance(value, str) and (not value.strip() or value.strip() in BLANK_MARKS)


def is_blank_number(value: Any) -> bool:
    """A blank, or 无, in a number column."""
    return is_blank(value) or (isinstance(value, str) and value.strip() in NUMBER_BLANKS)


def text_width(text: str) -> int:
    """How many character widths ``text`` takes in a cell or on a terminal (CJK counts two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def half_width(text: str) -> str:
    """Full-width digits, letters and punctuation to ASCII (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def unquoted(raw: str) -> str:
    """Text without Excel's text markers: ``="…"`` and a leading apostrophe; trimmed."""
    stripped = raw.strip()
    formula = _FORMULA_TEXT.fullmatch(stripped)
    if formula:
        return formula[1].strip()
    return stripped[1:].strip() if stripped.startswith(("'", "’")) else stripped


def text(value: Any) -> str:
    """Free text (names, addresses, codes): trimmed, Excel's text markers removed; whole numbers
    without a trailing ``.0``; a date cell of day 0 as 1899-12-31, not 00:00:00. Refused beyond
    :data:`MAX_TEXT` characters."""
    found = _text(value)
    if len(found) > MAX_TEXT:
        raise OutOfRange(f"文字过长（{len(found):,} 个字符），最多 {MAX_TEXT:,} 个字符")
    return found


def quoted(value: Any, limit: int = 60) -> str:
    """A cell as a message quotes it: its text, a long one cut with how long it was."""
    found = _text(value)
    return found if len(found) <= limit else f"{found[:limit]}…（共 {len(found):,} 个字符）"


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < MAX_EXACT_FLOAT:
        return str(int(value))  # a larger float is shown as Excel does: 1e+30
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time) and value == time():
        return DAY_ZERO.isoformat()
    return unquoted(str(value))


_NAME_SEPARATORS = re.compile(r"[,，、;；/\\\s]+")


def names(value: Any) -> str:
    """People named in one cell (``张三，李四`` or ``张三 李四``), 、-joined: ``张三、李四``."""
    return "、".join(n for n in _NAME_SEPARATORS.split(text(value)) if n)


def long_digits(value: Any) -> str:
    """Phone or account numbers: refused when Excel stored them as a number and lost digits."""
    if isinstance(value, float) and abs(value) >= MAX_EXACT_FLOAT:
        raise ValueProblem("数字位数过长，已被表格软件存成数字而丢失末几位，请将该列设为文本后重填")
    return text(value)
