"""The progress board counts by grouped SQL: as many statements for four cases as for one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event

from desktop.cases.moves import Move, move_cases
from desktop.cases.opening import open_cases
from desktop.cases.progress import eligible_counts, progress_board
from desktop.cases.states import State
from desktop.store import Database
from tests.cases.conftest import BASIS, PARAMETERS, result


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn, cursor, statement, *_):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _board_statements(db: Database, eligible) -> int:
    """The statements of the board read as the command line reads it (a write transaction
    would add its own: since file ids, every write rewrites the file's id)."""
    with db.reader() as s, statements(db) as seen:
        board = progress_board(s, date(2023, 6, 5), eligible, PARAMETERS)
    assert [m.measure for m in board] == ["5", "11", "12", "13"]
    return len(seen)


def test_the_board_costs_the_same_few_statements_whatever_the_cases(cases_db: Database) -> None:
    eligible = eligible_counts([result(n) for n in range(1, 5)])
    assert eligible == {("12", "忻府区"): 4}
    with cases_db.session() as s:
        open_cases(s, [result(1)], BASIS, PARAMETERS)
    one = _board_statements(cases_db, eligible)
    with cases_db.session() as s:
        cases = open_cases(s, [result(n) for n in (2, 3, 4)], BASIS, PARAMETERS)
        move_cases(s, cases, Move(State.RECEIVED), PARAMETERS)
    assert _board_statements(cases_db, eligible) == one <= 6
    with cases_db.session() as s:
        white = progress_board(s, date(2023, 6, 5), eligible, PARAMETERS)[2]
    assert (white.total.eligible, white.total.cases) == (4, 4)
    assert (white.total.states[State.OPEN], white.total.states[State.RECEIVED]) == (1, 3)
