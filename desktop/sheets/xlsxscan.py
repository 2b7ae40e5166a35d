"""A streaming look at .xlsx worksheet XML for what python-calamine hides or chokes on.

calamine returns ``""`` for a formula cell without a cached value (openpyxl writes formulas so)
and for error values: ``unreadable_cells`` finds them with byte searches, block by block (a
sheet written with namespace prefixes is parsed element by element instead). calamine also
aborts the process on a value at a far-away cell (it allocates the whole rectangle):
``far_cell`` names such a cell, to explain a child process that died.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from desktop.sheets.guard import Refused
from desktop.sheets.raw import Limits

CHUNK = 1 << 20
MISSING_CACHE = "公式没有计算结果（请在 Excel 或 WPS 中打开并保存后再导入）"
_MARKERS = (b"<f", b' t="e"')  # formulas and error values
_PREFIXED_ROOT = re.compile(rb"<\w+:worksheet\b")  # <x:worksheet>: every element prefixed
_CELL_REF = re.compile(rb'\br="([A-Z]+\d+)"')
_VALUE = re.compile(rb"<v>([^<]+)</v>")
_EMPTY_VALUE = re.compile(rb"<v\s*/>|<v></v>")
_FAR_REF = re.compile(rb' r="((?:[A-Z]{3,}|[G-Z][A-Z])\d+|[A-Z]+\d{7,})"')
_REF = re.compile(r"([A-Z]+)(\d+)")

# What a damaged or crafted workbook makes the standard library raise while we look into it.
BROKEN = (zipfile.BadZipFile, KeyError, ValueError, SyntaxError, EOFError, OSError, zlib.error,
          DefusedXmlException)  # fmt: skip

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
    members = set(archive.namelist())
    parts = {}
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        rel_id = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rel_id, "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        member = posixpath.normpath(member)
        if member in members:
            parts[sheet.get("name", "")] = member
    return parts


def _row_blocks(archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """The decompressed member in blocks that end after a ``</row>``: no cell is cut in two."""
    rest = b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            block = rest + chunk
            cut = block.rfind(b"</row>")
            if cut < 0:
                rest = block
                continue
            cut += len(b"</row>")
            yield block[:cut]
            rest = block[cut:]
    if rest:
        yield rest


def _marked_cells(block: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(attributes, content) of each cell in ``block`` holding a formula or an error value."""
    starts = set()
    for marker in _MARKERS:
        at = block.find(marker)
        while at >= 0:
            starts.add(block.rfind(b"<c ", 0, at))
            at = block.find(marker, at + 1)
    for start in sorted(starts - {-1}):
        head_end = block.find(b">", start)
        if block[head_end - 1 : head_end] == b"/":  # <c .../> holds nothing
            continue
        end = block.find(b"</c>", head_end)
        yield block[start:head_end], block[head_end + 1 : end]


def _judge(attributes: bytes, content: bytes) -> tuple[Cell, str] | None:
    ref = _CELL_REF.search(attributes)
    if ref is None:
        return None
    if b' t="e"' in attributes:
        value = _VALUE.search(content)
        return split_ref(ref[1].decode()), f"单元格是错误值 {value[1].decode() if value else ''}"
    if b"<f" in content and not _VALUE.search(content):
        if b' t="str"' in attributes and _EMPTY_VALUE.search(content):
            return None  # a formula whose text is empty (=IF(…,"",…)), as LibreOffice saves it
        return split_ref(ref[1].decode()), MISSING_CACHE
    return None


def _empty_text(kind: str | None, parts: dict[str, str | None]) -> bool:
    """A formula cell whose cached text is empty (``t="str"`` and an empty ``<v>``)."""
    return kind == "str" and "v" in parts


def _cells_to_flag(archive: zipfile.ZipFile, member: str, sheet: str) -> dict[Cell, str]:
    """Formula cells without a cached value and error values, found with byte searches.

    A sheet whose XML stops short of its closing tag is refused: calamine would read what is
    there and say nothing.
    """
    found: dict[Cell, str] = {}
    block = b""
    for n, block in enumerate(_row_blocks(archive, member)):
        if n == 0 and _PREFIXED_ROOT.search(block):
            return _cells_to_flag_by_parsing(archive, member)
        for attributes, content in _marked_cells(block):
            judged = _judge(attributes, content)
            if judged is not None:
                found[judged[0]] = judged[1]
    if not block.rstrip().endswith(b"worksheet>"):
        raise Refused(f"文件已损坏：工作表「{sheet}」的内容不完整")
    return found


def _cells_to_flag_by_parsing(archive: zipfile.ZipFile, member: str) -> dict[Cell, str]:
    """The same, for XML written with namespace prefixes (``<x:c>``), element by element."""
    found: dict[Cell, str] = {}
    with archive.open(member) as stream:
        for _event, elem in SafeET.iterparse(stream, events=("end",), forbid_dtd=True):
            name = _local(elem.tag)
            if name == "c" and elem.get("r"):
                parts = {_local(child.tag): child.text for child in elem}
                if elem.get("t") == "e":
                    found[split_ref(elem.get("r"))] = f"单元格是错误值 {parts.get('v') or ''}"
                elif "f" in parts and not parts.get("v") and not _empty_text(elem.get("t"), parts):
                    found[split_ref(elem.get("r"))] = MISSING_CACHE
            elif name == "row":
                elem.clear()
    return found


def unreadable_cells(path: str) -> dict[str, dict[Cell, str]]:
    """Per sheet name, by 0-based (row, column): formulas without a cached value, error values.

    Raises ``Refused`` when the workbook's XML cannot be followed.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            return {
                sheet: _cells_to_flag(archive, member, sheet)
                for sheet, member in sheet_parts(archive).items()
            }
    except BROKEN as exc:
        raise Refused(f"文件已损坏（工作表内容无法解析：{exc}）") from exc


def far_cell(path: str, limits: Limits) -> str | None:
    """Why calamine could not read ``path``, if a cell lies beyond the limits; else None."""
    try:
        return _first_far_cell(path, limits)
    except BROKEN:
        return None


def _first_far_cell(path: str, limits: Limits) -> str | None:
    with zipfile.ZipFile(path) as archive:
        for sheet, member in sheet_parts(archive).items():
            for block in _row_blocks(archive, member):
                for match in _FAR_REF.finditer(block):
                    row, col = split_ref(match[1].decode())
                    if row + 1 > limits.max_rows or col + 1 > limits.max_columns:
                        return (
                            f"工作表「{sheet}」的单元格 {match[1].decode()} 超出范围"
                            f"（应少于 {limits.max_rows + 1:,} 行、{limits.max_columns + 1} 列）"
                        )
    return None
