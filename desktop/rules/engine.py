"""The rules engine: every enterprise of the roster under the measures of the catalogue."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session

from desktop.gcpause import gc_paused
from desktop.progress import Progress
from desktop.rules import catalogue
from desktop.rules.enterprise_facts import EnterpriseFacts, load_facts
from desktop.rules.measure import Measure
from desktop.rules.policy import Policy, PolicyError, load_policy
from desktop.rules.result import Result


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
    """Every enterprise (of ``county``) under ``measures`` ("5", "11", "12", "13"; None = all).

    ScopeError for an unknown measure or county, PolicyError for a wrong override.
    """
    chosen = catalogue.measures(measures)
    catalogue.check_county(session, county)
    policies = apply_overrides({m.document: load_policy(m.document) for m in chosen}, overrides)
    with gc_paused():  # facts and results: many acyclic objects
        return evaluate_facts(load_facts(session, county), chosen, policies, progress)
