"""Reading roster workbooks (xlsx, xlsm, xls, ods, csv) into typed rows, safely."""

from desktop.sheets.read import read_workbook

__all__ = ["read_workbook"]
