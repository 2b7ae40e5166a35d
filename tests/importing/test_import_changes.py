"""An import and its undo say what they wrote (``Changes``): the sheets' kinds, the batch, the
backup; a dry run, a cancelled or a refused file nothing."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from desktop.changes import Changes
from desktop.importing import import_files, undo_batch
from desktop.importing.importer import Importer
from desktop.progress import Cancelled
from desktop.sheets.parsed import SheetKind
from desktop.store import Database
from tests.importing.conftest import code, parsed_file, roster_row, sheet

C = Changes


def _roster_and_figures(first: int, count: int):
    numbers = range(first, first + count)
    monthly = [{"uscc": code(n), "year": 2023, "month": 1, "output": Decimal(n)} for n in numbers]
    return parsed_file(
        sheet(SheetKind.roster, [roster_row(n) for n in numbers]),
        sheet(SheetKind.monthly, monthly),
    )


def test_an_import_says_what_its_sheets_wrote(db: Database) -> None:
    report = Importer(db).import_parsed(_roster_and_figures(1, 2))
    roster_adds = C.ENTERPRISES | C.ZONES | C.CHAINS  # a roster row may add its zone or chain
    assert report.changes == roster_adds | C.FIGURES | C.BATCHES | C.BACKUPS
    figures_only = parsed_file(sheet(SheetKind.monthly, [
        {"uscc": code(1), "year": 2023, "month": 2, "output": Decimal(3)},
    ]))  # fmt: skip
    assert Importer(db).import_parsed(figures_only).changes == C.FIGURES | C.BATCHES | C.BACKUPS
    unchanged = Importer(db).import_parsed(figures_only)
    assert unchanged.committed and unchanged.changes == C.BATCHES | C.BACKUPS


def test_a_dry_run_or_a_refused_file_changes_nothing(db: Database, files) -> None:
    dry = import_files(db, [files(_roster_and_figures(1, 2))], dry_run=True)
    assert dry.files[0].sheets[0].created == 2 and dry.changes == C.NONE
    # Cancelled raised from the progress call stops it (the one cancel of every operation)
    stopped = import_files(db, [files(_roster_and_figures(1, 2))], progress=_cancel)
    assert stopped.cancelled and stopped.changes == C.NONE


def _cancel(_done: int, _total: int) -> None:
    raise Cancelled


def test_a_cancelled_import_reports_the_files_written_before(db: Database, files) -> None:
    first = files(_roster_and_figures(1, 2))  # 4 rows
    second = files(replace(_roster_and_figures(3, 3), path=Path("二.xlsx")))  # 6 rows

    def cancel_in_the_second(_done: int, total: int) -> None:
        if total == 6:
            raise Cancelled

    report = import_files(db, [first, second], progress=cancel_in_the_second)
    assert report.cancelled and [f.committed for f in report.files] == [True, False]
    assert report.changes == report.files[0].changes and C.FIGURES in report.changes


def test_an_undo_says_which_tables_it_took_back(db: Database) -> None:
    first = Importer(db).import_parsed(_roster_and_figures(1, 2))
    figures_only = parsed_file(sheet(SheetKind.monthly, [
        {"uscc": code(1), "year": 2023, "month": 1, "output": Decimal(99)},
    ]))  # fmt: skip
    second = Importer(db).import_parsed(figures_only)
    assert second.batch_id is not None and first.batch_id is not None
    assert undo_batch(db, second.batch_id).changes == C.FIGURES | C.BATCHES | C.BACKUPS
    both = C.ENTERPRISES | C.FIGURES | C.BATCHES | C.BACKUPS
    assert undo_batch(db, first.batch_id).changes == both
