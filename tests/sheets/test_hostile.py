"""Hostile and broken files: each refused within seconds, clearly, and this process lives on."""

from __future__ import annotations

import os
import struct
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop.sheets import read_workbook
from desktop.sheets.errors import SheetFileError
from desktop.sheets.raw import Limits
from desktop.sheets.sandbox import ChildFailed, IsolatedCall
from tests.sheets.conftest import code, write_xlsx

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)
XXE = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
QUADRATIC = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + b"a" * 50_000 + b'">]>'


@pytest.fixture
def base(tmp_path: Path) -> Path:
    rows = [
        ["企业名称", "统一社会信用代码", "县区"],
        ["甲", code(1), "代县"],
        ["乙", code(2), "代县"],
    ]
    return write_xlsx(tmp_path / "base.xlsx", [("名录", rows)])


def rewrite(source: Path, target: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """A copy of ``source`` with one zip member changed."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info.filename, change(data) if info.filename == member else data)
    return target


def with_doctype(doctype: bytes, reference: bytes) -> Callable[[bytes], bytes]:
    """Put ``doctype`` before the root and ``reference`` (an entity use) into the first text."""

    def change(data: bytes) -> bytes:
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        return doctype + body.replace(b"<t>", b"<t>" + reference, 1)

    return change


def refused(path: Path, *words: str, limits: Limits | None = None) -> str:
    """Read ``path``, expecting a refusal within seconds naming the file and ``words``."""
    started = time.monotonic()
    with pytest.raises(SheetFileError) as caught:
        read_workbook(path, limits=limits) if limits else read_workbook(path)
    assert time.monotonic() - started < 10
    message = str(caught.value)
    assert f"文件「{path.name}」" in message
    for word in words:
        assert word in message
    return message


@pytest.fixture
def shared_strings_base(tmp_path: Path) -> Iterator[Path]:
    """The base workbook as Excel writes it: text in xl/sharedStrings.xml."""
    source = write_xlsx(tmp_path / "inline.xlsx", [("名录", [["企业名称"], ["甲"]])])
    target = tmp_path / "shared.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info.filename))
        new.writestr("xl/sharedStrings.xml", b'<?xml version="1.0"?><sst '
                     b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                     b"<si><t>x</t></si></sst>")  # fmt: skip
    yield target


@pytest.mark.parametrize(
    ("member", "doctype", "reference"),
    [("xl/sharedStrings.xml", LAUGHS, b"&lol9;"), ("xl/worksheets/sheet1.xml", LAUGHS, b"&lol9;"),
     ("xl/workbook.xml", LAUGHS, b""), ("xl/worksheets/sheet1.xml", XXE, b"&x;"),
     ("xl/sharedStrings.xml", QUADRATIC, b"&a;" * 10_000)],
)  # fmt: skip
def test_xml_entity_tricks_are_refused(
    shared_strings_base: Path, tmp_path: Path, member: str, doctype: bytes, reference: bytes
) -> None:
    path = rewrite(shared_strings_base, tmp_path / "evil.xlsx", member,
                   with_doctype(doctype, reference))  # fmt: skip
    refused(path, "XML 实体", member)


def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * 10_000_000)
    refused(path, "压缩比异常", "压缩炸弹")


def test_zip_bomb_by_declared_size(base: Path, tmp_path: Path) -> None:
    """A central directory declaring a 3 GB member: refused before anything is inflated."""
    data = bytearray(base.read_bytes())
    entry = data.find(b"PK\x01\x02")  # first central directory header
    struct.pack_into("<I", data, entry + 24, 3 * 2**30)  # uncompressed size
    path = tmp_path / "huge.xlsx"
    path.write_bytes(bytes(data))
    refused(path, "解压后过大")


def test_millions_of_members_declared(base: Path, tmp_path: Path) -> None:
    """The end record claims 65,535 members: refused before any member is looked at."""
    data = bytearray(base.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 0xFFFF, 0xFFFF)
    path = tmp_path / "members.xlsx"
    path.write_bytes(bytes(data))
    refused(path, "文件过多（65535 个）")


def test_too_many_members(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for n in range(1001):
            archive.writestr(f"xl/media/{n}.bin", b"")
    refused(path, "文件过多")


def test_far_away_cell_does_not_take_us_down(base: Path, tmp_path: Path) -> None:
    """calamine aborts its process on this cell; ours survives and names the cell."""
    far = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    for dimension in (b'ref="A1:C3"', b'ref="A1:XFD1048576"'):  # truthful, then lying
        path = rewrite(base, tmp_path / "far.xlsx", "xl/worksheets/sheet1.xml",
                       lambda d, dim=dimension: d.replace(b"</sheetData>", far)
                       .replace(b'ref="A1:C3"', dim))  # fmt: skip
        refused(path, "XFD1048576", "超出范围")


def test_lying_dimension_is_ignored(base: Path, tmp_path: Path) -> None:
    path = rewrite(base, tmp_path / "dim.xlsx", "xl/worksheets/sheet1.xml",
                   lambda d: d.replace(b'ref="A1:C3"', b'ref="A1:XFD1048576"'))  # fmt: skip
    assert b"XFD1048576" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert len(read_workbook(path).sheets[0].rows) == 2


def test_too_wide_sheet(base: Path, tmp_path: Path) -> None:
    wide = b'<row r="9"><c r="GR9" t="n"><v>1</v></c></row></sheetData>'
    path = rewrite(base, tmp_path / "wide.xlsx", "xl/worksheets/sheet1.xml",
                   lambda d: d.replace(b"</sheetData>", wide))  # fmt: skip
    refused(path, "过大", "200 列")


def test_sheet_that_inflates_beyond_the_memory_cap(tmp_path: Path) -> None:
    """An .ods whose one repeated cell expands to a hundred million: the child dies, not us."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body>'
        '<office:spreadsheet><table:table table:name="S">'
        '<table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell office:value-type="float" office:value="1"'
        ' table:number-columns-repeated="100"/></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "inflate.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>')
    refused(path, limits=Limits(memory_bytes=768 * 2**20, timeout_seconds=8))


def test_truncated_zip(base: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.xlsx"
    path.write_bytes(base.read_bytes()[: base.stat().st_size // 2])
    refused(path, "不完整")


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [("report.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", ("PDF",)),
     ("empty.xlsx", b"", ("空文件",)),
     ("noise.xls", os.urandom(4096), ("不是电子表格",)),
     ("export.xls", b"<html><body><table><tr><td>1</td></tr></table>", ("网页",)),
     ("binary.csv", b"\x00\x01\x02\x03" * 100, ("不是电子表格",)),
     ("binary.txt", b"\x00\x01\x02\x03" * 100, ("不是电子表格",)),
     ("scan.txt", b"%PDF-1.4\n", ("PDF",)),
     ("notes.doc", b"hello", ("不是支持的文件类型",)),
     ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088), ("密码",))],
)  # fmt: skip
def test_not_spreadsheets(tmp_path: Path, name: str, content: bytes, words: tuple[str]) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    refused(path, *words)


def test_random_bytes_behind_an_ole_signature(tmp_path: Path) -> None:
    path = tmp_path / "fake.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(8192))
    refused(path, "无法读取")


def test_child_timeout_and_memory_cap() -> None:
    started = time.monotonic()
    with (
        IsolatedCall(time.sleep, 30, memory_bytes=2**30, timeout=1) as call,
        pytest.raises(ChildFailed, match="秒仍未完成"),
    ):
        call.result()
    assert time.monotonic() - started < 5
    with (
        IsolatedCall(bytearray, 2**31, memory_bytes=512 * 2**20, timeout=10) as call,
        pytest.raises(ChildFailed, match="内存"),
    ):
        call.result()


def _two_parts_then_a_failure() -> Iterator[int]:
    yield 1
    yield 2
    raise ValueError("第三部分读不出")


def test_a_child_hands_on_each_part_then_what_went_wrong() -> None:
    with IsolatedCall(_two_parts_then_a_failure, memory_bytes=2**30, timeout=10) as call:
        parts = call.parts()
        assert (next(parts), next(parts)) == (1, 2)
        with pytest.raises(ValueError, match="第三部分读不出"):
            next(parts)


@pytest.mark.parametrize(
    ("limits", "words"),
    [(Limits(max_sheets=0), ("工作表过多",)), (Limits(max_rows=2), ("应少于 3 行",)),
     (Limits(max_columns=2), ("3 列",))],
)  # fmt: skip
def test_sheet_count_rows_and_columns_are_limited(
    base: Path, limits: Limits, words: tuple[str]
) -> None:
    refused(base, *words, limits=limits)


@pytest.mark.parametrize(
    ("name", "encoding", "separator"),
    [("big.csv", "utf-8", ","), ("big.txt", "utf-16", "\t"), ("big-gbk.txt", "gbk", "\t")],
)  # fmt: skip
def test_text_file_limits(tmp_path: Path, name: str, encoding: str, separator: str) -> None:
    path = tmp_path / name
    rows = (["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"])
    path.write_text("".join(separator.join(r) + "\n" for r in rows), encoding=encoding)
    refused(path, "行数超过上限", limits=Limits(max_rows=2))
    refused(path, "超过上限 2 列", limits=Limits(max_columns=2))


@pytest.mark.parametrize(
    ("member", "change"),
    [("xl/worksheets/sheet1.xml", lambda d: b'<?xml version="1.0"?><worksheet><f>1'),
     ("xl/worksheets/sheet1.xml", lambda d: os.urandom(len(d))),
     ("xl/_rels/workbook.xml.rels", lambda d: b"<Relationships")],
)  # fmt: skip
def test_damaged_members(base: Path, tmp_path: Path, member: str, change: Callable) -> None:
    path = rewrite(base, tmp_path / "damaged.xlsx", member, change)
    refused(path, "损坏")


def test_csv_with_a_runaway_quoted_field(tmp_path: Path) -> None:
    path = tmp_path / "runaway.csv"
    path.write_text('开发区名称\n"' + "甲" * 200_000 + "\n", encoding="utf-8")
    refused(path, "不是有效的 CSV")


def test_entities_in_an_ods_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", LAUGHS + b"<office:document-content>&lol9;</x>")
    refused(path, "XML 实体", "content.xml")
