"""Search the roster by name, credit code or the pinyin initials of the name (拼音首字母)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin

SEPARATOR = "\x1f"
SYLLABLE_END = "\x01"  # sorts before every letter: li before lian
_INITIALS: dict[int, str] = {}  # str.translate table: Han character → initial, kept


class _Spelling(dict[int, str | int]):
    """str.translate table: a Han character → its pinyin key, learnt when first met, kept."""

    def __missing__(self, code: int) -> str | int:
        char = chr(code)
        key: str | int = code  # anything else stays as it is
        if "\u3400" <= char <= "\u9fff":
            key = f"{lazy_pinyin(char)[0]}{SYLLABLE_END}{char}"
        self[code] = key
        return key


_SPELLED = _Spelling()


def _learn(chars: Iterable[str]) -> None:
    """Add the initials of Han characters not met before to the translation table.

    Read character by character (the first letter of each character's most common reading),
    which is fast on 50,000 names but does not see phrase readings (重庆 reads as z q).
    """
    for char in chars:
        if "\u3400" <= char <= "\u9fff" and ord(char) not in _INITIALS:
            _INITIALS[ord(char)] = lazy_pinyin(char, style=Style.FIRST_LETTER)[0][:1].lower()


def name_key(name: str) -> str:
    """The one order of names (enterprises, counties, zones): by pinyin, syllable by syllable
    (李 before 连), characters read alike by code point, Latin letters without case.

    Read character by character (the most common reading), each learnt once.
    """
    return name.lower().translate(_SPELLED)


@dataclass
class SearchIndex:
    """Per enterprise id, one lower-case text holding its name, credit code and initials."""

    haystack: dict[int, str]

    @classmethod
    def build(cls, names: Mapping[int, str], codes: Mapping[int, str]) -> SearchIndex:
        """From every enterprise's name and code (by id); whole-column string operations."""
        ids = list(names)
        joined = SEPARATOR.join(names[i].replace(SEPARATOR, " ") for i in ids)
        _learn(set(joined))
        columns = (
            joined.lower().split(SEPARATOR),
            SEPARATOR.join(codes[i] for i in ids).lower().split(SEPARATOR),
            joined.translate(_INITIALS).lower().split(SEPARATOR),
        )
        return cls(dict(zip(ids, map("\n".join, zip(*columns, strict=True)), strict=True)))

    def matching(self, text: str) -> set[int]:
        """Ids whose name, code or initials contain ``text`` (case and outer spaces ignored)."""
        needle = text.strip().lower()
        return {i for i, hay in self.haystack.items() if needle in hay}
