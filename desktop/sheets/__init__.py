"""Reading roster workbooks (xlsx, xlsm, xls, ods, csv, txt) into typed rows, safely."""

from desktop.sheets.choice import Correction, Corrections, SheetChoice
from desktop.sheets.read import PendingRead, read_workbook

__all__ = ["Correction", "Corrections", "PendingRead", "SheetChoice", "read_workbook"]
