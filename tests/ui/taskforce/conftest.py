"""The sample county with a task force's ledgers written over it: people, a team, 包联, a visit,
a red and a yellow problem, and the reports of 2023年3月 (four of the six 规上 enterprises)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.models import (
    Assignment,
    Enterprise,
    Monitoring,
    Person,
    Problem,
    ServiceTeam,
    TeamMember,
    Visit,
)
from desktop.store import Database
from desktop.ui.desk_page import DeskPage
from desktop.ui.main_window import MainWindow

TODAY = date.today()
XINFU, DINGXIANG, YUANPING = "91140902MA0XY0001F", "91140921MA0XY00036", "91140981MA0XY00020"
REPORTS = {  # 2023-03; 五台 00071 and 原平 0006C (规上) do not report
    XINFU: "全面复工", "91140902MA0XY0005U": "部分复工", DINGXIANG: "达产达效", YUANPING: "停产",
}  # fmt: skip


def write_ledgers(db: Database) -> dict[str, int]:
    """The ledgers described above; returns the problems' ids by colour."""
    with db.session(source="command") as s:
        firms = {e.uscc: e for e in s.scalars(select(Enterprise))}
        firms[XINFU].size, firms[YUANPING].size = "中型", "大型"
        leader = Person(name="王县长", kind="县领导", post="副县长", unit="县政府")
        staff = [Person(name="李专员", kind="服务专员", unit="工信局"),
                 Person(name="赵科长", kind="部门联系人", unit="发改局")]  # fmt: skip
        team = ServiceTeam(name="第一服务小组", members=[TeamMember(person=p) for p in staff])
        s.add_all([leader, team])
        for uscc, has_leader in ((XINFU, True), (DINGXIANG, False), (YUANPING, True)):
            s.add(Assignment(enterprise=firms[uscc], leader=leader if has_leader else None,
                             team=team))  # fmt: skip
        s.add(Visit(enterprise=firms[XINFU], visited_on=TODAY, people="李专员、赵科长",
                    purpose="送政策", measures="第十二条"))  # fmt: skip
        red = Problem(
            enterprise=firms[XINFU], raised_on=TODAY - timedelta(days=20), source="走访",
            deadline=TODAY - timedelta(days=3), state="assigned", category="用工",
            description="缺少熟练焊工30名", lead_unit="人社局",
        )  # fmt: skip
        yellow = Problem(
            enterprise=firms[YUANPING], raised_on=TODAY - timedelta(days=5), source="电话",
            deadline=TODAY + timedelta(days=2), state="new", category="物流",
            description="原料运输车辆通行受限", lead_unit="交通局",
        )  # fmt: skip
        s.add_all([red, yellow])
        for uscc, status in REPORTS.items():
            s.add(Monitoring(enterprise=firms[uscc], period="2023-03", status=status))
        s.flush()
        return {"red": red.id, "yellow": yellow.id}


@pytest.fixture
def ledgers(sample_db: Database) -> dict[str, int]:
    """The ledgers written over the sample county (the window fixture's database)."""
    return write_ledgers(sample_db)


@pytest.fixture
def tf_window(ledgers: dict[str, int], window: MainWindow, qtbot: QtBot) -> MainWindow:
    """The main window over the sample county and its ledgers, its desk read."""
    desk = window.pages["工作台"]
    assert isinstance(desk, DeskPage)
    qtbot.waitUntil(lambda: bool(desk.items()))
    return window
