"""A problem, a visit or a monitoring report corrected in the window while 李四 corrects it
too: the stale dialog asks, each field starting on the side that changed it, and the save goes
over 李四's version."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from desktop.models import ChangeRecord, Problem
from desktop.qt.widgets import QWidget
from desktop.store import Database
from desktop.taskforce.ledgers import report_lines
from desktop.taskforce.monitoring import record_entered, typed_report
from desktop.taskforce.visit_entry import RaisedProblem, VisitEntry, correct_problem, correct_visit
from desktop.ui.main_window import MainWindow
from desktop.ui.monitoring_page import MonitoringPage
from desktop.ui.problem_dialog import ProblemDialog
from desktop.ui.report_dialog import ReportDialog
from desktop.ui.stale_dialog import StaleDialog
from desktop.ui.taskforce_page import TaskforcePage
from desktop.ui.visit_dialog import VisitDialog
from tests.ui.conftest import open_page, when_modal


def _theirs(db: Database, problem_id: int) -> None:
    """李四 corrects the description and the lead unit of the problem."""
    with replace(db, operator="李四").session() as s:
        problem = s.get(Problem, problem_id)
        assert problem is not None
        raised = RaisedProblem(problem.category, "李四改的描述", "李四的主办单位", problem.deadline)
        correct_problem(s, problem_id, raised)


def test_a_stale_problem_correction_keeps_each_side_s_change(
    tf_window: MainWindow, sample_db: Database, ledgers: dict[str, int]
) -> None:
    page = open_page(tf_window, "包联服务", TaskforcePage)
    page.show_problem(ledgers["red"])
    seen: dict[str, object] = {}

    def choose(stale: QWidget) -> None:
        assert isinstance(stale, StaleDialog)
        seen["fields"] = sorted(f.field for f in stale.refused.fields)
        seen["kept"] = sorted(stale.kept_mine())
        stale.accept()

    def correct(dialog: QWidget) -> None:
        assert isinstance(dialog, ProblemDialog)
        dialog.description.setText("我改的描述")
        dialog.assisting.setText("工信局")
        _theirs(sample_db, ledgers["red"])
        when_modal(choose, StaleDialog)
        dialog.save()
        seen["open"] = dialog.isVisible()

    when_modal(correct, ProblemDialog)
    page.problems.correct_problem()
    assert seen == {
        "fields": ["assisting_units", "description", "lead_unit"],
        "kept": ["assisting_units", "description"],  # what the officer changed; 李四's unit
        "open": False,
    }
    with sample_db.reader() as s:
        problem = s.get(Problem, ledgers["red"])
        assert problem is not None
        assert (problem.description, problem.lead_unit, problem.assisting_units) == (
            "我改的描述", "李四的主办单位", "工信局",
        )  # fmt: skip
        lines = s.execute(
            select(ChangeRecord.operator, ChangeRecord.field, ChangeRecord.new_value)
            .where(ChangeRecord.table_name == "problem", ChangeRecord.source == "window")
            .order_by(ChangeRecord.id)
        ).all()
    assert [tuple(r) for r in lines] == [
        ("李四", "description", "李四改的描述"),
        ("李四", "lead_unit", "李四的主办单位"),
        (sample_db.operator, "description", "我改的描述"),
        (sample_db.operator, "assisting_units", "工信局"),
    ]


def test_a_stale_visit_correction_keeps_their_people_and_my_note(
    tf_window: MainWindow, sample_db: Database
) -> None:
    page = open_page(tf_window, "包联服务", TaskforcePage)
    kept = page.visits.rows()[0]
    seen: dict[str, object] = {}

    def choose(stale: QWidget) -> None:
        assert isinstance(stale, StaleDialog)
        seen["fields"] = sorted(f.field for f in stale.refused.fields)
        seen["kept"] = sorted(stale.kept_mine())
        stale.choose("purpose", mine=False)  # 李四's purpose after all
        stale.accept()

    def correct(dialog: QWidget) -> None:
        assert isinstance(dialog, VisitDialog)
        dialog.purpose.setText("我改的事由")
        dialog.note.setPlainText("我补的备注")
        entry = VisitEntry(kept.uscc, kept.visited_on, ["李专员"], "李四改的事由", [])
        with replace(sample_db, operator="李四").session() as s:
            correct_visit(s, kept.id, entry)
        when_modal(choose, StaleDialog)
        dialog.save()
        seen["open"] = dialog.isVisible()

    when_modal(correct, VisitDialog)
    page.correct_visit(kept)
    assert seen == {
        "fields": ["measures", "note", "people", "purpose"],
        "kept": ["note", "purpose"],
        "open": False,
    }
    (line,) = page.visits.rows()
    assert (line.people, line.purpose, line.measures, line.note) == (
        "李专员", "李四改的事由", None, "我补的备注",
    )  # fmt: skip


WUTAI = "91140922MA0XY00071"  # 规上, silent in 2023-03 in the sample


def test_a_stale_report_correction_keeps_my_status_and_their_electricity(
    tf_window: MainWindow, sample_db: Database
) -> None:
    with sample_db.session() as s:
        record_entered(s, WUTAI, typed_report("2023-03", "全面复工", "150", "12000", "88"), False)
    page = open_page(tf_window, "运行监测", MonitoringPage)
    with sample_db.reader() as s:
        (kept,) = report_lines(s, uscc=WUTAI)
    seen: dict[str, object] = {}

    def choose(stale: QWidget) -> None:
        assert isinstance(stale, StaleDialog)
        seen["fields"] = sorted(f.field for f in stale.refused.fields)
        seen["kept"] = sorted(stale.kept_mine())
        stale.accept()

    def correct(form: QWidget) -> None:
        assert isinstance(form, ReportDialog)
        form.status.setCurrentText("达产达效")
        theirs = typed_report("2023-03", "部分复工", "150", "13000", "88")
        with replace(sample_db, operator="李四").session() as s:
            record_entered(s, WUTAI, theirs, True)
        when_modal(choose, StaleDialog)
        form.save()
        seen["open"] = form.isVisible()

    when_modal(correct, ReportDialog)
    page.enter_report(kept)
    assert seen == {"fields": ["electricity", "status"], "kept": ["status"], "open": False}
    with sample_db.reader() as s:
        (line,) = report_lines(s, uscc=WUTAI)
    assert (line.status, line.electricity, line.employees) == ("达产达效", 13000, 88)
