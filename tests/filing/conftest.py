"""Results built by hand, shaped like the rules engine's, for the workbook tests."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from desktop.rules.result import Result, Verdict

LABELS_12 = ("2023年1月产值（元）", "2022年1月产值（元）", "最高同比增速", "省级奖励已核定")
MakeResult = Callable[..., Result]


def _result(
    serial: int,
    *,
    measure: str = "12",
    name: str | None = None,
    county: str = "忻府区",
    verdict: Verdict = Verdict.ELIGIBLE,
    amount: str | None = "250000.00",
    expected: bool = False,
    period: str = "2023-Q1",
) -> Result:
    """Enterprise ``serial`` under ``measure``; facts shaped like 第十二条's."""
    growth = Decimal("0.5") + Decimal(serial) / 100
    return Result(
        measure=measure,
        uscc=f"91140902MA{serial:07d}X",
        name=name or f"测试企业{serial:03d}有限公司",
        county=county,
        period=period,
        verdict=verdict,
        amount=Decimal(amount) if amount is not None and verdict is Verdict.ELIGIBLE else None,
        expected=expected,
        clause={"5": "第五条", "11": "第十一条", "12": "第十二条", "13": "第十三条"}[measure],
        explanation=(f"2023年1月同比增长{growth * 100:.2f}%", "市级配套为省级奖励的50%"),
        facts=tuple(
            zip(
                LABELS_12,
                (Decimal("3000000.00") + serial, Decimal("2000000.00"), growth, not expected),
                strict=True,
            )
        ),
    )


@pytest.fixture
def make_result() -> MakeResult:
    """Build one Result: ``make_result(serial, name=..., verdict=..., amount="…")``."""
    return _result
