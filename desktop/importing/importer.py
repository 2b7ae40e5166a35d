"""``import_files``: each file read, checked, and written in one transaction as one batch."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from sqlalchemy import Connection, insert, update
from sqlalchemy.exc import SQLAlchemyError

from desktop.gcpause import gc_paused
from desktop.importing.kinds import TARGETS, WRITE_ORDER
from desktop.importing.lookups import Lookups
from desktop.importing.plan import FilePlanner
from desktop.importing.report import FileReport, ImportReport, SheetReport
from desktop.importing.write import Change, write_changes
from desktop.models import ImportBatch, Zone
from desktop.sheets import Reading, SheetChoice, read_workbook
from desktop.sheets.errors import SheetFileError
from desktop.sheets.parsed import ParsedFile, ParsedRow, ParsedSheet
from desktop.store import Database
from desktop.store.changelog import AuditContext

CHUNK = 5000  # rows planned, written and logged together; progress and cancel between chunks
CANCELLED = "已取消，本文件未导入任何数据"

Progress = Callable[[int, int], None]
Rows = list[list[ParsedRow]]
Cancel = Callable[[], bool]


class ImportCancelled(Exception):
    """The officer stopped the import; the file in progress is rolled back."""


def import_files(
    db: Database,
    paths: Iterable[Path],
    *,
    dry_run: bool = False,
    overrides: Mapping[str, Mapping[str, str]] | None = None,
    choices: Mapping[str, SheetChoice] | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ImportReport:
    """Read, check and write each file in order; each file is all written or not at all.

    ``progress(done, total)`` counts a file's sheets while reading, then its rows while
    writing; when ``cancel()`` turns true the file in progress is rolled back and the rest are
    left (files already written stay, each its own batch). A dry run writes nothing at all.
    """
    importer = Importer(db, dry_run=dry_run, progress=progress, cancel=cancel)
    report = ImportReport(dry_run=dry_run)
    paths = list(map(Path, paths))
    with importer:
        for path, after in zip(paths, [*paths[1:], None], strict=True):
            found = importer.import_path(path, overrides, choices, ahead=after)
            report.files.append(found)
            if found.error == CANCELLED:
                report.cancelled = True
                break
    return report


class Importer:
    """Imports parsed files one by one.

    In a dry run what earlier files would add (enterprises, zones) is carried on to the next,
    as a real import would have committed it.
    """

    def __init__(
        self,
        db: Database,
        *,
        dry_run: bool = False,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> None:
        self.db = db
        self.dry_run = dry_run
        self.progress = progress
        self.cancel = cancel
        self._carried: Lookups | None = None
        self._reading: Reading | None = None

    def tick(self, done: int, total: int) -> None:
        """Report progress; raises ImportCancelled when the officer has asked to stop."""
        if self.cancel is not None and self.cancel():
            raise ImportCancelled
        if self.progress is not None:
            self.progress(done, total)

    def import_path(
        self,
        path: Path,
        overrides: Mapping[str, Mapping[str, str]] | None = None,
        choices: Mapping[str, SheetChoice] | None = None,
        *,
        ahead: Path | None = None,
    ) -> FileReport:
        """Read one file, then check and write it; a file that cannot be read is refused.

        ``ahead`` is the file to import next: once this one is read, a child process starts
        reading that one while this one is written (stopped by ``close()`` if never used).
        """
        reading, self._reading = self._reading, None
        try:
            parsed = read_workbook(
                path, overrides=overrides, choices=choices, progress=self.tick, reading=reading
            )
        except SheetFileError as exc:
            return FileReport(path, error=str(exc))
        except ImportCancelled:
            return FileReport(path, error=CANCELLED)
        if ahead is not None:
            self._reading = Reading(ahead)
        return self.import_parsed(parsed, release=True)

    def close(self) -> None:
        """Stop the child reading the next file, if that file is not imported after all."""
        if self._reading is not None:
            self._reading.close()
            self._reading = None

    def __enter__(self) -> Importer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def import_parsed(self, parsed: ParsedFile, *, release: bool = False) -> FileReport:
        """Check and write one read file (in a dry run, only check it).

        With ``release`` the sheets' rows are taken out of ``parsed`` and let go chunk by chunk
        as they are done (300,000 rows hold some 80 MB), for a caller with no further use.
        """
        report = FileReport(parsed.path, parsed.sha256)
        sheets = [s for s in parsed.sheets if s.kind is not None]
        report.notes += [s.message or f"工作表「{s.name}」未识别" for s in parsed.sheets
                         if s.kind is None]  # fmt: skip
        if not sheets:
            report.error = f"文件「{parsed.path.name}」中没有可识别的工作表：" + "；".join(
                report.notes
            )
            return report
        report.sheets = [
            SheetReport(s.name, s.kind, s.header_row, s.skipped, columns=s.columns) for s in sheets
        ]
        try:
            rows = [s.rows if release else list(s.rows) for s in sheets]  # emptied as written
            if release:
                for sheet in sheets:
                    sheet.rows = []
            if self.dry_run:
                self._check(sheets, rows, report)
            else:
                self._write(parsed, sheets, rows, report)
        except ImportCancelled:
            report.sheets, report.error = [], CANCELLED
        except SQLAlchemyError as exc:
            why = getattr(exc, "orig", None) or exc
            report.sheets = []
            report.error = f"文件「{parsed.path.name}」写入数据库失败，未导入任何数据：{why}"
        return report

    def _check(self, sheets: list[ParsedSheet], rows: Rows, report: FileReport) -> None:
        with self.db.engine.connect() as conn:
            if self._carried is None:
                self._carried = Lookups.load(conn)
            self._apply(conn, None, self._carried, sheets, rows, report)

    def _write(
        self, parsed: ParsedFile, sheets: list[ParsedSheet], rows: Rows, report: FileReport
    ) -> None:
        self.db.backup("before-import")
        batches = ImportBatch.__table__
        with self.db.engine.begin() as conn:
            batch_id = conn.execute(
                insert(batches).values(
                    file_name=parsed.path.name, sha256=parsed.sha256, operator=self.db.operator
                )
            ).inserted_primary_key[0]
            ctx = self.db.audit("import", batch_id)
            self._apply(conn, ctx, Lookups.load(conn), sheets, rows, report)
            counts = {"sheets": [s.counts() for s in report.sheets], "notes": report.notes}
            conn.execute(
                update(batches)
                .where(batches.c.id == batch_id)
                .values(counts=json.dumps(counts, ensure_ascii=False))
            )
        report.committed, report.batch_id = True, batch_id

    def _apply(
        self,
        conn: Connection,
        ctx: AuditContext | None,
        lookups: Lookups,
        sheets: list[ParsedSheet],
        rows: Rows,
        report: FileReport,
    ) -> None:
        """Plan every sheet, reference data first, chunk by chunk; write each chunk with ctx.

        ``rows`` are the sheets' rows; each chunk is dropped from its list once written. The
        cyclic garbage collector is paused meanwhile: the rows, changes and log lines are
        millions of acyclic containers, and its passes over them cost a fifth of the import.
        """
        with gc_paused():
            planner = FilePlanner(conn, lookups)
            total, done = sum(map(len, rows)), 0
            order = sorted(zip(sheets, report.sheets, rows, strict=True),
                           key=lambda three: WRITE_ORDER.index(three[0].kind))  # fmt: skip
            for sheet, sheet_report, pending in order:
                target = TARGETS[sheet.kind]
                while pending:
                    chunk = pending[:CHUNK]
                    del pending[:CHUNK]
                    changes = planner.plan(target, sheet, chunk, sheet_report)
                    for table, added in lookups.take_new_names():
                        report.notes.append(_added_note(table.name, added, sheet))
                        if ctx is not None:
                            write_changes(conn, ctx, table, [added])
                    if ctx is not None:
                        write_changes(conn, ctx, target.table, changes)
                    done += len(chunk)
                    self.tick(done, total)


def _added_note(table: str, added: Change, sheet: ParsedSheet) -> str:
    """What the officer is told about a zone or chain the import had to add."""
    where = f"工作表「{sheet.name}」第{added.source_row}行"
    if table == Zone.__tablename__:
        return f"新建开发区「{added.row_key}」（{where}首次出现；级别、类型未知，请用开发区表补充）"
    return f"新建产业链「{added.row_key}」（{where}首次出现）"
