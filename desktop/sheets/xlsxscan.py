"""A streaming look at .xlsx worksheet XML for what python-calamine hides or chokes on.

calamine returns ``""`` for a formula cell without a cached value (openpyxl writes formulas so)
and for error values, and aborts the process on a value at a far-away cell (it allocates the
whole rectangle). One pass of two regular expressions over the decompressed stream finds both;
a closer, element-by-element look happens only in sheets that contain formulas or errors.
"""

from __future__ import annotations

import posixpath
import re
import zipfile

from defusedxml import ElementTree as SafeET

from desktop.sheets.raw import LimitExceeded, Limits

CHUNK = 1 << 20
OVERLAP = 64
_FAR_CELL = re.compile(
    rb'<(?:\w+:)?c r="((?:[A-Z]{3,}|[G-Z][A-Z])\d+|[A-Z]+\d{7,})"[^>]*(?<!/)>'
)  # fmt: skip
_FORMULA_OR_ERROR = re.compile(rb'<(?:\w+:)?f[ >/]|\st="e"')
_REF = re.compile(r"([A-Z]+)(\d+)")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

MISSING_CACHE = "公式没有计算结果（请在 Excel 或 WPS 中打开并保存后再导入）"

Cell = tuple[int, int]


def split_ref(ref: str) -> Cell:
    """``"B3"`` → (2, 1): 0-based row and column."""
    match = _REF.fullmatch(ref)
    if not match:
        raise ValueError(ref)
    col = 0
    for letter in match[1]:
        col = col * 26 + ord(letter) - 64
    return int(match[2]) - 1, col - 1


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the zip member holding its XML, from workbook.xml and its relationships."""
    workbook = SafeET.fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True)
    rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    parts = {}
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        target = targets.get(sheet.get(f"{{{_REL_NS}}}id"), "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts[sheet.get("name", "")] = posixpath.normpath(member)
    return parts


def _quick_pass(archive: zipfile.ZipFile, member: str, sheet: str, limits: Limits) -> bool:
    """Refuse far-away cells; say whether the sheet has formulas or error values at all."""
    marked = False
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            window = tail + chunk
            for match in _FAR_CELL.finditer(window):
                _check_reach(match[1].decode(), sheet, limits)
            marked = marked or _FORMULA_OR_ERROR.search(window) is not None
            tail = window[-OVERLAP:]
    return marked


def _check_reach(ref: str, sheet: str, limits: Limits) -> None:
    row, col = split_ref(ref)
    if row + 1 > limits.max_rows or col + 1 > limits.max_columns:
        raise LimitExceeded(
            f"工作表「{sheet}」的单元格 {ref} 超出范围"
            f"（最多 {limits.max_columns} 列、{limits.max_rows:,} 行）"
        )


def _unreadable_cells(archive: zipfile.ZipFile, member: str) -> dict[Cell, str]:
    """Formula cells without a cached value, and error values, by 0-based (row, column)."""
    found: dict[Cell, str] = {}
    with archive.open(member) as stream:
        for _event, elem in SafeET.iterparse(stream, events=("end",), forbid_dtd=True):
            name = _local(elem.tag)
            if name == "c" and elem.get("r"):
                parts = {_local(child.tag): child.text for child in elem}
                if elem.get("t") == "e":
                    found[split_ref(elem.get("r"))] = f"单元格是错误值 {parts.get('v') or ''}"
                elif "f" in parts and not parts.get("v"):
                    found[split_ref(elem.get("r"))] = MISSING_CACHE
            elif name == "row":
                elem.clear()
    return found


def scan_workbook(path: str, limits: Limits) -> dict[str, dict[Cell, str]]:
    """Per sheet name, its unreadable cells; ``LimitExceeded`` for a cell beyond the limits."""
    with zipfile.ZipFile(path) as archive:
        found = {}
        members = set(archive.namelist())
        for sheet, member in sheet_parts(archive).items():
            if member in members and _quick_pass(archive, member, sheet, limits):
                found[sheet] = _unreadable_cells(archive, member)
        return found
