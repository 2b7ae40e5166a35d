"""The per-case calculators (第二、六、七、九、十四条), registered with their parameters' labels."""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from desktop.rules.measures.text import yuan
from desktop.rules.policy import Policy, load_policy

KINDS = {"coal": "煤矿", "chemical": "化工企业", "other": "其他企业"}
CAUSES = {"epidemic": "疫情", "accident": "事故"}


class CalculatorError(ValueError):
    """An input the calculator cannot use; ``str()`` is the officer's text."""


@dataclass(frozen=True)
class Answer:
    """What a calculator says: whether the clause applies, an amount or date, and why."""

    applies: bool
    explanation: tuple[str, ...]
    amount: Decimal | None = None
    until: date | None = None


class Calculator:
    """One calculator: callable like its function, with a title and Chinese parameter labels."""

    def __init__(self, function: Callable[..., Answer], title: str, labels: Mapping[str, str]):
        functools.update_wrapper(self, function)
        self.function, self.title, self.labels = function, title, dict(labels)

    def __call__(self, *args: Any, **kwargs: Any) -> Answer:
        return self.function(*args, **kwargs)


def _policy() -> Policy:
    return load_policy()


def _choice(value: str, choices: Mapping[str, str], what: str) -> str:
    """``value`` as a key of ``choices``, given either the key or its Chinese word."""
    for key, word in choices.items():
        if value.strip() in (key, word):
            return key
    raise CalculatorError(f"{what}「{value}」无法识别，可填：{'、'.join(choices.values())}")


def acceptance(kind: str, cause: str, days: int) -> Answer:
    """第二条 复工复产验收：由谁组织验收。"""
    kind, cause = _choice(kind, KINDS, "企业类型"), _choice(cause, CAUSES, "停产原因")
    limit = _policy()["2.self_acceptance_days"]
    if days < 0:
        raise CalculatorError(f"停产天数不能为负数：{days}")
    if kind == "other":
        return Answer(False, ("第二条只适用于煤矿、化工企业。依据：第二条",))
    if cause == "accident":
        route = "按《山西省煤矿生产安全事故整顿恢复机制实施办法》尽快开展复工复产验收"
    elif days <= limit:
        route = f"停产{days}天，不超过{limit}天，由主体企业自行组织验收"
    else:
        route = f"停产{days}天，超过{limit}天，由当地应急部门尽快组织验收"
    return Answer(True, (f"{KINDS[kind]}因{CAUSES[cause]}停产：{route}。依据：第二条",))


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def licence(expiry: date) -> Answer:
    """第十四条 证照过期：有效期至少顺延至哪一天。"""
    months = _policy()["14.min_extension_months"]
    until = add_months(expiry, months)
    line = f"证照有效期{expiry}届满，至少顺延{months}个月，至{until}。依据：第十四条"
    return Answer(True, (line,), until=until)


def deferral(month: str) -> Answer:
    """第七条 水、气费缓缴：该月产生的费用可否申请缓缴。"""
    try:
        year, number = (int(part) for part in month.strip().split("-"))
        key = (year, number)
        if not 1 <= number <= 12:
            raise ValueError(month)
    except ValueError:
        raise CalculatorError(f"月份「{month}」无法识别，应写作 2023-02") from None
    p = _policy()
    (fy, fm), (ly, lm) = p["7.first_month"], p["7.last_month"]
    window = f"{fy}年{fm}月至{ly}年{lm}月"
    if (fy, fm) <= key <= (ly, lm):
        line = f"{year}年{number}月产生的水、气费在{window}之内，可申请缓缴"
        return Answer(True, (f"{line}，缓缴期内欠费不停供、免收滞纳金。依据：第七条",))
    return Answer(False, (f"{year}年{number}月不在{window}之内，不适用缓缴。依据：第七条",))


def guarantee(principal: Decimal, rate: Decimal, date: date) -> Answer:
    """第九条 批量化担保业务：担保费率减半后的担保费。"""
    if principal <= 0 or rate < 0:
        raise CalculatorError("担保金额须大于0，费率不能为负数")
    p = _policy()
    first, last = p["9.first_day"], p["9.last_day"]
    if not first <= date <= last:
        line = f"业务发生于{date}，不在{first}至{last}之内，不适用费率减半。依据：第九条"
        return Answer(False, (line,))
    ratio = p["9.fee_ratio"]
    fee = yuan(principal * rate * ratio)
    line = (f"担保金额{principal:.2f}元×标准费率{rate}×{ratio}（减半）＝担保费{fee:.2f}元"
            f"（原{yuan(principal * rate):.2f}元）。依据：第九条")  # fmt: skip
    return Answer(True, (line,), amount=fee)


def employment(people: int, per_person: Decimal | None = None) -> Answer:
    """第六条 小微企业一次性吸纳就业补贴：人数×每人补贴标准。"""
    if people < 0:
        raise CalculatorError(f"吸纳人数不能为负数：{people}")
    if per_person is None:
        line = ("每人补贴标准由省级政策确定，尚未设置；请在「设置」中填写"
                "「一次性吸纳就业补贴标准（元/人）」"
                "（employment_subsidy_per_person）。依据：第六条")  # fmt: skip
        return Answer(False, (line,))
    amount = yuan(per_person * people)
    line = f"吸纳{people}人×每人{per_person:.2f}元＝{amount:.2f}元。依据：第六条"
    return Answer(True, (line,), amount=amount)


CALCULATORS: dict[str, Calculator] = {
    "acceptance": Calculator(acceptance, "第二条 复工复产验收",
                             {"kind": "企业类型（煤矿/化工企业/其他企业）",
                              "cause": "停产原因（疫情/事故）", "days": "停产天数"}),
    "licence": Calculator(licence, "第十四条 证照有效期顺延", {"expiry": "证照到期日"}),
    "deferral": Calculator(deferral, "第七条 水气费缓缴", {"month": "费用产生月份（如 2023-02）"}),
    "guarantee": Calculator(guarantee, "第九条 担保费率减半",
                            {"principal": "担保金额（元）", "rate": "标准担保费率（如 0.015）",
                             "date": "业务发生日期"}),
    "employment": Calculator(employment, "第六条 一次性吸纳就业补贴",
                             {"people": "吸纳人数", "per_person": "每人补贴标准（元）"}),
}  # fmt: skip
