"""政策明白卡 and 督办单 from the window: of the enterprises selected on 包联服务, of the one the
enterprise dialog shows, and of the red problems; saved as PDF in the remembered folder, written
off the UI thread, then offered to open."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from desktop.models import Problem
from desktop.qt.core import QItemSelectionModel
from desktop.qt.widgets import QDialog, QFileDialog, QTableView
from desktop.ui.enterprise_dialog import EnterpriseDialog
from desktop.ui.enterprise_taskforce import EnterpriseWork
from desktop.ui.main_window import MainWindow
from desktop.ui.monitoring_page import MonitoringPage
from desktop.ui.paper_files import PaperFiles
from desktop.ui.taskforce_page import TaskforcePage
from tests.printing.conftest import pdf_pages, pdf_text
from tests.ui.conftest import open_page, screenshot, when_modal

YUANPING = "91140981MA0XY00020"


@pytest.fixture
def saved_as(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every save dialog answers tmp_path/out.pdf; the names it offered are kept."""
    asked: list[str] = []

    def save_name(_parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
        asked.append(Path(start).name)
        return str(tmp_path / "out.pdf"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    return asked


def _written(qtbot: QtBot, files: PaperFiles) -> str:
    qtbot.waitUntil(lambda: files.said.text().startswith("已写出"), timeout=30_000)
    assert files.offer.path is not None and not files.offer.isHidden()
    return files.said.text()


def _select(view: QTableView, *rows: int) -> None:
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        view.selectionModel().select(view.model().index(row, 0), flags)


def _flat(path: Path) -> str:
    return re.sub(r"\s+", "", pdf_text(path))


def test_policy_cards_of_the_enterprises_selected(
    qtbot: QtBot, tf_window: MainWindow, saved_as: list[str], tmp_path: Path
) -> None:
    page = open_page(tf_window, "包联服务", TaskforcePage)
    page.print_cards()
    assert page.card_files.said.text().startswith("请先在包联名单或未覆盖名单中选中企业")
    assert saved_as == []  # nothing asked
    _select(page.assignment_view, 0, 2)
    _select(page.uncovered_view, 0)
    chosen = [page.assignments.rows()[0], page.assignments.rows()[2], page.uncovered.rows()[0]]
    assert page.selected_codes() == list(dict.fromkeys(r.uscc for r in chosen))
    page.print_cards()
    said = _written(qtbot, page.card_files)
    out = tmp_path / "out.pdf"
    assert said == (
        f"已写出 {out}：政策明白卡 3 份（3 页）\n"
        "其中 3 家是示例数据（虚构企业），不得上报；可在「设置」中删除示例数据"
    )
    assert re.fullmatch(r"政策明白卡（3户）-全市-\d{8}\.pdf", saved_as[0])
    assert pdf_pages(out) == 3
    text = _flat(out)
    assert [text.count(name) > 0 for name in ("政策明白卡", chosen[0].enterprise,
            chosen[1].enterprise, chosen[2].name)] == [True] * 4  # fmt: skip
    screenshot(tf_window, "taskforce-assignments-cards")


def test_the_policy_card_from_the_enterprise_dialog(
    qtbot: QtBot, tf_window: MainWindow, saved_as: list[str], tmp_path: Path
) -> None:
    said: list[str] = []

    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, EnterpriseDialog)
        work = dialog.findChild(EnterpriseWork)
        assert work is not None
        dialog.tabs.setCurrentWidget(work)
        work.print_card(tf_window.db, YUANPING)
        said.append(_written(qtbot, work.files))
        screenshot(dialog, "taskforce-enterprise-dialog-card")
        dialog.reject()

    when_modal(act, EnterpriseDialog)
    tf_window.roster.open_enterprise(YUANPING)
    qtbot.waitUntil(lambda: bool(said))
    assert said[0].startswith(f"已写出 {tmp_path / 'out.pdf'}：政策明白卡 1 份（1 页）\n其中 1 家")
    assert saved_as[0].startswith(f"政策明白卡-{YUANPING}-")
    assert "示例·原平装备制造有限公司" in _flat(tmp_path / "out.pdf")


def test_notices_of_the_red_problems(
    qtbot: QtBot,
    tf_window: MainWindow,
    ledgers: dict[str, int],
    saved_as: list[str],
    tmp_path: Path,
) -> None:
    page = open_page(tf_window, "包联服务", TaskforcePage)
    page.show_problem(ledgers["red"])
    files = page.problems.files
    page.problems.print_notices()
    assert _written(qtbot, files) == f"已写出 {tmp_path / 'out.pdf'}：督办单 1 份（1 页）"
    assert re.fullmatch(r"督办单（1件）-全市-\d{8}\.pdf", saved_as[0])
    text = _flat(tmp_path / "out.pdf")
    assert "督办单" in text and "缺少熟练焊工30名" in text and "超期3天" in text
    screenshot(tf_window, "taskforce-problems-notices")
    with tf_window.db.session(source="command") as s:  # the red problem solved meanwhile
        s.execute(update(Problem).where(Problem.id == ledgers["red"]).values(state="solved"))
    page.problems.print_notices()
    assert files.said.text().endswith("没有超期未办结的问题，无需督办单。")
    assert files.offer.isHidden() and len(saved_as) == 1  # nothing asked, nothing offered


def test_the_output_menu_writes_the_notices_and_the_bulletin(
    qtbot: QtBot, tf_window: MainWindow, saved_as: list[str], tmp_path: Path
) -> None:
    actions = {a.text(): a for a in tf_window.menus.menus["输出"].actions()}
    actions["督办单存为 PDF…"].trigger()
    page = tf_window.pages["包联服务"]
    assert isinstance(page, TaskforcePage)
    assert tf_window.stack.currentWidget() is page and page.tabs.currentWidget() is page.problems
    assert _written(qtbot, page.problems.files).endswith("：督办单 1 份（1 页）")
    actions["生成通报文件…"].trigger()
    monitoring = tf_window.pages["运行监测"]
    assert isinstance(monitoring, MonitoringPage)
    assert tf_window.stack.currentWidget() is monitoring
    assert _written(qtbot, monitoring.files).startswith(f"已写出 {tmp_path / 'out.pdf'}（PDF ")
    assert saved_as[1] == "工业企业复工复产运行情况通报-2023-03.xlsx"
