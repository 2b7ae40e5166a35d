"""Deciding the roster: every enterprise under the roster-wide measures, and their totals."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from desktop.gcpause import gc_paused
from desktop.progress import Progress
from desktop.rules.facts import EnterpriseFacts, load_facts
from desktop.rules.measures import chain_leader, small_profit_tax, white_list, zone_rent
from desktop.rules.policy import DEFAULT_DOCUMENT, Policy, PolicyError, load_policy
from desktop.rules.result import Result, Verdict

Decide = Callable[[EnterpriseFacts, Policy], list[Result]]


@dataclass(frozen=True)
class Measure:
    """A roster-wide measure: its key, the policy document it reads and its rule."""

    key: str
    document: str
    decide: Decide


MEASURES: dict[str, Measure] = {
    "5": Measure("5", DEFAULT_DOCUMENT, small_profit_tax.decide_all),
    "11": Measure("11", DEFAULT_DOCUMENT, lambda f, p: [zone_rent.decide(f, p)]),
    "12": Measure("12", DEFAULT_DOCUMENT, lambda f, p: [white_list.decide(f, p)]),
    "13": Measure("13", DEFAULT_DOCUMENT, lambda f, p: [chain_leader.decide(f, p)]),
}


def apply_overrides(
    policies: Mapping[str, Policy], overrides: Mapping[str, str] | None
) -> dict[str, Policy]:
    """Each document's policy with the overrides whose keys it holds; an unknown key is an error."""
    left = dict(overrides or {})
    applied = {}
    for doc, policy in policies.items():
        mine = {k: v for k, v in left.items() if k in policy.parameters}
        applied[doc] = policy.with_overrides(mine)
        left = {k: v for k, v in left.items() if k not in mine}
    if left:
        known = "、".join(sorted(k for p in policies.values() for k in p.parameters))
        raise PolicyError(f"没有参数「{'、'.join(left)}」；可用参数：{known}")
    return applied


def evaluate_facts(
    facts: Sequence[EnterpriseFacts],
    measures: Sequence[Measure],
    policies: Mapping[str, Policy],
    progress: Progress | None = None,
) -> list[Result]:
    """Decide ``facts`` under ``measures``; ``progress(done, total)`` may raise to cancel."""
    results: list[Result] = []
    total = len(facts)
    rules = [(m.decide, policies[m.document]) for m in measures]
    for done, f in enumerate(facts, 1):
        for decide, policy in rules:
            results += decide(f, policy)
        if progress is not None and (done % 500 == 0 or done == total):
            progress(done, total)
    return results


def evaluate_roster(
    session: Session,
    *,
    measures: Sequence[str] | None = None,
    county: str | None = None,
    overrides: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> list[Result]:
    """Every enterprise (of ``county``) under ``measures`` ("5", "11", "12", "13"; None = all)."""
    unknown = [m for m in measures or () if m not in MEASURES]
    if unknown:
        raise PolicyError(f"没有第{'、'.join(unknown)}条的测算；可测算：第5、11、12、13条")
    chosen = [MEASURES[k] for k in (measures or MEASURES)]
    policies = apply_overrides({m.document: load_policy(m.document) for m in chosen}, overrides)
    with gc_paused():  # facts and results: many acyclic objects
        return evaluate_facts(load_facts(session, county), chosen, policies, progress)


@dataclass
class Totals:
    """How many results of one measure (and county) fell each way, and the budget."""

    counts: Counter[Verdict] = field(default_factory=Counter)
    budget: Decimal = Decimal(0)

    def add(self, result: Result) -> None:
        self.counts[result.verdict] += 1
        self.budget += result.amount or 0


def summarize(results: Sequence[Result]) -> dict[tuple[str, str | None], Totals]:
    """Totals per (measure, county), plus (measure, None) for all counties of a measure."""
    totals: dict[tuple[str, str | None], Totals] = defaultdict(Totals)
    for r in results:
        totals[(r.measure, r.county)].add(r)
        totals[(r.measure, None)].add(r)
    return dict(totals)


def what_if_diff(
    before: Sequence[Result], after: Sequence[Result]
) -> dict[tuple[str, str | None], tuple[Totals, Totals]]:
    """Totals with the file's values beside totals with overrides, for every key either has."""
    a, b = summarize(before), summarize(after)
    return {k: (a.get(k, Totals()), b.get(k, Totals())) for k in sorted(
        a.keys() | b.keys(), key=lambda k: (int(k[0]), k[1] or ""))}  # fmt: skip
