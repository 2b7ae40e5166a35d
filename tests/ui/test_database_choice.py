"""设置 → 更换数据库…: a file or a server, the password asked (never kept), the choice remembered
for the next start (where ``--db`` and ``$RELIEF_DESK_DB`` still win)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url

from desktop.qt.widgets import QDialog, QMessageBox, QWidget
from desktop.store import Database, open_database
from desktop.store.errors import PasswordNeeded
from desktop.store.location import shown
from desktop.store.migrate import alembic_config, head_revision
from desktop.store.paths import default_db_path, given_location
from desktop.ui import database_dialog
from desktop.ui.app import open_at_start, starting_location
from desktop.ui.database_dialog import DatabaseDialog, open_asking_password
from desktop.ui.log_page import LogPage
from desktop.ui.main_window import MainWindow
from desktop.ui.remembered import remember_database, remembered_database, ui_state
from desktop.ui.settings_page import SettingsPage
from tests import servers
from tests.ui.conftest import OFFICE_SCREEN, click_box, open_page, screenshot, when_modal


@pytest.fixture
def on_server(pg_option: str, _pg_migrated: str) -> Iterator[URL]:
    with servers.copy_of(pg_option, _pg_migrated) as url:
        yield url


def _chosen(window: MainWindow, fill: object) -> None:
    """Click 更换数据库… in 设置 and let ``fill`` fill the dialog, then 打开."""
    settings = open_page(window, "设置", SettingsPage)

    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, DatabaseDialog)
        fill(dialog)  # type: ignore[operator]
        dialog.accept()

    when_modal(act, DatabaseDialog)
    settings.change_database.click()


# starts from the window's own file (its path is asserted on); a server's window is the
# next test's, which switches to the server and back
@pytest.mark.sqlite_only
def test_another_file_is_opened_and_remembered(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    first = window.db.path
    other = tmp_path / "其他" / "county.sqlite3"
    _chosen(window, lambda d: (d.file_choice.setChecked(True), d.file.setText(str(other))))
    qtbot.waitUntil(lambda: window.db.path == other)
    assert window.db.enterprise_count() == 0  # a new file, created and migrated
    settings = open_page(window, "设置", SettingsPage)
    assert settings.folder.text() == f"本机文件：{other}"
    assert remembered_database() == other
    assert starting_location(None) == other  # the next start opens it …
    assert starting_location(first) == first  # … unless --db or $RELIEF_DESK_DB says otherwise


def test_a_server_address_it_cannot_read_keeps_the_dialog_open(qtbot: QtBot, db_path: Path) -> None:
    dialog = DatabaseDialog(db_path)
    qtbot.addWidget(dialog)
    dialog.server_choice.setChecked(True)
    dialog.server.setText("postgresql://wang@city-server")  # no database name
    dialog.accept()
    assert dialog.opened is None and dialog.result() == 0
    assert "缺少库名" in dialog.message.text()
    dialog.server.setText("//city-server/relief")
    dialog.accept()
    assert dialog.message.text() == "服务器地址应为 postgresql://用户@主机[:端口]/库名"


def test_a_remembered_server_that_cannot_be_opened_offers_this_computer_s_file(
    qtbot: QtBot,
) -> None:
    nobody = "postgresql://wang@127.0.0.1:1/relief"  # no server listens there
    remember_database(make_url(nobody))
    seen: list[str] = []

    def refused(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        click_box("是", seen)  # 改用本机数据库
        box.buttons()[0].click()

    when_modal(refused, QMessageBox)
    db = open_at_start(None, "测试员")
    assert db is not None and db.path == default_db_path()
    db.close()
    assert seen[0].startswith(f"无法连接数据库服务器 {nobody}：")
    assert seen[1].startswith(f"上次在设置中选择的数据库 {nobody} 未能打开")
    assert remembered_database() is not None  # still offered next time (the server may be back)


def test_the_password_is_asked_when_the_server_wants_one_and_never_kept(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    tried: list[object] = []

    def server_open(location: URL, _operator: str | None) -> Database:
        tried.append(location.password)
        if location.password != "秘密":
            raise PasswordNeeded("无法连接数据库服务器：password authentication failed")
        return db

    asked: list[str] = []
    answers = iter(["错的", "秘密"])

    def typed(_parent: object, _location: object, why: str) -> str:
        asked.append(why)
        return next(answers)

    monkeypatch.setattr(database_dialog, "open_database", server_open)
    monkeypatch.setattr(database_dialog, "ask_password", typed)
    url = make_url("postgresql+psycopg://wang@city-server/relief")
    assert open_asking_password(None, url, None) is db
    assert tried == [None, "错的", "秘密"]
    assert asked == ["无法连接数据库服务器：password authentication failed"] * 2
    monkeypatch.setattr(database_dialog, "ask_password", lambda *_args: None)
    assert open_asking_password(None, url, None) is None  # cancelled: nothing opened
    remember_database(url.set(password="秘密"))
    assert ui_state().value("database/location") == "postgresql://wang@city-server/relief"


# from the window's file to the server (on_server) and back to that file
@pytest.mark.sqlite_only
def test_switching_to_a_server_and_back(
    qtbot: QtBot, window: MainWindow, on_server: URL, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = window.db.path
    address = shown(on_server)
    _chosen(window, lambda d: (d.server_choice.setChecked(True), d.server.setText(address)))
    qtbot.waitUntil(lambda: window.db.on_server)
    settings = open_page(window, "设置", SettingsPage)
    assert settings.folder.text() == f"服务器：{address}"
    assert not settings.open_folder.isEnabled()  # a server has no folder here
    assert shown(remembered_database()) == address  # type: ignore[arg-type]
    monkeypatch.setenv("RELIEF_DESK_DB", str(file))
    assert starting_location(given_location(None)) == file  # the environment wins
    _chosen(window, lambda d: (d.file_choice.setChecked(True), d.file.setText(str(file))))
    qtbot.waitUntil(lambda: not window.db.on_server)
    assert remembered_database() == file


def test_screenshot_of_the_database_choice(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(*OFFICE_SCREEN)
    settings = open_page(window, "设置", SettingsPage)
    screenshot(window, "settings-database")
    dialog = DatabaseDialog(window.db.location, settings)
    qtbot.addWidget(dialog)
    dialog.server_choice.setChecked(True)
    dialog.server.setText("postgresql://wang@city-server:5432/relief")
    dialog.show()
    screenshot(dialog, "database-dialog")
    dialog.close()
    db = open_database(window.db.location)  # the window's file, still whole after all this
    db.close()


def test_the_log_page_backs_up_lists_and_checks_a_server_database(
    qtbot: QtBot, on_server: URL
) -> None:
    db = open_database(on_server, "测试员")
    window = MainWindow(db, remember=False)
    qtbot.addWidget(window)
    window.resize(*OFFICE_SCREEN)
    window.show()
    try:
        page = open_page(window, "操作记录", LogPage)
        assert page.backups.count() == 0
        page.backup_button.click()
        (made,) = db.backups()
        assert made.suffix == ".dump" and page.backups.count() == 1
        assert page.backups.item(0).text().startswith(made.name)
        assert page.backups_used.text() == f"备份共占 {made.stat().st_size / 2**20:,.1f} MB"
        screenshot(window, "log-server")
        seen: list[str] = []
        click_box("", seen)
        page.check_button.click()
        assert seen == [f"数据库检查通过：{shown(on_server)}（连接、版本 {_head()}、数据表 "
                        f"{_tables(db)} 张；服务器未安装 amcheck 扩展，未检查索引）"]  # fmt: skip
    finally:
        window.close()
        db.close()


def _head() -> str:
    return str(head_revision(alembic_config()))


def _tables(db: Database) -> int:
    with db.engine.connect() as conn:
        return len(inspect(conn).get_table_names()) - 1  # alembic_version is not ours
