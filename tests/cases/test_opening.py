"""Opening cases from results: numbers, the snapshot, no second standing case, refresh and
测算已变化."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from desktop.cases.errors import CaseError
from desktop.cases.moves import Move, move_cases
from desktop.cases.opening import (
    basis_of,
    changed,
    open_cases,
    open_eligible,
    open_eligible_numbers,
    open_selected,
    refresh,
    snapshot_parameters,
    standing_numbers,
)
from desktop.cases.states import State
from desktop.models import Case, ChangeRecord
from desktop.roster.history import walked_back
from desktop.rules.policy import load_policy
from desktop.rules.result import Verdict
from desktop.store import Database
from tests.cases.conftest import BASIS, PARAMETERS, code, result, with_verdict

AT = datetime(2023, 5, 4, 8, 30, tzinfo=UTC)


def test_a_case_keeps_the_snapshot_of_its_result(cases_db: Database) -> None:
    with cases_db.session() as s:
        (case,) = open_cases(s, [result(1, expected=True)], BASIS, PARAMETERS, AT)
        assert case.number == "12-2023Q1-0001"
        assert (case.state, case.level, case.measure, case.period) == (
            "open", "市级", "12", "2023-Q1",
        )  # fmt: skip
    with cases_db.reader() as s:
        case = s.scalar(select(Case))
        assert case.enterprise.uscc == code(1)
        assert case.snapshot_verdict == Verdict.ELIGIBLE
        assert case.snapshot_amount == Decimal("250000.00")
        assert case.snapshot_expected is True
        assert case.snapshot_explanation == "测试企业1的测算说明"
        assert case.snapshot_document == "xinzhou-2022-86"
        assert snapshot_parameters(case) == {"12.city_match_ratio": "0.50"}  # its measure's only
        assert case.snapshot_at == AT


def test_the_basis_of_a_policy_keeps_every_value_as_written() -> None:
    policy = load_policy()
    basis = basis_of(policy)
    assert basis.document == "xinzhou-2022-86"
    assert basis.of_measure("12")["12.low_tier_award"] == "500000"
    assert all(k.startswith("13.") for k in basis.of_measure("13"))


def test_numbers_count_per_measure_and_period_and_are_never_reused(cases_db: Database) -> None:
    with cases_db.session() as s:
        opened = open_cases(
            s, [result(1), result(2), result(1, "13", "100000.00")], BASIS, PARAMETERS
        )
        assert [c.number for c in opened] == ["12-2023Q1-0001", "12-2023Q1-0002", "13-2022-0001"]
        move_cases(s, opened[:1], Move(State.WITHDRAWN, reason="企业放弃"), PARAMETERS)
        (again,) = open_cases(s, [result(1)], BASIS, PARAMETERS)
        assert again.number == "12-2023Q1-0003"  # 0001 stays the withdrawn case's


def test_every_eligible_result_of_a_measure_opens_once(cases_db: Database) -> None:
    results = [result(1), result(2), result(3, verdict=Verdict.INELIGIBLE, amount=None)]
    with cases_db.session() as s:
        opened, already = open_eligible(s, results, BASIS, PARAMETERS)
        assert ([c.enterprise.uscc for c in opened], already) == ([code(1), code(2)], 0)
        opened, already = open_eligible(s, [*results, result(4)], BASIS, PARAMETERS)
        assert ([c.enterprise.uscc for c in opened], already) == ([code(4)], 2)


def test_opening_by_numbers_opens_the_same_and_reads_no_case_back(cases_db: Database) -> None:
    results = [result(1), result(2), result(3, verdict=Verdict.INELIGIBLE, amount=None)]
    with cases_db.session() as s:
        opened = open_eligible_numbers(s, results, BASIS, PARAMETERS)
        assert opened == (["12-2023Q1-0001", "12-2023Q1-0002"], 0)
        assert not [o for o in s.identity_map.values() if isinstance(o, Case)]
        again = open_eligible_numbers(s, [*results, result(4)], BASIS, PARAMETERS)
        assert again == (["12-2023Q1-0003"], 2)
    with cases_db.reader() as s:
        cases = s.scalars(select(Case).order_by(Case.id)).all()
        assert [(c.number, c.enterprise.uscc, c.state) for c in cases] == [
            ("12-2023Q1-0001", code(1), State.OPEN),
            ("12-2023Q1-0002", code(2), State.OPEN),
            ("12-2023Q1-0003", code(4), State.OPEN),
        ]
        logged = s.scalars(select(ChangeRecord.row_key).where(ChangeRecord.action == "insert"))
        assert [k for k in logged if k.startswith("12-")] == [c.number for c in cases]


def test_a_second_case_for_the_same_enterprise_measure_and_period_is_refused(
    cases_db: Database,
) -> None:
    with cases_db.session() as s:
        open_cases(s, [result(1)], BASIS, PARAMETERS)
    with pytest.raises(CaseError) as refused, cases_db.session() as s:
        open_cases(s, [result(2), result(1)], BASIS, PARAMETERS)
    assert str(refused.value) == (
        f"测试企业1（{code(1)}）第十二条2023-Q1 已有兑现事项 12-2023Q1-0001（待申报），"
        "不能重复立案；该事项不予支持或撤回后方可重新立案"
    )
    with cases_db.reader() as s:  # all or none: enterprise 2 was not opened either
        assert [c.number for c in s.scalars(select(Case))] == ["12-2023Q1-0001"]


def test_a_rejected_case_lets_a_new_one_open(cases_db: Database) -> None:
    with cases_db.session() as s:
        (case,) = open_cases(s, [result(1)], BASIS, PARAMETERS)
        move_cases(s, [case], Move(State.RECEIVED), PARAMETERS)
        move_cases(s, [case], Move(State.REJECTED, reason="不符合条件"), PARAMETERS)
        (second,) = open_cases(s, [result(1)], BASIS, PARAMETERS)
        assert second.number == "12-2023Q1-0002"


def test_the_database_keeps_one_standing_case_too(cases_db: Database) -> None:
    with cases_db.session() as s:
        open_cases(s, [result(1)], BASIS, PARAMETERS)
    unique = "UNIQUE constraint|violates unique constraint"  # SQLite's words, PostgreSQL's
    with cases_db.engine.connect() as conn, pytest.raises(Exception, match=unique):
        conn.exec_driver_sql(
            "INSERT INTO subsidy_case (number, enterprise_id, measure, period, sequence, level,"
            " state, snapshot_verdict, snapshot_expected, snapshot_explanation,"
            " snapshot_document, snapshot_parameters, snapshot_at)"
            " SELECT 'x', enterprise_id, measure, period, 9, level, 'received', snapshot_verdict,"
            " FALSE, '', '', '{}', snapshot_at FROM subsidy_case"
        )


@pytest.mark.parametrize(
    ("verdict", "label"), [(Verdict.INELIGIBLE, "不符合"), (Verdict.INCOMPLETE, "资料不全")]
)
def test_only_an_eligible_result_opens_a_case(
    cases_db: Database, verdict: Verdict, label: str
) -> None:
    refused = pytest.raises(CaseError, match=f"测算结论为「{label}」，不能立案")
    with refused, cases_db.session() as s:
        open_cases(s, [result(1, verdict=verdict, amount=None)], BASIS, PARAMETERS)


def test_an_enterprise_not_in_the_roster_is_refused(cases_db: Database) -> None:
    with pytest.raises(CaseError, match="不在企业名录中"), cases_db.session() as s:
        open_cases(s, [result(99)], BASIS, PARAMETERS)


def test_the_same_result_twice_in_one_opening_is_refused(cases_db: Database) -> None:
    with pytest.raises(CaseError, match="在本次立案中出现两次"), cases_db.session() as s:
        open_cases(s, [result(1), result(1)], BASIS, PARAMETERS)


def test_changed_shows_the_snapshot_and_the_new_result_side_by_side(cases_db: Database) -> None:
    with cases_db.session() as s:
        (case,) = open_cases(s, [result(1)], BASIS, PARAMETERS)
        assert changed(case, result(1)) is None
        difference = changed(case, with_verdict(result(1), Verdict.INELIGIBLE, None))
        assert difference is not None
        assert (difference.snapshot.verdict, difference.snapshot.amount) == (
            Verdict.ELIGIBLE, Decimal("250000.00"),
        )  # fmt: skip
        assert (difference.current.verdict, difference.current.amount) == (Verdict.INELIGIBLE, None)
        assert difference.text() == "测算已变化：立案时 符合，250,000.00元；现在 不符合"
        bigger = changed(case, result(1, amount="500000.00"))
        assert bigger is not None and bigger.current.amount == Decimal("500000.00")


def test_refresh_takes_the_new_result_while_open_received_or_returned(cases_db: Database) -> None:
    later = datetime(2023, 6, 1, tzinfo=UTC)
    with cases_db.session() as s:
        (case,) = open_cases(s, [result(1)], BASIS, PARAMETERS, AT)
        move_cases(s, [case], Move(State.RECEIVED), PARAMETERS)
        refresh(s, case, result(1, amount="500000.00"), BASIS, later)
        assert (case.snapshot_amount, case.snapshot_at) == (Decimal("500000.00"), later)
        assert changed(case, result(1, amount="500000.00")) is None
        with pytest.raises(CaseError, match="不是兑现事项 12-2023Q1-0001 的测算结果"):
            refresh(s, case, result(2), BASIS)
        move_cases(s, [case], Move(State.APPROVED), PARAMETERS)
        with pytest.raises(CaseError) as refused:
            refresh(s, case, result(1), BASIS)
        assert str(refused.value) == (
            "兑现事项 12-2023Q1-0001 当前为「审核通过」，"
            "只有待申报、已受理、退回补正时可以刷新测算结果"
        )
    with cases_db.reader() as s:
        logged = s.scalars(
            select(ChangeRecord).where(
                ChangeRecord.table_name == "subsidy_case", ChangeRecord.field == "snapshot_amount"
            )
        ).one()
        assert (logged.old_value, logged.new_value, logged.row_key) == (
            "250000.00", "500000.00", "12-2023Q1-0001",
        )  # fmt: skip


def test_the_insert_is_logged_under_the_case_number(cases_db: Database) -> None:
    with cases_db.session() as s:
        open_cases(s, [result(1)], BASIS, PARAMETERS, AT)
    with cases_db.reader() as s:
        record = s.scalars(
            select(ChangeRecord).where(ChangeRecord.table_name == "subsidy_case")
        ).one()
        assert (record.action, record.row_key, record.operator) == (
            "insert", "12-2023Q1-0001", "测试员",
        )  # fmt: skip
        assert record.new_value is None  # an insert line keeps no values: they are walked back
        (row,) = walked_back(s, [record]).values()
        assert json.loads(row)["snapshot_amount"] == "250000.00"


def test_opening_a_selection_opens_what_it_may_and_says_why_not_the_rest(
    cases_db: Database,
) -> None:
    with cases_db.session() as s:
        open_cases(s, [result(2)], BASIS, PARAMETERS, AT)
    chosen = [result(1), result(2), result(3, verdict=Verdict.INELIGIBLE, amount=None), result(1)]
    with cases_db.session() as s:
        opening = open_selected(s, chosen, BASIS, PARAMETERS, AT)
        assert [c.number for c in opening.opened] == ["12-2023Q1-0002"]
        assert opening.refused == [
            f"测试企业2（{code(2)}）第十二条2023-Q1 已有兑现事项 12-2023Q1-0001（待申报），"
            "不能重复立案；该事项不予支持或撤回后方可重新立案",
            f"测试企业3（{code(3)}）第十二条2023-Q1 测算结论为「不符合」，不能立案",
            f"测试企业1（{code(1)}）第十二条2023-Q1 在本次立案中出现两次",
        ]
        numbers = standing_numbers(s, [result(1), result(4)])
        assert numbers[(code(1), "12", "2023-Q1")] == "12-2023Q1-0002"
        assert (code(4), "12", "2023-Q1") not in numbers
