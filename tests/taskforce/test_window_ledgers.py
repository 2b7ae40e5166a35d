"""What the window writes through the domain (people, teams, 包联, visits with problems), what
each problem move asks, the lists it shows, and the cases' lines of the work desk."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from desktop.cases.attention import DESK_SOURCES, case_items, changed_items
from desktop.cases.opening import basis_of, open_eligible
from desktop.cases.parameters import load_case_parameters
from desktop.models import (
    Assignment,
    Case,
    ChangeRecord,
    Enterprise,
    Monitoring,
    Problem,
    Visit,
)
from desktop.rules.engine import evaluate_roster
from desktop.rules.policy import load_policy
from desktop.store import Database
from desktop.taskforce.desk import SOURCES, desk_items
from desktop.taskforce.errors import TaskforceError
from desktop.taskforce.ledgers import report_lines, reported_periods, visit_lines
from desktop.taskforce.periods import period
from desktop.taskforce.problem_states import MOVES, Asks, State, asks
from desktop.taskforce.teams import PersonEntry, assign, save_person, save_team
from desktop.taskforce.visit_entry import (
    RaisedProblem,
    VisitEntry,
    record_problem,
    record_visit,
)

FIRM = "91140921MA0XY00036"  # the sample's 定襄锻造
DAY = date(2026, 11, 20)


def test_every_move_of_the_table_asks_and_no_other() -> None:
    for current in State:
        for to in State:
            if to in MOVES[current]:
                assert isinstance(asks(current, to), Asks)
            else:
                with pytest.raises(TaskforceError):
                    asks(current, to)
    assert asks(State.NEW, State.CLOSED) == Asks("销号原因", True, ("不属实", "重复"))
    assert asks(State.SOLVED, State.REVIEWED).reason_required
    assert asks(State.REVIEWED, State.CLOSED).satisfaction == ("满意", "基本满意")
    assert asks(State.REVIEWED, State.ASSIGNED) == Asks(
        "回访说明", satisfaction=("不满意",), deadline=True
    )
    assert asks(State.EXTENSION, State.ASSIGNED).deadline


def _entry(**changes: object) -> VisitEntry:
    raised = RaisedProblem("融资", "流动资金贷款到期续贷难", "金融办", DAY + timedelta(days=10))
    fields: dict[str, object] = {
        "uscc": FIRM, "visited_on": DAY, "people": ["李专员", " 赵科长", "李专员"],
        "measures": ["第十二条"], "problems": [raised], "purpose": "解难题",
    }  # fmt: skip
    fields.update(changes)
    return VisitEntry(**fields)  # type: ignore[arg-type]


def test_a_visit_and_its_problems_in_one_logged_transaction(sample_db: Database) -> None:
    with sample_db.session() as s:
        visit = record_visit(s, _entry())
        visit_id = visit.id
    with sample_db.reader() as s:
        problem = s.scalars(select(Problem).where(Problem.visit_id == visit_id)).one()
        inserted = select(ChangeRecord.table_name).where(
            ChangeRecord.action == "insert", ChangeRecord.operator == "测试员"
        )
        logged = s.scalars(inserted).all()
        lines = visit_lines(s, FIRM)
    assert (problem.state, problem.source, problem.raised_on) == ("new", "走访", DAY)
    assert {"visit", "problem"} <= set(logged)
    assert [(v.people, v.measures, v.problems) for v in lines] == [
        ("李专员、赵科长", "第十二条", 1)
    ]


def _problem(category: str = "其他", due: date = DAY) -> RaisedProblem:
    return RaisedProblem(category, "x", "y", due)


REFUSED = [
    ({"people": [" "]}, "请填写走访人员"),
    ({"uscc": "91140900000000000X"}, "企业名录中没有统一社会信用代码为 91140900000000000X 的企业"),
    ({"problems": [_problem("天气")]},
     "第1个问题的问题类别「天气」不可用，应为：用工、资金、融资、能源、物流、审批、市场、其他"),
    ({"problems": [_problem(due=DAY - timedelta(days=1))]},
     "第1个问题的办理时限 2026-11-19 早于走访日期 2026-11-20"),
    ({"problems": [_problem()] * 2}, "第2个问题「x」已记录（2026-11-20，示例·定襄锻造有限公司）"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "said"), REFUSED)
def test_a_refused_visit_writes_nothing(
    sample_db: Database, changes: dict[str, object], said: str
) -> None:
    with pytest.raises(TaskforceError) as refused, sample_db.session() as s:
        record_visit(s, _entry(**changes))
    assert str(refused.value) == said
    with sample_db.reader() as s:
        assert s.scalars(select(Visit)).all() == []
        assert s.scalars(select(Problem)).all() == []


def test_the_same_visit_twice_is_refused(sample_db: Database) -> None:
    with sample_db.session() as s:
        record_visit(s, _entry(problems=[]))
    with (
        pytest.raises(
            TaskforceError, match="已有 2026-11-20 李专员、赵科长 走访「示例·定襄锻造有限公司」"
        ),
        sample_db.session() as s,
    ):
        record_visit(s, _entry(problems=[]))


def test_a_problem_raised_outside_a_visit(sample_db: Database) -> None:
    raised = RaisedProblem("审批", "环评批复进度慢", "环保局", DAY + timedelta(days=5))
    with sample_db.session() as s:
        problem_id = record_problem(s, FIRM, DAY, "12345", raised).id
    late = RaisedProblem("审批", "另一个", "环保局", DAY - timedelta(days=1))
    for source, problem, said in (
        ("微信", raised, "问题来源「微信」不可用，应为：走访、电话、12345、其他"),
        ("电话", raised, "问题「环评批复进度慢」已记录（2026-11-20，示例·定襄锻造有限公司）"),
        ("电话", late, "问题的办理时限 2026-11-19 早于反映日期 2026-11-20"),
    ):
        with pytest.raises(TaskforceError) as refused, sample_db.session() as s:
            record_problem(s, FIRM, DAY, source, problem)
        assert str(refused.value) == said
    with sample_db.reader() as s:
        problem = s.get(Problem, problem_id)
        assert problem is not None
        assert (problem.source, problem.state, problem.visit_id) == ("12345", "new", None)
        assert len(s.scalars(select(Problem)).all()) == 1


def test_people_teams_and_assignments(sample_db: Database) -> None:
    with sample_db.session() as s:
        leader = save_person(s, PersonEntry("王县长", "县领导", unit="县政府"))
        staff = save_person(s, PersonEntry("李专员", "服务专员"))
        team = save_team(s, "第一服务小组", [staff.id, staff.id])
        assign(s, FIRM, leader.id, team.id)
        ids = leader.id, staff.id, team.id
    with sample_db.session() as s:
        with pytest.raises(TaskforceError, match="已有名为「王县长」的人员"):
            save_person(s, PersonEntry("王县长", "县领导"), ids[1])
        with pytest.raises(TaskforceError, match="人员类别「局长」不可用"):
            save_person(s, PersonEntry("钱局长", "局长"))
        renamed = save_person(s, PersonEntry("李娜", "服务专员", phone="0350-1234567"), ids[1])
        assert (renamed.id, renamed.name) == (ids[1], "李娜")
        save_team(s, "第一服务小组", [ids[0]], ids[2])  # members replaced
    with sample_db.reader() as s:
        row = s.scalars(select(Assignment)).one()
        assert (row.leader_id, row.team_id, [m.person.name for m in row.team.members]) == (
            ids[0], ids[2], ["王县长"],
        )  # fmt: skip
    with sample_db.session() as s:
        assign(s, FIRM, None, None)  # off the 包联 list
    with sample_db.reader() as s:
        assert s.scalars(select(Assignment)).all() == []


def test_reports_show_a_months_output_from_its_monthly_figure(sample_db: Database) -> None:
    with sample_db.session(source="command") as s:
        firm = s.scalars(select(Enterprise).where(Enterprise.uscc == FIRM)).one()
        s.add_all([Monitoring(enterprise=firm, period="2023-03", status="达产达效"),
                   Monitoring(enterprise=firm, period="2023-W13", status="全面复工",
                              output=Decimal("2500000.00"))])  # fmt: skip
    with sample_db.reader() as s:
        assert [p.code for p in reported_periods(s)] == ["2023-W13", "2023-03"]
        month = report_lines(s, period("2023-03"))
        mine = report_lines(s, uscc=FIRM)
    assert [(r.uscc, r.output) for r in month] == [(FIRM, Decimal("12000000.00"))]  # 月度产值
    assert [(r.period_label, r.output) for r in mine] == [
        ("2023年第13周", Decimal("2500000.00")), ("2023年3月", Decimal("12000000.00")),
    ]  # fmt: skip


def _open_sample_cases(db: Database) -> list[str]:
    with db.session(source="command") as s:
        results = evaluate_roster(s)
        opened, _ = open_eligible(s, results, basis_of(load_policy()), load_case_parameters())
        return [c.number for c in opened]


def test_cases_past_their_deadline_and_changed_results_on_the_desk(sample_db: Database) -> None:
    numbers = _open_sample_cases(sample_db)
    assert numbers
    today = date(2024, 1, 5)  # after every measure's deadline (2023-12-31)
    with sample_db.reader() as s:
        overdue = list(case_items(s, today))
        assert list(changed_items(s, today)) == []  # the snapshots are the results
    assert [(i.kind, i.warning, i.ref) for i in overdue] == [
        ("case", "red", n) for n in sorted(numbers, key=lambda n: (int(n.split("-")[0]), n))
    ]  # one deadline: by measure, then number
    first = overdue[0].ref
    assert overdue[0].text.startswith(f"兑现事项 {first}（示例·")
    assert overdue[0].text.endswith("）：第五条，待申报，拨付期限 2023-12-31，已超期 5 天")
    with sample_db.session(source="command") as s:
        case = s.scalars(select(Case).where(Case.number == numbers[0])).one()
        case.snapshot_amount = (case.snapshot_amount or Decimal(0)) + 1
        uscc = case.enterprise.uscc
    with sample_db.reader() as s:
        changed = list(changed_items(s, today))
        everything = desk_items(s, today, DESK_SOURCES)
    assert [(i.kind, i.uscc, i.ref) for i in changed] == [("changed", uscc, numbers[0])]
    assert "测算已变化：立案时 符合" in changed[0].text
    assert set(SOURCES) < set(DESK_SOURCES)
    assert [i.kind for i in everything].count("changed") == 1
