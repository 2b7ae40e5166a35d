"""Totals of results per measure and county, and the one what-if comparison of two runs."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from desktop.rules.catalogue import CATALOGUE
from desktop.rules.result import Result, Verdict

ZERO = Decimal("0.00")


@dataclass
class Totals:
    """How many results of one measure (and county) fell each way, and the budget."""

    counts: Counter[Verdict] = field(default_factory=Counter)
    budget: Decimal = ZERO

    def add(self, result: Result) -> None:
        self.counts[result.verdict] += 1
        self.budget += result.amount or 0

    @property
    def eligible(self) -> int:
        return self.counts[Verdict.ELIGIBLE]


Key = tuple[str, str | None]  # (measure, county); county None: all counties of the measure


def summarize(results: Sequence[Result]) -> dict[Key, Totals]:
    """Totals per (measure, county), plus (measure, None) for all counties of a measure.

    Ordered by the catalogue, each measure's counties as they first appear, its total last.
    """
    totals: dict[Key, Totals] = defaultdict(Totals)
    for r in results:
        totals[(r.measure, r.county)].add(r)
        totals[(r.measure, None)].add(r)
    return {k: totals[k] for k in _ordered(totals)}


@dataclass(frozen=True)
class Change:
    """One measure's (and county's) totals before a what-if and after it."""

    measure: str
    county: str | None  # None: all counties
    before: Totals
    after: Totals

    @property
    def budget_change(self) -> Decimal:
        return self.after.budget - self.before.budget


def what_if(before: Sequence[Result], after: Sequence[Result]) -> list[Change]:
    """The totals of ``before`` beside those of ``after``, for every key either has."""
    a, b = summarize(before), summarize(after)
    return [
        Change(m, c, a.get((m, c), Totals()), b.get((m, c), Totals()))
        for m, c in _ordered([*a, *(k for k in b if k not in a)])
    ]


def _ordered(keys: Sequence[Key] | dict[Key, Totals]) -> list[Key]:
    order = list(CATALOGUE)
    seen = list(dict.fromkeys(keys))
    rank = {k: (order.index(k[0]) if k[0] in order else len(order), k[1] is None, i)
            for i, k in enumerate(seen)}  # fmt: skip
    return sorted(seen, key=rank.__getitem__)
