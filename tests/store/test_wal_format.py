"""The WAL reader of ``store.wal`` against SQLite itself: on real WAL files, whole, cut short,
damaged, restarted after a checkpoint and in either checksum byte order, it finds the frames
SQLite's recovery applies and the newest committed page 1 SQLite reads."""

from __future__ import annotations

import shutil
import sqlite3
import struct
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from desktop.store.identity import header_file_id, read_header
from desktop.store.wal import FRAME_HEADER, WAL_HEADER, Committed, checksum, committed

PAGE = 4096
FRAME = FRAME_HEADER.size + PAGE

# One transaction: the user_version it sets (None: page 1 untouched) and the bytes it inserts.
Txn = tuple[int | None, int]


def _write(folder: Path, txns: list[Txn], checkpoint_after: int | None = None) -> tuple[Path, Path]:
    """A database and its WAL holding ``txns`` (none checkpointed, unless after the
    ``checkpoint_after``-th, where the WAL restarts), copied as they are before closing
    (which would checkpoint them)."""
    path = folder / "live.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE t (x BLOB)")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the WAL starts with the transactions
    for number, (version, size) in enumerate(txns, 1):
        conn.execute("BEGIN IMMEDIATE")
        if version is not None:
            conn.execute(f"PRAGMA user_version={version}")
        conn.execute("INSERT INTO t VALUES (zeroblob(?))", (size,))
        conn.execute("COMMIT")
        if number == checkpoint_after:
            conn.execute("PRAGMA wal_checkpoint(RESTART)")  # the next write starts it over
    db, wal = folder / "a.db", folder / "a.db-wal-copy"
    shutil.copyfile(path, db)
    shutil.copyfile(f"{path}-wal", wal)
    conn.close()
    return db, wal


def _sqlite_reads(db: Path, wal: Path, folder: Path) -> tuple[int, int]:
    """(frames applied, user_version read) when SQLite opens a copy of ``db`` beside ``wal``."""
    folder.mkdir()
    copy = folder / db.name
    shutil.copyfile(db, copy)
    shutil.copyfile(wal, f"{copy}-wal")
    with closing(sqlite3.connect(copy, isolation_level=None)) as conn:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        _, frames, _ = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return frames, version


def _ours(db: Path, wal: Path) -> tuple[int, int]:
    """(frames, user_version) as ``store.wal`` reads them: page 1 from the WAL, else the file."""
    found = committed(wal)
    return found.frames, header_file_id(found.page_one or read_header(db))


def _frames_of(wal: Path) -> list[tuple[int, int]]:
    """(page number, commit size) of every whole frame in the file, valid or not."""
    data = wal.read_bytes()
    return [
        FRAME_HEADER.unpack_from(data, offset)[:2]
        for offset in range(WAL_HEADER.size, len(data) - FRAME + 1, FRAME)
    ]


def _flip(wal: Path, offset: int) -> None:
    data = bytearray(wal.read_bytes())
    data[offset] ^= 0x40
    wal.write_bytes(bytes(data))


TXNS: list[Txn] = [(11, 100), (None, 100), (13, 3 * PAGE), (None, 100)]


def test_a_whole_wal(tmp_path: Path) -> None:
    db, wal = _write(tmp_path, TXNS)
    pages = _frames_of(wal)
    commits = [i for i, (_, size) in enumerate(pages, 1) if size]
    assert len(commits) == 4 and [p for p, _ in pages].count(1) == 2  # only 11 and 13 touch it
    found = committed(wal)
    assert found.frames == len(pages)
    assert [header_file_id(image) for image in found.page_ones] == [11, 13]
    assert _ours(db, wal) == _sqlite_reads(db, wal, tmp_path / "sqlite") == (len(pages), 13)


def _last_commit_with_page_one(wal: Path) -> int:
    """The offset of the frame that commits the newest page 1 (the transaction setting 13)."""
    pages = _frames_of(wal)
    one = max(i for i, (page, _) in enumerate(pages) if page == 1)
    commit = next(i for i in range(one, len(pages)) if pages[i][1])
    return WAL_HEADER.size + commit * FRAME


@pytest.mark.parametrize(
    "damage",
    ["cut inside the frame", "a byte of its page", "its checksum", "its salt", "its page number"],
)
def test_a_damaged_commit_and_all_after_it_are_not_applied(tmp_path: Path, damage: str) -> None:
    db, wal = _write(tmp_path, TXNS)
    at = _last_commit_with_page_one(wal)
    if damage == "cut inside the frame":
        with wal.open("r+b") as f:
            f.truncate(at + FRAME - 1)
    else:
        offset = {"a byte of its page": 24 + 700, "its checksum": 17, "its salt": 9}
        _flip(wal, at + offset.get(damage, 2))
    frames, version = _ours(db, wal)
    assert version == 11  # the transaction setting 13 is lost, so is the one after it
    assert (frames, version) == _sqlite_reads(db, wal, tmp_path / "sqlite")


def test_after_a_checkpoint_the_old_frames_with_old_salts_do_not_count(tmp_path: Path) -> None:
    db, wal = _write(tmp_path, [(21, 4 * PAGE), (22, 4 * PAGE), (23, 100)], checkpoint_after=2)
    assert len(_frames_of(wal)) > 3  # the frames of 21 and 22 are still in the file
    found = committed(wal)
    assert [header_file_id(image) for image in found.page_ones] == [23]
    assert _ours(db, wal) == _sqlite_reads(db, wal, tmp_path / "sqlite")


@pytest.mark.parametrize("content", [b"", b"\x37\x7f\x06\x82" + b"\x00" * 28, b"x" * 5000])
def test_a_file_that_is_not_a_wal_holds_nothing(tmp_path: Path, content: bytes) -> None:
    wal = tmp_path / "a.db-wal"
    wal.write_bytes(content)
    assert committed(wal) == Committed(0, ())


def _resign(wal: Path, big_endian: bool) -> None:
    """Write the WAL's checksums again over words of the other byte order (the magic's low bit
    says which), as SQLite on such a machine would have."""
    data = bytearray(wal.read_bytes())
    magic, *rest = WAL_HEADER.unpack_from(data)
    header = WAL_HEADER.pack((magic & ~1) | big_endian, *rest[:5], 0, 0)
    sums = checksum(header[:24], (0, 0), big_endian)
    data[:32] = header[:24] + struct.pack(">2I", *sums)
    for offset in range(WAL_HEADER.size, len(data) - FRAME + 1, FRAME):
        sums = checksum(bytes(data[offset : offset + 8]), sums, big_endian)
        sums = checksum(bytes(data[offset + 24 : offset + FRAME]), sums, big_endian)
        data[offset + 16 : offset + 24] = struct.pack(">2I", *sums)
    wal.write_bytes(bytes(data))


@pytest.mark.parametrize("big_endian", [True, False])
def test_either_checksum_byte_order(tmp_path: Path, big_endian: bool) -> None:
    db, wal = _write(tmp_path, TXNS)
    _resign(wal, big_endian)
    assert WAL_HEADER.unpack_from(wal.read_bytes())[0] & 1 == big_endian
    assert _ours(db, wal) == _sqlite_reads(db, wal, tmp_path / "sqlite") == (9, 13)


@example(
    txns=[(None, 2744), (342793206, 8641), (None, 10759)], checkpoint_after=2, cut=0.4547, flip=None
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    txns=st.lists(
        st.tuples(st.one_of(st.none(), st.integers(1, 2**31 - 1)), st.integers(1, 3 * PAGE)),
        min_size=1,
        max_size=6,
    ),
    checkpoint_after=st.one_of(st.none(), st.integers(1, 5)),
    cut=st.one_of(st.none(), st.floats(0, 1)),
    flip=st.one_of(st.none(), st.floats(0, 1)),
)
def test_any_wal_cut_or_damaged_reads_as_sqlite_reads_it(
    tmp_path_factory: pytest.TempPathFactory,
    txns: list[Txn],
    checkpoint_after: int | None,
    cut: float | None,
    flip: float | None,
) -> None:
    # A checkpoint after the last transaction leaves every frame in the WAL, already in the file;
    # a cut then makes SQLite replay an older prefix over newer pages ("database disk image is
    # malformed"): SQLite itself gives no reading to compare with. A checkpoint before a later
    # write restarts the WAL (the case meant here).
    assume(checkpoint_after != len(txns))
    folder = tmp_path_factory.mktemp("wal")
    db, wal = _write(folder, txns, checkpoint_after)
    size = wal.stat().st_size
    if cut is not None:
        with wal.open("r+b") as f:
            f.truncate(int(size * cut))
    if flip is not None and wal.stat().st_size:
        _flip(wal, int((wal.stat().st_size - 1) * flip))
    assert _ours(db, wal) == _sqlite_reads(db, wal, folder / "sqlite")
