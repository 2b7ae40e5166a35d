"""Bulletin speed: a month's bulletin for N enterprises with 12 months of monitoring, against the
floor of one SQL aggregate per table of the bulletin through bare sqlite3.

    python -m benchmarks.bench_bulletin [ENTERPRISES]      # default 50000

The fixture is written in bulk (bypassing the change log): N enterprises over 14 counties, two
years of 月度产值, monitoring for every month of 2023 (nine in ten enterprises reporting), one
problem for every fifth enterprise, 包联 for every fourth and visits for half of those. The
floor groups by county: monitoring by status, the output of those reporting (this month and a
year before), problems and visits. Each is timed REPEAT times, interleaved; the best of each is
compared. Target: within LIMIT× the floor.
"""

from __future__ import annotations

import random
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session
from stdnum.cn import uscc as uscc_code

from benchmarks.bench_evaluate import timed
from desktop.store import open_database
from desktop.taskforce.bulletin import bulletin
from desktop.taskforce.periods import Period

LIMIT = 3.0
REPEAT = 3
PERIOD = Period("month", 2023, 6)
STATUSES = ("停产", "部分复工", "全面复工", "达产达效")
FLOOR_QUERIES = (
    "SELECT e.county_id, m.status, count(*) FROM monitoring m JOIN enterprise e"
    " ON m.enterprise_id = e.id WHERE m.period = '2023-06' GROUP BY 1, 2",
    "SELECT e.county_id, count(*) FROM enterprise e WHERE e.above_scale AND NOT EXISTS"
    " (SELECT 1 FROM monitoring m WHERE m.enterprise_id = e.id AND m.period = '2023-06')"
    " GROUP BY 1",
    "SELECT e.county_id, sum(o.output) FROM monitoring m JOIN enterprise e"
    " ON m.enterprise_id = e.id JOIN monthly_output o ON o.enterprise_id = m.enterprise_id"
    " WHERE m.period = '2023-06' AND o.year = 2023 AND o.month = 6 GROUP BY 1",
    "SELECT e.county_id, sum(o.output) FROM monitoring m JOIN enterprise e"
    " ON m.enterprise_id = e.id JOIN monthly_output o ON o.enterprise_id = m.enterprise_id"
    " WHERE m.period = '2023-06' AND o.year = 2022 AND o.month = 6 GROUP BY 1",
    "SELECT e.county_id, count(*), sum(p.state IN ('solved', 'reviewed', 'closed')),"
    " sum(p.deadline < '2023-06-30' AND p.state NOT IN ('solved', 'reviewed', 'closed'))"
    " FROM problem p JOIN enterprise e ON p.enterprise_id = e.id"
    " WHERE p.raised_on <= '2023-06-30' GROUP BY 1",
    "SELECT e.county_id, count(DISTINCT v.enterprise_id) FROM visit v JOIN assignment a"
    " ON a.enterprise_id = v.enterprise_id JOIN enterprise e ON e.id = v.enterprise_id"
    " WHERE v.visited_on BETWEEN '2023-06-01' AND '2023-06-30' GROUP BY 1",
)


def _code(n: int) -> str:
    body = f"91140902MA{n:07d}"
    return body + uscc_code.calc_check_digit(body)


def write_fixture(path: Path, n: int) -> None:
    """A migrated database holding the synthetic county, written in bulk."""
    open_database(path, "benchmark").close()
    rng = random.Random(14)
    conn = sqlite3.connect(path)
    counties = [r[0] for r in conn.execute("SELECT id FROM county WHERE code IS NOT NULL")]
    conn.executemany(
        "INSERT INTO enterprise (id, uscc, name, county_id, above_scale, white_list, chain_leader,"
        " is_sample) VALUES (?, ?, ?, ?, ?, 0, 0, 0)",
        (
            (i, _code(i), f"企业{i}", counties[i % len(counties)], i % 3 != 0)
            for i in range(1, n + 1)
        ),
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO monthly_output (enterprise_id, year, month, output) VALUES (?, ?, ?, ?)",
        ((i, y, m, rng.randrange(10**6, 10**9)) for i in range(1, n + 1)
         for y in (2022, 2023) for m in range(1, 13)),
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO monitoring (enterprise_id, period, status) VALUES (?, ?, ?)",
        ((i, f"2023-{m:02d}", rng.choice(STATUSES)) for m in range(1, 13)
         for i in range(1, n + 1) if rng.random() < 0.9),
    )  # fmt: skip
    start = date(2023, 1, 1)
    conn.executemany(
        "INSERT INTO problem (enterprise_id, raised_on, category, description, lead_unit,"
        " deadline, state) VALUES (?, ?, '其他', '问题', '工信局', ?, ?)",
        ((i, (d := start + timedelta(rng.randrange(365))).isoformat(),
          (d + timedelta(30)).isoformat(),
          rng.choice(("new", "assigned", "solved", "closed"))) for i in range(1, n + 1, 5)),
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO assignment (enterprise_id) VALUES (?)", ((i,) for i in range(1, n + 1, 4))
    )
    conn.executemany(
        "INSERT INTO visit (enterprise_id, visited_on, people) VALUES (?, ?, '专员')",
        ((i, (start + timedelta(rng.randrange(365))).isoformat()) for i in range(1, n + 1, 8)),
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def floor(conn: sqlite3.Connection) -> int:
    """One aggregate per table of the bulletin, through sqlite3."""
    return sum(len(conn.execute(q).fetchall()) for q in FLOOR_QUERIES)


def ours(session: Session) -> int:
    """The bulletin's figures through desktop.taskforce.bulletin."""
    return len(bulletin(session, PERIOD, date(2023, 7, 10)).units)


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 50000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        began = time.perf_counter()
        write_fixture(path, n)
        print(f"fixture: {n} enterprises, 12 months, {time.perf_counter() - began:.1f} s")
        floor_times: list[float] = []
        our_times: list[float] = []
        db = open_database(path, operator="benchmark")  # both timed on an open connection
        with closing(sqlite3.connect(path)) as conn, db.reader() as session:
            for _ in range(REPEAT):
                timed(lambda: floor(conn), floor_times)
                units = timed(lambda: ours(session), our_times)
        db.close()
        best_floor, best_ours = min(floor_times), min(our_times)
        ratio = best_ours / best_floor
        print(f"floor {best_floor * 1000:.0f} ms, bulletin {best_ours * 1000:.0f} ms "
              f"({units} counties): {ratio:.2f}× (limit {LIMIT}×)")  # fmt: skip
        return 0 if ratio <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
