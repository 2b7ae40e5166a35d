"""``import_files``: each file read, checked, and written in one transaction as one batch."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from itertools import chain
from pathlib import Path

from sqlalchemy import Connection, insert, update
from sqlalchemy.exc import SQLAlchemyError

from desktop.gcpause import gc_paused
from desktop.importing.checks import RowChecker
from desktop.importing.kinds import NAME_TARGETS, NAME_VALUES, TARGETS, WRITE_ORDER
from desktop.importing.ledgers import sheet_writes
from desktop.importing.lookups import Lookups
from desktop.importing.merge import merge, new_names
from desktop.importing.payments import record_payments
from desktop.importing.report import FileReport, ImportReport, SheetReport, Unrecognised
from desktop.importing.stage import Stage, staged_fields
from desktop.models import ImportBatch
from desktop.progress import Cancelled, Progress
from desktop.sheets import Correction, Corrections, PendingRead, SheetChoice
from desktop.sheets.choice import NO_CORRECTIONS
from desktop.sheets.errors import SheetFileError
from desktop.sheets.parsed import ParsedFile, ParsedRows, ParsedSheet, RowsPart, SheetKind
from desktop.sheets.read import ReadStream, read_stream
from desktop.store import Database, dialects
from desktop.store.changelog import AuditContext
from desktop.store.server import transaction_lock

CHUNK = 5000  # rows checked and staged together; progress and cancel between chunks
CANCELLED = "已取消，本文件未导入任何数据"


def import_files(
    db: Database,
    paths: Iterable[Path],
    *,
    dry_run: bool = False,
    overrides: Mapping[str, Mapping[str, str]] | None = None,
    choices: Mapping[str, SheetChoice] | None = None,
    remembered: Mapping[str, Correction] | None = None,
    corrections: Corrections | None = None,
    read: Iterable[ParsedFile] = (),
    progress: Progress | None = None,
    source: str = "import",
    backup: bool = True,
) -> ImportReport:
    """Read, check and write each file in order; each file is all written or not at all.

    ``overrides`` and ``choices`` (by sheet name) and ``remembered`` (by layout key), or
    ``corrections`` giving the three, correct how sheets are read (see ``read_workbook``).
    ``read`` are files already read so (for the preview): each is imported as read unless it
    changed on disk since. ``progress(done, total)`` counts a file's sheets while reading, then
    its rows while writing, and may raise ``Cancelled``: the file in progress is then rolled back
    and the rest are left (files already written stay, each its own batch). A dry run writes
    nothing at all. ``source`` names the change log's source (``sample`` for the sample county);
    ``backup``: a backup is taken before each file is written (not for the sample county).
    """
    if corrections is None:
        corrections = Corrections(overrides or {}, choices or {}, remembered or {})
    importer = Importer(db, dry_run=dry_run, progress=progress, source=source, backup=backup)
    report = ImportReport(dry_run=dry_run)
    if backup and not dry_run:
        report.space_warning = db.backup_warning()
    paths = list(map(Path, paths))
    known = {f.path: f for f in read if f.is_current()}
    with importer:
        for path, after in zip(paths, [*paths[1:], None], strict=True):
            if path in known:
                found = importer.import_parsed(known[path])
            else:
                ahead = None if after in known else after
                found = importer.import_path(path, corrections, ahead=ahead)
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
        source: str = "import",
        backup: bool = True,
    ) -> None:
        self.db = db
        self.backup = backup
        self.dry_run = dry_run
        self.progress = progress
        self.source = source
        self._dry: Connection | None = None  # a dry run's transaction, rolled back at close
        self._pending: PendingRead | None = None

    def tick(self, done: int, total: int) -> None:
        """Report progress (which raises Cancelled when the officer has asked to stop)."""
        if self.progress is not None:
            self.progress(done, total)

    def import_path(
        self,
        path: Path,
        corrections: Corrections = NO_CORRECTIONS,
        *,
        ahead: Path | None = None,
    ) -> FileReport:
        """Read one file and check and write it as it is read; a file that cannot be read is
        refused (also when that shows only part way: nothing of it is then written).

        The child process reading it hands its rows on a part at a time: one part is checked
        and staged while the next is read. ``ahead`` is the file to import next: a second child
        process starts reading it now, beside the one reading this file, and goes on while this
        one is written (stopped by ``close()`` if never used). At most two files are read at once.
        """
        pending, self._pending = self._pending, None
        if ahead is not None:
            self._pending = PendingRead(ahead, corrections=corrections, part_rows=CHUNK,
                                        order=WRITE_ORDER)  # fmt: skip
        try:
            stream = read_stream(path, corrections=corrections, progress=self.tick,
                                 pending=pending, part_rows=CHUNK, order=WRITE_ORDER)  # fmt: skip
        except SheetFileError as exc:
            return FileReport(path, error=str(exc))
        except Cancelled:
            return FileReport(path, error=CANCELLED)
        with stream:
            return self._import(stream)

    def close(self) -> None:
        """Stop the child reading a file not imported after all; take a dry run back."""
        if self._pending is not None:
            self._pending.close()
            self._pending = None
        if self._dry is not None:
            self._dry.close()  # closing rolls the transaction back
            self._dry = None

    def __enter__(self) -> Importer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def import_parsed(self, parsed: ParsedFile) -> FileReport:
        """Check and write one file read whole (in a dry run, write it and take it back)."""
        return self._import(ReadStream.of(parsed, CHUNK))

    def _import(self, stream: ReadStream) -> FileReport:
        """Check and write one file as its rows come (in a dry run, write it and take it back)."""
        parsed = stream.file
        report = FileReport(parsed.path, parsed.sha256)
        sheets = [s for s in parsed.sheets if s.kind is not None]
        report.unrecognised = [Unrecognised(s.name, s.reason) for s in parsed.sheets
                               if s.kind is None]  # fmt: skip
        if not sheets:
            report.error = f"文件「{parsed.path.name}」中没有可识别的工作表：" + "；".join(
                f"工作表「{u.sheet}」{u.reason}" for u in report.unrecognised
            )
            return report
        report.sheets = [
            SheetReport(s.name, s.kind, s.header_row, s.skipped, columns=s.columns,
                        unused_columns=s.unused, county_from_sheet=s.county_from_sheet,
                        skipped_rows=s.skipped_rows)
            for s in sheets
        ]  # fmt: skip
        try:
            with self._transaction() as conn:
                batch_id = self._write(conn, stream, report)
        except Cancelled:
            report.sheets, report.error = [], CANCELLED
        except SheetFileError as exc:  # found wrong part way: as a file not read at all
            return FileReport(parsed.path, error=str(exc))
        except SQLAlchemyError as exc:
            why = getattr(exc, "orig", None) or exc
            report.sheets = []
            report.error = f"文件「{parsed.path.name}」写入数据库失败，未导入任何数据：{why}"
        else:
            if not self.dry_run:
                report.committed, report.batch_id = True, batch_id
        return report

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """One file's transaction (on a server under the bulk advisory lock); in a dry run a
        savepoint of the run's transaction.

        A dry run writes each file as a real import would, so the files after it see what it
        would add, and takes everything back at the end (``close()``).
        """
        if not self.dry_run:
            if self.backup:
                self.db.backup("before-import")
            with self.db.engine.begin() as conn:
                transaction_lock(conn, "导入")  # on a server: no undo or other import in between
                dialects.bulk_settings(conn)
                yield conn
            return
        if self._dry is None:
            self._dry = self.db.engine.connect()
            self._dry.begin()
        with self._dry.begin_nested():
            dialects.bulk_settings(self._dry)
            yield self._dry

    def _write(self, conn: Connection, stream: ReadStream, report: FileReport) -> int:
        """Record the batch, then stage, check and merge every sheet; the batch's id."""
        batches = ImportBatch.__table__
        parsed = stream.file
        batch_id = conn.execute(
            insert(batches).values(
                file_name=parsed.path.name, sha256=parsed.sha256, operator=self.db.operator
            )
        ).inserted_primary_key[0]
        self._apply(conn, self.db.audit(self.source, batch_id), stream, report)
        counts = {
            "sheets": [s.counts() for s in report.sheets],
            "unrecognised": [u.to_json() for u in report.unrecognised],
            "notes": report.notes,
        }
        conn.execute(
            update(batches)
            .where(batches.c.id == batch_id)
            .values(counts=json.dumps(counts, ensure_ascii=False))
        )
        return int(batch_id)

    def _apply(
        self, conn: Connection, ctx: AuditContext, stream: ReadStream, report: FileReport
    ) -> None:
        """Check and stage every sheet part by part, reference data first; merge each.

        The cyclic garbage collector is paused meanwhile: the keys and staged rows are hundreds
        of thousands of acyclic tuples, and its passes over them would cost more than the checks.
        """
        positions = [i for i, s in enumerate(stream.file.sheets) if s.kind is not None]
        kinds = [stream.file.sheets[i].kind for i in positions]
        with gc_paused():
            checker = RowChecker(Lookups.load(conn))
            done = 0
            for j in sorted(range(len(positions)), key=lambda j: WRITE_ORDER.index(kinds[j])):
                sheet, sheet_report = stream.file.sheets[positions[j]], report.sheets[j]
                parts = stream.parts(positions[j])
                done = self._sheet(conn, ctx, checker, sheet, parts, report, sheet_report,
                                   (done, stream.total))  # fmt: skip
                sheet_report.skipped = sheet.skipped
                sheet_report.skipped_rows = sheet.skipped_rows

    def _sheet(
        self,
        conn: Connection,
        ctx: AuditContext,
        checker: RowChecker,
        sheet: ParsedSheet,
        parts: Iterator[RowsPart],
        report: FileReport,
        sheet_report: SheetReport,
        progress: tuple[int, int],
    ) -> int:
        """Check, stage and merge one sheet's rows part by part; the spreadsheet rows read by
        then (``progress``: those read before, and the file's total)."""
        done, total = progress
        assert sheet.kind is not None
        fields, parts = _fields(parts)
        target = TARGETS[sheet.kind]
        if not fields:  # a header alone: nothing to stage (nor its fields to)
            return done + sum(part.read for part in parts)
        if sheet.kind is SheetKind.payments:
            block, read = ParsedRows(), 0
            for part in parts:
                block.extend(part.rows)
                read += part.read
            record_payments(conn, ctx, checker, sheet, block, sheet_report, CHUNK,
                            lambda n: self.tick(done + n, total))  # fmt: skip
            return done + read
        if sheet.kind is SheetKind.leases:
            checker.lookups.reload_zones(conn)
        staged = staged_fields(target, fields)
        writes = sheet_writes(conn, checker, sheet, staged, fields)
        with Stage(conn, target, staged) as stage:
            for part in parts:
                if len(part.rows):
                    rows = writes.screen(part.rows)
                    passed = checker.accept(target, sheet, writes.wanted, rows, sheet_report)
                    stage.add(writes.take(passed))
                done += part.read
                self.tick(done, total)
            self._add_names(conn, ctx, stage, sheet, report)
            merged = merge(conn, ctx, target, stage)
        writes.finish(conn, ctx, report)
        sheet_report.created += merged.created
        sheet_report.updated += merged.updated
        sheet_report.unchanged += merged.unchanged
        return done

    @staticmethod
    def _add_names(
        conn: Connection, ctx: AuditContext, stage: Stage, sheet: ParsedSheet, report: FileReport
    ) -> None:
        """Add the zones and chains the staged rows name but the database lacks, and say so."""
        for field, target in NAME_TARGETS.items():
            if field not in stage.fields:
                continue
            added = new_names(conn, stage, field)
            if not added:
                continue
            given = NAME_VALUES.get(field, {})
            with Stage(conn, target, ("name", *given)) as names:
                columns = [[name for _, name in added], *([v] * len(added) for v in given.values())]
                names.add(([row for row, _ in added], columns))
                merge(conn, ctx, target, names)
            report.notes += [_added_note(field, name, row, sheet) for row, name in added]


def _fields(parts: Iterator[RowsPart]) -> tuple[tuple[str, ...], Iterator[RowsPart]]:
    """The fields of a sheet's rows (none when it has none), and all its parts (those read to
    tell among them)."""
    seen = []
    for part in parts:
        seen.append(part)
        if len(part.rows):
            return part.rows.fields, chain(seen, parts)
    return (), iter(seen)


def _added_note(field: str, name: str, row: int, sheet: ParsedSheet) -> str:
    """What the officer is told about a zone or chain the import had to add."""
    where = f"工作表「{sheet.name}」第{row}行"
    if field == "zone":
        return f"新建开发区「{name}」（{where}首次出现；级别、类型未知，请用开发区表补充）"
    if field in NAME_VALUES:
        return f"新建人员「{name}」（{NAME_VALUES[field]['kind']}，{where}首次出现）"
    what = "服务小组" if field == "team" else "产业链"
    return f"新建{what}「{name}」（{where}首次出现）"
