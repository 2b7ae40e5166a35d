"""第五条: income tax relief of small low-profit enterprises, one result per tax year."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import NamedTuple

from desktop.rules.enterprise_facts import EnterpriseFacts, YearFigures
from desktop.rules.labels import annual_label, in_yuan
from desktop.rules.measure import Measure
from desktop.rules.measures.text import build, percent_plain, wan, yuan
from desktop.rules.policy import Policy, TaxYears
from desktop.rules.result import FactValue, Result, Verdict
from desktop.values import money_text

KEY, CLAUSE = "5", "第五条"
# the facts that are columns of the annual figures, in the schema's words
INCOME, ASSETS = in_yuan(annual_label("taxable_income")), in_yuan(annual_label("total_assets"))
EMPLOYEES, RESTRICTED = annual_label("employees"), annual_label("restricted_industry")
DUE = in_yuan("应纳所得税额")
RESTRICTED_ASSUMED = "未填报限制或禁止行业，按“否”处理"


def tax_due(income: Decimal, brackets: TaxYears) -> Decimal:
    """Income tax of a small low-profit enterprise on taxable ``income``."""
    due, floor = Decimal(0), Decimal(0)
    for b in brackets.brackets:
        part = min(income, b.upto) - floor
        if part > 0:
            due += part * b.share * b.rate
        floor = b.upto
    return yuan(due)


class _Terms(NamedTuple):
    """The 第五条 parameters, read once per policy, with the limit sentences they make."""

    income_limit: Decimal
    employees_limit: int
    assets_limit: Decimal
    standard_rate: Decimal
    failure_texts: tuple[str, str, str, str]  # restricted, income, employees, assets
    standard_text: str  # the standard rate as written, e.g. "25%"
    standard_label: str  # the fact of the tax at that rate
    brackets: Callable[[int], TaxYears | None]  # per tax year, looked up once

    @classmethod
    def of(cls, p: Policy) -> _Terms:
        income, employees, assets = (
            p["5.taxable_income_limit"], p["5.employees_limit"], p["5.assets_limit"]
        )  # fmt: skip
        texts = ("属于限制或禁止行业", f"应纳税所得额超过{wan(income)}",
                 f"从业人数超过{employees}人", f"资产总额超过{wan(assets)}")  # fmt: skip
        brackets = cache(p.brackets)
        rate = p["5.standard_rate"]
        standard = percent_plain(rate)
        label = in_yuan(f"按{standard}计算的税额")
        return cls(income, employees, assets, rate, texts, standard, label, brackets)


def small_low_profit(y: YearFigures, p: Policy) -> list[str]:
    """The conditions ``y`` fails (empty when small low-profit); needs every figure present."""
    assert y.taxable_income is not None and y.employees is not None and y.total_assets is not None
    t = p.derived(_Terms.of)
    failed = (y.restricted_industry is True, y.taxable_income > t.income_limit,
              y.employees > t.employees_limit, y.total_assets > t.assets_limit)  # fmt: skip
    if not any(failed):
        return []
    return [text for fails, text in zip(failed, t.failure_texts, strict=True) if fails]


def decide_all(f: EnterpriseFacts, p: Policy) -> list[Result]:
    """One result per tax year whose annual record has a taxable income; an enterprise with
    annual records but no taxable income in any gets one, for its latest year, asking for it."""
    years = [year for year in sorted(f.annual) if f.annual[year].taxable_income is not None]
    if not years and f.annual:
        return [_income_missing(f, max(f.annual), p)]
    return [decide(f, year, p) for year in years]


def _result(
    f: EnterpriseFacts,
    year: int,
    p: Policy,
    verdict: Verdict,
    lines: list[str],
    due: Decimal | None = None,
) -> Result:
    """The result for tax ``year``; an assumed restricted-industry fact is said first."""
    y, t = f.annual[year], p.derived(_Terms.of)
    income = y.taxable_income
    standard = yuan(income * t.standard_rate) if income is not None else None
    relief = standard - due if due is not None and standard is not None else None
    facts: list[tuple[str, FactValue]] = [
        (INCOME, income), (EMPLOYEES, y.employees),
        (ASSETS, y.total_assets), (RESTRICTED, y.restricted_industry),
        (t.standard_label, standard), (DUE, due),
    ]  # fmt: skip
    if y.restricted_industry is None:
        lines = [RESTRICTED_ASSUMED, *lines]
    return build(f, measure=KEY, clause=CLAUSE, period=str(year), verdict=verdict,
                 amount=relief, lines=lines, facts=facts)  # fmt: skip


def _income_missing(f: EnterpriseFacts, year: int, p: Policy) -> Result:
    """Incomplete: no annual record of the enterprise has a taxable income."""
    line = (f"年度数据均无应纳税所得额，请在「年度数据」表补录{year}年应纳税所得额。"
            f"依据：{CLAUSE}")  # fmt: skip
    return _result(f, year, p, Verdict.INCOMPLETE, [line])


def decide(f: EnterpriseFacts, year: int, p: Policy) -> Result:
    """The 第五条 result of one enterprise for tax ``year``."""
    y = f.annual[year]
    income = y.taxable_income
    assert income is not None
    t = p.derived(_Terms.of)
    brackets = t.brackets(year)
    standard = yuan(income * t.standard_rate)

    def result(verdict: Verdict, lines: list[str], due: Decimal | None = None) -> Result:
        return _result(f, year, p, verdict, lines, due)

    if y.employees is None or y.total_assets is None:
        missing = [n for gone, n in ((y.employees is None, "从业人数"),
                                     (y.total_assets is None, "资产总额")) if gone]  # fmt: skip
        return result(
            Verdict.INCOMPLETE,
            [f"{year}年{'、'.join(missing)}缺失，请在「年度数据」表补录。依据：{CLAUSE}"],
        )
    if brackets is None:
        return result(Verdict.INELIGIBLE, [f"政策未载明{year}纳税年度的优惠税率。依据：{CLAUSE}"])
    failures = small_low_profit(y, p)
    if failures or income <= 0:
        why = "、".join(failures) or "应纳税所得额不为正，无需减免"
        return result(
            Verdict.INELIGIBLE, [f"{year}年{why}，不属于可减免的小型微利企业。依据：{CLAUSE}"]
        )
    due = tax_due(income, brackets)
    lines = [
        f"{year}年应纳税所得额{wan(income)}，从业人数{y.employees}人，资产总额"
        f"{wan(y.total_assets)}，属于小型微利企业",
        # due and standard are in fen already
        f"按{year}纳税年度优惠计税应纳{money_text(due)}元，按{t.standard_text}计税"
        f"{money_text(standard)}元，"
        f"减免{money_text(standard - due)}元。依据：{CLAUSE}（{brackets.source}）",
    ]
    return result(Verdict.ELIGIBLE, lines, due)


MEASURE = Measure(
    key=KEY,
    clause=CLAUSE,
    subject="小型微利企业所得税减免",
    amount_label="减免税额",
    sheet_kind="情况汇总表",
    period_label="纳税年度",
    decide=decide_all,
)
