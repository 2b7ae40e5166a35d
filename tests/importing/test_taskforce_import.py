"""The task force's sheets through the one import path: golden files (golden/taskforce/README.md
works them by hand), dry run, undo, the change log, and what each kind writes beside its table."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop.changes import Changes
from desktop.importing import undo_batch
from desktop.importing.importer import Importer, import_files
from desktop.models import (
    Assignment,
    ChangeRecord,
    Enterprise,
    Monitoring,
    MonthlyOutput,
    Person,
    Problem,
    ServiceTeam,
    TeamMember,
    Visit,
)
from desktop.sheets.parsed import SheetKind
from desktop.store import Database
from desktop.store.changelog import LINES
from desktop.taskforce.problem_states import Move, State
from desktop.taskforce.problems import move_problem
from tests.importing.conftest import code, dump, parsed_file, roster_row, sheet

K = SheetKind
GOLDEN = Path(__file__).parent / "golden" / "taskforce"
FILES = sorted(GOLDEN.glob("*.csv"))
C1, C2, C3 = code(1), code(2), code(3)
TASKFORCE_TABLES = (Person, ServiceTeam, TeamMember, Assignment, Visit, Problem, Monitoring)


def _import(db: Database, *paths: Path, dry_run: bool = False) -> list[dict[str, Any]]:
    report = import_files(db, paths, dry_run=dry_run, backup=False)
    return [{**f.to_json(), "notes": f.notes} for f in report.files]


def test_golden_files_give_the_counts_and_refusals_worked_by_hand(db: Database) -> None:
    expected = json.loads((GOLDEN / "expected.json").read_text(encoding="utf-8"))
    for path in FILES:
        assert _import(db, path) == [expected[path.name]], path.name
    with db.reader() as s:
        assert dict(s.execute(select(Enterprise.uscc, Enterprise.size)).all()) == {
            C1: "大型", C2: "中型", C3: "小型",
        }  # fmt: skip
        assert dict(s.execute(select(Person.name, Person.kind)).all()) == {
            "王县长": "县领导", "赵专员": "服务专员", "钱专员": "服务专员",
        }  # fmt: skip
        members = s.execute(
            select(ServiceTeam.name, Person.name)
            .join(TeamMember, TeamMember.team_id == ServiceTeam.id)
            .join(Person, TeamMember.person_id == Person.id)
            .order_by(ServiceTeam.name, Person.name)
        ).all()
        assert [tuple(m) for m in members] == [
            ("第一小组", "赵专员"), ("第一小组", "钱专员"), ("第二小组", "赵专员"),
        ]  # fmt: skip
        third = s.scalar(select(Assignment).join(Enterprise).where(Enterprise.uscc == C3))
        assert (third.leader, third.team.name, third.commissioner.name) == (
            None,
            "第二小组",
            "赵专员",
        )
        visits = s.scalars(select(Visit).order_by(Visit.id)).all()
        assert [v.people for v in visits] == ["赵专员、钱专员", "钱专员", "赵专员"]
        opened = s.scalar(select(Problem).where(Problem.visit_id == visits[0].id))
        assert (
            opened.source,
            opened.category,
            opened.lead_unit,
            opened.deadline,
            opened.state,
        ) == (
            "走访",
            "用工",
            "县人社局",
            date(2023, 4, 10),
            "assigned",
        )  # fmt: skip  (opened by the visit, completed by the problems sheet)
        assert s.scalar(select(func.count(Problem.id))) == 2
        reports = {
            (m.enterprise.uscc, m.period): (m.status, m.output, m.electricity, m.employees)
            for m in s.scalars(select(Monitoring))
        }
        assert reports == {
            (C1, "2023-03"): ("全面复工", None, Decimal("125000"), 120),
            (C2, "2023-03"): ("部分复工", None, Decimal("30000"), 45),
            (C3, "2023-W10"): ("达产达效", Decimal("500000.00"), Decimal("8000"), 30),
            (C3, "2023-W11"): ("全面复工", None, Decimal("10000"), 28),
        }
        months = s.execute(
            select(Enterprise.uscc, MonthlyOutput.year, MonthlyOutput.month, MonthlyOutput.output)
            .join(Enterprise)
            .order_by(Enterprise.uscc)
        ).all()
        assert [tuple(m) for m in months] == [
            (C1, 2023, 3, Decimal("12505000.00")), (C2, 2023, 3, Decimal("8000000.00")),
        ]  # fmt: skip


def test_every_row_is_logged_with_its_batch(db: Database) -> None:
    batches = {}
    for path in FILES:
        report = import_files(db, [path], backup=False)
        batches[path.name] = report.files[0].batch_id
    with db.reader() as s:
        for model in TASKFORCE_TABLES:
            table = model.__table__.name
            inserted = dict(
                s.execute(
                    select(LINES.c.row_id, LINES.c.batch_id).where(
                        LINES.c.table_name == table, LINES.c.action == "insert"
                    )
                ).all()
            )
            ids = set(s.scalars(select(model.id)))
            assert ids and set(inserted) == ids, table
            assert None not in inserted.values()
        opened = s.execute(
            select(LINES).where(LINES.c.table_name == "problem", LINES.c.action == "insert")
        ).first()
        assert (opened.batch_id, opened.source, opened.operator) == (
            batches["3-走访记录.csv"], "import", "测试员",
        )  # fmt: skip


def test_a_dry_run_counts_as_the_import_and_leaves_the_database_unchanged(db: Database) -> None:
    _import(db, FILES[0])
    before = dump(db)
    dry = _import(db, *FILES[1:], dry_run=True)
    assert dump(db) == before
    expected = json.loads((GOLDEN / "expected.json").read_text(encoding="utf-8"))
    for found, path in zip(dry, FILES[1:], strict=True):
        assert found == {**expected[path.name], "committed": False}


def test_undo_takes_each_file_back_to_the_state_before_it(db: Database) -> None:
    states, batches = [], []
    for path in FILES:
        states.append(dump(db, audit=False))
        batches.append(import_files(db, [path], backup=False).files[0].batch_id)
    for batch, before in zip(reversed(batches), reversed(states), strict=True):
        undo_batch(db, batch)
        assert dump(db, audit=False) == before


def _assign(db: Database, **row: Any) -> Any:
    report = Importer(db, backup=False).import_parsed(
        parsed_file(sheet(K.assignments, [{"uscc": C1, **row}]))
    )
    assert report.committed, report
    return report


def test_reassigning_updates_the_assignment_and_undo_restores_it(db: Database) -> None:
    Importer(db, backup=False).import_parsed(parsed_file(sheet(K.roster, [roster_row(1)])))
    _assign(db, leader="王县长", team="第一小组", commissioner="赵专员", phone="1")
    with db.reader() as s:
        before = s.execute(select(Assignment.leader_id, Assignment.phone)).one()
    later = _assign(db, leader="赵专员", team="第一小组", commissioner="赵专员", phone="2")
    counts = later.sheets[0]
    assert (counts.created, counts.updated) == (0, 1)
    assert later.notes == []  # 赵专员 known already; the pair already a member
    with db.reader() as s:
        # a known person keeps the kind recorded, named as a leader now
        assert s.scalar(select(Person.kind).where(Person.name == "赵专员")) == "服务专员"
        now = s.execute(select(Assignment.leader_id, Assignment.phone)).one()
        assert now != before
    undo_batch(db, later.batch_id)
    with db.reader() as s:
        assert s.execute(select(Assignment.leader_id, Assignment.phone)).one() == before


def test_an_assignment_sheet_names_someone_to_be_recognised() -> None:
    from desktop.sheets.raw import RawSheet
    from desktop.sheets.recognize import NotRecognised, recognise

    with pytest.raises(NotRecognised):
        recognise(RawSheet("表", 1, 0, [["统一社会信用代码", "备注"], [C1, "x"]]))


def _month(uscc: str, month: int, output: str) -> dict[str, Any]:
    return {"uscc": uscc, "year": 2023, "month": month, "output": Decimal(output)}


def _report(uscc: str, when: str, output: str | None, status: str = "全面复工") -> dict[str, Any]:
    return {"uscc": uscc, "period": when, "status": status,
            "output": None if output is None else Decimal(output)}  # fmt: skip


def test_monthly_output_is_kept_once_and_undo_restores_it(db: Database) -> None:
    Importer(db, backup=False).import_parsed(
        parsed_file(
            sheet(K.roster, [roster_row(1), roster_row(2)]),
            sheet(
                K.monthly,
                [
                    _month(C1, 3, "100"),
                ],
            ),
        )
    )
    report = Importer(db, backup=False).import_parsed(
        parsed_file(
            sheet(
                K.monitoring,
                [
                    _report(C1, "2023-03", "150"),
                    _report(C2, "2023-W10", "30"),
                    _report(C2, "2023-04", None),
                ],
            )
        )
    )
    assert report.committed and report.sheets[0].created == 3
    assert Changes.FIGURES in report.changes and Changes.TASKFORCE in report.changes
    with db.reader() as s:
        months = s.execute(select(MonthlyOutput.month, MonthlyOutput.output)).all()
        assert [tuple(m) for m in months] == [(3, Decimal("150.00"))]  # one copy, updated
        rows = dict(s.execute(select(Monitoring.period, Monitoring.output)).all())
        assert rows == {"2023-03": None, "2023-W10": Decimal("30.00"), "2023-04": None}
        line = s.scalar(select(ChangeRecord).where(ChangeRecord.table_name == "monthly_output",
                                                   ChangeRecord.action == "update"))  # fmt: skip
        assert (line.old_value, line.new_value, line.batch_id) == ("100.00", "150.00",
                                                                   report.batch_id)  # fmt: skip
    undo_batch(db, report.batch_id)
    with db.reader() as s:
        assert s.scalar(select(MonthlyOutput.output)) == Decimal("100.00")
        assert s.scalar(select(func.count(Monitoring.id))) == 0


def test_a_month_given_twice_in_one_file_is_refused_on_the_monitoring_row(db: Database) -> None:
    report = Importer(db, backup=False).import_parsed(
        parsed_file(
            sheet(K.roster, [roster_row(1)]),
            sheet(K.monthly, [_month(C1, 3, "100")], name="产值"),
            sheet(K.monitoring, [_report(C1, "2023年3月", "150"), _report(C1, "2023-W10", "5")]),
        )
    )
    monitoring = next(s for s in report.sheets if s.kind is K.monitoring)
    assert monitoring.created == 1
    (refused,) = monitoring.rejected
    assert refused.row == 2 and refused.column == "产值"
    assert refused.message.startswith("该月产值已在工作表「产值」第2行的月度产值中填写")


def _problem(**given: Any) -> dict[str, Any]:
    return {"uscc": C1, "raised_on": date(2023, 3, 1), "category": "用工", "description": "招工难",
            "lead_unit": "县人社局", "deadline": date(2023, 3, 31), **given}  # fmt: skip


def test_a_problem_being_handled_keeps_its_state_and_deadline(db: Database) -> None:
    Importer(db, backup=False).import_parsed(parsed_file(sheet(K.roster, [roster_row(1)])))
    first = Importer(db, backup=False).import_parsed(
        parsed_file(sheet(K.problems, [_problem(state="办理中")]))
    )
    assert first.sheets[0].created == 1
    again = Importer(db, backup=False).import_parsed(parsed_file(sheet(K.problems, [
        _problem(state=None, result="已对接招聘会"),  # blank state: kept; result updated
    ])))  # fmt: skip
    assert (again.sheets[0].updated, again.sheets[0].rejected) == (1, [])
    refused = Importer(db, backup=False).import_parsed(parsed_file(sheet(K.problems, [
        _problem(state="已销号"), _problem(state="办理中", deadline=date(2023, 5, 1)),
    ])))  # fmt: skip
    reasons = [(r.row, r.column, r.message) for r in refused.sheets[0].rejected]
    assert [(row, column) for row, column, _ in reasons] == [(2, "办理状态"), (3, "办理时限")]
    assert reasons[0][2].startswith(
        "该问题已登记，当前「办理中」；办理状态须在程序中按办理流程改动"
    )
    assert "办理时限为 2023-03-31；办理时限经延期审批改动" in reasons[1][2]
    with db.reader() as s:
        problem = s.scalar(select(Problem))
        assert (problem.state, problem.deadline, problem.result) == (
            "assigned", date(2023, 3, 31), "已对接招聘会",
        )  # fmt: skip


def test_a_visit_opens_its_problem_once_and_leaves_it_as_moved(db: Database) -> None:
    Importer(db, backup=False).import_parsed(parsed_file(sheet(K.roster, [roster_row(1)])))
    visit = {"uscc": C1, "visited_on": date(2023, 3, 10), "people": "赵专员", "problem": "缺电"}
    first = Importer(db, backup=False).import_parsed(parsed_file(sheet(K.visits, [visit])))
    assert Changes.TASKFORCE in first.changes
    with db.session() as s:
        problem = s.scalar(select(Problem))
        assert (problem.state, problem.deadline, problem.lead_unit) == (
            "new", date(2023, 3, 25), ""
        )  # fmt: skip
        move_problem(s, problem.id, Move(State.ASSIGNED, deadline=date(2023, 4, 30)))
    again = Importer(db, backup=False).import_parsed(
        parsed_file(sheet(K.visits, [{**visit, "note": "回访"}]))
    )
    assert again.sheets[0].updated == 1
    assert again.notes == ["工作表「走访记录」：按“反映问题”登记问题 0 个（来源走访，状态待交办，"
                           "请交办并确定主办单位和办理时限），1 个已登记过"]  # fmt: skip
    with db.reader() as s:
        problem = s.scalar(select(Problem))
        assert (problem.state, problem.deadline) == ("assigned", date(2023, 4, 30))
        assert s.scalar(select(func.count(Problem.id))) == 1
