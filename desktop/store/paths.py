"""Where the data lives: the per-user data folder, or the file the officer names."""

from __future__ import annotations

import os
import re
from pathlib import Path

import platformdirs
from sqlalchemy.engine import URL

from desktop.store.location import Location, parse_location

DB_ENV = "RELIEF_DESK_DB"
DB_FILE_NAME = "relief-desk.sqlite3"


def default_location() -> Location:
    """``$RELIEF_DESK_DB`` (a path or a server's URL) if set, else the per-user file."""
    return given_location(None) or default_db_path()


def given_location(db: str | None) -> Location | None:
    """What ``--db`` (``db``), else ``$RELIEF_DESK_DB``, names; None when neither is given."""
    text = db or os.environ.get(DB_ENV)
    return parse_location(text) if text else None


def default_db_path() -> Path:
    """``$RELIEF_DESK_DB`` if set, else ``relief-desk.sqlite3`` in the per-user data folder."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return data_dir() / DB_FILE_NAME


def data_dir() -> Path:
    """The per-user data folder: the database file, the backups of server databases."""
    return Path(platformdirs.user_data_dir("ReliefDesk", appauthor=False))


def config_dir() -> Path:
    """The per-user config folder: remembered column mappings, the window's state."""
    return Path(platformdirs.user_config_dir("ReliefDesk", appauthor=False))


def backup_dir(db_path: Path) -> Path:
    """The folder that holds the automatic backups of one database file."""
    return db_path.parent / f"{db_path.stem}-backups"


def server_backups_root() -> Path:
    """The per-user folder that holds the backups of every server database, one folder each."""
    return data_dir() / "server-backups"


def server_backup_dir(url: URL) -> Path:
    """The per-user folder that holds the backups of one server database, named after it
    (``主机-端口-库名``)."""
    name = f"{url.host or 'local'}-{url.port or 5432}-{url.database}"
    return server_backups_root() / re.sub(r"[^\w.-]", "_", name)
