"""第十一条: standard factory rent waived in industrial provincial-level development zones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from desktop.rules.enterprise_facts import EnterpriseFacts, LeaseFacts
from desktop.rules.labels import enterprise_label
from desktop.rules.measure import FILING, Measure
from desktop.rules.measures.text import build, wan
from desktop.rules.policy import Policy
from desktop.rules.result import FactValue, Result, Verdict
from desktop.values import money_text

KEY, CLAUSE = "11", "第十一条"
FACT_LABELS = (enterprise_label("industry_code"), "符合条件的租赁（份）", "减免月数")


def is_industrial(code: str, divisions: tuple[tuple[str, int, int], ...]) -> bool:
    """Whether GB/T 4754 ``code`` (``C3311`` or ``3311``) falls in one of ``divisions``."""
    code = code.strip().upper()
    letter, digits = (code[0], code[1:3]) if code[:1].isalpha() else ("", code[:2])
    if not digits.isdigit():
        return False
    division = int(digits)
    return any((not letter or letter == s) and lo <= division <= hi for s, lo, hi in divisions)


def months_touched(lease: LeaseFacts, year: int) -> int:
    """Calendar months of ``year`` that the lease period touches, both ends inclusive."""
    assert lease.start is not None and lease.end is not None
    first, last = max(lease.start, date(year, 1, 1)), min(lease.end, date(year, 12, 31))
    return max(0, last.month - first.month + 1) if first <= last else 0


def decide(f: EnterpriseFacts, p: Policy) -> Result:
    """The 第十一条 result of one enterprise."""
    cite = f"依据：{CLAUSE}"
    leases = [x for x in f.leases if x.standard_factory and x.industrial_provincial]

    def result(verdict: Verdict, lines: list[str], months: int | None = None,
               total: Decimal | None = None) -> Result:  # fmt: skip
        facts: list[tuple[str, FactValue]] = list(
            zip(FACT_LABELS, (f.industry_code, len(leases), months), strict=True)
        )
        return build(f, measure=KEY, clause=CLAUSE, period=str(p["11.waiver_year"]),
                     verdict=verdict, amount=total, lines=lines, facts=facts)  # fmt: skip

    if not leases:
        unknown = [x.zone for x in f.leases
                   if x.standard_factory and x.industrial_provincial is None]  # fmt: skip
        if unknown:
            return result(Verdict.INCOMPLETE, [
                f"租用{'、'.join(dict.fromkeys(unknown))}的标准化厂房，但该开发区的级别或类型未填，"
                f"无法判断是否为工业类省级开发区，请在「设置」的开发区名单或「开发区」表补充。{cite}"
            ])  # fmt: skip
        return result(Verdict.INELIGIBLE, [f"未租用工业类省级开发区的标准化厂房。{cite}"])
    if not f.industry_code:
        return result(
            Verdict.INCOMPLETE,
            [f"租用标准化厂房，但行业代码缺失，请在「企业名录」的「行业代码」补录。{cite}"],
        )
    if not is_industrial(f.industry_code, p["11.industrial_divisions"]):
        return result(
            Verdict.INELIGIBLE,
            [f"行业代码{f.industry_code}不属于工业（采矿业、制造业、电力热力燃气及水）。{cite}"],
        )
    lacking = [x.zone for x in leases if None in (x.monthly_rent, x.start, x.end)]
    if lacking:
        return result(
            Verdict.INCOMPLETE,
            [f"{'、'.join(lacking)}的租赁缺少月租金或起止日期，请在「厂房租赁」表补录。{cite}"],
        )
    year, cap = p["11.waiver_year"], p["11.max_waived_months"]
    lines, months, total = [], 0, Decimal(0)
    for lease in leases:
        assert lease.monthly_rent is not None
        n = min(cap, months_touched(lease, year))
        months, total = months + n, total + lease.monthly_rent * n
        lines.append(
            f"{lease.zone}标准化厂房，租期{lease.start}至{lease.end}，涉及{year}年"
            f"{months_touched(lease, year)}个月，减免{n}个月（最多{cap}个月），"
            f"月租金{money_text(lease.monthly_rent)}元，减免{money_text(lease.monthly_rent * n)}元"
        )
    if not total:
        lines.append(f"租期不涉及{year}年，无可减免租金。{cite}")
        return result(Verdict.INELIGIBLE, lines, months, None)
    lines.append(f"合计减免租金{money_text(total)}元（{wan(total)}）。{cite}")
    return result(Verdict.ELIGIBLE, lines, months, total)


def _decide_one(f: EnterpriseFacts, p: Policy) -> list[Result]:
    return [decide(f, p)]


MEASURE = Measure(
    key=KEY,
    clause=CLAUSE,
    subject="开发区标准化厂房租金减免",
    amount_label="减免租金",
    sheet_kind=FILING,
    period_label=None,
    decide=_decide_one,
)
