"""The state table is CASES.md's, word for word, and a move outside it is refused by name."""

from __future__ import annotations

import pytest

from desktop.cases.errors import CaseError
from desktop.cases.states import ENDED, MOVES, State, check_move, parse_state
from desktop.models.case import ENDED_STATES, STATES

# CASES.md's table, copied by hand: state · 中文 · may go to.
TABLE = """
open · 待申报 · received, withdrawn
received · 已受理 · approved, returned, rejected, withdrawn
returned · 退回补正 · received, withdrawn
approved · 审核通过 · publicity, withdrawn
rejected · 不予支持 · —
publicity · 公示中 · publicized, objected
objected · 公示有异议 · approved, rejected
publicized · 公示无异议 · paid, withdrawn
paid · 已拨付 · reconciled
reconciled · 已核对 · —
withdrawn · 已撤回 · —
"""


def _rows() -> list[tuple[str, str, set[str]]]:
    rows = []
    for line in TABLE.strip().splitlines():
        name, label, targets = (part.strip() for part in line.split("·"))
        rows.append((name, label, set() if targets == "—" else set(targets.split(", "))))
    return rows


def test_the_table_is_cases_md() -> None:
    assert [s.value for s in State] == [name for name, _, _ in _rows()]
    for name, label, targets in _rows():
        state = State(name)
        assert state.label == label
        assert {t.value for t in MOVES[state]} == targets


def test_the_database_checks_the_same_states() -> None:
    assert tuple(State) == STATES
    assert set(ENDED_STATES) == ENDED


def test_a_move_not_in_the_table_names_the_case_its_state_and_the_allowed_moves() -> None:
    with pytest.raises(CaseError) as refused:
        check_move("12-2023Q1-0007", State.OPEN, State.APPROVED)
    assert str(refused.value) == (
        "兑现事项 12-2023Q1-0007 当前为「待申报」，不能改为「审核通过」；可改为：已受理、已撤回"
    )


def test_a_final_state_says_it_is_final() -> None:
    with pytest.raises(CaseError, match="当前为「已撤回」，已办结，不能再改为「已受理」"):
        check_move("12-2023Q1-0001", State.WITHDRAWN, State.RECEIVED)


def test_paid_is_reached_only_by_payments() -> None:
    with pytest.raises(CaseError, match="「已拨付」由登记拨付自动完成"):
        check_move("12-2023Q1-0001", State.PUBLICIZED, State.PAID)
    check_move("12-2023Q1-0001", State.PUBLICIZED, State.PAID, by_payment=True)
    with pytest.raises(CaseError, match="不能改为「已拨付」"):
        check_move("12-2023Q1-0001", State.APPROVED, State.PAID, by_payment=True)


@pytest.mark.parametrize("text", ["publicity", "公示中", " 公示中 "])
def test_a_state_is_named_by_json_name_or_chinese(text: str) -> None:
    assert parse_state(text) is State.PUBLICITY


def test_an_unknown_state_lists_the_states() -> None:
    with pytest.raises(CaseError, match="没有办理状态「公示」；可用：open（待申报）、"):
        parse_state("公示")
