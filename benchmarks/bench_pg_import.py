"""Import and evaluation on a PostgreSQL server, each against its floor measured in the same run.

    python -m benchmarks.bench_pg_import --pg postgresql://USER@HOST:PORT/DB [N] [--keep DIR]

``--pg`` is a login that may create databases (the server of ``scripts/postgres.sh``); the run
makes two throw-away databases beside the one named, and drops them at the end.

- Import: ``import_files`` of the roster and monthly workbooks (``bench_import``'s synthetic
  county: N enterprises and 6 × N monthly figures; read in child processes, checked, staged by
  ``COPY``, merged, logged, recorded as batches) into a new migrated database already open, as
  the window has it. Its floor: python-calamine reading the same files and ``COPY`` of their
  raw rows into plain tables. No backup is taken in either (on a server that is ``pg_dump``'s,
  not the import's). ``read_workbook`` alone is timed too, to tell reading from writing.
  Target: within 2.5 × the floor.
- Evaluation: ``evaluate_roster`` (第五、十一、十二、十三条 with explanations) over what the
  import stored, against one SELECT of the same facts per table (as ``bench_evaluate``'s floor)
  and one threshold rule in Python; the best of REPEAT runs of each, interleaved. Target:
  within 4 × the floor.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from python_calamine import CalamineWorkbook

from benchmarks.bench_import import make_files

# Nothing heavier at the top: the import's reading children (multiprocessing "spawn") import
# this module again as their __mp_main__, and SQLAlchemy, psycopg and the models imported there
# would count against the import's time and not the floor's (as bench_import keeps it).

IMPORT_TARGET = 2.5
EVALUATE_TARGET = 4.0
FLOOR_DB, IMPORT_DB = "relief_bench_floor", "relief_bench_import"


def _dsn(url: str, database: str | None = None) -> str:
    """libpq's form of ``url`` on ``database`` (by default its own, else ``postgres``)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    database = database or parsed.database or "postgres"
    return parsed.set(drivername="postgresql", database=database).render_as_string(False)


@contextmanager
def fresh_database(url: str, name: str) -> Iterator[str]:
    """A new, empty database ``name`` on the server of ``url`` (its DSN), dropped afterwards."""
    import psycopg

    with psycopg.connect(_dsn(url), autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]
        c.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
    try:
        yield _dsn(url, name)
    finally:
        with psycopg.connect(_dsn(url, "postgres"), autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]


def floor(paths: list[Path], dsn: str) -> None:
    """Read every sheet with python-calamine and COPY its rows into a plain table."""
    import psycopg

    with psycopg.connect(dsn) as conn:
        for n, path in enumerate(paths):
            wb = CalamineWorkbook.from_path(str(path))
            for name in wb.sheet_names:
                rows = wb.get_sheet_by_name(name).to_python()
                width = max(len(r) for r in rows)
                columns = ", ".join(f"c{i} text" for i in range(width))
                conn.execute(f"CREATE TABLE t{n} ({columns})")  # type: ignore[arg-type]
                with conn.cursor().copy(f"COPY t{n} FROM STDIN") as copy:  # type: ignore[arg-type]
                    for row in rows[1:]:
                        copy.write_row([None if v == "" else v for v in row])


def timed(run: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def evaluate_floor(dsn: str) -> int:
    """Select the same facts with psycopg and count months growing at least 50%."""
    import psycopg

    from benchmarks.bench_evaluate import FLOOR_QUERIES, growing_months

    with psycopg.connect(dsn) as conn:
        people, monthly, *_ = (conn.execute(q).fetchall() for q in FLOOR_QUERIES)
    return growing_months(people, monthly)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=50_000)
    parser.add_argument("--pg", required=True, help="a server login that may create databases")
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the workbooks in")
    args = parser.parse_args(argv)
    from sqlalchemy.engine import make_url

    from benchmarks.bench_evaluate import REPEAT
    from desktop.importing import import_files
    from desktop.rules.engine import evaluate_roster
    from desktop.sheets import read_workbook
    from desktop.store import open_database

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        paths = make_files(folder, args.n)
        print(f"workbooks for {args.n} enterprises ready in {time.perf_counter() - start:.1f} s")
        with fresh_database(args.pg, FLOOR_DB) as floor_dsn:
            floor_s, _ = timed(lambda: floor(paths, floor_dsn))
        read_s, _ = timed(lambda: [read_workbook(p) for p in paths])
        with fresh_database(args.pg, IMPORT_DB) as dsn:
            db = open_database(make_url(dsn).set(drivername="postgresql+psycopg"), "benchmark")
            import_s, report = timed(lambda: import_files(db, paths, backup=False))
            if not report.complete:  # type: ignore[attr-defined]
                raise SystemExit(f"the import did not complete: {report.to_json()}")  # type: ignore[attr-defined]
            floor_times, engine_times = [], []
            for _ in range(REPEAT):
                seconds, hits = timed(lambda: evaluate_floor(dsn))
                floor_times.append(seconds)
                with db.reader() as session:
                    seconds, results = timed(lambda: len(evaluate_roster(session)))
                engine_times.append(seconds)
            db.close()
    ratio = import_s / floor_s
    print(f"floor  (calamine + COPY into plain tables) {floor_s:6.2f} s")
    print(f"read   (read_workbook alone)               {read_s:6.2f} s")
    print(f"import (import_files into PostgreSQL)      {import_s:6.2f} s")
    print(f"reading alone is {read_s / floor_s:.2f}× the floor; the import's writing "
          f"(import less reading) {(import_s - read_s) / floor_s:.2f}×")  # fmt: skip
    print(f"import ratio {ratio:.2f}× the floor (target ≤ {IMPORT_TARGET}×)")
    f, e = min(floor_times), min(engine_times)
    print(f"evaluation floor (one SELECT of the facts + one threshold rule): {f:.2f} s, "
          f"{hits} month hits")  # fmt: skip
    print(f"evaluate_roster (5, 11, 12, 13 with explanations): {e:.2f} s, {results} results")
    print(f"evaluation ratio {e / f:.2f}× (target ≤ {EVALUATE_TARGET:.0f}×)")
    return 0 if ratio <= IMPORT_TARGET and e / f <= EVALUATE_TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
