"""Cells python-calamine reads as blank but are not: formulas without a cached value, errors."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.sheets import read_workbook
from desktop.sheets.xlsxscan import MISSING_CACHE, split_ref, unreadable_cells
from tests.sheets.conftest import code, write_xlsx

SHEET = "xl/worksheets/sheet1.xml"
CELLS = (
    b'<row r="2"><c r="A2"><f>1+1</f><v>2</v></c><c r="B2"><f>1+1</f><v/></c>'
    b'<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D2" s="1"/>'
    b'<c r="E2" t="str"><f t="shared" si="0"/></c></row>'
)


def workbook_with(tmp_path: Path, sheet_xml: bytes) -> Path:
    path = write_xlsx(tmp_path / "base.xlsx", [("表", [["x"]])])
    target = tmp_path / "cells.xlsx"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, sheet_xml if info.filename == SHEET else old.read(info))
    return target


def test_split_ref() -> None:
    assert split_ref("A1") == (0, 0)
    assert split_ref("XFD1048576") == (1048575, 16383)
    with pytest.raises(ValueError):
        split_ref("1A")


def test_formulas_without_cached_values_and_errors_are_found(tmp_path: Path) -> None:
    xml = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
           b'spreadsheetml/2006/main"><sheetData>' + CELLS
           + b"</sheetData></worksheet>")  # fmt: skip
    assert unreadable_cells(str(workbook_with(tmp_path, xml))) == {
        "表": {(1, 1): MISSING_CACHE, (1, 2): "单元格是错误值 #DIV/0!", (1, 4): MISSING_CACHE}
    }


def test_namespace_prefixed_sheets_are_parsed(tmp_path: Path) -> None:
    prefixed = CELLS.replace(b"<", b"<x:").replace(b"<x:/", b"</x:")
    xml = (b'<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/'
           b'spreadsheetml/2006/main"><x:sheetData>' + prefixed
           + b"</x:sheetData></x:worksheet>")  # fmt: skip
    assert unreadable_cells(str(workbook_with(tmp_path, xml)))["表"] == {
        (1, 1): MISSING_CACHE, (1, 2): "单元格是错误值 #DIV/0!", (1, 4): MISSING_CACHE
    }  # fmt: skip


@pytest.mark.parametrize("prefix", [b"", b"x:"])
def test_a_formula_whose_text_is_empty_is_not_flagged(tmp_path: Path, prefix: bytes) -> None:
    """LibreOffice saves =IF(…,"",…) as t="str" with an empty <v>; openpyxl writes
    formulas without a type and without a value."""
    cells = (
        b'<row r="3"><c r="A3" s="0" t="str"><f aca="false">IF(1&gt;2,"x","")</f><v></v></c>'
        b'<c r="B3" t="str"><f>""</f><v/></c><c r="C3"><f>""</f><v/></c></row>'
    )
    if prefix:
        cells = cells.replace(b"<", b"<x:").replace(b"<x:/", b"</x:")
    xmlns = b"xmlns:x" if prefix else b"xmlns"
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = b'<%bworksheet %b="%b"><%bsheetData>%b</%bsheetData></%bworksheet>' % (
        prefix, xmlns, main, prefix, cells, prefix, prefix,
    )  # fmt: skip
    assert unreadable_cells(str(workbook_with(tmp_path, xml))) == {"表": {(2, 2): MISSING_CACHE}}


def test_an_empty_formula_result_saved_by_libreoffice_reads_as_blank(
    tmp_path: Path, soffice_convert: Callable[[Path, str], Path]
) -> None:
    rows = [["企业名称", "统一社会信用代码", "所属县（市、区）", "联系人"],
            ["甲公司", code(1), "忻府区", '=IF(1>2,"张三","")']]  # fmt: skip
    source = write_xlsx(tmp_path / "名录.xlsx", [("名录", rows)])
    assert read_workbook(source).sheets[0].rows[0].problems[0].message == MISSING_CACHE
    saved = read_workbook(soffice_convert(source, "xlsx")).sheets[0].rows[0]
    assert (saved.values["contact"], list(saved.problems)) == (None, [])
