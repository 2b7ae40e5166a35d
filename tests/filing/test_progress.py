"""Exports report their progress as they go: evaluating, then writing, and done only at the end
(a progress dialog closes when it sees the end, so a long write must not look finished)."""

from __future__ import annotations

from pathlib import Path

from desktop.filing import write_ledger
from desktop.filing.operations import export_filing_sheet, export_ledger
from desktop.progress import STAGE_STEPS
from desktop.store import Database

from .conftest import MakeResult


def test_a_long_ledger_reports_rows_written_then_the_save(
    tmp_path: Path, make_result: MakeResult
) -> None:
    results = [make_result(i) for i in range(1, 1201)] + [
        make_result(i, measure="11", period="2023") for i in range(1, 1201)
    ]
    seen: list[tuple[int, int]] = []
    out = tmp_path / "ledger.xlsx"
    write_ledger(results, out, progress=lambda done, total: seen.append((done, total)))
    total = 1200 + 2400 + 1  # enterprise rows, result rows, the save
    assert seen == [(n, total) for n in range(500, total, 500)] + [(total, total)]
    assert out.exists()


def test_exporting_the_ledger_evaluates_then_writes(sample_db: Database, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    with sample_db.reader() as s:
        export_ledger(s, tmp_path / "ledger.xlsx", progress=lambda d, t: seen.append((d, t)))
    whole = 2 * STAGE_STEPS
    assert {t for _, t in seen} == {whole}
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[-1] == whole and whole not in done[:-1]
    assert STAGE_STEPS in done  # evaluation ended half-way through


def test_a_filing_sheet_is_done_only_once_written(sample_db: Database, tmp_path: Path) -> None:
    seen: list[int] = []
    with sample_db.reader() as s:
        export_filing_sheet(s, "12", tmp_path / "12.xlsx", progress=lambda d, t: seen.append(d))
    assert seen[-2:] == [STAGE_STEPS, 2 * STAGE_STEPS]
