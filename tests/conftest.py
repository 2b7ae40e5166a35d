"""Fixtures every test folder shares: a fresh database, and Qt kept offscreen; in the headless
pass (no PySide6, scripts/test.sh) the window's and the printer's tests are left out."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.store import Database, open_database
from tests import servers

pytest_plugins = ["tests.team", "tests.leaks"]  # roles on a server; no database left open
QT = importlib.util.find_spec("PySide6") is not None
QT_FIXTURES = frozenset({"qapp", "qtbot", "qtlog", "qtmodeltester"})  # pytest-qt's
QT_FOLDERS = ["ui", "printing"]  # the window and the printer
collect_ignore = [] if QT else QT_FOLDERS


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--pg URL``: run the database tests on PostgreSQL too (tests/servers.py). Headless,
    pytest-qt is absent too: its settings stay known keys for --strict-config."""
    parser.addoption(
        "--pg",
        default=None,
        help="a PostgreSQL superuser URL (or 'none: REASON'): database tests run there too",
    )
    parser.addoption(
        "--headless-pass-follows",
        action="store_true",
        help="leave out the tests that need neither Qt nor a server: the headless pass runs them",
    )
    if not QT:
        parser.addini("qt_api", "pytest-qt's (not installed)")
        parser.addini("qt_log_level_fail", "pytest-qt's (not installed)")
        parser.addini("qt_log_ignore", "pytest-qt's (not installed)", type="linelist")


def needs_qt(item: pytest.Item) -> bool:
    """Marked ``qt``, using a pytest-qt fixture, or the window's or the printer's."""
    path, here = Path(str(item.path)), Path(__file__).parent
    folder = path.relative_to(here).parts[0] if path.is_relative_to(here) else ""
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(item.get_closest_marker("qt") or QT_FIXTURES & fixtures or folder in QT_FOLDERS)


def on_server(item: pytest.Item) -> bool:
    """The PostgreSQL half of a database test, or a test of the server alone (``pg_option``)."""
    callspec = getattr(item, "callspec", None)
    engine = callspec.params.get("engine") if callspec is not None else None
    server_only = engine is None and "pg_option" in getattr(item, "fixturenames", ())
    return engine == "postgresql" or server_only


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Headless, skip what needs Qt. With ``--headless-pass-follows`` (scripts/test.sh), run only
    what the headless pass cannot: what needs Qt, and what needs a server (CI time: the rest
    would run twice, to the same result, since the core never imports Qt)."""
    if not QT:
        skip = pytest.mark.skip(reason="needs PySide6, which the headless pass has not")
        for item in filter(needs_qt, items):
            item.add_marker(skip)
    elif config.getoption("--headless-pass-follows"):
        kept = {id(item) for item in items if needs_qt(item) or on_server(item)}
        config.hook.pytest_deselected(items=[item for item in items if id(item) not in kept])
        items[:] = [item for item in items if id(item) in kept]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test using ``engine`` (through ``db``, ``sample_db`` …) runs on SQLite, and on
    PostgreSQL when ``--pg`` names a server (unless marked ``sqlite_only`` or ``one_engine``)."""
    if "engine" in metafunc.fixturenames:
        option = servers.server_option(metafunc.config.getoption("--pg"))
        marked = metafunc.definition.get_closest_marker
        both = option and not (marked("sqlite_only") or marked("one_engine"))
        metafunc.parametrize("engine", ["sqlite", "postgresql"] if both else ["sqlite"])


@pytest.fixture(scope="session")
def pg_option(pytestconfig: pytest.Config) -> str:
    """The PostgreSQL server of this run; skips (saying why) when there is none."""
    option = servers.server_option(pytestconfig.getoption("--pg"))
    if option is None:
        pytest.skip("no PostgreSQL server given (--pg URL)")
    reason = servers.unavailable(option)
    if reason:
        pytest.skip(reason)
    return option


@pytest.fixture(scope="session")
def _pg_migrated(pg_option: str) -> str:
    """A database on the server migrated to head once per run: the template of every test's."""
    open_database(servers.recreate(pg_option, servers.MIGRATED), "测试员").close()
    return servers.MIGRATED


@pytest.fixture(scope="session")
def _pg_sample(pg_option: str, _pg_migrated: str) -> str:
    """The migrated template with the sample county loaded, made once per run."""
    from desktop.samples import load_sample

    db = open_database(servers.recreate(pg_option, servers.SAMPLE, _pg_migrated), "测试员")
    load_sample(db)
    db.close()
    return servers.SAMPLE


@pytest.fixture(autouse=True)
def _config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Remembered column mappings (window and command line) and the backups of server
    databases go to the test's folder, not the user's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database file lives (not created yet)."""
    return tmp_path / "data" / "relief.sqlite3"


def seal(db: Database) -> Path:
    """Close ``db`` with everything in its main file (no WAL beside it), ready to be copied."""
    with db.reads.connect() as conn:  # a read: a checkpoint may not run inside a write
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return db.path


def _copy_of(template: Path, path: Path) -> Database:
    """``template`` copied to ``path`` and opened by 测试员 (already at head: no backup)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return open_database(path, operator="测试员")


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database migrated to head per session; copying it is ~20 times faster than migrating."""
    return seal(open_database(tmp_path_factory.mktemp("template") / "new.sqlite3", "测试员"))


@pytest.fixture(scope="session")
def _sample_template(_migrated_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The migrated template with the sample county loaded, made once per session."""
    from desktop.samples import load_sample

    db = _copy_of(_migrated_template, tmp_path_factory.mktemp("template") / "sample.sqlite3")
    load_sample(db)
    return seal(db)


@contextmanager
def _database(
    request: pytest.FixtureRequest, engine: str, db_path: Path, file: str, server: str
) -> Iterator[Database]:
    """A copy of the template ``file`` (SQLite) or ``server`` (the fixture of the PostgreSQL
    template), opened by 测试员."""
    if engine == "sqlite":
        database = _copy_of(request.getfixturevalue(file), db_path)
        yield database
        database.close()
        return
    option, template = request.getfixturevalue("pg_option"), request.getfixturevalue(server)
    with servers.copy_of(option, template) as url:
        database = open_database(url, "测试员")
        yield database
        database.close()


@pytest.fixture
def db(request: pytest.FixtureRequest, engine: str, db_path: Path) -> Iterator[Database]:
    """A new, migrated database acted on by operator 测试员 (on each engine)."""
    with _database(request, engine, db_path, "_migrated_template", "_pg_migrated") as database:
        yield database


def cli_db(db: Database) -> str:
    """What ``--db`` names for ``db``: its file, or its server's URL (password included)."""
    if db.url is not None:
        return db.url.render_as_string(hide_password=False)
    return str(db.file)


@pytest.fixture
def db_target(request: pytest.FixtureRequest, engine: str, db_path: Path) -> Iterator[str]:
    """``--db`` for a command that starts on no data: a file not made yet (SQLite), or a new
    database on the server (PostgreSQL), migrated as the command would find it."""
    if engine == "sqlite":
        yield str(db_path)
        return
    option, template = request.getfixturevalue("pg_option"), request.getfixturevalue("_pg_migrated")
    with servers.copy_of(option, template) as url:
        yield url.render_as_string(hide_password=False)


@pytest.fixture
def sample_db(request: pytest.FixtureRequest, engine: str, db_path: Path) -> Iterator[Database]:
    """A database holding the sample county (loaded as ``load_sample`` does), operator 测试员
    (on each engine)."""
    with _database(request, engine, db_path, "_sample_template", "_pg_sample") as database:
        yield database


def sha256_of(path: Path) -> str:
    """The file's digest, to show a refused file was not written."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damage_database(db_path: Path) -> str:
    """A database holding the sample with one backup, then garbage over a b-tree page.

    Returns the damaged file's digest.
    """
    from desktop.samples import load_sample

    db = open_database(db_path, "测试员")
    load_sample(db)
    db.backup("manual")
    seal(db)
    data = bytearray(db_path.read_bytes())
    data[4096 * 2 : 4096 * 3] = b"\xff" * 4096
    db_path.write_bytes(bytes(data))
    return sha256_of(db_path)
