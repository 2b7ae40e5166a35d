"""The steps of the cases benchmark (``benchmarks.bench_cases``, which says what is timed): the
fixture, the run through the product, the floor, the rows each leaves and the progress board.

Imported by the command only when it runs: the child reading the payments workbook imports the
command's module again (multiprocessing "spawn"), as it imports the application's light
``desktop.__main__``, and SQLAlchemy, openpyxl and the models would count against the reading.
"""

from __future__ import annotations

import importlib.util
import sqlite3
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from benchmarks.synth import generate, write_database
from desktop.cases.errors import clause_text
from desktop.cases.moves import Move, move_case_ids, move_cases
from desktop.cases.opening import Basis, case_number, open_eligible, open_eligible_numbers
from desktop.cases.parameters import load_case_parameters
from desktop.cases.states import State
from desktop.importing import import_files
from desktop.models import Case
from desktop.rules.engine import evaluate_roster
from desktop.rules.result import Result, Verdict
from desktop.store import open_database

PARAMETERS = load_case_parameters()
BASIS = Basis("xinzhou-2022-86", {})
START, END, PAID_ON = date(2023, 6, 5), date(2023, 6, 12), date(2023, 7, 3)  # END: START + 5
MOVES = (
    (Move(State.RECEIVED, on=START), START),
    (Move(State.APPROVED), START),
    (Move(State.PUBLICITY, on=START), START),
    (Move(State.PUBLICIZED), END),
)
HEADERS = ("统一社会信用代码*", "支持事项*", "期间", "拨付金额（元）*", "拨付日期*", "凭证号*")
TABLES = ("subsidy_case", "case_move", "payment", "change_log")
LOG = (
    "INSERT INTO change_log (at, operator, source, batch_id, source_row, table_name, row_id,"
    " row_key, action, field, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
BATCH = (
    "INSERT INTO import_batch (file_name, sha256, operator, imported_at, counts)"
    " VALUES ('拨付明细.xlsx', '', 'benchmark', ?, '{}')"
)


def fixture(folder: Path, n: int) -> tuple[Path, list[Result], Path]:
    """The county's database, its eligible results, and the workbook paying each in full."""
    path = folder / "fixture.sqlite3"
    write_database(path, generate(n))
    db = open_database(path, "benchmark")
    with db.reader() as session:
        eligible = [r for r in evaluate_roster(session) if r.verdict is Verdict.ELIGIBLE]
    db.close()
    workbook = folder / "拨付明细.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("拨付明细")
    ws.append(HEADERS)
    for i, r in enumerate(eligible):
        ws.append([r.uscc, clause_text(r.measure), r.period, r.amount, PAID_ON, f"记-{i:06d}"])
    wb.save(workbook)
    return path, eligible, workbook


def ours(
    path: Path, eligible: Sequence[Result], workbook: Path, by_objects: bool = False
) -> dict[str, float]:
    """The run through the product, each step timed."""
    steps: dict[str, float] = {}
    began = time.perf_counter()
    db = open_database(path, "benchmark")
    with db.session(source="command") as s:
        for measure in dict.fromkeys(r.measure for r in eligible):
            chosen = [r for r in eligible if r.measure == measure]
            opening = open_eligible if by_objects else open_eligible_numbers
            opening(s, chosen, BASIS, PARAMETERS)
    steps["open"] = time.perf_counter() - began
    for move, today in MOVES:
        start = time.perf_counter()
        with db.session(source="command") as s:
            if by_objects:
                cases = s.scalars(select(Case).order_by(Case.id)).all()
                move_cases(s, cases, move, PARAMETERS, today)
            else:
                ids = s.scalars(select(Case.id).order_by(Case.id)).all()
                move_case_ids(s, ids, move, PARAMETERS, today)
        steps[move.to.value] = time.perf_counter() - start
    start = time.perf_counter()
    report = import_files(db, [workbook])
    steps["payments import"] = time.perf_counter() - start
    (sheet,) = report.files[0].sheets
    assert (sheet.created, sheet.rejected) == (len(eligible), []), sheet.rejected[:3]
    db.close()
    steps["total"] = time.perf_counter() - began
    return steps


def _fen(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount.scaleb(2))


class _Floor:
    """Plain sqlite3: the same rows and log lines, by executemany."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.at = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")

    def log(self, rows: list[tuple[Any, ...]], source: str = "command", batch: Any = None) -> None:
        self.conn.executemany(LOG, [(self.at, "benchmark", source, batch, *r) for r in rows])

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> list[int]:
        top = self.conn.execute(f"SELECT ifnull(max(id), 0) FROM {table}").fetchone()[0]
        marks = ", ".join("?" * (len(columns) + 1))
        sql = f"INSERT INTO {table} (id, {', '.join(columns)}) VALUES ({marks})"
        ids = list(range(top + 1, top + 1 + len(rows)))
        self.conn.executemany(sql, [(i, *r) for i, r in zip(ids, rows, strict=True)])
        return ids

    def move(self, cases: list[list[Any]], to: str, on: date, changes: dict[str, Any]) -> None:
        """``cases``: [id, number, state, approved]; ``changes`` the columns set on each."""
        records = [(c[0], c[2], to, on.isoformat(), None, c[3] if to == "approved" else None, None)
                   for c in cases]  # fmt: skip
        columns = ("case_id", "from_state", "to_state", "moved_on", "reason", "amount",
                   "budget_override")  # fmt: skip
        ids = self.insert("case_move", columns, records)
        self.log([(None, "case_move", i, f"{c[1]} {to}", "insert", None, None, None)
                  for i, c in zip(ids, cases, strict=True)])  # fmt: skip
        sets = {"state": to, **changes}
        self.conn.executemany(
            f"UPDATE subsidy_case SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
            [(*sets.values(), c[0]) for c in cases],
        )
        self.log([(None, "subsidy_case", c[0], c[1], "update", k, None if k != "state" else c[2],
                   str(v)) for c in cases for k, v in sets.items()])  # fmt: skip
        for c in cases:
            c[2] = to


def floor(path: Path, eligible: Sequence[Result], workbook: Path) -> dict[str, float]:
    """The same rows and log lines through sqlite3 executemany (the workbook read by calamine),
    each step timed."""
    began = time.perf_counter()
    steps: dict[str, float] = {}
    lap = began
    with closing(sqlite3.connect(path)) as conn:
        f = _Floor(conn)
        ids = dict(conn.execute("SELECT uscc, id FROM enterprise"))
        sequences: dict[tuple[str, str], int] = {}
        rows = []
        for r in eligible:
            seq = sequences[(r.measure, r.period)] = sequences.get((r.measure, r.period), 0) + 1
            number = case_number(r.measure, r.period, seq)
            snapshot = (r.verdict.value, _fen(r.amount), r.expected, "\n".join(r.explanation))
            rows.append((number, ids[r.uscc], r.measure, r.period, seq,
                         PARAMETERS.level(r.measure), "open", *snapshot, BASIS.document, "{}",
                         f.at))  # fmt: skip
        columns = ("number", "enterprise_id", "measure", "period", "sequence", "level", "state",
                   "snapshot_verdict", "snapshot_amount", "snapshot_expected",
                   "snapshot_explanation", "snapshot_document", "snapshot_parameters",
                   "snapshot_at")  # fmt: skip
        case_ids = f.insert("subsidy_case", columns, rows)
        f.log([(None, "subsidy_case", i, row[0], "insert", None, None, None)
               for i, row in zip(case_ids, rows, strict=True)])  # fmt: skip
        conn.commit()
        steps["open"], lap = time.perf_counter() - lap, time.perf_counter()
        cases = [[i, row[0], "open", row[8]] for i, row in zip(case_ids, rows, strict=True)]
        end = "2023-06-12"
        for to, changes in (("received", {"received_on": START.isoformat()}),
                            ("approved", None),
                            ("publicity", {"publicity_start": START.isoformat(),
                                           "publicity_end": end}),
                            ("publicized", {})):  # fmt: skip
            if changes is None:  # each case its own amount
                f.move(cases, to, START, {})
                conn.executemany("UPDATE subsidy_case SET approved_amount = ? WHERE id = ?",
                                 [(c[3], c[0]) for c in cases])  # fmt: skip
                f.log([(None, "subsidy_case", c[0], c[1], "update", "approved_amount", None,
                        str(c[3])) for c in cases])  # fmt: skip
            else:
                f.move(cases, to, END if to == "publicized" else START, changes)
            conn.commit()
            steps[to], lap = time.perf_counter() - lap, time.perf_counter()
        sheet = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("拨付明细")
        paid = sheet.to_python()[1:]
        batch = conn.execute(BATCH, (f.at,)).lastrowid
        payments = [(c[0], c[3], PAID_ON.isoformat(), row[5], "市级", None, None)
                    for c, row in zip(cases, paid, strict=True)]  # fmt: skip
        pay_ids = f.insert("payment", ("case_id", "amount", "paid_on", "voucher", "level",
                                       "reversed_on", "reversal_reason"), payments)  # fmt: skip
        f.log([(n, "payment", i, f"{c[1]} {row[5]}", "insert", None, None, None)
               for n, (i, c, row) in enumerate(zip(pay_ids, cases, paid, strict=True), start=2)],
              "import", batch)  # fmt: skip
        f.move(cases, "paid", PAID_ON, {})
        conn.commit()
        steps["payments import"] = time.perf_counter() - lap
    steps["total"] = time.perf_counter() - began
    return steps


def counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


BOARD_FLOOR = (
    "SELECT c.measure, e.county_id, c.state, count(*), sum(c.approved_amount) FROM subsidy_case c"
    " JOIN enterprise e ON e.id = c.enterprise_id GROUP BY 1, 2, 3",
    "SELECT c.measure, e.county_id, sum(p.amount) FROM payment p JOIN subsidy_case c"
    " ON c.id = p.case_id JOIN enterprise e ON e.id = c.enterprise_id"
    " WHERE p.reversed_on IS NULL GROUP BY 1, 2",
)


def time_progress_board(path: Path, eligible: Sequence[Result]) -> tuple[float, float] | None:
    """The progress board over the run's cases and its floor (two grouped sqlite3 aggregates),
    best of three each; ``None`` while ``desktop.cases.progress`` is not on this branch."""
    if importlib.util.find_spec("desktop.cases.progress") is None:
        return None
    progress = importlib.import_module("desktop.cases.progress")
    counted = progress.eligible_counts(eligible)
    db = open_database(path, "benchmark")
    board: list[float] = []
    base: list[float] = []
    with db.reader() as session, closing(sqlite3.connect(path)) as conn:
        for _ in range(3):
            _timed(lambda: progress.progress_board(session, END, counted), board)
            _timed(lambda: [conn.execute(q).fetchall() for q in BOARD_FLOOR], base)
    db.close()
    return min(board), min(base)


def _timed(run: Callable[[], object], times: list[float]) -> None:
    start = time.perf_counter()
    run()
    times.append(time.perf_counter() - start)
