"""SIGKILL the import at random points: the file is intact and the batch is all there or absent."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.store import open_database

ENTERPRISES = 1000  # and three months each: 4,000 rows in one file
ROUNDS = 20
CHILD = """
import sys
from decimal import Decimal
from pathlib import Path
from stdnum.cn import uscc
from desktop.importing.importer import Importer
from desktop.sheets.parsed import ParsedFile, ParsedRow, ParsedSheet, SheetKind
import pytest

from desktop.store import open_database

def code(n):
    body = f"91140902MA{n:07d}"
    return body + uscc.calc_check_digit(body)

n = int(sys.argv[2])
roster = [ParsedRow(i + 2, {"name": f"企业{i}", "uscc": code(i), "county": "忻府区"})
          for i in range(n)]
monthly = [ParsedRow(i + 2, {"uscc": code(i // 3), "year": 2023, "month": i % 3 + 1,
                             "output": Decimal(i)}) for i in range(3 * n)]
sheets = [ParsedSheet("企业名录", SheetKind.roster, 1, {}, roster, 0),
          ParsedSheet("月度产值", SheetKind.monthly, 1, {}, monthly, 0)]
db = open_database(Path(sys.argv[1]), "测试员")
print("ready", flush=True)
report = Importer(db).import_parsed(ParsedFile(Path("名录.xlsx"), "0" * 64, sheets))
assert report.committed, report.error
"""


def _run(db_path: Path, kill_after: float | None = None) -> tuple[int, float]:
    """Run the import; SIGKILL it ``kill_after`` seconds after it is ready to write.

    Returns the exit code and how long it ran once ready.
    """
    cmd = [sys.executable, "-c", CHILD, str(db_path), str(ENTERPRISES)]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        ready = time.monotonic()
        if kill_after is not None:
            time.sleep(kill_after)
            child.send_signal(signal.SIGKILL)
        code = child.wait(timeout=60)
    return code, time.monotonic() - ready


def _state(db_path: Path) -> tuple[str, tuple[int, ...]]:
    conn = sqlite3.connect(db_path)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        tables = ("import_batch", "enterprise", "monthly_output", "change_log", "import_line")
        counts = tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)
    finally:
        conn.close()
    return check, counts


@pytest.mark.slow
def test_kill_at_random_points_leaves_all_or_nothing(tmp_path: Path) -> None:
    pristine = tmp_path / "pristine.sqlite3"
    open_database(pristine, "测试员").close()
    whole = (1, ENTERPRISES, 3 * ENTERPRISES, 0, 4 * ENTERPRISES)  # inserts: import lines

    calibration = tmp_path / "calibration.sqlite3"
    shutil.copyfile(pristine, calibration)
    code, duration = _run(calibration)
    assert code == 0 and _state(calibration) == ("ok", whole)

    rng = random.Random(20230105)
    killed = 0
    for n in range(ROUNDS):
        db_path = tmp_path / f"round{n}.sqlite3"
        shutil.copyfile(pristine, db_path)
        code, _ = _run(db_path, kill_after=rng.uniform(0, duration))
        killed += code == -signal.SIGKILL
        check, counts = _state(db_path)
        assert check == "ok", f"round {n}: {check}"
        assert counts in ((0, 0, 0, 0, 0), whole), f"round {n}: partial import {counts}"
    assert killed >= ROUNDS // 2  # most kills landed before the import finished
