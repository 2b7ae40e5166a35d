"""Search the roster by name, credit code or the pinyin initials of the name (拼音首字母)."""

from __future__ import annotations

from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import Enterprise

_initials: dict[str, str] = {}


def _initial(char: str) -> str:
    """The first letter of a Han character's most common reading; other characters lowered.

    Read character by character (cached), which is fast on 50,000 names but does not see
    phrase readings of polyphonic characters (重庆 reads as z q, not c q).
    """
    found = _initials.get(char)
    if found is None:
        if "\u3400" <= char <= "\u9fff":
            found = lazy_pinyin(char, style=Style.FIRST_LETTER)[0][:1].lower()
        else:
            found = char.lower()
        _initials[char] = found
    return found


def name_initials(name: str) -> str:
    """``忻州钢铁`` → ``xzgt``."""
    return "".join([_initial(c) for c in name])


@dataclass
class SearchIndex:
    """Per enterprise id, one lower-case text holding its name, credit code and initials."""

    haystack: dict[int, str]

    @classmethod
    def build(cls, session: Session) -> SearchIndex:
        rows = session.execute(select(Enterprise.id, Enterprise.name, Enterprise.uscc))
        return cls(
            {i: f"{name.lower()}\n{uscc.lower()}\n{name_initials(name)}" for i, name, uscc in rows}
        )

    def matching(self, text: str) -> set[int]:
        """Ids whose name, code or initials contain ``text`` (case and outer spaces ignored)."""
        needle = text.strip().lower()
        return {i for i, hay in self.haystack.items() if needle in hay}
