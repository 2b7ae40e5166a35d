"""What a file is, told from its SQLite header and tables without writing to it.

Relief Desk marks its files with ``PRAGMA application_id`` (:data:`APPLICATION_ID`). A file from
before the mark is recognised by its tables and Alembic revision, and marked when opened.

Each file also has an identity of its own, a random *file id* kept in the header's
``user_version`` (offset 60): set by the first write transaction, written again by every one
(so that page 1, and the id with it, is in every commit a WAL holds), given anew to every
copy made as a backup and kept by a restore. A WAL carrying another id belongs to another file
(``store.wal``).
"""

from __future__ import annotations

import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from sqlalchemy import Connection

APPLICATION_ID = 0x52444B31  # "RDK1"
MARK = f"PRAGMA application_id={APPLICATION_ID}"  # run in a write transaction
SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
FILE_ID = slice(60, 64)  # the header's user_version, big-endian
NO_FILE_ID = 0  # a file from before file ids (it gets one on its next write)
SIDE_FILES = ("-wal", "-shm", "-journal")


class Kind(Enum):
    """What stands at a database path."""

    MISSING = "missing"
    DIRECTORY = "directory"
    EMPTY = "empty"
    NOT_SQLITE = "not_sqlite"
    FOREIGN = "foreign"  # an SQLite file of another program
    OURS = "ours"


@dataclass(frozen=True)
class Identity:
    """The kind of file at ``path``; ``marked`` when it carries our application id."""

    path: Path
    kind: Kind
    marked: bool = False

    def refusal(self) -> str:
        """The officer's sentence for a file that cannot be opened as a Relief Desk database."""
        return {
            Kind.MISSING: f"文件不存在：{self.path}",
            Kind.DIRECTORY: f"这是一个文件夹，不是数据库文件：{self.path}",
            Kind.EMPTY: f"这是一个空文件（0 字节），不是 Relief Desk 数据库：{self.path}",
            Kind.NOT_SQLITE: f"这不是 SQLite 数据库文件：{self.path}",
            Kind.FOREIGN: f"这是另一个程序的 SQLite 数据库，不是 Relief Desk 数据库：{self.path}",
            Kind.OURS: "",
        }[self.kind]


def read_header(path: Path) -> bytes:
    """The first 100 bytes of ``path`` (fewer when the file is shorter)."""
    with path.open("rb") as f:
        return f.read(HEADER_SIZE)


def header_application_id(header: bytes) -> int:
    """The application id stored at offset 68 of an SQLite header."""
    return int.from_bytes(header[68:72], "big", signed=False)


def header_file_id(header: bytes) -> int:
    """The file id stored at offset 60 of an SQLite header (:data:`NO_FILE_ID` when none)."""
    return int.from_bytes(header[FILE_ID], "big", signed=True)


def new_file_id() -> int:
    """A random file id: positive, so that ``PRAGMA user_version`` reads it back unchanged."""
    return secrets.randbelow(2**31 - 1) + 1


def carry_file_id(conn: Connection) -> None:
    """Write the file's id (a new one when it has none) in the write transaction just begun on
    ``conn``: rewriting it puts page 1 among the transaction's pages, so every commit in the WAL
    says which file it belongs to. SQLite only."""
    file_id = conn.exec_driver_sql("PRAGMA user_version").scalar() or new_file_id()
    conn.exec_driver_sql(f"PRAGMA user_version={int(file_id)}")


def set_file_id(path: Path, file_id: int) -> None:
    """Give the closed file at ``path`` the id ``file_id`` (a copy becoming a file of its own)."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute(f"PRAGMA user_version={int(file_id)}")


def identify(path: Path, known_revisions: frozenset[str]) -> Identity:
    """What ``path`` is; a file is ours when marked, or unmarked with our tables and revision.

    Reads only; raises OSError when the file cannot be read at all.
    """
    if not path.exists():
        return Identity(path, Kind.MISSING)
    if path.is_dir():
        return Identity(path, Kind.DIRECTORY)
    header = read_header(path)
    if not header:
        return Identity(path, Kind.EMPTY)
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        return Identity(path, Kind.NOT_SQLITE)
    app_id = header_application_id(header)
    if app_id == APPLICATION_ID:
        return Identity(path, Kind.OURS, marked=True)
    if app_id == 0 and revision_of(path) in known_revisions:
        return Identity(path, Kind.OURS)
    return Identity(path, Kind.FOREIGN)


def read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write to ``path`` (``?`` and ``%`` in the name quoted)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def revision_of(path: Path) -> str | None:
    """The Alembic revision recorded in the file, or None (no table, or not readable)."""
    try:
        conn = read_only(path)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return row[0] if row else None


def is_relief_desk_file(path: Path) -> bool:
    """True when ``path`` is a file carrying our application id (a database or a backup)."""
    try:
        header = read_header(path)
    except OSError:
        return False
    return header.startswith(SQLITE_MAGIC) and header_application_id(header) == APPLICATION_ID
