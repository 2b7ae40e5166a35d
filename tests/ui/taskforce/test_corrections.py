"""Corrected in the window (「修改…」), logged old→new: a problem's category, description and
units (its state, dates and source stay as the state table's moves left them); a visit's
people, purpose, measures and note (its day and enterprise fixed)."""

from __future__ import annotations

from sqlalchemy import select

from desktop.models import ChangeRecord, Problem
from desktop.qt.widgets import QWidget
from desktop.store import Database
from desktop.ui.main_window import MainWindow
from desktop.ui.problem_dialog import ProblemDialog
from desktop.ui.taskforce_page import TaskforcePage
from desktop.ui.visit_dialog import VisitDialog
from tests.ui.conftest import open_page, when_modal


def test_a_problems_description_and_units_corrected(
    tf_window: MainWindow, sample_db: Database, ledgers: dict[str, int]
) -> None:
    page = open_page(tf_window, "包联服务", TaskforcePage)
    page.show_problem(ledgers["red"])
    said: list[object] = []

    def correct(dialog: QWidget) -> None:
        assert isinstance(dialog, ProblemDialog)
        said.append(dialog.windowTitle())
        said.append([f.isEnabled() for f in (dialog.enterprise, dialog.raised_on, dialog.source,
                                             dialog.deadline, dialog.description)])  # fmt: skip
        dialog.description.setText(" ")
        dialog.save()
        said.append(dialog.message.text())
        dialog.description.setText("缺少熟练焊工20名")
        dialog.assisting.setText("工信局")
        dialog.save()

    when_modal(correct, ProblemDialog)
    page.problems.correct_problem()
    assert said == ["修改问题", [False, False, False, False, True], "问题：请填写问题描述"]
    with sample_db.reader() as s:
        problem = s.get(Problem, ledgers["red"])
        assert problem is not None
        assert (problem.description, problem.assisting_units, problem.state) == (
            "缺少熟练焊工20名", "工信局", "assigned",
        )  # fmt: skip
        logged = s.execute(
            select(ChangeRecord.operator, ChangeRecord.field, ChangeRecord.old_value,
                   ChangeRecord.new_value)
            .where(ChangeRecord.table_name == "problem", ChangeRecord.source == "window")
            .order_by(ChangeRecord.field)
        ).all()  # fmt: skip
    assert [tuple(r) for r in logged] == [
        (sample_db.operator, "assisting_units", None, "工信局"),
        (sample_db.operator, "description", "缺少熟练焊工30名", "缺少熟练焊工20名"),
    ]
    shown = [r.line.description for r in page.problems.model.rows()]
    assert "缺少熟练焊工20名" in shown and "缺少熟练焊工30名" not in shown


def test_a_visits_people_purpose_and_note_corrected(
    tf_window: MainWindow, sample_db: Database
) -> None:
    page = open_page(tf_window, "包联服务", TaskforcePage)
    said: list[object] = []

    def correct(dialog: QWidget) -> None:
        assert isinstance(dialog, VisitDialog)
        said.append((dialog.windowTitle(), dialog.people.text(), dialog.purpose.text(),
                     dialog.day.isEnabled(), dialog.enterprise.isEnabled(),
                     dialog.problem_view.isVisible()))  # fmt: skip
        dialog.people.setText("")
        dialog.save()
        said.append(dialog.message.text())
        dialog.people.setText("李专员")
        dialog.note.setPlainText("补记：赵科长未到场")
        dialog.save()

    when_modal(correct, VisitDialog)
    page.correct_visit(page.visits.rows()[0])
    assert said == [
        ("修改走访记录", "李专员、赵科长", "送政策", False, False, False),
        "请填写走访人员",
    ]
    assert [(v.people, v.note) for v in page.visits.rows()] == [("李专员", "补记：赵科长未到场")]
    with sample_db.reader() as s:
        logged = s.execute(
            select(ChangeRecord.operator, ChangeRecord.field, ChangeRecord.old_value,
                   ChangeRecord.new_value)
            .where(ChangeRecord.table_name == "visit", ChangeRecord.source == "window")
            .order_by(ChangeRecord.field)
        ).all()  # fmt: skip
    assert [tuple(r) for r in logged] == [
        (sample_db.operator, "note", None, "补记：赵科长未到场"),
        (sample_db.operator, "people", "李专员、赵科长", "李专员"),
    ]
