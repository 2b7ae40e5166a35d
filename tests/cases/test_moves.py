"""Moves: reasons, dates, the approved amount, the fund's budget, all or none, and the log."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.cases.errors import BudgetRefused, CaseError
from desktop.cases.funds import approved_total, set_fund
from desktop.cases.moves import Move, MovedCase, move_case_ids, move_cases
from desktop.cases.opening import open_cases
from desktop.cases.states import State
from desktop.cases.timeline import timeline
from desktop.cases.workdays import add_holiday
from desktop.models import Case, ChangeRecord
from desktop.store import Database
from tests.cases.conftest import BASIS, PARAMETERS, result

MONDAY = date(2023, 6, 5)


def _received(s: Session, *ns: int) -> list[Case]:
    cases = open_cases(s, [result(n) for n in ns], BASIS, PARAMETERS)
    move_cases(s, cases, Move(State.RECEIVED, on=MONDAY), PARAMETERS, MONDAY)
    return cases


def _approved(s: Session, *ns: int) -> list[Case]:
    cases = _received(s, *ns)
    move_cases(s, cases, Move(State.APPROVED), PARAMETERS, MONDAY)
    return cases


@pytest.mark.parametrize("to", [State.RETURNED, State.REJECTED, State.WITHDRAWN])
def test_these_moves_need_a_reason(cases_db: Database, to: State) -> None:
    with cases_db.session() as s:
        (case,) = _received(s, 1)
        with pytest.raises(CaseError) as refused:
            move_cases(s, [case], Move(to, reason="  "), PARAMETERS)
        assert str(refused.value) == f"兑现事项 12-2023Q1-0001 改为「{to.label}」须填写理由"
        move_cases(s, [case], Move(to, reason="材料不全"), PARAMETERS)
        assert case.moves[-1].reason == "材料不全"


def test_objected_needs_a_reason(cases_db: Database) -> None:
    with cases_db.session() as s:
        (case,) = _approved(s, 1)
        move_cases(s, [case], Move(State.PUBLICITY, on=MONDAY), PARAMETERS, MONDAY)
        with pytest.raises(CaseError, match="改为「公示有异议」须填写理由"):
            move_cases(s, [case], Move(State.OBJECTED), PARAMETERS)


def test_received_records_the_date(cases_db: Database) -> None:
    with cases_db.session() as s:
        (case,) = open_cases(s, [result(1)], BASIS, PARAMETERS)
        move_cases(s, [case], Move(State.RECEIVED, on=date(2023, 5, 4)), PARAMETERS)
        assert case.received_on == date(2023, 5, 4)
        move_cases(s, [case], Move(State.RETURNED, reason="缺营业执照"), PARAMETERS)
        move_cases(s, [case], Move(State.RECEIVED), PARAMETERS, today=date(2023, 5, 10))
        assert case.received_on == date(2023, 5, 10)  # received again: the new date


def test_publicity_ends_five_working_days_on_and_publicized_waits_for_it(
    cases_db: Database,
) -> None:
    with cases_db.session() as s:
        add_holiday(s, date(2023, 6, 22), "端午节")
        (case,) = _approved(s, 1)
        start = date(2023, 6, 20)  # Tuesday; Thursday 22 listed, weekend 24–25
        move_cases(s, [case], Move(State.PUBLICITY, on=start), PARAMETERS)
        assert (case.publicity_start, case.publicity_end) == (start, date(2023, 6, 28))
        with pytest.raises(CaseError) as refused:
            move_cases(s, [case], Move(State.PUBLICIZED), PARAMETERS, today=date(2023, 6, 27))
        assert str(refused.value) == (
            "兑现事项 12-2023Q1-0001 公示期 2023-06-20 至 2023-06-28，"
            "2023-06-28 前不能改为「公示无异议」"
        )
        dated_ahead = Move(State.PUBLICIZED, on=date(2023, 6, 28))  # but made on the 27th
        with pytest.raises(CaseError, match="2023-06-28 前不能改为「公示无异议」"):
            move_cases(s, [case], dated_ahead, PARAMETERS, today=date(2023, 6, 27))
        move_cases(s, [case], Move(State.PUBLICIZED), PARAMETERS, today=date(2023, 6, 28))
        assert case.state == State.PUBLICIZED


def test_approval_defaults_to_the_snapshot_amount(cases_db: Database) -> None:
    with cases_db.session() as s:
        (case,) = _approved(s, 1)
        assert (case.approved_amount, case.approval_reason) == (Decimal("250000.00"), None)
        assert case.moves[-1].amount == Decimal("250000.00")


def test_a_different_amount_needs_a_reason_and_may_not_exceed_the_policy(
    cases_db: Database,
) -> None:
    with cases_db.session() as s:
        (case,) = _received(s, 1)
        less = Move(State.APPROVED, amount=Decimal("200000"))
        with pytest.raises(CaseError) as refused:
            move_cases(s, [case], less, PARAMETERS)
        assert str(refused.value) == (
            "兑现事项 12-2023Q1-0001 审核金额 200,000.00元 与测算金额 250,000.00元 不同，须填写理由"
        )
        more = Move(State.APPROVED, amount=Decimal("250000.01"), reason="多给")
        with pytest.raises(CaseError) as refused:
            move_cases(s, [case], more, PARAMETERS)
        assert str(refused.value) == (
            "兑现事项 12-2023Q1-0001 审核金额 250,000.01元 超过政策允许的 250,000.00元"
        )
        with pytest.raises(CaseError, match="审核金额不能为负数"):
            move_cases(s, [case], Move(State.APPROVED, amount=Decimal(-1), reason="x"), PARAMETERS)
        move_cases(
            s, [case], Move(State.APPROVED, amount=Decimal("200000"), reason="核减"), PARAMETERS
        )
        assert (case.approved_amount, case.approval_reason) == (Decimal("200000.00"), "核减")


def test_approval_of_a_snapshot_no_longer_eligible_is_refused(cases_db: Database) -> None:
    from desktop.cases.opening import refresh
    from desktop.rules.result import Verdict

    with cases_db.session() as s:
        (case,) = _received(s, 1)
        refresh(s, case, result(1, verdict=Verdict.INELIGIBLE, amount=None), BASIS)
        with pytest.raises(CaseError, match="测算结论为「不符合」，不能审核通过"):
            move_cases(s, [case], Move(State.APPROVED), PARAMETERS)


def test_approval_is_counted_against_the_fund_of_its_level(cases_db: Database) -> None:
    with cases_db.session() as s:
        set_fund(s, "12", "市级", Decimal("600000"), document="忻财企〔2023〕1号")
        set_fund(s, "12", "省级", Decimal("0"))  # another level: not this measure's fund
        first, second, third = _received(s, 1, 2, 3)
        moved = move_cases(s, [first, second], Move(State.APPROVED), PARAMETERS)
        assert [m.note for m in moved] == [None, None]
        assert approved_total(s, "12", "市级") == Decimal("500000.00")
        with pytest.raises(BudgetRefused) as refused:  # one the window offers to override
            move_cases(s, [third], Move(State.APPROVED), PARAMETERS)
        assert str(refused.value) == (
            "兑现事项 12-2023Q1-0003 审核金额 250,000.00元 超出第十二条市级资金预算："
            "预算 600,000.00元，已审核 500,000.00元，超出 150,000.00元；"
            "确需审核通过的，请填写超预算理由"
        )
        (moved,) = move_cases(
            s, [third], Move(State.APPROVED, override_budget="追加资金已报批"), PARAMETERS
        )
        assert (
            moved.note
            == "超出第十二条市级资金预算 150,000.00元，已按超预算理由审核通过：追加资金已报批"
        )
        assert third.moves[-1].budget_override == "追加资金已报批"
        assert approved_total(s, "12", "市级") == Decimal("750000.00")


def test_a_withdrawn_approval_frees_its_budget(cases_db: Database) -> None:
    with cases_db.session() as s:
        set_fund(s, "12", "市级", Decimal("250000"))
        first, second = _received(s, 1, 2)
        move_cases(s, [first], Move(State.APPROVED), PARAMETERS)
        with pytest.raises(CaseError, match="超出第十二条市级资金预算"):
            move_cases(s, [second], Move(State.APPROVED), PARAMETERS)
        move_cases(s, [first], Move(State.WITHDRAWN, reason="企业放弃"), PARAMETERS)
        move_cases(s, [second], Move(State.APPROVED), PARAMETERS)
        assert approved_total(s, "12", "市级") == Decimal("250000.00")


def test_reapproval_after_an_objection_does_not_count_the_case_twice(cases_db: Database) -> None:
    with cases_db.session() as s:
        set_fund(s, "12", "市级", Decimal("250000"))
        (case,) = _approved(s, 1)
        move_cases(s, [case], Move(State.PUBLICITY, on=MONDAY), PARAMETERS)
        move_cases(s, [case], Move(State.OBJECTED, reason="群众反映"), PARAMETERS)
        move_cases(s, [case], Move(State.APPROVED), PARAMETERS)  # within 250,000 again
        assert approved_total(s, "12", "市级") == Decimal("250000.00")


def test_a_measure_without_a_fund_is_approved_and_says_so(cases_db: Database) -> None:
    with cases_db.session() as s:
        (case,) = _received(s, 1)
        (moved,) = move_cases(s, [case], Move(State.APPROVED), PARAMETERS)
        assert moved.note == "第十二条市级资金未登记，未作预算检查"


def test_moves_on_several_cases_are_all_or_none(cases_db: Database) -> None:
    with cases_db.session() as s:
        first, second = _received(s, 1, 2)
        move_cases(s, [second], Move(State.RETURNED, reason="缺材料"), PARAMETERS)
        with pytest.raises(CaseError) as refused:
            move_cases(s, [first, second], Move(State.APPROVED), PARAMETERS)
        assert str(refused.value) == (
            "兑现事项 12-2023Q1-0002 当前为「退回补正」，不能改为「审核通过」；"
            "可改为：已受理、已撤回"
        )
        assert (first.state, first.approved_amount) == (State.RECEIVED, None)
    with cases_db.reader() as s:
        states = [c.state for c in s.scalars(select(Case).order_by(Case.id))]
        assert states == [State.RECEIVED, State.RETURNED]
        assert [len(c.moves) for c in s.scalars(select(Case).order_by(Case.id))] == [1, 2]


def test_moves_by_id_read_no_case_object_and_keep_the_held_ones_current(
    cases_db: Database,
) -> None:
    with cases_db.session() as s:
        ids = [c.id for c in _received(s, 1, 2)]
    with cases_db.session() as s:
        moved = move_case_ids(s, [ids[1], ids[0], ids[1]], Move(State.APPROVED), PARAMETERS)
        note = "第十二条市级资金未登记，未作预算检查"
        assert moved == [
            MovedCase(ids[1], "12-2023Q1-0002", note),
            MovedCase(ids[0], "12-2023Q1-0001", note),
        ]
        assert not [o for o in s.identity_map.values() if isinstance(o, Case)]
        held = s.get(Case, ids[0])
        assert held is not None
        move_case_ids(s, ids, Move(State.PUBLICITY, on=MONDAY), PARAMETERS, MONDAY)
        assert (held.state, held.publicity_end) == (State.PUBLICITY, date(2023, 6, 12))
    with cases_db.reader() as s:
        assert [c.state for c in s.scalars(select(Case))] == [State.PUBLICITY] * 2


def test_an_unknown_id_refuses_every_move(cases_db: Database) -> None:
    with cases_db.session() as s:
        (case,) = _received(s, 1)
        with pytest.raises(CaseError) as refused:
            move_case_ids(s, [case.id, case.id + 1], Move(State.APPROVED), PARAMETERS)
        assert str(refused.value) == f"没有兑现事项（内部编号 {case.id + 1}），未作任何改动"
        assert case.state == State.RECEIVED
        assert len(case.moves) == 1


def test_over_budget_in_a_bulk_move_refuses_every_case(cases_db: Database) -> None:
    with cases_db.session() as s:
        set_fund(s, "12", "市级", Decimal("400000"))
        cases = _received(s, 1, 2)
        with pytest.raises(CaseError, match=r"12-2023Q1-0002 审核金额 250,000.00元 超出"):
            move_cases(s, cases, Move(State.APPROVED), PARAMETERS)
        assert approved_total(s, "12", "市级") == Decimal("0.00")


def test_every_move_is_in_the_change_log_with_the_operator(cases_db: Database) -> None:
    with cases_db.session() as s:
        (case,) = _approved(s, 1)
        case_id = case.id
    with cases_db.reader() as s:
        case = s.get(Case, case_id)
        steps = timeline(s, case)
        assert [(t.from_state, t.to_state, t.operator) for t in steps] == [
            (State.OPEN, State.RECEIVED, "测试员"),
            (State.RECEIVED, State.APPROVED, "测试员"),
        ]
        assert steps[1].amount == Decimal("250000.00")
        logged = s.scalars(
            select(ChangeRecord).where(
                ChangeRecord.table_name == "subsidy_case", ChangeRecord.field == "state"
            )
        ).all()
        assert [(r.old_value, r.new_value, r.row_key) for r in logged] == [
            ("open", "received", "12-2023Q1-0001"),
            ("received", "approved", "12-2023Q1-0001"),
        ]


def test_nothing_is_deleted(cases_db: Database) -> None:
    with cases_db.session() as s:
        _approved(s, 1)
    for table in ("case_move", "subsidy_case"):  # a connection each: a refusal ends its work
        with cases_db.engine.connect() as conn, pytest.raises(Exception, match="never deleted"):
            conn.exec_driver_sql(f"DELETE FROM {table}")
    with cases_db.engine.connect() as conn, pytest.raises(Exception, match="never updated"):
        conn.exec_driver_sql("UPDATE case_move SET reason = 'x'")
