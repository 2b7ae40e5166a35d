"""The problem state table (TASKFORCE.md): random moves by random operators, and after every
step each problem is where only the table's moves could have taken it, every move is in the
change log with its operator, and nothing was deleted. Then the refusals' words and warnings."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import select
from stdnum.cn import uscc as uscc_code

from desktop.models import ChangeRecord, Enterprise, Problem
from desktop.models.taskforce import PROBLEM_STATES
from desktop.store import Database, open_database
from desktop.store.settings import set_setting
from desktop.taskforce.errors import TaskforceError
from desktop.taskforce.problem_states import Move, State, check_move, warning
from desktop.taskforce.problems import move_problem, problem_lines
from tests.conftest import seal

# TASKFORCE.md's table, written out here as the oracle.
TABLE = {
    "new": {"assigned", "closed"},
    "assigned": {"extension", "solved"},
    "extension": {"assigned"},
    "solved": {"reviewed"},
    "reviewed": {"closed", "assigned"},
    "closed": set(),
}
DUE = date(2023, 3, 31)
OPERATORS = ("张科长", "李干事", "王主任")
REASONS = (None, "", "不属实", "重复", "县政府张副县长", "已协调银行放贷")
_TEMPLATE: list[Path] = []


def code(n: int) -> str:
    body = f"91140902MA{n:07d}"
    return body + uscc_code.calc_check_digit(body)


def template_database() -> Path:
    """A migrated database with one enterprise and three new problems, made once and copied."""
    if not _TEMPLATE:
        path = Path(tempfile.mkdtemp()) / "template.sqlite3"
        db = open_database(path, "测试员")
        with db.session(source="command") as s:
            ent = Enterprise(uscc=code(1), name="甲机械有限公司", county_id=1, above_scale=True)
            s.add(ent)
            for n in range(3):
                s.add(
                    Problem(
                        enterprise=ent,
                        raised_on=date(2023, 3, 1),
                        category="用工",
                        description=f"缺工{n}",
                        lead_unit="人社局",
                        deadline=DUE,
                    )
                )
        seal(db)
        _TEMPLATE.append(path)
    return _TEMPLATE[0]


def expected_outcome(state: str, deadline: date, move: Move) -> str | None:
    """The new state the spec allows for ``move``, or None when it must be refused."""
    to, reason = move.to.value, (move.reason or "").strip()
    if to not in TABLE[state]:
        return None
    if move.deadline is not None and to != "assigned":
        return None
    if move.satisfaction is not None and state != "reviewed":
        return None
    if state == "new" and to == "closed" and reason not in ("不属实", "重复"):
        return None
    granted = state == "extension" and move.deadline is not None
    if granted and (move.deadline <= deadline or not reason):  # type: ignore[operator]
        return None
    if to == "reviewed" and not reason:
        return None
    unsatisfied = move.satisfaction == "不满意"
    if state == "reviewed" and (move.satisfaction is None or unsatisfied != (to == "assigned")):
        return None
    return to


class ProblemMoves(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp())
        shutil.copy(template_database(), self.folder / "db.sqlite3")
        self.db: Database = open_database(self.folder / "db.sqlite3", "测试员")
        with self.db.reader() as s:
            self.ids = list(s.scalars(select(Problem.id).order_by(Problem.id)))
        self.states = dict.fromkeys(self.ids, "new")
        self.deadlines = dict.fromkeys(self.ids, DUE)
        self.moves: dict[int, list[tuple[str, str, str]]] = {i: [] for i in self.ids}

    @rule(
        which=st.integers(0, 2),
        to=st.sampled_from(State),
        reason=st.sampled_from(REASONS),
        days=st.none() | st.integers(-5, 30),
        satisfaction=st.none() | st.sampled_from(("满意", "基本满意", "不满意", "还行")),
        operator=st.sampled_from(OPERATORS),
    )
    def move(
        self,
        which: int,
        to: State,
        reason: str | None,
        days: int | None,
        satisfaction: str | None,
        operator: str,
    ) -> None:
        pid = self.ids[which]
        deadline = None if days is None else self.deadlines[pid] + timedelta(days=days)
        request = Move(to, reason, deadline, satisfaction)
        expected = expected_outcome(self.states[pid], self.deadlines[pid], request)
        if satisfaction == "还行":
            expected = None
        self.db.operator = operator
        try:
            with self.db.session(source="window") as s:
                move_problem(s, pid, request)
        except TaskforceError as exc:
            assert expected is None, f"refused a move the table allows: {exc}"
            assert f"#{pid}" in str(exc) and "当前为" in str(exc)
            return
        assert expected is not None, f"{self.states[pid]} → {to} was allowed"
        self.moves[pid].append((self.states[pid], expected, operator))
        self.states[pid] = expected
        if deadline is not None:
            self.deadlines[pid] = deadline

    @rule(data=st.data(), operator=st.sampled_from(OPERATORS))
    def move_the_table_allows(self, data: st.DataObject, operator: str) -> None:
        """A move out of the table's row for the current state (random moves seldom are)."""
        which = data.draw(st.integers(0, 2))
        state = self.states[self.ids[which]]
        if not TABLE[state]:
            return
        to = data.draw(st.sampled_from(sorted(TABLE[state])))
        reason = data.draw(st.sampled_from(("不属实", "重复", "县政府张副县长")))
        days = data.draw(st.none() | st.integers(1, 30)) if to == "assigned" else None
        satisfaction = None
        if state == "reviewed":
            satisfaction = (
                "不满意" if to == "assigned" else data.draw(st.sampled_from(("满意", "基本满意")))
            )
        event(f"{state} → {to}")
        self.move(which, State(to), reason, days, satisfaction, operator)

    @invariant()
    def states_are_as_the_table_allows(self) -> None:
        with self.db.reader() as s:
            found = dict(s.execute(select(Problem.id, Problem.state)).all())
            deadlines = dict(s.execute(select(Problem.id, Problem.deadline)).all())
        assert found == self.states  # nothing deleted, nothing moved but by the table
        assert deadlines == self.deadlines

    @invariant()
    def every_move_is_logged_with_its_operator(self) -> None:
        with self.db.reader() as s:
            logged = s.execute(
                select(ChangeRecord.row_id, ChangeRecord.old_value, ChangeRecord.new_value,
                       ChangeRecord.operator)
                .where(ChangeRecord.table_name == "problem", ChangeRecord.field == "state")
                .order_by(ChangeRecord.id)
            ).all()  # fmt: skip
            deletes = s.scalar(
                select(ChangeRecord.id).where(ChangeRecord.action == "delete").limit(1)
            )
        assert deletes is None
        for pid in self.ids:
            mine = [(old, new, who) for row, old, new, who in logged if row == pid]
            assert mine == self.moves[pid]
            assert all(new in TABLE[old] for old, new, _ in mine)

    def teardown(self) -> None:
        self.db.close()
        shutil.rmtree(self.folder, ignore_errors=True)


ProblemMoves.TestCase.settings = settings(max_examples=25, stateful_step_count=30, deadline=None)
test_problem_moves = ProblemMoves.TestCase


NAME = "#7（甲公司：缺工）"


def refusal(current: State, move: Move, deadline: date = DUE) -> str:
    with pytest.raises(TaskforceError) as caught:
        check_move(NAME, current, deadline, move)
    return str(caught.value)


def test_the_database_knows_the_same_states() -> None:
    assert tuple(State) == PROBLEM_STATES


def test_a_move_not_in_the_table_names_the_problem_its_state_and_the_moves_allowed() -> None:
    assert refusal(State.ASSIGNED, Move(State.CLOSED)) == (
        "问题 #7（甲公司：缺工） 当前为「办理中」，不能改为「已销号」；可改为：申请延期、已办结"
    )
    assert refusal(State.CLOSED, Move(State.ASSIGNED)) == (
        "问题 #7（甲公司：缺工） 当前为「已销号」，已销号，不能再改为「办理中」"
    )


def test_what_each_move_needs_is_said() -> None:
    assert "须填写销号原因（不属实、重复）" in refusal(State.NEW, Move(State.CLOSED))
    assert "销号原因「已解决」不可用，应为：不属实、重复" in refusal(
        State.NEW, Move(State.CLOSED, "已解决")
    )
    assert "同意延期须注明审批人" in refusal(
        State.EXTENSION, Move(State.ASSIGNED, deadline=date(2023, 4, 30))
    )
    assert "应晚于原时限 2023-03-31" in refusal(
        State.EXTENSION, Move(State.ASSIGNED, "张副县长", date(2023, 3, 20))
    )
    assert "须填写办理结果" in refusal(State.SOLVED, Move(State.REVIEWED))
    assert "企业不满意，应不满意时重新交办" in refusal(
        State.REVIEWED, Move(State.CLOSED, satisfaction="不满意")
    )
    assert "企业满意，应满意或基本满意时销号" in refusal(
        State.REVIEWED, Move(State.ASSIGNED, satisfaction="满意")
    )
    assert "不能指定办理时限" in refusal(State.ASSIGNED, Move(State.SOLVED, deadline=DUE))
    assert "不能指定主办单位（交办时确定）" in refusal(
        State.ASSIGNED, Move(State.SOLVED, lead_unit="财政局")
    )


def test_what_each_move_records() -> None:
    later = date(2023, 4, 30)
    granted = check_move(NAME, State.EXTENSION, DUE, Move(State.ASSIGNED, "张副县长", later))
    assert granted == {
        "state": "assigned", "note": "张副县长", "deadline": later,
        "extension_approver": "张副县长",
    }  # fmt: skip
    refused = check_move(NAME, State.EXTENSION, DUE, Move(State.ASSIGNED, "理由不充分"))
    assert refused == {"state": "assigned", "note": "理由不充分"}  # the deadline is unchanged
    assert check_move(NAME, State.NEW, DUE, Move(State.CLOSED, " 重复 ")) == {
        "state": "closed", "note": "重复", "close_reason": "重复"
    }  # fmt: skip
    assert check_move(NAME, State.SOLVED, DUE, Move(State.REVIEWED, "银行放贷200万元")) == {
        "state": "reviewed", "note": "银行放贷200万元", "result": "银行放贷200万元"
    }  # fmt: skip
    assert check_move(NAME, State.REVIEWED, DUE, Move(State.ASSIGNED, satisfaction="不满意")) == {
        "state": "assigned", "note": None, "satisfaction": "不满意"
    }  # fmt: skip
    # 交办 names the 主办单位 (a visit's problem has none yet); blank leaves it as it was
    assert check_move(NAME, State.NEW, DUE, Move(State.ASSIGNED, lead_unit=" 供电公司 ")) == {
        "state": "assigned", "note": None, "lead_unit": "供电公司"
    }  # fmt: skip
    assert check_move(NAME, State.NEW, DUE, Move(State.ASSIGNED, lead_unit=" ")) == {
        "state": "assigned", "note": None
    }  # fmt: skip


@pytest.mark.parametrize(
    ("state", "on", "expected"),
    [
        (State.ASSIGNED, date(2023, 3, 27), None),  # four days left
        (State.ASSIGNED, date(2023, 3, 28), "yellow"),  # three days left: problems.warn_days
        (State.NEW, date(2023, 3, 31), "yellow"),  # due today
        (State.EXTENSION, date(2023, 4, 1), "red"),  # past it, not solved
        (State.SOLVED, date(2023, 4, 1), None),
        (State.REVIEWED, date(2023, 5, 1), None),
        (State.CLOSED, date(2023, 5, 1), None),
    ],
)
def test_warnings(state: State, on: date, expected: str | None) -> None:
    assert warning(state, DUE, on, 3) == expected


def test_the_list_carries_the_warning_and_follows_the_setting(db: Database) -> None:
    with db.session(source="command") as s:
        ent = Enterprise(uscc=code(2), name="乙公司", county_id=1)
        s.add(ent)
        s.add(Problem(enterprise=ent, raised_on=date(2023, 3, 1), category="资金",
                      description="贷款到期", lead_unit="金融办", deadline=DUE))  # fmt: skip
    with db.reader() as s:
        (line,) = problem_lines(s, date(2023, 3, 26))
        assert line.warning is None and line.to_json() == {
            "id": line.id, "uscc": code(2), "state": "new", "deadline": "2023-03-31",
            "warning": None,
        }  # fmt: skip
        assert problem_lines(s, date(2023, 4, 1), overdue=True)[0].warning == "red"
        assert problem_lines(s, date(2023, 3, 30), overdue=True) == []
    with db.session(source="window") as s:
        set_setting(s, "problems.warn_days", "5")
    with db.reader() as s:
        assert problem_lines(s, date(2023, 3, 26))[0].warning == "yellow"
    with db.session(source="window") as s:
        set_setting(s, "problems.warn_days", "三天")
    with db.reader() as s, pytest.raises(TaskforceError, match="现为「三天」"):
        problem_lines(s, date(2023, 3, 26))
