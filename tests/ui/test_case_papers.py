"""Payments imported through 数据导入 and followed on 兑现管理 (a partial then a final payment,
an over-payment refused in the preview, the batch undone as a reversal), and the papers of
兑现管理's 公示与进度 tab (公示名单 as Excel and PDF, 兑现进度表) written through the window."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pytestqt.qtbot import QtBot

from desktop.cases.moves import Move
from desktop.cases.states import State
from desktop.qt.core import QUrl
from desktop.qt.widgets import QFileDialog, QWidget
from desktop.ui import file_dialogs
from desktop.ui.background import running
from desktop.ui.case_page import CasePage
from desktop.ui.import_page import ImportPage
from desktop.ui.main_window import MainWindow
from tests.ui.conftest import click_box, open_page, screenshot, when_modal
from tests.ui.test_case_page import (
    ON,
    XINFU_MATERIALS,
    YUANPING_EQUIPMENT,
    case_page,
    move,
    open_all,
    select_numbers,
)
from tests.ui.test_import_page import _click, _read

HEADERS = ("统一社会信用代码*", "支持事项*", "期间", "拨付金额（元）*", "拨付日期*", "凭证号*")


def _payments(path: Path, *rows: tuple[str, object, str, str]) -> Path:
    """A 拨付明细 sheet of (credit code, amount, day, voucher) rows under 第十二条 2023-Q1."""
    wb = Workbook()
    ws = wb.active
    ws.title = "拨付明细"
    ws.append(HEADERS)
    for uscc, amount, day, voucher in rows:
        ws.append([uscc, "第十二条", "2023-Q1", amount, day, voucher])
    wb.save(path)
    return path


def _publicized(window: MainWindow, *codes: str) -> dict[str, str]:
    """The 第十二条 cases of ``codes`` moved to 公示无异议; their numbers by credit code."""
    cases = open_all(window.db)
    numbers = {uscc: cases[f"{uscc} 12"].number for uscc in codes}
    chosen = list(numbers.values())
    move(window.db, chosen, Move(State.RECEIVED, on=ON))
    move(window.db, chosen, Move(State.APPROVED))
    move(window.db, chosen, Move(State.PUBLICITY, on=date(2023, 6, 7)))
    move(window.db, chosen, Move(State.PUBLICIZED, on=date(2023, 6, 14)))
    return numbers


def _line(cases: CasePage, number: str) -> tuple[str, Decimal]:
    (line,) = [line for line in cases.cases.rows() if line.number == number]
    return line.state, line.paid_amount


def test_payments_imported_then_undone_through_the_import_page(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    numbers = _publicized(window, YUANPING_EQUIPMENT, XINFU_MATERIALS)
    cases = case_page(qtbot, window)
    first = _payments(
        tmp_path / "拨付-6月.xlsx",
        (YUANPING_EQUIPMENT, 100000, "2023-06-20", "忻财拨〔2023〕101"),  # 100,000 of 250,000
        (XINFU_MATERIALS, 500000.01, "2023-06-20", "忻财拨〔2023〕102"),  # 0.01 over 500,000
    )
    imports = open_page(window, "数据导入", ImportPage)
    _read(qtbot, imports, first)
    _click(qtbot, imports, imports.preview_button)
    sheet = imports.sheets.rows()[0]
    assert (sheet.created, sheet.rejected) == (1, 1)
    (refused,) = imports.rejects.rows()
    assert "将超出 0.01元" in refused.message and "500,000.00元" in refused.message
    _click(qtbot, imports, imports.import_button)
    assert _line(cases, numbers[YUANPING_EQUIPMENT]) == ("公示无异议", Decimal("100000.00"))
    assert _line(cases, numbers[XINFU_MATERIALS]) == ("公示无异议", Decimal("0.00"))

    final = _payments(
        tmp_path / "拨付-7月.xlsx",
        (YUANPING_EQUIPMENT, 150000, "2023-06-28", "忻财拨〔2023〕103"),  # the rest
    )
    imports.tabs.setCurrentIndex(0)
    imports.files.selectAll()
    imports.remove_button.click()  # the June file was imported: only July's now
    _read(qtbot, imports, final)
    _click(qtbot, imports, imports.preview_button)
    _click(qtbot, imports, imports.import_button)
    assert _line(cases, numbers[YUANPING_EQUIPMENT]) == ("已拨付", Decimal("250000.00"))

    imports.tabs.setCurrentIndex(3)
    assert imports.batches.rows()[0].file == "拨付-7月.xlsx"
    imports.batch_view.setCurrentIndex(imports.batches.index(0, 0))
    asked: list[str] = []
    click_box("是", asked)
    _click(qtbot, imports, imports.undo_button)
    assert asked[0].startswith("撤销第 ") and "冲销拨付 1 笔" in asked[0]
    assert "不删除" in asked[0] and "新增的行将删除" not in asked[0]
    assert imports.batches.rows()[0].undone != ""
    assert _line(cases, numbers[YUANPING_EQUIPMENT]) == ("公示无异议", Decimal("100000.00"))
    window.show_page("兑现管理")
    select_numbers(cases, numbers[YUANPING_EQUIPMENT])
    detail = cases.detail.toPlainText()
    assert "忻财拨〔2023〕103" in detail
    assert f"已冲销 {date.today().isoformat()}（撤销导入批次" in detail
    assert "合计已拨付 100,000.00元" in detail
    screenshot(window, "case-payment-reversed")


def _save_as(path: Path) -> None:
    """Answer the next file dialog with ``path``."""

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(path))
        dialog.accept()

    when_modal(choose, QFileDialog)


def _export(qtbot: QtBot, cases: CasePage, button: QWidget, path: Path) -> None:
    _save_as(path)
    button.click()  # type: ignore[attr-defined]
    assert cases.papers.op is not None and cases.papers.op.wait(60)
    qtbot.waitUntil(lambda: running() == 0)
    assert path.exists()
    assert cases.papers.files.offer.isVisible() and cases.papers.files.offer.path == path


def test_the_publicity_list_and_the_progress_board_exported_from_the_page(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = open_all(window.db)
    listed = [cases[f"{code} 12"].number for code in (XINFU_MATERIALS, YUANPING_EQUIPMENT)]
    move(window.db, listed, Move(State.RECEIVED, on=ON))
    move(window.db, listed, Move(State.APPROVED))
    move(window.db, listed, Move(State.PUBLICITY, on=date(2023, 6, 28)))
    page = case_page(qtbot, window)
    page.tabs.setCurrentWidget(page.papers)
    papers = page.papers
    papers.measure.setCurrentIndex(papers.measure.findData("13"))  # none in publicity
    told: list[str] = []
    click_box("确定", told)
    papers.publicity_pdf.click()  # said at once, before any file is asked for
    assert told[0].startswith("第十三条没有「公示中」的兑现事项，无公示名单")
    papers.measure.setCurrentIndex(papers.measure.findData("12"))
    pdf, workbook = tmp_path / "公示名单.pdf", tmp_path / "公示名单.xlsx"
    _export(qtbot, page, papers.publicity_pdf, pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert papers.files.said.text().startswith(
        "已导出公示名单 2 户，拟支持金额合计 750,000.00 元；受理单位或联系电话未填写"
    )
    opened: list[str] = []
    monkeypatch.setattr(file_dialogs, "open_url", lambda url: opened.append(url.toLocalFile()))
    papers.files.offer.open_folder.click()
    assert opened == [QUrl.fromLocalFile(str(tmp_path)).toLocalFile()]
    _export(qtbot, page, papers.publicity_xlsx, workbook)
    cells = {str(c) for row in load_workbook(workbook).active.iter_rows(values_only=True)
             for c in row}  # fmt: skip
    assert {XINFU_MATERIALS, YUANPING_EQUIPMENT} <= cells
    board = tmp_path / "兑现进度表.xlsx"
    _export(qtbot, page, papers.progress_button, board)
    rows = list(load_workbook(board).active.iter_rows(values_only=True))
    (total,) = [r for r in rows if r[0] == "第十二条" and r[1] == "合计"]
    assert (total[2], total[3]) == (2, 2)  # two eligible, two cases
    shown = [papers.board.cells(r) for r in range(papers.board.rowCount())]
    assert [c[:4] for c in shown if c[0] == "第十二条" and c[1] == "合计"] == [
        ["第十二条", "合计", 2, 2]
    ]
    screenshot(window, "case-papers")
