"""Evaluation speed: all four roster-wide measures against a bare sqlite3 floor.

    python -m benchmarks.bench_evaluate [ENTERPRISES]      # default 50000

A synthetic county (``benchmarks.synth``: six months of output and two years of figures per
enterprise) is decided under 第五、十一、十二、十三条 with explanations, through
``evaluate_roster``. The floor, in the same run: sqlite3 selecting the same facts (enterprises
with their county, monthly outputs, annual figures, leases with their zone, provincial awards)
and applying one threshold rule in Python (第十二条's 50% growth per window month). Each is
timed REPEAT times, interleaved; the best of each is compared. Target: within LIMIT× the floor.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.synth import generate, write_database
from desktop.rules.engine import evaluate_roster
from desktop.store import open_database

LIMIT = 4.0
REPEAT = 3
FLOOR_QUERIES = (
    "SELECT e.id, e.uscc, e.name, c.name, e.industry_code, e.white_list, e.chain_leader,"
    " e.chain_role_confirmed FROM enterprise e JOIN county c ON e.county_id = c.id ORDER BY e.uscc",
    "SELECT enterprise_id, year, month, output FROM monthly_output",
    "SELECT enterprise_id, year, output, taxable_income, employees, total_assets,"
    " restricted_industry FROM annual_figures",
    "SELECT l.enterprise_id, z.name, z.level, z.kind, l.standard_factory, l.monthly_rent,"
    " l.start_date, l.end_date FROM lease l JOIN zone z ON l.zone_id = z.id",
    "SELECT enterprise_id, amount FROM provincial_award",
)


def floor(path: Path) -> int:
    """Select the same facts with sqlite3 and count months growing at least 50%."""
    conn = sqlite3.connect(path)
    try:
        people, monthly_rows, *_ = (conn.execute(q).fetchall() for q in FLOOR_QUERIES)
    finally:
        conn.close()
    return growing_months(people, monthly_rows)


def growing_months(people: list[Any], monthly_rows: list[Any]) -> int:
    """The floor's one rule: months of 2023 at least 50% above the same month of 2022."""
    monthly: dict[int, dict[tuple[int, int], Decimal]] = defaultdict(dict)
    for eid, year, month, output in monthly_rows:
        monthly[eid][(year, month)] = Decimal(str(output))
    half = Decimal("0.5")
    hits = 0
    for row in people:
        months = monthly[row[0]]
        for m in (1, 2, 3):
            this, base = months.get((2023, m)), months.get((2022, m))
            if this is not None and base and this - base >= half * base:
                hits += 1
    return hits


def engine(path: Path) -> int:
    """Decide every enterprise under 5, 11, 12, 13 through the rules engine."""
    db = open_database(path, operator="benchmark")
    try:
        with db.reader() as session:
            return len(evaluate_roster(session))
    finally:
        db.close()


def timed(run: Callable[[], int], times: list[float]) -> int:
    start = time.perf_counter()
    count = run()
    times.append(time.perf_counter() - start)
    return count


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 50000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        start = time.perf_counter()
        write_database(path, generate(n))
        print(f"synthetic county of {n} enterprises written in {time.perf_counter() - start:.1f} s")
        floor_times: list[float] = []
        engine_times: list[float] = []
        for _ in range(REPEAT):
            hits = timed(lambda: floor(path), floor_times)
            results = timed(lambda: engine(path), engine_times)
    f, e = min(floor_times), min(engine_times)
    print(f"floor (sqlite3 + one threshold rule): {f:.2f} s, {hits} month hits")
    print(f"evaluate_roster (5, 11, 12, 13 with explanations): {e:.2f} s, {results} results")
    print(f"ratio {e / f:.2f}× (target ≤ {LIMIT:.0f}×): {'ok' if e / f <= LIMIT else 'OVER'}")
    return 0 if e / f <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
