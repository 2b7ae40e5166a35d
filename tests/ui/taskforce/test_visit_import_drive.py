"""Issue 14's drive through the window: a visits file with problems imported on 数据导入 (add
file → read → preview → import), one of its problems moved to 已销号 through 回访 on 包联服务,
the desk following, and the bulletin written from 运行监测 as .xlsx and PDF.

Counts worked by hand over the fixture (tests/ui/taskforce/conftest.py: 包联 忻府 0001F,
定襄 00036, 原平 00020; a visit to 0001F today; a red and a yellow problem) and the file below:
four rows, one refused (no 走访人员) → 3 visits, 2 problems (the rows whose 反映问题 is filled).
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.models import ChangeRecord, Problem, Visit
from desktop.qt.core import Qt
from desktop.qt.widgets import QDialog, QFileDialog, QPushButton
from desktop.taskforce.periods import period
from desktop.taskforce.problem_states import State
from desktop.ui.background import running
from desktop.ui.desk_page import DeskPage
from desktop.ui.import_page import ImportPage
from desktop.ui.main_window import MainWindow
from desktop.ui.monitoring_page import MonitoringPage
from desktop.ui.problem_move_dialog import MoveDialog
from desktop.ui.taskforce_page import TaskforcePage
from tests.printing.conftest import pdf_text
from tests.ui.conftest import open_page, when_modal

TODAY = date.today()
LAST_MONTH = TODAY.replace(day=1) - timedelta(days=20)  # a visit of last month
XINFU, DINGXIANG, YUANPING = "91140902MA0XY0001F", "91140921MA0XY00036", "91140981MA0XY00020"
HEADER = ["统一社会信用代码", "走访日期", "走访人员", "走访事由", "宣讲政策", "反映问题", "备注"]
ROWS = [
    [DINGXIANG, TODAY.isoformat(), "李专员", "送政策", "第十二条", "", ""],
    # due 15 days after the visit: past already, so red
    [YUANPING, LAST_MONTH.isoformat(), "赵科长", "解难题", "", "用电增容审批时间长", ""],
    [XINFU, (TODAY - timedelta(days=1)).isoformat(), "李专员", "回访", "", "订单不足", ""],
    [XINFU, TODAY.isoformat(), "", "送政策", "", "缺少资金", "没有走访人员：拒绝"],
]


@pytest.fixture
def visits_file(tmp_path: Path) -> Path:
    path = tmp_path / "走访记录.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([HEADER, *ROWS])
    return path


def _click(qtbot: QtBot, page: ImportPage, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert page.op is not None and page.op.wait(30)
    qtbot.waitUntil(lambda: running() == 0)


def _desk(window: MainWindow) -> DeskPage:
    desk = window.pages["工作台"]
    assert isinstance(desk, DeskPage)
    return desk


def _desk_problems(window: MainWindow) -> dict[object, str | None]:
    return {i.ref: i.warning for i in _desk(window).items() if i.kind == "problem"}


def _import(qtbot: QtBot, window: MainWindow, path: Path) -> None:
    page = open_page(window, "数据导入", ImportPage)
    page.files.add_paths([path])
    _click(qtbot, page, page.read_button)
    assert page.state.reading.sheets[0].kind == "visits"
    _click(qtbot, page, page.preview_button)
    line = page.sheets.rows()[0]
    assert (line.kind, line.created, line.rejected, line.outcome) == (
        "走访记录", 3, 1, "预览，未写入"
    )  # fmt: skip
    said = [(r.row, r.column, r.message) for r in page.rejects.rows()]
    assert said[0] == (5, "走访人员", "必填，不能为空")
    assert "按“反映问题”登记问题 2 个" in said[1][2]
    with window.db.reader() as s:
        assert len(s.scalars(select(Visit)).all()) == 1  # the preview wrote nothing
    _click(qtbot, page, page.import_button)
    assert page.sheets.rows()[0].outcome == "已写入"


def _move(qtbot: QtBot, page: TaskforcePage, to: State, reason: str = "", **fill: str) -> None:
    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, MoveDialog)
        dialog.reason.setText(reason)
        if dialog.satisfaction is not None:
            dialog.satisfaction.setCurrentText(fill["satisfaction"])
        if dialog.lead_unit is not None:  # 交办 names the unit a visit's problem lacks
            assert dialog.lead_unit.text() == ""
            dialog.save()
            assert dialog.message.text() == "交办须填写主办单位" and dialog.isVisible()
            dialog.lead_unit.setText(fill["lead_unit"])
        dialog.save()

    when_modal(act, MoveDialog)
    page.problems.move_buttons[to].click()
    qtbot.waitUntil(lambda: page.problems.selected().state is to)  # type: ignore[union-attr]


def _bulletin(
    qtbot: QtBot, page: MonitoringPage, out: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_: (str(out), ""))
    page.files.say("")
    page.file_button.click()
    qtbot.waitUntil(lambda: page.files.said.text().startswith("已写出"), timeout=30_000)
    return page.files.said.text()


def test_imported_visit_problem_closed_through_review_and_bulletined(
    qtbot: QtBot,
    tf_window: MainWindow,
    ledgers: dict[str, int],
    visits_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = _desk_problems(tf_window)
    assert before == {ledgers["red"]: "red", ledgers["yellow"]: "yellow"}
    _import(qtbot, tf_window, visits_file)
    with tf_window.db.reader() as s:
        raised = {
            p.description: p
            for p in s.scalars(select(Problem).where(Problem.visit_id.is_not(None)))
        }
        assert len(s.scalars(select(Visit)).all()) == 4  # the fixture's and three imported
    assert set(raised) == {"用电增容审批时间长", "订单不足"}
    red = raised["用电增容审批时间长"]
    assert (red.state, red.deadline) == ("new", LAST_MONTH + timedelta(days=15))
    # the desk now has the imported red problem (the other is due in 14 days: no warning)
    qtbot.waitUntil(lambda: _desk_problems(tf_window) == {**before, red.id: "red"})

    tf_window.show_page("包联服务")
    page = tf_window.pages["包联服务"]
    assert isinstance(page, TaskforcePage)
    page.show_problem(red.id)
    shown = next(r for r in page.problems.model.rows() if r.id == red.id)
    assert (shown.lead_unit, shown.state, shown.warning) == ("未确定", "待交办", "红色")
    assert "主办 未确定" in next(i.text for i in _desk(tf_window).items() if i.ref == red.id)
    _move(qtbot, page, State.ASSIGNED, "交供电公司办理", lead_unit="供电公司")
    assert page.problems.selected().lead_unit == "供电公司"  # type: ignore[union-attr]
    _move(qtbot, page, State.SOLVED)
    _move(qtbot, page, State.REVIEWED, "已完成增容，企业确认")
    _move(qtbot, page, State.CLOSED, satisfaction="基本满意")
    with tf_window.db.reader() as s:
        done = s.get(Problem, red.id)
        assert done is not None and (done.state, done.lead_unit) == ("closed", "供电公司")
        unit = s.scalars(
            select(ChangeRecord).where(
                ChangeRecord.table_name == "problem", ChangeRecord.row_id == red.id,
                ChangeRecord.field == "lead_unit",
            )
        ).one()  # fmt: skip
        assert (unit.old_value, unit.new_value, unit.operator) == ("", "供电公司", "测试员")
    qtbot.waitUntil(lambda: _desk_problems(tf_window) == before)  # its line is gone

    monitoring = open_page(tf_window, "运行监测", MonitoringPage)
    month = period(TODAY.strftime("%Y-%m"))
    monitoring.typed.setText(month.code)
    monitoring.typed.returnPressed.emit()
    total = monitoring.units.rows()[-1]
    # raised to date: the fixture's 2 and the 2 imported; solved and closed: the one above;
    # overdue today: the fixture's red; visited this month: 忻府 0001F and 定襄 00036 of 3
    assert (total.unit, total.raised, total.solved, total.overdue) == ("合计", 4, 1, 1)
    assert (total.resolution, total.coverage) == ("25.0%", "66.7%")

    book_path = tmp_path / "通报.xlsx"
    assert _bulletin(qtbot, monitoring, book_path, monkeypatch).startswith(f"已写出 {book_path}")
    book = load_workbook(book_path, read_only=True)
    problems = [r for r in book["问题办理"].iter_rows(values_only=True) if r and r[0] == "合计"]
    visits = [r for r in book["走访服务"].iter_rows(values_only=True) if r and r[0] == "合计"]
    book.close()
    assert [list(r[1:5]) for r in problems] == [[4, 1, 1, 1]]
    assert [list(r[1:3]) for r in visits] == [[3, 2]]

    pdf_path = tmp_path / "通报.pdf"
    assert "PDF" in _bulletin(qtbot, monitoring, pdf_path, monkeypatch)
    text = pdf_text(pdf_path)
    assert "企业累计反映问题4个" in text.replace(" ", "").replace("\n", "")
    assert "已销号1个" in text.replace(" ", "").replace("\n", "")
