"""Golden scenarios worked by hand (tests/cases/golden/*.toml): opened cases, then steps —
moves, payments, later results and refreshes — each with the refusal or the state expected."""

from __future__ import annotations

import tomllib
from contextlib import nullcontext
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.cases.errors import CaseError
from desktop.cases.funds import approved_total, set_fund
from desktop.cases.moves import Move, move_cases
from desktop.cases.opening import changed, open_cases, refresh
from desktop.cases.payments import PaymentRow, record_payment
from desktop.cases.states import State
from desktop.cases.workdays import add_holiday
from desktop.models import Case
from desktop.rules.result import Verdict
from desktop.store import Database
from tests.cases.conftest import BASIS, PARAMETERS, code, result

GOLDEN = sorted((Path(__file__).parent / "golden").glob("*.toml"))


def _result(spec: dict[str, Any]) -> Any:
    return result(
        spec["enterprise"],
        spec.get("measure", "12"),
        spec.get("amount", "250000.00") if "verdict" not in spec else spec.get("amount"),
        Verdict(spec.get("verdict", "eligible")),
    )


def _case(s: Session, number: str) -> Case:
    return s.scalars(select(Case).where(Case.number == number)).one()


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _move(s: Session, step: dict[str, Any], today: date) -> tuple[Case, list[str | None]]:
    cases = [_case(s, n) for n in step["cases"]]
    move = Move(
        State(step["move"]),
        reason=step.get("reason", ""),
        on=_day(step.get("on")),
        amount=Decimal(step["amount"]) if "amount" in step else None,
        override_budget=step.get("override_budget", ""),
    )
    moved = move_cases(s, cases, move, PARAMETERS, today)
    return cases[0], [m.note for m in moved]


def _pay(s: Session, spec: dict[str, Any]) -> Case:
    row = PaymentRow(
        uscc=code(spec["enterprise"]),
        measure=spec["measure"],
        period=spec.get("period"),
        amount=Decimal(spec["amount"]),
        paid_on=date.fromisoformat(spec["paid_on"]),
        voucher=spec["voucher"],
        level=spec.get("level"),
    )
    return record_payment(s, row).case


def _check(s: Session, case: Case, expect: dict[str, str]) -> None:
    checks = {
        "state": lambda: case.state,
        "publicity_end": lambda: case.publicity_end and case.publicity_end.isoformat(),
        "approved": lambda: str(case.approved_amount),
        "snapshot": lambda: str(case.snapshot_amount),
        "paid": lambda: str(case.paid_amount),
        "approved_total": lambda: str(approved_total(s, case.measure, case.level)),
        "override": lambda: case.moves[-1].budget_override,
        "last_move": lambda: (
            f"{case.moves[-1].from_state}→{case.moves[-1].to_state} {case.moves[-1].moved_on}"
        ),
    }
    assert {key: checks[key]() for key in expect} == expect


def _step(s: Session, step: dict[str, Any], today: date) -> Case:
    """Run one step; return the case its expectations are about."""
    if "move" in step:
        case, notes = _move(s, step, today)
        if "note" in step:
            assert notes == [step["note"]]
        return case
    if "pay" in step:
        return _pay(s, step["pay"])
    later = _result(step.get("result") or step["refresh"])
    case = s.scalars(select(Case).where(Case.measure == later.measure)).first()
    if "refresh" in step:
        refresh(s, case, later, BASIS)
    else:
        difference = changed(case, later)
        assert (difference.text() if difference else "") == step["changed"]
    return case


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_golden_scenario(cases_db: Database, path: Path) -> None:
    scenario = tomllib.loads(path.read_text("utf-8"))
    today = date.fromisoformat(scenario["today"])
    with cases_db.session() as s:
        for day in scenario.get("holidays", ()):
            add_holiday(s, date.fromisoformat(day))
        for fund in scenario.get("funds", ()):
            set_fund(s, fund["measure"], fund["level"], Decimal(fund["budget"]),
                     document=fund.get("document"))  # fmt: skip
        open_cases(s, [_result({"amount": "250000.00", **o}) for o in scenario["open"]],
                   BASIS, PARAMETERS)  # fmt: skip
        for number, step in enumerate(scenario["steps"], start=1):
            refused = step.get("refused", "").format(code1=code(1))
            on = _day(step.get("today")) or today
            with s.begin_nested():
                raising = pytest.raises(CaseError) if refused else nullcontext()
                with raising as caught:
                    case = _step(s, step, on)
            if refused:
                assert str(caught.value) == refused, f"step {number}"
                case = _about(s, step)
            _check(s, case, step.get("expect", {}))


def _about(s: Session, step: dict[str, Any]) -> Case:
    """The case a refused step was about."""
    if "cases" in step:
        return _case(s, step["cases"][0])
    spec = step.get("pay") or step.get("refresh")
    return s.scalars(select(Case).where(Case.measure == spec.get("measure", "12"))).first()
