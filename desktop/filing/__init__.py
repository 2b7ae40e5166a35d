"""Workbooks an office files: the filing sheet (申报汇总表) of a measure and the ledger (台账)."""

from desktop.filing.cells import CellWarning
from desktop.filing.filing_sheet import write_filing_sheet
from desktop.filing.ledger import write_ledger

__all__ = ["CellWarning", "write_filing_sheet", "write_ledger"]
