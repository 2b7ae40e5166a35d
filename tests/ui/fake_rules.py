"""A stand-in for ``desktop.rules.evaluate`` (the agreed interface) until the rules land:
第十二条 for white-list enterprises, the match ratio taken from the overrides."""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import County, Enterprise
from desktop.rules.result import Result, Verdict

AWARD = Decimal("500000.00")


def evaluate_roster(
    session: Session,
    *,
    measures: Sequence[str] | None = None,
    county: str | None = None,
    overrides: Mapping[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Result]:
    ratio = Decimal((overrides or {}).get("12.city_match_ratio", "0.5"))
    query = select(Enterprise, County.name).join(County)
    rows = session.execute(query).all()
    results = []
    for done, (ent, county_name) in enumerate(rows, start=1):
        if county and county_name != county:
            continue
        verdict = Verdict.ELIGIBLE if ent.white_list else Verdict.INELIGIBLE
        amount = (AWARD * ratio).quantize(Decimal("0.01")) if ent.white_list else None
        why = ("在白名单内，2023年1月同比增长50.00%",) if ent.white_list else ("不在白名单内",)
        results.append(
            Result("12", ent.uscc, ent.name, county_name, "2023-Q1", verdict, amount,
                   ent.white_list, "第十二条", why, (("增长率", Decimal("0.5")),))
        )  # fmt: skip
        if progress:
            progress(done, len(rows))
    return [r for r in results if measures is None or r.measure in measures]


def module() -> types.ModuleType:
    """The fake as a module object for ``sys.modules``."""
    fake = types.ModuleType("desktop.rules.evaluate")
    fake.evaluate_roster = evaluate_roster  # type: ignore[attr-defined]
    return fake


def guarantee_fee(principal: Decimal, standard_rate: Decimal, start: date | None = None) -> Result:
    """第九条 担保费减半（替身）"""
    if principal < 0:
        raise ValueError("本金不能为负数")
    fee = (principal * standard_rate / 2).quantize(Decimal("0.01"))
    return Result("9", "", "", "", "", Verdict.ELIGIBLE, fee, False, "第九条",
                  (f"担保费 = {principal} × {standard_rate} × 50% = {fee} 元",))  # fmt: skip


def calculators_module() -> types.ModuleType:
    """A stand-in ``desktop.rules.calculators`` with one calculator."""
    fake = types.ModuleType("desktop.rules.calculators")
    fake.CALCULATORS = {"担保费（第九条）": guarantee_fee}  # type: ignore[attr-defined]
    return fake
