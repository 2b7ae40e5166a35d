"""Kills at random moments (issue 18): backup, export, import and undo, ROUNDS each.

    python -m benchmarks.bench_faults [ROUNDS] [ENTERPRISES] [COMMAND...]   # default 20 3000 all

Each round copies a synthetic county, runs one ``relief-desk`` command in a child process and
SIGKILLs it after a random time between the start-up of a trivial command and the end of
the command's own undisturbed run. Then: the
database passes integrity_check and foreign_key_check and holds either the state before or
the state a whole run leaves (never half a batch); the output is whole or absent (a backup
passes the full check, a workbook opens); no file but hidden temporaries is left, and those
go on the next run; nothing printed holds a traceback. Prints one line per command.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from openpyxl import load_workbook

from benchmarks.synth import generate, write_database, write_roster_xlsx
from desktop.store.backups import file_problem

DATA_TABLES = ("enterprise", "monthly_output", "annual_figures", "lease")


def _state(db: Path) -> tuple[object, ...]:
    """The business rows, and how many batches stand (not undone)."""
    with closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = tuple(
            tuple(conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()) for t in DATA_TABLES
        )
        batches = conn.execute("SELECT count(*) FROM import_batch WHERE undone_at IS NULL")
        return rows, batches.fetchone()[0]


def _run(db: Path, args: list[str], timeout: float | None) -> tuple[int | None, str]:
    child = subprocess.Popen(
        [sys.executable, "-m", "desktop", "--db", str(db), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _, err = child.communicate(timeout=timeout)
        return child.returncode, err
    except subprocess.TimeoutExpired:
        child.kill()
        _, err = child.communicate()
        return None, err


def _whole_backup(out: Path) -> bool:
    return not out.exists() or file_problem(out) is None


def _whole_workbook(out: Path) -> bool:
    if not out.exists():
        return True
    try:
        load_workbook(out, read_only=True).close()
    except Exception:  # any failure to open is a half-written workbook
        return False
    return True


def main(argv: list[str]) -> int:
    rounds = int(argv[0]) if argv else 20
    size = int(argv[1]) if len(argv) > 1 else 3000
    work = Path(tempfile.mkdtemp(prefix="relief-faults-"))
    try:
        return _rounds(work, rounds, size, argv[2:])
    finally:
        shutil.rmtree(work)


def _rounds(work: Path, rounds: int, size: int, chosen: list[str]) -> int:
    """Every chosen command killed ``rounds`` times on a county of ``size``; 1 on a violation."""
    rng = random.Random(18)
    base, imported = work / "base" / "county.sqlite3", work / "imported" / "county.sqlite3"
    write_database(base, generate(size))
    book = work / "新企业.xlsx"
    write_roster_xlsx(book, generate(size // 2, seed=7))
    imported.parent.mkdir()
    shutil.copyfile(base, imported)
    assert _run(imported, ["import", str(book)], None)[0] in (0, 1)
    commands: dict[str, tuple[Path, Callable[[Path], list[str]], Callable[[Path], bool]]] = {
        "backup": (base, lambda out: ["backup", str(out)], _whole_backup),
        "export": (base, lambda out: ["export", "--ledger", "-o", str(out)], _whole_workbook),
        "import": (base, lambda _out: ["import", str(book)], lambda _out: True),
        "undo-import": (imported, lambda _out: ["undo-import", "1"], lambda _out: True),
    }
    start = time.perf_counter()
    _run(base, ["log", "--limit", "1"], None)
    startup = time.perf_counter() - start  # before this the command has not touched anything
    failures = 0
    chosen = chosen or list(commands)
    for name, (source, args, whole) in commands.items():
        if name not in chosen:
            continue
        killed = finished = bad = 0
        reference = _fresh(work, source, f"{name}-reference")
        start = time.perf_counter()
        code, _ = _run(reference, args(reference.parent / "out.x"), None)
        duration = time.perf_counter() - start
        after = _state(reference)
        for i in range(rounds):
            db = _fresh(work, source, f"{name}-{i}")
            before = _state(db)
            out = db.parent / ("out.sqlite3" if name == "backup" else "out.xlsx")
            code, err = _run(db, args(out), rng.uniform(0.8 * startup, duration))
            killed += code is None
            finished += code is not None
            state = _state(db)
            problems = [
                "traceback" * ("Traceback" in err),
                "half state" * (state not in (before, after)),
                "half output" * (not whole(out)),
                "exit code" * (code not in (None, 0, 1, 2)),
            ]
            again, _ = _run(db, args(out.with_name("again" + out.suffix)), None)
            left = [p.name for p in db.parent.iterdir() if p.name.startswith(".t-")]
            problems.append("temporaries kept" * bool(left and name == "export"))
            problems.append("next run failed" * (again not in (0, 1, 2)))
            found = [p for p in problems if p]
            bad += bool(found)
            if found:
                print(f"  {name} round {i}: {', '.join(found)}", file=sys.stderr)
                print("    " + "\n    ".join(err.strip().splitlines()[-6:]), file=sys.stderr)
        failures += bad
        timing = f"undisturbed run {duration:.2f} s, start-up {startup:.2f} s"
        print(f"{name:12} {rounds} rounds: killed {killed}, finished {finished}, "
              f"violations {bad}  ({timing})")  # fmt: skip
    return 1 if failures else 0


def _fresh(work: Path, source: Path, name: str) -> Path:
    folder = work / name
    folder.mkdir()
    db = folder / source.name
    shutil.copyfile(source, db)
    return db


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
