"""Where a database is: a SQLite file (a path) or a PostgreSQL server (a URL).

``--db``, ``RELIEF_DESK_DB`` and the window's setting all name one of the two in the same text:
``postgresql://USER@HOST[:PORT]/NAME`` (or ``postgres://``) is a server, anything else a path.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from desktop.store.errors import StoreError

EXPECTED = "应为 postgresql://用户@主机[:端口]/库名"
SERVER_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
DRIVER = "postgresql+psycopg"  # psycopg 3: binary wheels (libpq inside) for Windows and Linux

Location = Path | URL


def is_server_text(text: str) -> bool:
    """True when ``text`` names a PostgreSQL server rather than a file."""
    return text.strip().lower().startswith(SERVER_SCHEMES)


def server_url(text: str) -> URL:
    """The SQLAlchemy URL of the server ``text`` names, with the psycopg 3 driver."""
    try:
        url = make_url(text.strip())
    except ArgumentError as exc:
        raise StoreError(f"数据库地址无法识别：{text}（{EXPECTED}）") from exc
    if not url.database:
        raise StoreError(f"数据库地址缺少库名：{text}（{EXPECTED}）")
    return url.set(drivername=DRIVER)


def parse_location(text: str | Path) -> Location:
    """A path or a server URL, from what the officer typed (a ``Path`` stays a path)."""
    if isinstance(text, Path):
        return text.expanduser()
    return server_url(text) if is_server_text(text) else Path(text).expanduser()


def without_password(url: URL) -> URL:
    """``url`` with no password (``URL.set`` leaves one it is given None for)."""
    return url._replace(password=None)


def shown(location: Location) -> str:
    """The location as the officer is shown it: a path, or the URL without its password."""
    if isinstance(location, URL):
        return location.set(drivername="postgresql").render_as_string(hide_password=True)
    return str(location)
