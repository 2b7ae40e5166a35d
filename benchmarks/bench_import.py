"""Import benchmark: 50,000 enterprises and 300,000 monthly figures, against the floor.

The floor, measured in the same run on the same files: python-calamine reading them plus sqlite3
``executemany`` of the raw rows into a plain table. The pandas dump: ``pandas.read_excel``
(calamine engine) and ``DataFrame.to_sql`` of every sheet (pandas is needed only here, and the
comparison is skipped, saying so, when it is not installed). The import: ``import_files`` of
the roster and the monthly workbook (read in child processes, checked, upserted, logged, backed
up, recorded as batches) into a new database already open, as the window has it. Each is run in
a process of its own, so its peak memory (``ru_maxrss`` of the process plus its largest child)
is its own. The sizes are of each database file with its WAL.

    python -m benchmarks.bench_import [N_ENTERPRISES] [--keep DIR]

Targets: import time within 2.0 × the floor and no slower than the pandas dump; the database
at most 2.0 × the size of the floor's plain tables (its data); peak memory under 400 MB.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from python_calamine import CalamineWorkbook

from benchmarks.schema_floor import schema_floor

RATIO_TARGET = 2.0
SIZE_TARGET = 2.0
MEMORY_TARGET_MB = 400
FILES = ("roster.xlsx", "monthly.xlsx")


def make_files(folder: Path, n: int) -> list[Path]:
    """The roster and monthly workbooks of a synthetic county of ``n`` (reused when present)."""
    paths = [folder / name for name in FILES]
    if not all(p.exists() for p in paths):
        # Imported here: the reading child process imports this module again (multiprocessing
        # "spawn"), and openpyxl, SQLAlchemy and the models would count against its memory.
        from benchmarks.synth import generate, write_monthly_xlsx, write_roster_xlsx

        county = generate(n)
        write_roster_xlsx(paths[0], county)
        write_monthly_xlsx(paths[1], county)
    return paths


def floor(paths: list[Path], db_path: Path) -> None:
    """Read every sheet with python-calamine and executemany its rows into a plain table."""
    conn = sqlite3.connect(db_path)
    for n, path in enumerate(paths):
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python()
            width = max(len(r) for r in rows)
            columns = ", ".join(f"c{i}" for i in range(width))
            conn.execute(f"CREATE TABLE t{n} ({columns})")
            marks = ", ".join("?" * width)
            conn.executemany(f"INSERT INTO t{n} VALUES ({marks})", rows[1:])
    conn.commit()
    conn.close()


def run_import(paths: list[Path], db_path: Path) -> Callable[[], None]:
    """The real thing, as the command line does it, into an open, empty database."""
    from desktop.importing import import_files
    from desktop.store import open_database

    db = open_database(db_path, operator="benchmark")

    def run() -> None:
        report = import_files(db, paths)
        db.close()
        if not report.complete:
            raise SystemExit(json.dumps(report.to_json(), ensure_ascii=False)[:2000])

    return run


def pandas_dump(paths: list[Path], db_path: Path) -> Callable[[], None]:
    """What pandas does with the same files: ``read_excel`` (calamine) and ``to_sql``."""
    import pandas

    def run() -> None:
        conn = sqlite3.connect(db_path)
        for n, path in enumerate(paths):
            sheets = pandas.read_excel(path, sheet_name=None, engine="calamine")
            for k, frame in enumerate(sheets.values()):
                frame.to_sql(f"t{n}_{k}", conn, index=False)
        conn.commit()
        conn.close()

    return run


def read_only(paths: list[Path], _db_path: Path) -> Callable[[], None]:
    """Only ``read_workbook`` (guard, child-process reader, recognition, values): its share."""
    from desktop.sheets import read_workbook

    def run() -> None:
        for path in paths:
            read_workbook(path)

    return run


def floor_phase(paths: list[Path], db_path: Path) -> Callable[[], None]:
    return lambda: floor(paths, db_path)


# Each phase's set-up (imports, opening the database) is done before it is timed, as the floor's
# imports are: what is timed is the work on the files.
PHASES: dict[str, Callable[[list[Path], Path], Callable[[], None]]] = {
    "floor": floor_phase,
    "schema": schema_floor,
    "read": read_only,
    "import": run_import,
    "pandas": pandas_dump,
}
HAVE_PANDAS = importlib.util.find_spec("pandas") is not None


def peak_mb() -> dict[str, float]:
    """Peak resident memory (MB) of this process, of its largest child, and the two together."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"own_mb": own, "child_mb": child, "peak_mb": own + child}


def phase(name: str, folder: Path) -> None:
    """Run one phase here and print its seconds and peak memory as JSON."""
    paths = [folder / f for f in FILES]
    db_path = folder / f"{name}.sqlite3"
    for stale in folder.glob(f"{name}.sqlite3*"):
        stale.unlink()
    run = PHASES[name](paths, db_path)
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    size = sum(p.stat().st_size for p in folder.glob(f"{name}.sqlite3*"))  # with its WAL
    print(json.dumps({"seconds": seconds, "size_mb": size / 1e6, **peak_mb()}))


def measure(name: str, folder: Path) -> dict[str, float]:
    """Run a phase in a fresh process."""
    cmd = [sys.executable, "-m", "benchmarks.bench_import", "--phase", name, str(folder)]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    if argv[:1] == ["--phase"]:  # one measured phase, in the process measure() started
        phase(argv[1], Path(argv[2]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the workbooks in")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        make_files(folder, args.n)
        print(f"workbooks for {args.n} enterprises ready in {time.perf_counter() - start:.1f} s")
        names = [name for name in PHASES if name != "pandas" or HAVE_PANDAS]
        m = {name: measure(name, folder) for name in names}
    base, schema, read, full = m["floor"], m["schema"], m["read"], m["import"]
    ratio = full["seconds"] / base["seconds"]
    for label, name in (
        ("floor  (calamine + sqlite3 executemany)", "floor"),
        ("schema (the same, into the app's tables)", "schema"),
        ("read   (read_workbook alone)", "read"),
        ("import (import_files)", "import"),
        ("pandas (read_excel calamine + to_sql)", "pandas"),
    ):
        if name in m:
            print(f"{label:40} {m[name]['seconds']:6.2f} s, {m[name]['size_mb']:6.1f} MB on disk, "
                  f"peak {m[name]['peak_mb']:.0f} MB (process {m[name]['own_mb']:.0f} MB + "
                  f"largest child {m[name]['child_mb']:.0f} MB)")  # fmt: skip
    print(f"reading alone is {read['seconds'] / base['seconds']:.2f}× the floor; writing the "
          f"same rows and log lines into the app's tables alone is "
          f"{schema['seconds'] / base['seconds']:.2f}× the floor, and the import "
          f"{full['seconds'] / schema['seconds']:.2f}× that")  # fmt: skip
    size = full["size_mb"] / base["size_mb"]
    print(f"ratio {ratio:.2f}× the floor (target ≤ {RATIO_TARGET}×); "
          f"peak {full['peak_mb']:.0f} MB (target < {MEMORY_TARGET_MB} MB)")  # fmt: skip
    print(f"database {full['size_mb']:.1f} MB, {size:.2f}× the plain tables' "
          f"{base['size_mb']:.1f} MB (target ≤ {SIZE_TARGET}×)")  # fmt: skip
    ok = ratio <= RATIO_TARGET and size <= SIZE_TARGET and full["peak_mb"] < MEMORY_TARGET_MB
    if "pandas" in m:
        vs_pandas = full["seconds"] / m["pandas"]["seconds"]
        print(f"against the pandas dump {vs_pandas:.2f}× (target ≤ 1.0×)")
        ok = ok and vs_pandas <= 1.0
    else:
        print("pandas is not installed (pip install pandas, benchmark only): the comparison "
              "with the pandas dump was NOT made")  # fmt: skip
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
