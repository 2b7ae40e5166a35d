"""Reading roster workbooks (xlsx, xlsm, xls, ods, csv) into typed rows, safely."""
