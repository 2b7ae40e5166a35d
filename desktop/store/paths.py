"""Where the data lives: the per-user data folder, or the file the officer names."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from desktop.store.location import Location, parse_location

DB_ENV = "RELIEF_DESK_DB"
DB_FILE_NAME = "relief-desk.sqlite3"


def default_location() -> Location:
    """``$RELIEF_DESK_DB`` (a path or a server's URL) if set, else the per-user file."""
    env = os.environ.get(DB_ENV)
    return parse_location(env) if env else default_db_path()


def default_db_path() -> Path:
    """``$RELIEF_DESK_DB`` if set, else ``relief-desk.sqlite3`` in the per-user data folder."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("ReliefDesk", appauthor=False)) / DB_FILE_NAME


def config_dir() -> Path:
    """The per-user config folder: remembered column mappings, the window's state."""
    return Path(platformdirs.user_config_dir("ReliefDesk", appauthor=False))


def backup_dir(db_path: Path) -> Path:
    """The folder that holds the automatic backups of one database file."""
    return db_path.parent / f"{db_path.stem}-backups"
