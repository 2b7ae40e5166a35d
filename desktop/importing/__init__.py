"""Bringing spreadsheets into the database: validate, upsert in one transaction, batches, undo.

Choices made here:

- A file's sheets are written reference data first (开发区), then the roster, then figures and
  leases, whatever their order in the workbook, so a file's own roster vouches for its figures.
- A zone or key chain that a roster row names but the database lacks is added by name alone,
  its level and kind unknown, and the file's notes say so; the officer completes it with a 开发区
  sheet or in the window. Refusing those rows would keep out a whole roster for want of a
  reference row (第十一条 says 资料不全 for a lease in a zone of unknown level or kind).
- A lease must name a zone already known (the database's, or one this file's 开发区 sheet or
  roster adds): a lease's zone decides 第十一条, so a name typed differently is refused with the
  zones it may name, never taken as a new zone.
- Rows are checked in Python a column at a time (what the officer must be told about, row by
  row), then the rows that pass are staged in a temporary table and merged by SQL: names
  resolved to ids, the existing row found by its key, new rows inserted with ids max + 1 in
  sheet order, changed columns updated, and every insert and changed column logged. 300,000
  rows never become Python objects one by one.
- A payments sheet (拨付明细) is not merged: its rows pass the same row checks, then the cases
  domain records them (``payments.py``: publicised cases only, never beyond the approved
  amount, no voucher twice), each refusal at its row and column. Payments are never deleted, so
  undoing such a batch reverses them (``desktop.cases.reversal``) instead.
- The window and the command line import a file the same way (``import_files``): each file is
  read once, with the officer's corrections for its sheets and those remembered for its layouts
  (``memory``); the window's preview and import take the files as read (``mapping``).
- Files go in the order given, each its own transaction and batch: give the roster first. A dry
  run is the real import, file by file in savepoints of one transaction that is rolled back at
  the end, so it counts exactly what a real one would write and the later files see what the
  earlier ones would add.
"""

from desktop.importing.batches import BatchInfo, list_batches
from desktop.importing.importer import import_files
from desktop.importing.rejects import write_rejects_report
from desktop.importing.report import FileReport, ImportReport, Rejection, SheetReport
from desktop.importing.undo import describe_undo, undo_batch

__all__ = [
    "BatchInfo",
    "FileReport",
    "ImportReport",
    "Rejection",
    "SheetReport",
    "describe_undo",
    "import_files",
    "list_batches",
    "undo_batch",
    "write_rejects_report",
]
