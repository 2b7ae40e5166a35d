"""Helpers of the fault suite: a county on disk, its content, and a command killed mid-way."""

from __future__ import annotations

import random
import signal
import sqlite3
import struct
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from desktop.models import Base


def content(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every business table (what "the database unchanged" compares)."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return {
            t.name: conn.execute(f"SELECT * FROM {t.name} ORDER BY 1").fetchall()
            for t in Base.metadata.sorted_tables
        }


def run_killed(args: list[str], rng: random.Random, at_most: float) -> int | None:
    """Run ``relief-desk ARGS`` and SIGKILL it after a random time (None when it finished first)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "desktop", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        child.communicate(timeout=rng.uniform(0, at_most))
        return child.returncode
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.communicate()
        return None


def real_files(folder: Path) -> set[str]:
    """Names in ``folder`` that are not hidden temporaries."""
    return {p.name for p in folder.iterdir() if not p.name.startswith(".")}


def _wal_checksum(data: bytes, big_endian: bool, s0: int, s1: int) -> tuple[int, int]:
    """SQLite's WAL checksum of ``data`` (pairs of 32-bit words) continued from ``s0, s1``."""
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    for x0, x1 in zip(words[0::2], words[1::2], strict=True):
        s0 = (s0 + x0 + s1) & 0xFFFFFFFF
        s1 = (s1 + x1 + s0) & 0xFFFFFFFF
    return s0, s1


def garble_first_frame(wal: Path) -> None:
    """Put one page of garbage in the first frame of ``wal``, its checksums made good again:
    SQLite takes the frame, and the file read through it is damaged."""
    data = bytearray(wal.read_bytes())
    big_endian = struct.unpack(">I", data[0:4])[0] & 1 == 1
    page_size = struct.unpack(">I", data[8:12])[0]
    data[32 + 24 : 32 + 24 + page_size] = b"\xff" * page_size
    s0, s1 = struct.unpack(">2I", data[24:32])  # the header's, where the frames' chain starts
    for frame in range(32, len(data) - 24 - page_size + 1, 24 + page_size):
        s0, s1 = _wal_checksum(bytes(data[frame : frame + 8]), big_endian, s0, s1)
        body = bytes(data[frame + 24 : frame + 24 + page_size])
        s0, s1 = _wal_checksum(body, big_endian, s0, s1)
        data[frame + 16 : frame + 24] = struct.pack(">2I", s0, s1)
    wal.write_bytes(bytes(data))
