"""Funds: one per measure and level, never cut below what is approved against them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from desktop.cases.errors import CaseError
from desktop.cases.funds import find_fund, set_fund
from desktop.cases.moves import Move, move_cases
from desktop.cases.opening import open_cases
from desktop.cases.states import State
from desktop.models import ChangeRecord
from desktop.store import Database
from tests.cases.conftest import BASIS, PARAMETERS, result


def test_a_fund_is_recorded_and_changed_in_place(cases_db: Database) -> None:
    with cases_db.session() as s:
        set_fund(s, "13", "市级", Decimal("1000000"), document="忻财企〔2023〕5号")
        fund = set_fund(s, "13", "市级", Decimal("1200000"), pre_allocated=True)
        assert find_fund(s, "13", "市级") is fund
        assert (fund.budget, fund.document, fund.pre_allocated) == (
            Decimal("1200000.00"), None, True,
        )  # fmt: skip
    with cases_db.reader() as s:
        logged = s.scalars(select(ChangeRecord).where(ChangeRecord.table_name == "fund")).all()
        assert [(r.action, r.field, r.row_key) for r in logged][-1] == (
            "update", "pre_allocated", "13 市级",
        )  # fmt: skip


def test_a_budget_may_not_be_cut_below_the_approvals(cases_db: Database) -> None:
    with cases_db.session() as s:
        (case,) = open_cases(s, [result(1)], BASIS, PARAMETERS)
        move_cases(s, [case], Move(State.RECEIVED), PARAMETERS)
        move_cases(s, [case], Move(State.APPROVED), PARAMETERS)  # no fund yet: unchecked
        with pytest.raises(CaseError) as refused:
            set_fund(s, "12", "市级", Decimal("200000"))
        assert str(refused.value) == (
            "第十二条市级资金预算 200,000.00元 低于已审核通过的 250,000.00元，未保存"
        )
        set_fund(s, "12", "市级", Decimal("250000"))
        with pytest.raises(CaseError, match=r"低于已审核通过的 250,000.00元"):
            set_fund(s, "12", "市级", Decimal("249999.99"))
        assert find_fund(s, "12", "市级").budget == Decimal("250000.00")


@pytest.mark.parametrize(
    ("level", "budget", "message"),
    [
        ("乡级", "1", "资金级别「乡级」无法识别；可用：省级、市级、县级"),
        ("县级", "-1", "第十二条县级资金预算不能为负数：-1.00元"),
    ],
)
def test_a_wrong_fund_is_refused(cases_db: Database, level: str, budget: str, message: str) -> None:
    with pytest.raises(CaseError) as refused, cases_db.session() as s:
        set_fund(s, "12", level, Decimal(budget))
    assert str(refused.value) == message
