"""数据导入 driven through its widgets: drop a file, check mapping, preview, import, undo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from stdnum.cn import uscc

from desktop.importing.memory import ColumnMemory
from desktop.models import Enterprise
from desktop.qt.core import QMimeData, QPoint, Qt, QUrl
from desktop.qt.gui import QDragEnterEvent, QDropEvent
from desktop.qt.widgets import QApplication, QFileDialog, QPushButton, QWidget
from desktop.sheets import SheetChoice
from desktop.store import Database
from desktop.ui.background import running
from desktop.ui.import_page import ImportPage
from desktop.ui.main_window import MainWindow
from tests.ui.conftest import click_box, open_page, screenshot, when_modal


def _code(serial: str) -> str:
    body = f"91140902MA{serial}"
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def roster_file(tmp_path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "企业名录"
    ws.append(["企业名称", "统一社会信用代码", "所属县（市、区）", "规上企业"])
    ws.append(["导入甲有限公司", _code("0NP0001"), "忻府区", "是"])
    ws.append(["导入乙有限公司", _code("0NP0002"), "定襄县", "否"])
    ws.append(
        [
            "坏代码有限公司",
            _code("0NP0003")[:-1] + ("1" if _code("0NP0003")[-1] != "1" else "2"),
            "忻府区",
            "否",
        ]
    )
    path = tmp_path / "名录.xlsx"
    wb.save(path)
    return path


def _drop(page: ImportPage, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    target = page.files.viewport()
    at = QPoint(10, 10)
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(at, Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(target, QDropEvent(at, Qt.DropAction.CopyAction, mime, buttons, keys))


def _finish(qtbot: QtBot, page: ImportPage) -> None:
    assert page.op is not None and page.op.wait(30)
    qtbot.waitUntil(lambda: running() == 0)  # the result has reached the UI thread


def _click(qtbot: QtBot, page: ImportPage, button: QPushButton) -> None:
    """Click one of the page's buttons and wait until its background work has landed."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    _finish(qtbot, page)


def _read(qtbot: QtBot, page: ImportPage, path: Path) -> None:
    """Choose ``path`` and read it (step ①)."""
    page.files.add_paths([path])
    _click(qtbot, page, page.read_button)


def test_drop_preview_import_and_undo(qtbot: QtBot, window: MainWindow, roster_file: Path) -> None:
    page = open_page(window, "数据导入", ImportPage)
    _drop(page, roster_file)
    assert page.files.paths() == [roster_file]
    _click(qtbot, page, page.read_button)
    rows = page.mapping.rows()
    found = {r.field_label: r.header for r in rows}
    assert found["企业名称"] == "企业名称" and found["统一社会信用代码"] == "统一社会信用代码"
    assert page.tabs.currentIndex() == 1
    screenshot(window, "import-mapping")
    _click(qtbot, page, page.preview_button)
    line = page.sheets.rows()[0]
    assert (line.created, line.rejected, line.outcome) == (2, 1, "预览，未写入")
    assert any("校验" in r.message for r in page.rejects.rows())
    assert window.roster.model.rowCount() == 14  # nothing written yet
    screenshot(window, "import-preview")
    report = roster_file.with_name("错误报告.xlsx")

    def save_as(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(report))
        dialog.accept()

    when_modal(save_as, QFileDialog)
    qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    book = load_workbook(report, read_only=True)
    cells = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row]
    book.close()  # read-only workbooks keep the file open until closed
    assert any("校验位错误" in str(c) for c in cells)
    _click(qtbot, page, page.import_button)
    assert page.sheets.rows()[0].outcome == "已写入"
    qtbot.waitUntil(lambda: window.roster.model.rowCount() == 16)
    assert window.size_label.text() == "企业名录：16 家"
    assert page.batches.rowCount() == 2  # this import, and the sample county's before it
    assert page.batches.rows()[1].file == "示例数据.xlsx"
    page.tabs.setCurrentIndex(3)
    page.batch_view.setCurrentIndex(page.batches.index(0, 0))
    click_box("是")
    _click(qtbot, page, page.undo_button)  # in the background, the window still answering
    qtbot.waitUntil(lambda: window.roster.model.rowCount() == 14)
    assert page.batches.rows()[0].undone != ""


def test_corrected_mapping_is_remembered(
    qtbot: QtBot, window: MainWindow, roster_file: Path
) -> None:
    page = open_page(window, "数据导入", ImportPage)
    _read(qtbot, page, roster_file)
    row = next(i for i, r in enumerate(page.mapping.rows()) if r.field_label == "规上企业")
    assert page.mapping.setData(page.mapping.index(row, 5), "规上企业")
    _click(qtbot, page, page.reread_button)
    key = page.state.reading.sheets[0].key
    assert ColumnMemory().recall(key).columns["above_scale"] == "规上企业"
    assert ColumnMemory().recall(key).choice == SheetChoice()  # kind and header row left alone


@pytest.fixture
def two_sheets(tmp_path: Path) -> Path:
    """A roster (header on row 1) and monthly output under a title (header on row 3)."""
    wb = Workbook()
    wb.active.title = "名录"
    wb.active.append(["企业名称", "统一社会信用代码", "所属县（市、区）"])
    wb.active.append(["导入甲有限公司", _code("0NP0001"), "忻府区"])
    ws = wb.create_sheet("产值")
    ws.append(["2023年规上企业月度产值"])
    ws.append(["单位：万元"])
    ws.append(["统一社会信用代码", "年月", "工业总产值"])
    ws.append([_code("0NP0001"), "2023-01", 120])
    path = tmp_path / "两表.xlsx"
    wb.save(path)
    return path


def test_each_sheet_shows_its_kind_and_header_row(
    qtbot: QtBot, window: MainWindow, two_sheets: Path
) -> None:
    page = open_page(window, "数据导入", ImportPage)
    _read(qtbot, page, two_sheets)
    assert [page.sheet_box.itemText(i) for i in range(page.sheet_box.count())] == [
        "两表.xlsx · 名录",
        "两表.xlsx · 产值",
    ]
    assert (page.kind_box.currentText(), page.header_spin.value()) == ("企业名录", 1)
    page.sheet_box.setCurrentIndex(1)
    assert (page.kind_box.currentText(), page.header_spin.value()) == ("月度产值", 3)
    rows = page.mapping.rows()
    shown = [rows[r] for r in range(len(rows)) if not page.mapping_view.isRowHidden(r)]
    assert {row.sheet for row in shown} == {"产值"}
    assert [row.header for row in shown] == ["统一社会信用代码", "年月", "工业总产值"]
    assert page.kind_box.isEnabled() and page.header_spin.isEnabled()
    screenshot(window, "import-sheet-choice")


def test_chosen_kind_and_header_row_are_used_and_remembered(
    qtbot: QtBot, window: MainWindow, roster_file: Path
) -> None:
    page = open_page(window, "数据导入", ImportPage)
    _read(qtbot, page, roster_file)
    key = page.state.reading.sheets[0].key
    errors: list[str] = []
    click_box("确定", errors)
    qtbot.keyClick(page.header_spin, Qt.Key.Key_Up)  # row 2 holds data, not headers
    _click(qtbot, page, page.reread_button)
    assert errors == []
    assert page.state.reading.sheets[0].kind is None  # the officer's row is taken as told
    assert not ColumnMemory().recall(key).choice  # a choice that reads nothing is not kept
    page.header_spin.setValue(0)  # 自动
    page.kind_box.setCurrentIndex(page.kind_box.findText("企业名录"))
    _click(qtbot, page, page.reread_button)
    assert (page.state.reading.sheets[0].kind, page.header_spin.value()) == ("roster", 1)
    assert ColumnMemory().recall(key).choice == SheetChoice("roster", None)
    again = ImportPage(window.db)  # the same layout next time: the choice comes back
    qtbot.addWidget(again)
    _read(qtbot, again, roster_file)
    assert again.state.reading.choices == {"企业名录": SheetChoice("roster", None)}
    assert again.kind_box.currentText() == "企业名录"


def test_memory_reads_the_earlier_bare_mapping(tmp_path: Path) -> None:
    memory = ColumnMemory(tmp_path / "maps.json")
    memory.path.write_text('{"roster|a": {"above_scale": "规上"}, "roster|b": 3}', "utf-8")
    assert memory.recall("roster|a").columns == {"above_scale": "规上"}
    assert memory.recall("roster|b").columns == {} and not memory.recall("roster|b").choice
    memory.remember("roster|c", {"name": "名称"}, SheetChoice("monthly", 3))
    assert memory.recall("roster|c").choice == SheetChoice("monthly", 3)
    assert memory.recall("roster|a").columns == {"above_scale": "规上"}  # others kept


def test_import_models(qtmodeltester: ModelTester, window: MainWindow) -> None:
    page = open_page(window, "数据导入", ImportPage)
    for model in (page.mapping, page.sheets, page.rejects, page.batches):
        qtmodeltester.check(model)


def test_an_undo_refused_says_why_and_leaves_the_batch(
    qtbot: QtBot, window: MainWindow, roster_file: Path
) -> None:
    page = open_page(window, "数据导入", ImportPage)
    _read(qtbot, page, roster_file)
    _click(qtbot, page, page.preview_button)
    _click(qtbot, page, page.import_button)
    with window.db.session() as s:  # an officer edits an imported enterprise afterwards
        s.scalars(select(Enterprise).order_by(Enterprise.id.desc())).first().phone = "0350-1"
    page.tabs.setCurrentIndex(3)
    page.batch_view.setCurrentIndex(page.batches.index(0, 0))
    seen: list[str] = []
    click_box("确定", seen)  # the refusal comes first: no question is asked
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1 and "不能撤销" in seen[0] and "请先在窗口中改回" in seen[0]
    assert page.batches.rows()[0].undone == ""
    assert window.roster.model.rowCount() == 16


def test_an_undo_waiting_for_a_later_batch_names_it_before_asking(
    qtbot: QtBot, window: MainWindow, roster_file: Path, tmp_path: Path
) -> None:
    page = open_page(window, "数据导入", ImportPage)
    wb = Workbook()
    wb.active.append(["企业名称", "统一社会信用代码", "所属县（市、区）", "规上企业"])
    wb.active.append(["导入甲有限公司", _code("0NP0001"), "忻府区", "否"])  # was 是
    later = tmp_path / "更正.xlsx"
    wb.save(later)
    for path in (roster_file, later):
        page.files.clear()
        _read(qtbot, page, path)
        _click(qtbot, page, page.preview_button)
        _click(qtbot, page, page.import_button)
    first, second = sorted(line.batch for line in page.batches.rows())[-2:]
    page.tabs.setCurrentIndex(3)
    row = next(i for i, line in enumerate(page.batches.rows()) if line.batch == first)
    page.batch_view.setCurrentIndex(page.batches.index(row, 0))
    seen: list[str] = []
    click_box("确定", seen)
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1
    assert f"请先撤销批次 {second}，再撤销批次 {first}" in seen[0]


def test_preview_shows_unused_columns_county_from_sheet_name_and_unrecognised_sheets(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    wb = Workbook()
    wb.active.title = "忻府"
    wb.active.append(["单位名称", "统一社会信用代码", "营业收入"])
    wb.active.append(["导入甲有限公司", _code("0NP0001"), 100])
    wb.create_sheet("填表说明").append(["请按县分表填写"])
    path = tmp_path / "各县.xlsx"
    wb.save(path)
    page = open_page(window, "数据导入", ImportPage)
    _read(qtbot, page, path)
    shown = {(r.sheet, r.field_label): (r.kind, r.header) for r in page.mapping.rows()}
    assert shown[("忻府", "所属县（市、区）")] == ("企业名录", "（取自工作表名：忻府区）")
    assert shown[("忻府", "（未使用的列）")] == ("企业名录", "营业收入")
    kind, _ = shown[
        (
            "填表说明",
            "无法判断表格类型：前30行中没有可识别的表头（如「企业名称」「统一社会信用代码」）",
        )
    ]
    assert kind == "未识别"
    _click(qtbot, page, page.preview_button)
    lines = {line.sheet: line for line in page.sheets.rows()}
    assert (lines["忻府"].created, lines["忻府"].unused) == (1, "营业收入")
    assert lines["忻府"].outcome == "预览，未写入；所属县取自工作表名：忻府区"
    assert lines["填表说明"].kind == "未识别" and "没有可识别的表头" in lines["填表说明"].outcome
    assert page.report_button.isEnabled()  # no row rejected, but the report says what was not read
    screenshot(window, "import-preview-unused")


def test_a_file_is_read_once_and_read_again_only_when_changed(
    qtbot: QtBot, window: MainWindow, roster_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.sheets import read

    reads: list[Path] = []
    original = read.PendingRead.__init__

    def counted(self: read.PendingRead, path: Path, *args: object, **kwargs: object) -> None:
        reads.append(Path(path))
        original(self, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(read.PendingRead, "__init__", counted)
    page = open_page(window, "数据导入", ImportPage)
    _read(qtbot, page, roster_file)
    _click(qtbot, page, page.preview_button)
    assert reads == [roster_file]  # mapping and preview from one read
    book = load_workbook(roster_file)
    book.active.append(["导入丙有限公司", _code("0NP0004"), "代县", "否"])
    book.save(roster_file)  # the officer fixes the file after the preview
    _click(qtbot, page, page.import_button)
    assert reads == [roster_file, roster_file]
    assert page.sheets.rows()[0].created == 3


def test_a_correction_made_in_the_window_is_used_by_the_command_line(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop.cli import main

    wb = Workbook()
    wb.active.title = "名录"
    wb.active.append(["企业名称", "统一社会信用代码", "所属县（市、区）", "规模以上"])
    wb.active.append(["导入甲有限公司", _code("0NP0001"), "忻府区", "是"])
    path = tmp_path / "名录.xlsx"
    wb.save(path)
    page = open_page(window, "数据导入", ImportPage)
    _read(qtbot, page, path)
    row = next(i for i, r in enumerate(page.mapping.rows()) if r.field_label == "规上企业")
    assert page.mapping.setData(page.mapping.index(row, 5), "规模以上")
    _click(qtbot, page, page.reread_button)
    db_path = tmp_path / "cli.sqlite3"
    for extra, unused in (([], []), (["--no-memory"], ["规模以上"])):
        assert main(["--db", str(db_path), "import", str(path), "--dry-run", "--json", *extra]) == 0
        (sheet,) = json.loads(capsys.readouterr().out)["files"][0]["sheets"]
        assert sheet["unused_columns"] == unused


def test_the_sample_loaded_from_the_banner_is_listed_as_an_import(
    qtbot: QtBot, db: Database
) -> None:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    page = open_page(window, "数据导入", ImportPage)
    assert page.batches.rowCount() == 0
    qtbot.mouseClick(window.banner.load_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: running() == 0)  # loaded off the UI thread
    assert [line.file for line in page.batches.rows()] == ["示例数据.xlsx"]
    window.close()


def test_the_preview_shows_the_rows_read_and_itemises_the_skipped(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "企业名录"
    ws.append(["企业名称", "统一社会信用代码", "所属县（市、区）", "规上企业"])
    ws.append(["导入甲有限公司", _code("0NP0001"), "忻府区", "是"])
    ws.append([None, None, None, None])
    ws.append(["导入乙有限公司", _code("0NP0002")[:-1] + "0", "定襄县", "否"])
    ws.append(["合计", None, None, None])
    ws.append(["注：规上企业按统计局口径"])
    path = tmp_path / "名录.xlsx"
    wb.save(path)
    page = open_page(window, "数据导入", ImportPage)
    _read(qtbot, page, path)
    _click(qtbot, page, page.preview_button)
    model = page.rows_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:5] == ["行", "企业名称", "统一社会信用代码", "所属县（市、区）", "规上企业"]
    assert headers[-1] == "问题"
    assert model.rowCount() == 2
    assert model.texts(0)[:5] == ("2", "导入甲有限公司", _code("0NP0001"), "忻府区", "是")
    assert model.texts(1)[0] == "4" and "校验位" in model.texts(1)[-1]
    assert model.texts(1)[2] == _code("0NP0002")[:-1] + "0"  # a cell not read, as written
    assert page.rows_count.text() == "共 2 行数据"
    assert [(s.row, s.reason) for s in page.skips.rows()] == [
        (3, "空行"), (5, "合计行"), (6, "说明行"),
    ]  # fmt: skip
    assert page.details.tabText(2) == "跳过的行（3）"
    assert page.details.tabText(1) == "被拒绝的行（1）"
    page.details.setCurrentIndex(0)
    screenshot(window, "import-preview-rows")


def test_the_template_is_one_click_away(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = open_page(window, "数据导入", ImportPage)
    out = tmp_path / "模板.xlsx"
    asked: list[str] = []

    def save_name(_parent: QWidget, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(out), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    assert page.tabs.currentIndex() == 0  # on the first tab, beside 添加文件
    qtbot.mouseClick(page.template_button, Qt.MouseButton.LeftButton)
    assert [Path(a).name for a in asked] == ["导入模板.xlsx"]
    assert {"企业名录", "月度产值"} <= set(load_workbook(out, read_only=True).sheetnames)
    assert "导入模板已保存" in window.statusBar().currentMessage()


def test_the_preview_names_the_task_forces_sheets_in_chinese(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    firm = _code("0NP0009")
    wb = Workbook()
    sheets = {
        "名录": [["企业名称", "统一社会信用代码", "所属县（市、区）", "企业规模"],
                 ["包联甲有限公司", firm, "忻府区", "中型"]],
        "包联": [["统一社会信用代码", "包联领导", "服务小组", "服务专员"],
                 [firm, "王县长", "第一小组", "赵专员"]],
        "走访": [["统一社会信用代码", "走访日期", "走访人员", "反映问题"],
                 [firm, "2023-03-10", "赵专员", "缺电"]],
        "问题": [["统一社会信用代码", "反映日期", "问题类别", "问题描述", "主办单位", "办理时限"],
                 [firm, "2023-03-11", "资金", "回款慢", "县工信局", "2023-04-11"]],
        "监测": [["统一社会信用代码", "期间", "生产状态", "产值（万元）"],
                 [firm, "2023年第10周", "全面复工", 12]],
    }  # fmt: skip
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    path = tmp_path / "专班.xlsx"
    wb.save(path)
    page = open_page(window, "数据导入", ImportPage)
    _read(qtbot, page, path)
    _click(qtbot, page, page.preview_button)
    kinds = {line.sheet: (line.kind, line.created) for line in page.sheets.rows()}
    assert kinds == {
        "名录": ("企业名录", 1), "包联": ("包联企业", 1), "走访": ("走访记录", 1),
        "问题": ("问题清单", 1), "监测": ("运行监测", 1),
    }  # fmt: skip
    assert any("按“反映问题”登记问题 1 个" in r.message for r in page.rejects.rows())
    screenshot(window, "import-preview-taskforce")
