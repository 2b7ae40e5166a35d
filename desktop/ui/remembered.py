"""What the window remembers between runs: its size and place, the splitters, the folder each
file dialog was last in, the files imported recently, the database chosen in 设置 (a file, or
a server's address without its password).

Kept with QSettings in ``window.ini`` of the per-user config folder, not in the database's
settings table: it is one officer's screen and disk on one computer (wrong on another PC, and
not to be carried along when a database is copied, restored from a backup or opened by a
colleague), while the settings table holds what belongs to the data (operator, filing unit).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from sqlalchemy.engine import URL

from desktop.qt.core import QByteArray, QSettings, QStandardPaths
from desktop.qt.widgets import QMainWindow, QSplitter
from desktop.store.errors import StoreError
from desktop.store.location import Location, parse_location, shown, without_password
from desktop.store.paths import config_dir

STATE_FILE = "window.ini"
RECENT_LIMIT = 8


def ui_state() -> QSettings:
    """The remembered state (read afresh each time: the config folder may change in tests)."""
    return QSettings(str(config_dir() / STATE_FILE), QSettings.Format.IniFormat)


def restore_window(window: QMainWindow, splitters: Mapping[str, QSplitter]) -> None:
    """Put the window and the splitters back as they were left (nothing when never saved)."""
    state = ui_state()
    geometry = state.value("window/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    for key, splitter in splitters.items():
        sizes = state.value(f"splitters/{key}")
        if isinstance(sizes, QByteArray):
            splitter.restoreState(sizes)


def save_window(window: QMainWindow, splitters: Mapping[str, QSplitter]) -> None:
    """Remember the window's size and place and each splitter's sizes."""
    state = ui_state()
    state.setValue("window/geometry", window.saveGeometry())
    for key, splitter in splitters.items():
        state.setValue(f"splitters/{key}", splitter.saveState())
    state.sync()


def last_folder(dialog: str) -> str:
    """The folder file dialog ``dialog`` was last in; the Documents folder at first."""
    folder = ui_state().value(f"folders/{dialog}")
    if isinstance(folder, str) and Path(folder).is_dir():
        return folder
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def remember_folder(dialog: str, chosen: Path) -> None:
    """File dialog ``dialog`` opens in the folder of ``chosen`` next time."""
    state = ui_state()
    state.setValue(f"folders/{dialog}", str(chosen.parent))
    state.sync()


def recent_files() -> list[Path]:
    """Files imported recently, newest first, those still there."""
    found = ui_state().value("recent/imports")
    names = [found] if isinstance(found, str) else found if isinstance(found, list) else []
    return [Path(n) for n in names if isinstance(n, str) and Path(n).is_file()]


def add_recent(paths: Iterable[Path]) -> None:
    """Put ``paths`` first among the recent files (each once, the list kept short)."""
    chosen = [str(p) for p in paths]
    kept = [str(p) for p in recent_files() if str(p) not in chosen]
    state = ui_state()
    state.setValue("recent/imports", (chosen + kept)[:RECENT_LIMIT])
    state.sync()


def remembered_database() -> Location | None:
    """The database chosen in 设置 last time (None when never chosen, or unreadable)."""
    found = ui_state().value("database/location")
    if not isinstance(found, str) or not found:
        return None
    try:
        return parse_location(found)
    except StoreError:
        return None


def remember_database(location: Location) -> None:
    """Open ``location`` next time the window starts without ``--db`` (never its password)."""
    kept = without_password(location) if isinstance(location, URL) else location
    state = ui_state()
    state.setValue("database/location", shown(kept))
    state.sync()
