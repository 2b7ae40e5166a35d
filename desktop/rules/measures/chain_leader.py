"""第十三条: the reward to a confirmed chain-leader manufacturer reaching 5亿 for the first time."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from desktop.rules.enterprise_facts import EnterpriseFacts
from desktop.rules.labels import enterprise_label, in_yuan
from desktop.rules.measure import FILING, Measure
from desktop.rules.measures.text import build, growth, percent, percent_plain, reaches, wan
from desktop.rules.policy import Policy
from desktop.rules.result import FactValue, Result, Verdict

KEY, CLAUSE = "13", "第十三条"
LEADER, INDUSTRY, CONFIRMED = map(
    enterprise_label, ("chain_leader", "industry_code", "chain_role_confirmed")
)


def reward(increase: Decimal, p: Policy) -> Decimal:
    """Base reward plus one step per whole increment, capped."""
    steps = increase // p["13.increment_step"]
    return min(p["13.reward_cap"], p["13.base_reward"] + p["13.step_reward"] * steps)


class _Terms(NamedTuple):
    """The reward year, read once per policy, with the labels and period it makes."""

    year: int
    period: str
    base_label: str
    year_label: str

    @classmethod
    def of(cls, p: Policy) -> _Terms:
        year = p["13.reward_year"]
        return cls(year, str(year), in_yuan(f"{year - 1}年产值"), in_yuan(f"{year}年产值"))


def decide(f: EnterpriseFacts, p: Policy) -> Result:
    """The 第十三条 result of one enterprise."""
    t = p.derived(_Terms.of)
    year = t.year
    cite = f"依据：{CLAUSE}"
    this = f.annual[year].output if year in f.annual else None
    base = f.annual[year - 1].output if year - 1 in f.annual else None

    def result(verdict: Verdict, lines: list[str], amount: Decimal | None = None) -> Result:
        facts: list[tuple[str, FactValue]] = [
            (LEADER, f.chain_leader), (INDUSTRY, f.industry_code),
            (CONFIRMED, f.chain_role_confirmed),
            (t.base_label, base), (t.year_label, this),
        ]  # fmt: skip
        return build(f, measure=KEY, clause=CLAUSE, period=t.period, verdict=verdict,
                     amount=amount, lines=lines, facts=facts)  # fmt: skip

    if not f.chain_leader:
        return result(Verdict.INELIGIBLE, [f"未标记为重点产业链链主企业。{cite}"])
    if not f.industry_code:
        return result(
            Verdict.INCOMPLETE, [f"行业代码缺失，请在「企业名录」的「行业代码」补录。{cite}"]
        )
    if not f.industry_code.strip().upper().startswith(p["13.section"]):
        return result(Verdict.INELIGIBLE, [f"行业代码{f.industry_code}不属于制造业。{cite}"])
    if f.chain_role_confirmed is False:
        return result(Verdict.INELIGIBLE, [f"「建链延链补链强链」作用认定为否。{cite}"])
    missing = [text for gone, text in (
        (f.chain_role_confirmed is None, "企业名录的「链主作用认定」"),
        (base is None, f"「年度数据」表{year - 1}年产值"),
        (this is None, f"「年度数据」表{year}年产值"),
    ) if gone]  # fmt: skip
    if missing:
        return result(Verdict.INCOMPLETE, [f"缺少{'、'.join(missing)}，请补录。{cite}"])
    assert this is not None and base is not None
    return _judge(f, p, this, base, result)


def _judge(f, p: Policy, this: Decimal, base: Decimal, result) -> Result:  # type: ignore[no-untyped-def]
    year, threshold, ratio = p["13.reward_year"], p["13.output_threshold"], p["13.growth_threshold"]
    earlier = [y.output for k, y in f.annual.items() if k < year and y.output is not None]
    first = this >= threshold and all(o < threshold for o in earlier)
    grew = reaches(this, base, ratio)
    rate = percent(growth(this, base)) if base > 0 else "—"
    lines = [
        f"{year}年产值{wan(this)}，{year - 1}年产值{wan(base)}，同比增长{rate}"
        f"（要求不低于{percent_plain(ratio)}：{'达到' if grew else '未达到'}）",
        f"{year}年产值{'首次达到' if first else '并非首次达到或未达到'}{wan(threshold)}以上",
    ]
    if not (first and grew):
        lines.append(f"条件未全部满足，不符合。依据：{CLAUSE}")
        return result(Verdict.INELIGIBLE, lines)
    increase = this - base
    amount = reward(increase, p)
    lines.append(
        f"产值增量{wan(increase)}，计{increase // p['13.increment_step']}个整亿，奖励"
        f"{wan(p['13.base_reward'])}+{wan(p['13.step_reward'])}×"
        f"{increase // p['13.increment_step']}，最高{wan(p['13.reward_cap'])}，"
        f"应奖{wan(amount)}。依据：{CLAUSE}"
    )
    return result(Verdict.ELIGIBLE, lines, amount)


def _decide_one(f: EnterpriseFacts, p: Policy) -> list[Result]:
    return [decide(f, p)]


MEASURE = Measure(
    key=KEY,
    clause=CLAUSE,
    subject="重点产业链链主企业奖励",
    amount_label="奖励金额",
    sheet_kind=FILING,
    period_label=None,
    decide=_decide_one,
)
