"""Checks before any parser sees a file: what it really is, zip bombs, XML entity tricks.

Cheap and bounded, run in the application's own process: the file's first bytes, the zip's
central directory (declared sizes, ratios, member count) and the prologue of every XML part (a
DTD, and so billion laughs, quadratic blow-up and external entities, is refused outright: no
spreadsheet needs one).
"""

from __future__ import annotations

import struct
import zipfile
from enum import StrEnum
from pathlib import Path
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from desktop.sheets.raw import LimitExceeded, Limits

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt")
TEXT_EXTENSIONS = (".csv", ".txt")  # .txt: Excel's 「Unicode 文本」 (UTF-16) or 文本文件 (GBK)
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
XML_SUFFIXES = (".xml", ".rels", ".vml")
PROLOGUE_CHUNK = 4096
EOCD_SIGNATURE = b"PK\x05\x06"
EOCD_SIZE = 22
EOCD_SEARCH = EOCD_SIZE + 65535  # the record, and a comment of at most 64 KB
_NOT_SPREADSHEETS = (
    (b"%PDF", "是 PDF 文件"),
    (b"\x89PNG", "是 PNG 图片"),
    (b"\xff\xd8\xff", "是 JPEG 图片"),
    (b"GIF8", "是 GIF 图片"),
    (b"Rar!", "是 RAR 压缩包"),
    (b"7z\xbc\xaf", "是 7z 压缩包"),
    (b"\x1f\x8b", "是 gzip 压缩包"),
    (b"{\\rtf", "是 RTF 文档"),
)


class FileFormat(StrEnum):
    """What a file really is, whatever its name says."""

    xlsx = "xlsx"
    xls = "xls"
    ods = "ods"
    csv = "csv"  # delimited text: .csv, or tab-separated .txt


class Refused(Exception):
    """A file that must not be parsed; ``str()`` is the reason, in Chinese, without the file."""


def check_file(path: Path, limits: Limits) -> FileFormat:
    """The file's real format, or ``Refused``/``LimitExceeded`` saying why it is not read."""
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise Refused(f"不是支持的文件类型（支持 {'、'.join(EXTENSIONS)}）")
    if not path.is_file():
        raise Refused("找不到该文件")
    size = path.stat().st_size
    if size == 0:
        raise Refused("是空文件（0 字节）")
    if size > limits.max_file_bytes:
        raise LimitExceeded(
            f"文件过大（{size / 2**20:.0f} MB，上限 {limits.max_file_bytes // 2**20} MB）"
        )
    with path.open("rb") as fh:
        head = fh.read(PROLOGUE_CHUNK)
    found = _format_of(head, suffix)
    return _check_zip(path, limits) if found is FileFormat.xlsx else found


def _format_of(head: bytes, suffix: str) -> FileFormat:
    if head.startswith(ZIP_SIGNATURES):
        return FileFormat.xlsx  # or .ods: _check_zip tells once it has seen the members
    if head.startswith(CFB_SIGNATURE):
        if suffix in (".xlsx", ".xlsm"):
            raise Refused("有密码保护（已加密），请先在 Excel 或 WPS 中取消密码再导入")
        return FileFormat.xls
    for signature, what in _NOT_SPREADSHEETS:
        if head.startswith(signature):
            raise Refused(f"不是电子表格：内容{what}，只是扩展名为 {suffix}")
    lowered = head[:1024].lstrip().lower()
    if lowered.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")):
        raise Refused(
            "不是真正的 Excel 文件，而是网页（HTML）；请用 Excel 或 WPS 打开后另存为 .xlsx 再导入"
        )
    if lowered.startswith(b"<?xml"):
        raise Refused("是 XML 文件（如 Excel 2003 XML 表格）；请另存为 .xlsx 再导入")
    if suffix in TEXT_EXTENSIONS and _looks_like_text(head):
        return FileFormat.csv
    raise Refused(f"内容不是电子表格（文件可能已损坏，或扩展名 {suffix} 与内容不符）")


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut off by the sample's end
                return True
        else:
            return True
    return False


def _declared_members(path: Path) -> int | None:
    """The member count the end-of-archive record declares (0xFFFF: a zip64 archive, which
    may hold more), or None when there is no such record: read before zipfile builds an object
    per member, so that a crafted directory of millions costs nothing."""
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(size - EOCD_SEARCH, 0))
        tail = fh.read()
    at = tail.rfind(EOCD_SIGNATURE)
    if at < 0 or len(tail) - at < EOCD_SIZE:
        return None
    return struct.unpack_from("<H", tail, at + 10)[0]


def _check_zip(path: Path, limits: Limits) -> FileFormat:
    declared = _declared_members(path)
    if declared is not None and declared > limits.max_zip_members:
        raise LimitExceeded(f"压缩包内文件过多（{declared} 个），疑似恶意构造")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Refused("文件不完整或已损坏（可能下载或复制时中断），请重新获取该文件") from exc
    with archive:
        members = archive.infolist()
        _check_members(members, limits)
        names = {m.filename for m in members}
        if "xl/workbook.xml" in names:
            kind = FileFormat.xlsx
        elif "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
            kind = FileFormat.ods
        else:
            raise Refused("是一个 zip 压缩包，不是 Excel 或 ODS 表格")
        for member in members:
            if member.filename.lower().endswith(XML_SUFFIXES):
                _check_prologue(archive, member)
    return kind


def _check_members(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(members) > limits.max_zip_members:
        raise LimitExceeded(f"压缩包内文件过多（{len(members)} 个），疑似恶意构造")
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise Refused("有密码保护（已加密），请先取消密码再导入")
        size = member.file_size
        total += size
        ratio = size / max(member.compress_size, 1)
        if size > limits.max_member_bytes or total > limits.max_total_bytes:
            raise LimitExceeded(f"解压后过大（{member.filename} 等共 {total / 2**20:.0f} MB）")
        if size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
            raise LimitExceeded(
                f"压缩比异常（{member.filename} 压缩比 {ratio:.0f}:1），疑似“压缩炸弹”"
            )


class _RootReached(Exception):
    """The parser saw the root element: the prologue is over and was clean."""


class _StopAtRoot:
    def start(self, tag: str, attrib: dict[str, str]) -> None:
        raise _RootReached

    def end(self, tag: str) -> None:  # pragma: no cover - never reached
        return None

    def data(self, data: str) -> None:  # pragma: no cover - prologue has no character data
        return None

    def close(self) -> None:
        return None


def _check_prologue(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Parse ``member`` with defusedxml up to its root element: any DTD or entity is refused."""
    parser = DefusedXMLParser(target=_StopAtRoot(), forbid_dtd=True)
    with archive.open(member) as stream:
        try:
            _feed_until_root(parser, stream)
        except _RootReached:
            return
        except DefusedXmlException as exc:
            raise Refused(
                f"含有 XML 实体或 DTD（{member.filename}），可能是恶意构造的文件"
            ) from exc
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise Refused(f"文件已损坏（{member.filename} 无法解压）") from exc
        except SyntaxError as exc:  # expat's ParseError
            raise Refused(f"文件已损坏（{member.filename} 不是有效的 XML）") from exc


def _feed_until_root(parser: DefusedXMLParser, stream: IO[bytes]) -> None:
    while chunk := stream.read(PROLOGUE_CHUNK):
        parser.feed(chunk)
    parser.close()
