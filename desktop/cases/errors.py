"""The one refusal of the cases domain: ``str()`` is the officer's Chinese message."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from desktop.values import money_text


class CaseError(ValueError):
    """A case, fund or payment operation refused; nothing of it was written.

    ``field`` names the value at fault (a payment row's field, for the sheet's column), if one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def yuan_text(amount: Decimal) -> str:
    """An amount as messages write it: 250,000.00元."""
    return f"{money_text(amount)}元"


@cache  # cn2an is slow, and a bulk move names the same few clauses thousands of times
def clause_text(measure: str) -> str:
    """The clause of measure ``12`` as officers write it: 第十二条."""
    import cn2an  # slow to import, and wanted only when a message names a clause

    return f"第{cn2an.an2cn(measure)}条"


class BudgetRefused(CaseError):
    """An approval refused by its fund's budget: it may be made again with an override's
    reason (the window then asks for one)."""
