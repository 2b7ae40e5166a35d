"""第十二条: city matching of the provincial award to white-list enterprises (2023 Q1 growth)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

from desktop.rules.enterprise_facts import EnterpriseFacts
from desktop.rules.labels import enterprise_label, in_yuan
from desktop.rules.measure import FILING, Measure
from desktop.rules.measures.text import (
    build,
    growth,
    percent,
    percent_plain,
    reaches,
    wan,
    wan_plain,
)
from desktop.rules.policy import Policy
from desktop.rules.result import FactValue, Result, Verdict

KEY, CLAUSE = "12", "第十二条"
ZERO = Decimal(0)
WHITE_LIST = enterprise_label("white_list")
TIER, GRANTED = in_yuan("省级奖励档次"), in_yuan("已记录省级奖励")


class MonthCheck(NamedTuple):
    """One window month: its output, the same month a year before, and the tier it reaches."""

    year: int
    month: int
    output: Decimal | None
    base: Decimal | None
    award: Decimal  # the tier amount reached; 0 when none

    @property
    def judged(self) -> bool:
        return self.output is not None and self.base is not None and self.base > 0

    def sentence(self, t: _Terms) -> str:
        label = f"{self.year}年{self.month}月"
        if self.output is None:
            return f"{label}产值缺失，无法判断（请在「月度产值」表补录{label}产值）"
        if self.base is None:
            return (f"{label}产值{wan(self.output)}，上年同月产值缺失，无法判断"
                    f"（请在「月度产值」表补录{self.year - 1}年{self.month}月产值）")  # fmt: skip
        if self.base <= 0:
            return (f"{label}产值{wan(self.output)}，上年同月产值为0，无法计算同比增速"
                    f"（请在「月度产值」表核实{self.year - 1}年{self.month}月产值）")  # fmt: skip
        rate = percent(growth(self.output, self.base))
        tier = t.tier_texts[self.award] if self.award else f"未达到{t.low_text}档"
        return f"{label}产值{wan(self.output)}，较上年同月{wan(self.base)}增长{rate}，{tier}"


class _Terms(NamedTuple):
    """The 第十二条 parameters, read once per policy: the window, the tiers and fixed wording."""

    window: tuple[tuple[int, int], ...]
    period: str  # "2023-Q1" for a first-quarter window
    tiers: tuple[tuple[Decimal, Decimal], ...]  # (growth ratio, award), highest first
    match_ratio: Decimal
    match_text: str  # the city's share, e.g. 50%
    low_text: str  # the low tier's growth, e.g. 50%
    tier_texts: Mapping[Decimal, str]  # per tier award: the tier reached and its award
    labels: tuple[tuple[str, str], ...]  # per window month: its output and the base month's

    @classmethod
    def of(cls, p: Policy) -> _Terms:
        window = tuple(_window(p))
        (year, month), *_ = window
        period = f"{year}-Q1" if len(window) == 3 and month == 1 else "window"
        tiers = ((p["12.high_tier_growth"], p["12.high_tier_award"]),
                 (p["12.low_tier_growth"], p["12.low_tier_award"]))  # fmt: skip
        labels = tuple(
            (in_yuan(f"{y}年{m}月产值"), in_yuan(f"{y - 1}年{m}月产值")) for y, m in window
        )
        ratio = p["12.city_match_ratio"]
        texts = {award: _tier_text(award, p) for _, award in tiers}
        return cls(window, period, tiers, ratio, percent_plain(ratio), _low(p), texts, labels)


def _low(p: Policy) -> str:
    return percent_plain(p["12.low_tier_growth"])


def _tier_text(award: Decimal, p: Policy) -> str:
    ratio = (
        p["12.high_tier_growth"] if award == p["12.high_tier_award"] else p["12.low_tier_growth"]
    )
    return f"达到{percent_plain(ratio)}档，省级奖励{wan_plain(award)}"


def _window(p: Policy) -> list[tuple[int, int]]:
    (y, m), last = p["12.window_start"], p["12.window_end"]
    months = []
    while (y, m) <= last:
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _check(f: EnterpriseFacts, year: int, month: int, t: _Terms) -> MonthCheck:
    output, base = f.monthly.get((year, month)), f.monthly.get((year - 1, month))
    if output is not None and base is not None and base > 0:
        for ratio, amount in t.tiers:
            if reaches(output, base, ratio):
                return MonthCheck(year, month, output, base, amount)
    return MonthCheck(year, month, output, base, ZERO)


def _facts(
    f: EnterpriseFacts, t: _Terms, checks: list[MonthCheck], award: Decimal
) -> list[tuple[str, FactValue]]:
    facts: list[tuple[str, FactValue]] = [(WHITE_LIST, f.white_list)]
    for (this, before), c in zip(t.labels, checks, strict=True):
        facts += [(this, c.output), (before, c.base)]
    facts += [
        (TIER, award or None),
        (GRANTED, f.provincial_award),
    ]
    return facts


def decide(f: EnterpriseFacts, p: Policy) -> Result:
    """The 第十二条 result of one enterprise."""
    t = p.derived(_Terms.of)
    checks = [_check(f, y, m, t) for y, m in t.window]
    award = max((c.award for c in checks), default=ZERO)
    cite = f"依据：{CLAUSE}"

    def result(verdict: Verdict, lines: list[str], match: Decimal | None = None) -> Result:
        return build(f, measure=KEY, clause=CLAUSE, period=t.period, verdict=verdict,
                     amount=match, lines=lines, facts=_facts(f, t, checks, award),
                     expected=f.provincial_award is None)  # fmt: skip

    if not f.white_list:
        lines = [f"未列入重点产业链供应链「白名单」（企业名录的「白名单」），不适用。{cite}"]
        return result(Verdict.INELIGIBLE, lines)
    lines = [c.sentence(t) for c in checks]
    if award:
        best = next(c for c in checks if c.award == award)
        granted = f.provincial_award
        match = (granted if granted is not None else award) * t.match_ratio
        source = (f"按已记录的省级奖励{wan(granted)}" if granted is not None
                  else f"按{best.year}年{best.month}月{t.tier_texts[award]}")  # fmt: skip
        pending = "" if granted is not None else "（预计，待省级确认）"
        lines.append(f"{source}；市级按{t.match_text}配套{wan(match)}{pending}。{cite}")
        return result(Verdict.ELIGIBLE, lines, match)
    if all(c.judged for c in checks):
        lines.append(f"窗口内各月同比增速均未达到{t.low_text}，不符合。{cite}")
        return result(Verdict.INELIGIBLE, lines)
    lines.append(
        f"已判断的月份均未达到{t.low_text}，尚有月份无法判断，请在「月度产值」表补录后重新测算。{cite}"
    )
    return result(Verdict.INCOMPLETE, lines)


def _decide_one(f: EnterpriseFacts, p: Policy) -> list[Result]:
    return [decide(f, p)]


MEASURE = Measure(
    key=KEY,
    clause=CLAUSE,
    subject="“白名单”企业市级配套奖励",
    amount_label="配套奖励",
    sheet_kind=FILING,
    period_label=None,
    decide=_decide_one,
)
