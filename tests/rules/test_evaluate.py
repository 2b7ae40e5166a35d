"""Evaluating the roster: county filter, progress and cancel, totals and the what-if diff."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.rules.engine import evaluate_roster
from desktop.rules.result import Verdict
from desktop.rules.totals import summarize, what_if
from desktop.samples import load_sample


@pytest.fixture
def sample(db):  # type: ignore[no-untyped-def]
    load_sample(db)
    return db


def test_totals_per_measure_and_county(sample) -> None:  # type: ignore[no-untyped-def]
    with sample.reader() as session:
        results = evaluate_roster(session)
    totals = summarize(results)
    for measure in ("5", "11", "12", "13"):
        mine = [r for r in results if r.measure == measure]
        whole = totals[(measure, None)]
        assert sum(whole.counts.values()) == len(mine)
        assert whole.budget == sum((r.amount or Decimal(0) for r in mine), Decimal(0))
        counties = [t for (m, c), t in totals.items() if m == measure and c is not None]
        assert sum(t.counts[Verdict.ELIGIBLE] for t in counties) == whole.counts[Verdict.ELIGIBLE]


def test_county_and_measure_filters(sample) -> None:  # type: ignore[no-untyped-def]
    with sample.reader() as session:
        everything = evaluate_roster(session)
        county = everything[0].county
        some = evaluate_roster(session, measures=["12"], county=county)
    assert some == [r for r in everything if r.measure == "12" and r.county == county]


def test_progress_reports_and_may_cancel(sample) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int]] = []
    with sample.reader() as session:
        evaluate_roster(session, progress=lambda done, total: seen.append((done, total)))
        assert seen and seen[-1][0] == seen[-1][1]

        def cancel(done: int, total: int) -> None:
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            evaluate_roster(session, progress=cancel)


def test_what_if_shows_before_and_after(sample) -> None:  # type: ignore[no-untyped-def]
    with sample.reader() as session:
        before = evaluate_roster(session, measures=["12"])
        after = evaluate_roster(session, measures=["12"], overrides={"12.city_match_ratio": "1"})
    (change,) = [c for c in what_if(before, after) if c.county is None]
    old, new = change.before, change.after
    assert old.budget > 0 and new.budget == old.budget * 2


def test_small_profit_text_follows_the_standard_rate(sample) -> None:  # type: ignore[no-untyped-def]
    with sample.reader() as session:
        before = evaluate_roster(session, measures=["5"])
        after = evaluate_roster(session, measures=["5"], overrides={"5.standard_rate": "0.30"})
    eligible = [r for r in before if r.verdict is Verdict.ELIGIBLE]
    assert eligible and "按25%计税" in "".join(eligible[0].explanation)
    changed = next(
        r for r in after if r.uscc == eligible[0].uscc and r.period == eligible[0].period
    )
    assert "按30%计税" in "".join(changed.explanation)
    assert "按30%计算的税额（元）" in dict(changed.facts)
