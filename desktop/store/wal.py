"""A write-ahead log beside the database that does not belong to it (a stray ``-wal``).

SQLite ties a WAL to its database only by file name, and applies whatever valid WAL it finds
next to a file: one left there from another database would silently replace the roster's
pages. Every write transaction of ours puts page 1, holding the file's id
(``store.identity``), in the WAL, so the newest committed image of page 1 says whose the WAL
is. It is read here from the WAL itself (https://www.sqlite.org/walformat.html), before any
connection that could apply it. A WAL without page 1, or beside a file without an id yet, is
told by the older sign: the file passes its check alone but fails it with the WAL.
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from desktop.store.engine import check_file
from desktop.store.identity import (
    APPLICATION_ID,
    HEADER_SIZE,
    NO_FILE_ID,
    header_application_id,
    header_file_id,
    read_header,
)

WAL_HEADER = struct.Struct(">8I")  # magic, version, page size, checkpoint, salt 1, 2, sum 1, 2
FRAME_HEADER = struct.Struct(">6I")  # page number, pages after commit (0: none), salts, sums
MAGIC = 0x377F0682  # | 1 when the checksums are over big-endian words
VERSION = 3007000
MASK = 0xFFFFFFFF


@dataclass(frozen=True)
class _Header:
    big_endian: bool
    page_size: int
    salts: tuple[int, int]
    sums: tuple[int, int]


@dataclass(frozen=True)
class Committed:
    """What SQLite would apply from a WAL: the frames up to its last valid commit."""

    frames: int
    page_ones: tuple[bytes, ...]  # the first 100 bytes of each image of page 1 among them

    @property
    def page_one(self) -> bytes | None:
        """The header of the newest committed page 1, None when no commit holds page 1."""
        return self.page_ones[-1] if self.page_ones else None


def checksum(data: bytes, sums: tuple[int, int], big_endian: bool) -> tuple[int, int]:
    """SQLite's WAL checksum of ``data`` (a multiple of 8 bytes) continued from ``sums``."""
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    s0, s1 = sums
    pairs = iter(words)
    for a, b in zip(pairs, pairs, strict=True):
        s0 = (s0 + a + s1) & MASK
        s1 = (s1 + b + s0) & MASK
    return s0, s1


def _header(raw: bytes) -> _Header | None:
    """The WAL header, or None when SQLite would ignore the whole file."""
    if len(raw) < WAL_HEADER.size:
        return None
    magic, version, page_size, _, salt1, salt2, sum1, sum2 = WAL_HEADER.unpack(raw)
    big_endian = bool(magic & 1)
    if (
        magic & ~1 != MAGIC
        or version != VERSION
        or not 512 <= page_size <= 65536
        or page_size & (page_size - 1)
        or checksum(raw[:24], (0, 0), big_endian) != (sum1, sum2)
    ):
        return None
    return _Header(big_endian, page_size, (salt1, salt2), (sum1, sum2))


def _frames(
    f: BinaryIO, header: _Header, checked: bool, end: int
) -> Iterator[tuple[int, bool, bytes]]:
    """(page number, commit, the page's first 100 bytes when page 1) of each valid frame, in
    order; valid means whole and salted as the header (and, when ``checked``, checksummed)."""
    sums = header.sums
    while f.tell() + FRAME_HEADER.size + header.page_size <= end:
        raw = f.read(FRAME_HEADER.size)
        page, commit, salt1, salt2, sum1, sum2 = FRAME_HEADER.unpack(raw)
        if page == 0 or (salt1, salt2) != header.salts:
            return
        if checked or page == 1:
            content = f.read(header.page_size)
        else:
            content = b""
            f.seek(header.page_size, 1)
        if checked:
            sums = checksum(content, checksum(raw[:8], sums, header.big_endian), header.big_endian)
            if sums != (sum1, sum2):
                return
        yield page, commit != 0, content[:HEADER_SIZE] if page == 1 else b""


def committed(wal: Path, *, checked: bool = True) -> Committed:
    """The committed part of the WAL at ``wal`` as SQLite's recovery finds it. Unless
    ``checked`` the checksums are skipped: quicker, and a superset of the checked images."""
    frames = 0
    page_ones: list[bytes] = []
    pending: list[bytes] = []
    with wal.open("rb") as f:
        header = _header(f.read(WAL_HEADER.size))
        end = os.fstat(f.fileno()).st_size
        for number, (page, commit, content) in enumerate(
            _frames(f, header, checked, end) if header else (), 1
        ):
            if page == 1:
                pending.append(content)
            if commit:
                frames = number
                page_ones += pending
                pending = []
    return Committed(frames, tuple(page_ones))


def _whose(page_one: bytes, main: bytes) -> str | None:
    """Whose the WAL holding ``page_one`` is, when not the file with header ``main``."""
    if header_application_id(main) == APPLICATION_ID != header_application_id(page_one):
        return "另一个程序的数据库"
    own = header_file_id(main)
    if own != NO_FILE_ID and header_file_id(page_one) != own:
        return "另一个 Relief Desk 数据库"
    return None


def _other_owner(wal: Path, main: bytes) -> str | None:
    """The owner named by the WAL's newest committed page 1 when it is not this file."""
    if all(_whose(image, main) is None for image in committed(wal, checked=False).page_ones):
        return None  # no checksums needed: every image the WAL may apply is this file's
    page_one = committed(wal).page_one
    return _whose(page_one, main) if page_one else None


def _passes_alone(path: Path) -> bool:
    """True when the file without its WAL passes ``quick_check`` (checked on a copy)."""
    with tempfile.TemporaryDirectory(prefix="relief-desk-check-") as folder:
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        return check_file(copy) is None


def stray_wal(path: Path, problem: str | None) -> str | None:
    """The officer's sentence when ``path``'s ``-wal`` is not its own, else None.

    ``problem`` is what the check of the file (read through its WAL) found.
    """
    wal = Path(f"{path}-wal")
    if not wal.is_file() or wal.stat().st_size == 0:
        return None
    owner = _other_owner(wal, read_header(path))
    if owner is None and not (problem and _passes_alone(path)):
        return None
    said = f"：它属于{owner}" if owner else ""
    return (
        f"数据库旁的日志文件 {wal.name} 与数据库不符{said}（可能是从别处复制来的），"
        f"数据库本身未损坏，未作任何改动；请把 {wal} 移到别处后重试"
    )
