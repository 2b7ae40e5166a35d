"""The facts a move reads: the same whether the ids come in a run (read as a range) or scattered."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from desktop.cases.facts import CaseFacts, read_facts
from desktop.cases.moves import Move, move_cases
from desktop.cases.opening import open_cases
from desktop.cases.states import State
from desktop.store import Database
from tests.cases.conftest import BASIS, PARAMETERS, result

MONDAY = date(2023, 6, 5)


def test_facts_of_a_run_and_of_scattered_ids_are_the_same(cases_db: Database) -> None:
    with cases_db.session() as s:
        cases = open_cases(s, [result(n) for n in range(1, 5)], BASIS, PARAMETERS)
        move_cases(s, cases[:1], Move(State.RECEIVED, on=MONDAY), PARAMETERS, MONDAY)
        ids = [c.id for c in cases]
        every = read_facts(s, ids)  # a run
        assert read_facts(s, [ids[3], ids[0]]) == {i: every[i] for i in (ids[3], ids[0])}
        assert read_facts(s, [ids[1], ids[3] + 1]) == {ids[1]: every[ids[1]]}  # a run, one past
        assert read_facts(s, [ids[0], ids[3] + 100]) == {ids[0]: every[ids[0]]}  # scattered
        assert every[ids[0]] == CaseFacts(
            ids[0], "12-2023Q1-0001", "12", "市级", "received", "eligible",
            Decimal("250000.00"), None, None, MONDAY, None, None,
        )  # fmt: skip
