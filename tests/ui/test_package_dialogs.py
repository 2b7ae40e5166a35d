"""文件 → 导入数据包… and 导出数据包… driven through the window: the dry run's preview (its counts
worked by hand from tests/ui/packages.py), a refused file in one line, a package waiting for
one chosen with it, the import and the offer to open 冲突处理; the export to a chosen unit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.models import Enterprise, PackageReceived
from desktop.qt.gui import QAction
from desktop.qt.widgets import QWidget
from desktop.store import Database
from desktop.sync.conflicts import list_conflicts
from desktop.sync.units import saved_unit
from desktop.ui import package_dialogs
from desktop.ui.background import running
from desktop.ui.conflict_page import ConflictPage
from desktop.ui.main_window import MainWindow
from desktop.ui.package_dialogs import OPEN_REVIEW, ExportDialog, ImportPreview, _Line
from tests.sync.helpers import edit, export, receive
from tests.ui.conftest import click_box, screenshot, when_modal
from tests.ui.packages import COUNTY, ONE_SIDE, SOFT, county_of, two_hard_conflicts


def _action(window: MainWindow, menu: str, text: str) -> QAction:
    return next(a for a in window.menus.menus[menu].actions() if a.text() == text)


def _choose_files(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    monkeypatch.setattr(package_dialogs, "open_file_names", lambda *_: list(paths))


def _preview(qtbot: QtBot, window: MainWindow) -> ImportPreview:
    """Choose 导入数据包… and wait for the dry run's preview."""
    actions = window.menus.packages
    actions.preview = None
    _action(window, "文件", "导入数据包…").trigger()
    qtbot.waitUntil(lambda: actions.preview is not None and actions.preview.isVisible())
    assert actions.preview is not None
    return actions.preview


def _contact(db: Database, uscc: str) -> str | None:
    with db.reader() as s:
        return s.scalars(select(Enterprise.contact).where(Enterprise.uscc == uscc)).one()


def test_import_previews_imports_and_offers_the_review(
    qtbot: QtBot,
    window: MainWindow,
    _migrated_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    county = county_of(window.db, _migrated_template, tmp_path)
    package = two_hard_conflicts(window.db, county, tmp_path)
    county.close()
    damaged = tmp_path / "损坏.rdpkg"
    damaged.write_bytes(package.read_bytes()[:-40])
    _choose_files(monkeypatch, package, damaged)
    preview = _preview(qtbot, window)
    good, refused = preview.model.rows()
    assert good == _Line(package.name, COUNTY, 1, 1, 1, 1, 2, "将导入")
    assert (refused.applied, refused.conflicts) == (None, None)
    assert refused.result == "拒绝：损坏.rdpkg 不是完整的数据包（文件已损坏），未导入"
    assert preview.total.text() == (
        "试导入（未写入）：1 个数据包可导入，应用 1 行，合并 1 行，双方相同而略过 1 行，"
        "冲突 2 项，拒绝 1 个"
    )
    assert list_conflicts(window.db) == [] and _contact(window.db, SOFT) != "王联络"  # a dry run
    screenshot(preview, "package-import-preview")

    seen: list[str] = []
    click_box(OPEN_REVIEW, seen)
    preview.import_button.click()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.pages["冲突处理"])
    assert seen == [
        "已导入：1 个数据包已导入，应用 1 行，合并 1 行，双方相同而略过 1 行，冲突 2 项，拒绝 1 个"
    ]
    assert len(list_conflicts(window.db)) == 2
    assert _contact(window.db, SOFT) == "王联络"
    page = window.pages["冲突处理"]
    assert isinstance(page, ConflictPage) and page.model.rowCount() == 2
    assert window.statusBar().currentMessage() == seen[0]


def test_a_package_waiting_for_one_chosen_with_it_says_so_and_both_go_in(
    qtbot: QtBot,
    window: MainWindow,
    _migrated_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    county = county_of(window.db, _migrated_template, tmp_path)
    edit(county, ONE_SIDE, contact="第一号")
    first = export(county, tmp_path)
    edit(county, ONE_SIDE, contact="第二号")
    second = export(county, tmp_path)
    county.close()

    _choose_files(monkeypatch, second)
    alone = _preview(qtbot, window)
    assert [line.result for line in alone.model.rows()] == ["等待第 1 号数据包，收到后自动导入"]
    assert alone.import_button.isEnabled()  # it can be kept, waiting
    alone.reject()

    _choose_files(monkeypatch, second, first)
    both = _preview(qtbot, window)
    assert [line.result for line in both.model.rows()] == [
        "等待第 1 号：它也在所选文件中，导入时依次导入",
        "将导入",
    ]
    seen: list[str] = []
    click_box("确定", seen)
    both.import_button.click()
    qtbot.waitUntil(lambda: bool(seen))
    qtbot.waitUntil(lambda: running() == 0)
    assert _contact(window.db, ONE_SIDE) == "第二号"
    with window.db.reader() as s:
        states = s.execute(select(PackageReceived.sequence, PackageReceived.state)).all()
    assert sorted(states) == [(1, "applied"), (2, "applied")]


def _in_export_dialog(act: Callable[[ExportDialog], None]) -> None:
    def run(dialog: QWidget) -> None:
        assert isinstance(dialog, ExportDialog)
        act(dialog)
        dialog.accept()

    when_modal(run, ExportDialog)


def test_export_to_a_chosen_unit_reaches_it(
    qtbot: QtBot,
    window: MainWindow,
    _migrated_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    county = county_of(window.db, _migrated_template, tmp_path)  # the city is 忻州市 now
    edit(window.db, SOFT, contact="市里改的")
    out = tmp_path / "out" / "至忻府区.rdpkg"
    out.parent.mkdir()
    monkeypatch.setattr(package_dialogs, "save_file_name", lambda *_: out)
    offered: list[list[str]] = []

    def choose(dialog: ExportDialog) -> None:
        offered.append([dialog.to_box.itemText(i) for i in range(dialog.to_box.count())])
        dialog.to_box.setCurrentText(COUNTY)

    _in_export_dialog(choose)
    _action(window, "文件", "导出数据包…").trigger()
    qtbot.waitUntil(lambda: out.exists() and running() == 0)
    assert "忻州市" not in offered[0] and offered[0][0] == "忻府区"  # never to itself
    assert window.statusBar().currentMessage().startswith("已导出 忻州市 → 忻府区 第 2 号数据包")
    (outcome,) = receive(county, out)
    assert outcome.status == "applied" and _contact(county, SOFT) == "市里改的"
    county.close()


def test_the_first_export_names_this_database_s_unit(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "first.rdpkg"
    monkeypatch.setattr(package_dialogs, "save_file_name", lambda *_: out)
    offered: list[str] = []

    def choose(dialog: ExportDialog) -> None:
        assert dialog.sender_box.isVisible()
        dialog.sender_box.setCurrentText("原平市")
        offered.extend(dialog.to_box.itemText(i) for i in range(dialog.to_box.count()))

    _in_export_dialog(choose)
    _action(window, "文件", "导出数据包…").trigger()
    qtbot.waitUntil(lambda: out.exists() and running() == 0)
    assert offered[0] == "忻州市" and "原平市" not in offered
    with window.db.reads.connect() as conn:
        assert saved_unit(conn) == "原平市"
