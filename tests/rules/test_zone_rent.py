"""第十一条 beyond the golden cases: a lease in a zone whose level or kind is not recorded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desktop.rules.enterprise_facts import EnterpriseFacts, LeaseFacts
from desktop.rules.measures.zone_rent import MEASURE
from desktop.rules.policy import load_policy
from desktop.rules.result import Verdict


def _decide(provincial: bool | None, standard: bool = True) -> tuple[Verdict, str]:
    lease = LeaseFacts("新园区", provincial, standard, Decimal(8000), date(2023, 1, 1),
                       date(2023, 12, 31))  # fmt: skip
    facts = EnterpriseFacts("91140900MA0000000X", "测试企业", "忻府区", "C3311", leases=(lease,))
    (result,) = MEASURE.decide(facts, load_policy())
    return result.verdict, "".join(result.explanation)


def test_a_zone_of_unknown_level_or_kind_is_incomplete_and_says_where_to_fill_it() -> None:
    verdict, text = _decide(None)
    assert verdict is Verdict.INCOMPLETE
    assert "新园区" in text and "级别或类型未填" in text and "开发区名单" in text
    assert "未租用工业类省级开发区" not in text  # never a convincing false reason


@pytest.mark.parametrize(("provincial", "standard", "verdict"), [
    (True, True, Verdict.ELIGIBLE),
    (False, True, Verdict.INELIGIBLE),
    (None, False, Verdict.INELIGIBLE),  # not a standard factory: the zone does not matter
])  # fmt: skip
def test_a_known_zone_decides_as_before(
    provincial: bool | None, standard: bool, verdict: Verdict
) -> None:
    assert _decide(provincial, standard)[0] is verdict
