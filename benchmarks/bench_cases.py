"""Cases benchmark: N enterprises, every eligible result opened as a case, moved to 公示无异议 and
paid by a payments file imported through the import path, against the floor.

    python -m benchmarks.bench_cases [--size N] [--repeat R] [--by-objects]  # 50000, 1

The fixture (not timed): the synthetic county (``benchmarks.synth``), evaluated once; a 拨付明细
workbook paying every eligible result its amount in full, one voucher each. Ours, on a copy of
the fixture opened as the window has it: ``open_eligible_numbers`` per measure (one command),
then ``move_case_ids`` on every case to 已受理, 审核通过, 公示中 and 公示无异议 (a command each, the
case ids read for it; with ``--by-objects``, ``open_eligible`` and ``move_cases`` on the cases
read as ORM objects, as the window and the command line call them today),
then ``import_files`` of the workbook (read in a child process, checked, recorded by
``PaymentBook``, the cases moved to 已拨付, a backup first, recorded as a batch). The floor, on
another copy: python-calamine reading the workbook, and plain sqlite3 ``executemany`` writing
the same rows (cases, moves, case updates, payments) and the same change-log lines, one
transaction per step. Both are checked to leave the same number of rows in every table.

The progress board (兑现进度表) is timed against a floor of two grouped sqlite3 aggregates when
``desktop.cases.progress`` is present (``time_progress_board``), and said skipped when not.
Target: the whole run within LIMIT× its floor.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

LIMIT = 2.0


def _best(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each step's best time over ``runs``."""
    return {name: min(r[name] for r in runs) for name in runs[0]}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000, help="enterprises (default 50000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, interleaved; the "
                        "best time of each step is compared (default 1)")  # fmt: skip
    parser.add_argument("--by-objects", action="store_true",
                        help="open and move the cases as ORM objects (open_eligible, "
                        "move_cases)")  # fmt: skip
    args = parser.parse_args(argv)
    from benchmarks import cases_run as run  # not at the top: see benchmarks.cases_run

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        path, eligible, workbook = run.fixture(folder, args.size)
        print(f"fixture: {args.size} enterprises, {len(eligible)} eligible results, "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        base_path, our_path = folder / "floor.sqlite3", folder / "ours.sqlite3"
        floors, runs = [], []
        for _ in range(args.repeat):  # each on a fresh copy of the fixture
            shutil.copy(path, base_path)
            shutil.copy(path, our_path)
            floors.append(run.floor(base_path, eligible, workbook))
            runs.append(run.ours(our_path, eligible, workbook, args.by_objects))
        base, steps = _best(floors), _best(runs)
        ours_counts, floor_counts = run.counts(our_path), run.counts(base_path)
        print(json.dumps({"rows (ours)": ours_counts, "rows (floor)": floor_counts},
                         ensure_ascii=False))  # fmt: skip
        assert ours_counts == floor_counts, "the floor must write what the product writes"
        for name, taken in steps.items():
            print(f"  {name:16} ours {taken:7.2f} s, floor {base[name]:7.2f} s: "
                  f"{taken / base[name]:.2f}×")  # fmt: skip
        ratio = steps["total"] / base["total"]
        print(f"floor (sqlite3 executemany, calamine) {base['total']:.2f} s; ours "
              f"{steps['total']:.2f} s: {ratio:.2f}× (target ≤ {LIMIT}×)")  # fmt: skip
        board = run.time_progress_board(our_path, eligible)
        if board is None:
            print("progress board: skipped (desktop.cases.progress is not on this branch)")
        else:
            print(f"progress board {board[0] * 1000:.0f} ms, floor {board[1] * 1000:.0f} ms: "
                  f"{board[0] / board[1]:.2f}×")  # fmt: skip
    return 0 if ratio <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
