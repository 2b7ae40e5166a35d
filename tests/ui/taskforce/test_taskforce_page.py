"""包联服务 in the window: a visit with a problem, the problem moved to 已销号 through 回访 by
the state table's buttons only, each move in the change log, the desk following."""

from __future__ import annotations

from datetime import date, timedelta

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.models import ChangeRecord, Problem, Visit
from desktop.qt.core import Qt
from desktop.qt.widgets import QDialog
from desktop.taskforce.problem_states import State
from desktop.ui.desk_page import DeskPage
from desktop.ui.main_window import MainWindow
from desktop.ui.people_dialogs import AssignDialog, PersonDialog, TeamDialog
from desktop.ui.problem_dialog import ProblemDialog
from desktop.ui.problem_move_dialog import MoveDialog
from desktop.ui.taskforce_page import TaskforcePage
from desktop.ui.visit_dialog import VisitDialog
from tests.ui.conftest import screenshot, when_modal

DINGXIANG = "91140921MA0XY00036"  # 包联, not visited this month
TODAY = date.today()


def _page(window: MainWindow) -> TaskforcePage:
    window.show_page("包联服务")
    page = window.pages["包联服务"]
    assert isinstance(page, TaskforcePage)
    return page


def _desk(window: MainWindow) -> DeskPage:
    desk = window.pages["工作台"]
    assert isinstance(desk, DeskPage)
    return desk


def _offered(page: TaskforcePage) -> set[State]:
    return {s for s, b in page.problems.move_buttons.items() if not b.isHidden()}


def _fill_visit(dialog: QDialog) -> None:
    assert isinstance(dialog, VisitDialog)
    dialog.enterprise.choose(DINGXIANG)
    texts = [dialog.measures.item(i).text() for i in range(dialog.measures.count())]
    assert texts == [
        "第十一条 开发区标准化厂房租金减免（2023）：不符合",
        "第十二条 “白名单”企业市级配套奖励（2023-Q1）：不符合",
        "第十三条 重点产业链链主企业奖励（2022）：不符合",
    ]
    dialog.measures.item(1).setCheckState(Qt.CheckState.Checked)  # explained 第十二条
    dialog.people.setText("李专员，赵科长")
    dialog.purpose.setText("送政策、解难题")
    row = dialog.add_problem()
    model = dialog.problems
    for column, text in ((0, "资金"), (1, "技改贷款贴息未到位"), (2, "财政局"),
                         (4, (TODAY + timedelta(days=1)).isoformat())):  # fmt: skip
        assert model.setData(model.index(row, column), text)
    screenshot(dialog, "taskforce-visit-dialog")
    dialog.save()


def _move(qtbot: QtBot, page: TaskforcePage, to: State, **fill: str) -> None:
    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, MoveDialog)
        if "reason" in fill:
            dialog.reason.setText(fill["reason"])
        if "satisfaction" in fill:
            assert dialog.satisfaction is not None
            dialog.satisfaction.setCurrentText(fill["satisfaction"])
        screenshot(dialog, f"taskforce-move-{to.value}")
        dialog.save()

    when_modal(act, MoveDialog)
    page.problems.move_buttons[to].click()
    qtbot.waitUntil(lambda: page.problems.selected().state is to)  # type: ignore[union-attr]


def _on_desk(window: MainWindow, kind: str) -> list[object]:
    return [i.ref for i in _desk(window).items() if i.kind == kind]


def test_a_visit_raises_a_problem_moved_to_closed_through_the_review(
    qtbot: QtBot, tf_window: MainWindow
) -> None:
    page = _page(tf_window)
    assert DINGXIANG in _on_desk(tf_window, "visit")
    when_modal(_fill_visit, VisitDialog)
    page.tabs.setCurrentIndex(1)
    page.add_visit()
    with tf_window.db.reader() as s:
        visit = s.scalars(
            select(Visit).where(Visit.people == "李专员、赵科长", Visit.purpose == "送政策、解难题")
        ).one()
        problem = s.scalars(select(Problem).where(Problem.visit_id == visit.id)).one()
    assert (visit.people, visit.measures) == ("李专员、赵科长", "第十二条")
    assert (problem.state, problem.category, problem.source) == ("new", "资金", "走访")
    assert page.visits.rows()[0].problems == 1
    qtbot.waitUntil(lambda: DINGXIANG not in _on_desk(tf_window, "visit"))
    qtbot.waitUntil(lambda: problem.id in _on_desk(tf_window, "problem"))  # due tomorrow: yellow
    screenshot(tf_window, "taskforce-visits")

    page.show_problem(problem.id)
    assert _offered(page) == {State.ASSIGNED, State.CLOSED}  # 待交办's moves, no other
    _move(qtbot, page, State.ASSIGNED, reason="交财政局办理")
    assert _offered(page) == {State.EXTENSION, State.SOLVED}
    _move(qtbot, page, State.SOLVED)
    assert _offered(page) == {State.REVIEWED}
    qtbot.waitUntil(lambda: problem.id not in _on_desk(tf_window, "problem"))  # solved
    _move(qtbot, page, State.REVIEWED, reason="贴息资金已拨付到企业账户")
    assert _offered(page) == {State.CLOSED, State.ASSIGNED}
    screenshot(tf_window, "taskforce-problems")
    _move(qtbot, page, State.CLOSED, satisfaction="满意")
    assert _offered(page) == set()
    assert page.problems.chosen.text() == f"问题 #{problem.id} 已销号，不能再办理。"
    with tf_window.db.reader() as s:
        done = s.get(Problem, problem.id)
        moves = s.scalars(
            select(ChangeRecord).where(ChangeRecord.table_name == "problem",
                                       ChangeRecord.row_id == problem.id,
                                       ChangeRecord.field == "state")
        ).all()  # fmt: skip
    assert done is not None
    assert (done.state, done.result, done.satisfaction) == (
        "closed",
        "贴息资金已拨付到企业账户",
        "满意",
    )
    assert [(m.old_value, m.new_value, m.operator, m.source) for m in moves] == [
        ("new", "assigned", "测试员", "window"), ("assigned", "solved", "测试员", "window"),
        ("solved", "reviewed", "测试员", "window"), ("reviewed", "closed", "测试员", "window"),
    ]  # fmt: skip


def test_an_extension_granted_needs_its_approver(
    qtbot: QtBot, tf_window: MainWindow, ledgers: dict[str, int]
) -> None:
    page = _page(tf_window)
    page.show_problem(ledgers["red"])  # 办理中, 3 days overdue
    assert page.problems.move_buttons[State.CLOSED].isHidden()  # 办理中 cannot be closed
    _move(qtbot, page, State.EXTENSION, reason="企业需跨省招聘")
    later = TODAY + timedelta(days=30)
    seen: list[str] = []

    def grant(dialog: QDialog) -> None:
        assert isinstance(dialog, MoveDialog)
        assert dialog.new_deadline is not None and dialog.deadline is not None
        dialog.new_deadline.setChecked(True)
        dialog.deadline.setDate(later)
        dialog.save()  # no approver: refused, the form stays open
        seen.append(dialog.message.text())
        dialog.reason.setText("王县长")
        dialog.save()

    when_modal(grant, MoveDialog)
    page.problems.move_buttons[State.ASSIGNED].click()
    qtbot.waitUntil(lambda: page.problems.selected().state is State.ASSIGNED)  # type: ignore[union-attr]
    assert seen == [
        f"问题 #{ledgers['red']}（示例·忻府新材料有限公司：缺少熟练焊工30名） 当前为「申请延期」，"
        "改为「办理中」：同意延期须注明审批人"
    ]
    with tf_window.db.reader() as s:
        granted = s.get(Problem, ledgers["red"])
    assert granted is not None
    assert (granted.deadline, granted.extension_approver) == (later, "王县长")
    qtbot.waitUntil(lambda: ledgers["red"] not in _on_desk(tf_window, "problem"))  # not due


def test_people_a_team_and_an_assignment_change_the_coverage(
    qtbot: QtBot, tf_window: MainWindow
) -> None:
    page = _page(tf_window)
    assert page.coverage.text().startswith("服务小组覆盖规上企业 3/6 家（50.0%）；")
    assert "包联领导覆盖大中型企业 2/2 家（100.0%）" in page.coverage.text()

    def person(dialog: QDialog) -> None:
        assert isinstance(dialog, PersonDialog)
        dialog.name.setText("孙专员")
        dialog.kind.setCurrentText("服务专员")
        dialog.unit.setText("工信局")
        dialog.save_button.click()

    when_modal(person, PersonDialog)
    page.edit_person(None)
    assert "孙专员" in [p.name for p in page.people.rows()]

    def team(dialog: QDialog) -> None:
        assert isinstance(dialog, TeamDialog)
        dialog.name.setText("第二服务小组")
        for i in range(dialog.members.count()):
            if dialog.members.item(i).text().startswith("孙专员"):
                dialog.members.item(i).setCheckState(Qt.CheckState.Checked)
        dialog.save_button.click()

    when_modal(team, TeamDialog)
    page.edit_team(None)
    assert [(t.name, t.members) for t in page.teams.rows()] == [
        ("第一服务小组", "李专员、赵科长"), ("第二服务小组", "孙专员"),
    ]  # fmt: skip

    def assignment(dialog: QDialog) -> None:
        assert isinstance(dialog, AssignDialog)
        dialog.team.setCurrentText("第二服务小组")
        dialog.save_button.click()

    when_modal(assignment, AssignDialog)
    page.uncovered_view.selectRow(0)
    page.edit_assignment(page._uncovered_code())
    assert page.coverage.text().startswith("服务小组覆盖规上企业 4/6 家（66.7%）；")
    with tf_window.db.reader() as s:
        logged = s.scalars(
            select(ChangeRecord.table_name).where(ChangeRecord.source == "window").distinct()
        ).all()
    assert set(logged) == {"person", "service_team", "team_member", "assignment"}
    screenshot(tf_window, "taskforce-assignments")
    page.tabs.setCurrentIndex(3)
    screenshot(tf_window, "taskforce-people")


def test_filters_and_closing_a_new_problem_as_a_duplicate(
    qtbot: QtBot, tf_window: MainWindow, ledgers: dict[str, int]
) -> None:
    page = _page(tf_window)
    problems = page.problems

    def shown() -> list[int]:
        return [row.id for row in problems.model.rows()]

    assert shown() == [ledgers["red"], ledgers["yellow"]]  # by deadline
    problems.overdue.setChecked(True)
    assert shown() == [ledgers["red"]]
    problems.overdue.setChecked(False)
    problems.warning.setCurrentText("黄色预警")
    assert shown() == [ledgers["yellow"]]
    problems.warning.setCurrentText("全部")
    problems.county.setCurrentText("忻府区")
    assert shown() == [ledgers["red"]]
    assert problems.count.text() == "共 1 个问题"
    problems.county.setCurrentText("全部")
    problems.state.setCurrentText("待交办")
    assert shown() == [ledgers["yellow"]]
    problems.select(ledgers["yellow"])

    def close(dialog: QDialog) -> None:
        assert isinstance(dialog, MoveDialog) and dialog.reason_choice is not None
        assert [dialog.reason_choice.itemText(i) for i in range(2)] == ["不属实", "重复"]
        dialog.reason_choice.setCurrentText("重复")
        dialog.save()

    when_modal(close, MoveDialog)
    problems.move_buttons[State.CLOSED].click()
    qtbot.waitUntil(lambda: shown() == [])  # no longer 待交办
    with tf_window.db.reader() as s:
        closed = s.get(Problem, ledgers["yellow"])
    assert closed is not None and (closed.state, closed.close_reason) == ("closed", "重复")
    qtbot.waitUntil(lambda: ledgers["yellow"] not in _on_desk(tf_window, "problem"))


def test_a_problem_raised_by_phone(qtbot: QtBot, tf_window: MainWindow) -> None:
    page = _page(tf_window)
    page.tabs.setCurrentWidget(page.problems)
    said: list[str] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ProblemDialog)
        dialog.save()
        said.append(dialog.message.text())  # no enterprise chosen yet
        dialog.enterprise.choose(DINGXIANG)
        dialog.source.setCurrentText("12345")
        dialog.category.setCurrentText("能源")
        dialog.description.setText("错峰用电影响生产")
        dialog.lead_unit.setText("供电公司")
        dialog.deadline.setDate(TODAY + timedelta(days=10))
        screenshot(dialog, "taskforce-problem-dialog")
        dialog.save()

    when_modal(fill, ProblemDialog)
    page.problems.add_problem()
    assert said == ["请从列表中选择反映问题的企业"]
    with tf_window.db.reader() as s:
        added = s.scalars(select(Problem).where(Problem.source == "12345")).one()
    assert (added.category, added.state, added.visit_id, added.raised_on) == (
        "能源", "new", None, TODAY,
    )  # fmt: skip
    assert added.id in [row.id for row in page.problems.model.rows()]
