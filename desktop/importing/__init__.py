"""Bringing spreadsheets into the database: validate, upsert in one transaction, batches, undo."""

from desktop.importing.batches import BatchInfo, list_batches
from desktop.importing.importer import import_files
from desktop.importing.rejects import write_rejects_report
from desktop.importing.report import FileReport, ImportReport, Rejection, SheetReport
from desktop.importing.undo import undo_batch

__all__ = [
    "BatchInfo",
    "FileReport",
    "ImportReport",
    "Rejection",
    "SheetReport",
    "import_files",
    "list_batches",
    "undo_batch",
    "write_rejects_report",
]
