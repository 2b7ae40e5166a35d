"""运行监测: the fixture's 2023年3月 — who reported, by status, who did not, and the bulletin's
figures per county (worked by hand from the sample's 月度产值, in 万元)."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.changes import Changes
from desktop.models import Enterprise
from desktop.printing.papers import write_bulletin_pdf
from desktop.qt.widgets import QFileDialog
from desktop.taskforce.bulletin import bulletin
from desktop.taskforce.monitoring import Report, record_report
from desktop.taskforce.periods import period
from desktop.ui.main_window import MainWindow
from desktop.ui.monitoring_page import MonitoringPage
from tests.ui.conftest import screenshot


def _page(window: MainWindow) -> MonitoringPage:
    window.show_page("运行监测")
    page = window.pages["运行监测"]
    assert isinstance(page, MonitoringPage)
    return page


def test_a_months_reports_and_bulletin_figures(tf_window: MainWindow) -> None:
    page = _page(tf_window)
    assert page.period_choice.currentText() == "2023年3月"  # the last period reported
    assert page.headline.text() == (
        "2023年3月：报送 4 家，规上企业未报送 2 家；停产 1、部分复工 1、全面复工 1、达产达效 1；"
        "复工率 50.0%"
    )
    assert [(r.enterprise, r.status) for r in page.reports.rows()] == [
        ("示例·忻府新材料有限公司", "全面复工"), ("示例·忻府精密铸造有限公司", "部分复工"),
        ("示例·定襄锻造有限公司", "达产达效"), ("示例·原平装备制造有限公司", "停产"),
    ]  # fmt: skip
    assert [f.name for f in page.silent.rows()] == [
        "示例·五台特种材料有限公司", "示例·原平新能源装备有限公司",
    ]  # fmt: skip
    units = {row.unit: astuple(row)[1:11] for row in page.units.rows()}
    # reporting, not, 停产, 部分复工, 全面复工, 达产达效, 复工率, 产值（万元）, 同比, 环比
    assert units["忻府区"] == (2, 0, 0, 1, 1, 0, "50.0%", "1,100.00", "10.0%", "-31.3%")
    assert units["定襄县"] == (1, 0, 0, 0, 0, 1, "100.0%", "1,200.00", "20.0%", "0.0%")
    assert units["五台县"] == (0, 1, 0, 0, 0, 0, "—", "0.00", "—", "—")
    assert units["原平市"] == (1, 1, 1, 0, 0, 0, "0.0%", "5,300.00", "1.9%", "-3.6%")
    # 7,600 against 7,200 a year before and 8,300 in 2023年2月
    assert units["合计"] == (4, 2, 1, 1, 1, 1, "50.0%", "7,600.00", "5.6%", "-8.4%")
    assert list(units)[-1] == "合计"
    screenshot(tf_window, "taskforce-monitoring-reports")
    page.tabs.setCurrentIndex(1)
    screenshot(tf_window, "taskforce-monitoring-bulletin")


def test_the_bulletin_document_previewed_as_it_prints(
    qtbot: QtBot, tf_window: MainWindow, tmp_path: Path
) -> None:
    page = _page(tf_window)
    assert page.document is None  # made and painted only once shown
    page.tabs.setCurrentWidget(page.preview_tab)
    document = page.document
    assert document is not None and document.isVisible()
    qtbot.waitUntil(lambda: document.pageCount() > 0)
    shown = page.shown
    assert shown is not None
    with tf_window.db.reader() as s:
        figures = bulletin(s, shown, date.today())
    pdf = write_bulletin_pdf(figures, tmp_path / "通报.pdf", date.today())
    assert document.pageCount() == pdf.pages  # one painting, the file's pages
    screenshot(tf_window, "taskforce-monitoring-document")
    page.typed.setText("2023年第10周")
    page.typed.returnPressed.emit()  # another period: painted again while in front
    assert page.previewed is page.figures


def test_a_typed_period(qtbot: QtBot, tf_window: MainWindow) -> None:
    page = _page(tf_window)
    page.typed.setText("2023年第10周")
    page.typed.returnPressed.emit()
    assert page.period_choice.currentText() == "2023年第10周"
    assert page.headline.text().startswith("2023年第10周：报送 0 家，规上企业未报送 6 家；")
    page.typed.setText("2023-13")
    page.typed.returnPressed.emit()
    assert page.message.text().startswith("期间「2023-13」：")
    assert page.period_choice.currentText() == "2023年第10周"  # kept


def test_a_report_recorded_meanwhile_shows_when_the_page_comes_back(tf_window: MainWindow) -> None:
    page = _page(tf_window)
    tf_window.show_page("工作台")
    with tf_window.db.session(source="command") as s:
        wutai = s.scalars(select(Enterprise).where(Enterprise.uscc == "91140922MA0XY00071")).one()
        record_report(s, wutai, Report(period("2023-03"), "全面复工"))
    tf_window.apply_changes(Changes.TASKFORCE)  # as an import would
    assert "报送 4 家" in page.headline.text()  # hidden: not read yet
    tf_window.show_page("运行监测")
    assert page.headline.text().startswith("2023年3月：报送 5 家，规上企业未报送 1 家；")


@pytest.mark.parametrize("name", ["通报.xlsx", "通报.pdf"])
def test_the_bulletin_file_of_the_period_shown(
    qtbot: QtBot,
    tf_window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    page = _page(tf_window)
    out = tmp_path / name
    asked: list[str] = []

    def save_name(_parent: object, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(out), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    page.file_button.click()
    said = page.files.said
    qtbot.waitUntil(lambda: said.text().startswith("已写出"), timeout=30_000)
    assert [Path(a).name for a in asked] == ["工业企业复工复产运行情况通报-2023-03.xlsx"]
    assert said.text().startswith(f"已写出 {out}（")
    assert said.text().endswith(
        "\n其中 14 家是示例数据（虚构企业），不得上报；可在「设置」中删除示例数据"
    )
    assert page.files.offer.path == out and not page.files.offer.isHidden()
    if out.suffix == ".xlsx":
        sheets = load_workbook(out, read_only=True).sheetnames
        assert len(sheets) > 1
    else:
        assert out.read_bytes().startswith(b"%PDF")
        assert "页）" in said.text()
