"""Reading roster workbooks (xlsx, xlsm, xls, ods, csv) into typed rows, safely."""

from desktop.sheets.read import Reading, read_workbook

__all__ = ["Reading", "read_workbook"]
