"""Reading roster workbooks (xlsx, xlsm, xls, ods, csv) into typed rows, safely."""

from desktop.sheets.choice import SheetChoice
from desktop.sheets.read import Reading, read_workbook

__all__ = ["Reading", "SheetChoice", "read_workbook"]
