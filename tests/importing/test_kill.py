"""SIGKILL the import at random points: the file is intact and the batch is all there or absent.

The points are the import's own: SQLite calls a progress handler every 500 virtual machine
instructions of the import's statements, and at the chosen call the import says so and waits
there to be killed, mid-statement, most often with part of its transaction already spilled to
the WAL (a small page cache). No kill depends on how fast the machine is (they once did: a
kill timed from a calibration run could land after a faster import's end). Each import is a
process forked from one that has imported everything once (starting Python 21 times cost most
of the time).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.store import open_database

ENTERPRISES = 1000  # and three months each: 4,000 rows in one file
ROUNDS = 20
IMPORTS = """
import os
import signal
import sys
from decimal import Decimal
from pathlib import Path

from sqlalchemy import event
from stdnum.cn import uscc

from desktop.importing.importer import Importer
from desktop.sheets.parsed import ParsedFile, ParsedRow, ParsedSheet, SheetKind
from desktop.store import open_database


def code(n):
    body = f"91140902MA{n:07d}"
    return body + uscc.calc_check_digit(body)


n = int(sys.argv[1])
roster = [ParsedRow(i + 2, {"name": f"企业{i}", "uscc": code(i), "county": "忻府区"})
          for i in range(n)]
monthly = [ParsedRow(i + 2, {"uscc": code(i // 3), "year": 2023, "month": i % 3 + 1,
                             "output": Decimal(i)}) for i in range(3 * n)]
sheets = [ParsedSheet("企业名录", SheetKind.roster, 1, {}, roster, 0),
          ParsedSheet("月度产值", SheetKind.monthly, 1, {}, monthly, 0)]


def run(path, stop_at):
    '''Import into ``path``; at the ``stop_at``-th progress call (0: none) wait to be killed.'''
    db = open_database(Path(path), "测试员")
    ticks = 0

    def tick():
        nonlocal ticks
        ticks += 1
        if ticks == stop_at:
            print("at", ticks, os.getpid(), flush=True)
            signal.pause()  # killed while waiting here
        return 0

    @event.listens_for(db.engine, "checkout")
    def watched(dbapi_connection, record, proxy):
        dbapi_connection.set_progress_handler(tick, 500)
        dbapi_connection.execute("PRAGMA cache_size = 20")  # pages spill to the WAL

    report = Importer(db).import_parsed(ParsedFile(Path("名录.xlsx"), "0" * 64, sheets))
    assert report.committed, report.error
    print("done", ticks, flush=True)


for line in sys.stdin:  # one import a line: PATH STOP_AT
    path, stop_at = line.rsplit(maxsplit=1)
    pid = os.fork()
    if pid == 0:
        run(path, int(stop_at))
        os._exit(0)
    print("exit", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
"""


class Imports:
    """The process that forks one import a call."""

    def __init__(self, child: subprocess.Popen[str]) -> None:
        self.child = child

    def run(self, db_path: Path, stop_at: int = 0) -> tuple[int, str]:
        """Import into ``db_path``; SIGKILL the import once it waits at its ``stop_at``-th
        progress call (0: let it finish). Returns its exit code and what it said."""
        assert self.child.stdin is not None and self.child.stdout is not None
        print(db_path, stop_at, file=self.child.stdin, flush=True)
        said = self.child.stdout.readline().split()
        assert said, "the import ended without a word"
        if said[0] == "at":
            os.kill(int(said[2]), signal.SIGKILL)
        exited = self.child.stdout.readline().split()
        assert exited[0] == "exit", exited
        return int(exited[1]), " ".join(said[:2])


@pytest.fixture
def imports() -> Iterator[Imports]:
    cmd = [sys.executable, "-c", IMPORTS, str(ENTERPRISES)]
    with subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as child:
        yield Imports(child)
        assert child.stdin is not None
        child.stdin.close()
        assert child.wait(timeout=60) == 0


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
def test_kill_at_random_points_leaves_all_or_nothing(tmp_path: Path, imports: Imports) -> None:
    pristine = tmp_path / "pristine.sqlite3"
    open_database(pristine, "测试员").close()
    whole = (1, ENTERPRISES, 3 * ENTERPRISES, 0, 4 * ENTERPRISES)  # inserts: import lines

    calibration = tmp_path / "calibration.sqlite3"
    shutil.copyfile(pristine, calibration)
    code, said = imports.run(calibration)
    assert code == 0 and said.startswith("done ")
    assert _state(calibration) == ("ok", whole)
    ticks = int(said.split()[1])  # the same statements on the same file: the same calls
    assert ticks > 10 * ROUNDS

    rng = random.Random(20230105)
    spilled = 0
    for n in range(ROUNDS):
        db_path = tmp_path / f"round{n}.sqlite3"
        shutil.copyfile(pristine, db_path)
        stop_at = rng.randrange(1, ticks)
        assert imports.run(db_path, stop_at) == (-signal.SIGKILL, f"at {stop_at}"), f"round {n}"
        wal = Path(f"{db_path}-wal")
        spilled += wal.exists() and wal.stat().st_size > 0  # uncommitted pages written
        check, counts = _state(db_path)
        assert check == "ok", f"round {n}: {check}"
        assert counts == (0, 0, 0, 0, 0), f"round {n}: partial import {counts}"
    assert spilled >= ROUNDS // 2  # most kills found the transaction partly on disk
