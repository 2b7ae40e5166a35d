"""What deciding a measure for one enterprise yields: the verdict, the amount and the reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

FactValue = Decimal | int | str | date | bool | None
EXPECTED_NOTE = "预计，待省级确认"  # beside an amount that is ``expected``


class Verdict(StrEnum):
    """The three outcomes of RULES.md."""

    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    INCOMPLETE = "incomplete"

    @property
    def label(self) -> str:
        """The Chinese word the officer reads."""
        return {"eligible": "符合", "ineligible": "不符合", "incomplete": "资料不全"}[self.value]


@dataclass(slots=True)
class Result:
    """One enterprise under one measure for one period; read-only by convention.

    ``facts`` are the figures the measure used, as (label, value) pairs in a fixed order that is
    the same for every result of one measure (a value is ``None`` when unknown); filing sheets
    and forms show them as columns. Money facts are ``Decimal`` yuan.

    Not ``frozen``: a roster evaluation makes hundreds of thousands, and a frozen dataclass
    costs several times as much to construct.
    """

    measure: str  # "5", "11", "12", "13"
    uscc: str
    name: str
    county: str
    period: str  # "2023-Q1" (12), "2023" (11), "2022" (13), the tax year (5)
    verdict: Verdict
    amount: Decimal | None  # yuan, two places; None unless eligible
    expected: bool  # 第十二条: pending the provincial decision
    clause: str  # "第十二条"
    explanation: tuple[str, ...]
    facts: tuple[tuple[str, FactValue], ...] = ()
