"""The per-case calculators (第二、六、七、九、十四条), registered with their parameters' labels."""

from __future__ import annotations

import calendar
import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from desktop import values
from desktop.rules.measures.text import yuan
from desktop.rules.policy import Policy, load_policy
from desktop.values import ENTERPRISE_KIND, STOP_CAUSE, ValueProblem, money_text


class CalculatorError(ValueError):
    """An input the calculator cannot use; ``str()`` is the officer's text."""


@dataclass(frozen=True)
class Answer:
    """What a calculator says: whether the clause applies, an amount or date, and why."""

    applies: bool
    explanation: tuple[str, ...]
    amount: Decimal | None = None
    until: date | None = None


@dataclass(frozen=True)
class Param:
    """A calculator's parameter: its Chinese label and the one parser its text goes through
    (a :class:`~desktop.values.Choice` is offered as its words)."""

    label: str
    parse: Callable[[Any], Any]


class Calculator:
    """One calculator: callable like its function, with a title and typed, labelled parameters.

    Text arguments (from the command line or a form) are read by each parameter's parser, so
    both read them alike; a blank one is not given.
    """

    def __init__(self, function: Callable[..., Answer], title: str, params: Mapping[str, Param]):
        functools.update_wrapper(self, function)
        self.function, self.title, self.params = function, title, dict(params)
        self.labels = {name: p.label for name, p in self.params.items()}
        self._signature = inspect.signature(function)

    def _read(self, name: str, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if values.is_blank(value):
            return None
        param = self.params[name]
        try:
            return param.parse(value)
        except ValueProblem as problem:
            raise CalculatorError(f"{param.label}「{value.strip()}」：{problem}") from None

    def __call__(self, *args: Any, **kwargs: Any) -> Answer:
        bound = self._signature.bind(*args, **kwargs)
        given = {name: self._read(name, v) for name, v in bound.arguments.items()}
        missing = [
            self.labels[name]
            for name, p in self._signature.parameters.items()
            if given.get(name) is None and p.default is inspect.Parameter.empty
        ]
        if missing:
            raise CalculatorError(f"缺少：{'、'.join(missing)}")
        return self.function(**given)


def _policy() -> Policy:
    return load_policy()


def acceptance(kind: str, cause: str, days: int) -> Answer:
    """第二条 复工复产验收：由谁组织验收。"""
    limit = _policy()["2.self_acceptance_days"]
    if days < 0:
        raise CalculatorError(f"停产天数不能为负数：{days}")
    if kind == "其他企业":
        return Answer(False, ("第二条只适用于煤矿、化工企业。依据：第二条",))
    if cause == "事故":
        route = "按《山西省煤矿生产安全事故整顿恢复机制实施办法》尽快开展复工复产验收"
    elif days <= limit:
        route = f"停产{days}天，不超过{limit}天，由主体企业自行组织验收"
    else:
        route = f"停产{days}天，超过{limit}天，由当地应急部门尽快组织验收"
    return Answer(True, (f"{kind}因{cause}停产：{route}。依据：第二条",))


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


def deferral(month: tuple[int, int]) -> Answer:
    """第七条 水、气费缓缴：该月产生的费用可否申请缓缴。"""
    key = year, number = month
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
    line = (f"担保金额{money_text(principal)}元×标准费率{rate}×{ratio}（减半）＝担保费"
            f"{money_text(fee)}元（原{money_text(principal * rate)}元）。依据：第九条")  # fmt: skip
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
    line = f"吸纳{people}人×每人{money_text(per_person)}元＝{money_text(amount)}元。依据：第六条"
    return Answer(True, (line,), amount=amount)


CALCULATORS: dict[str, Calculator] = {
    "acceptance": Calculator(acceptance, "第二条 复工复产验收", {
        "kind": Param("企业类型", ENTERPRISE_KIND), "cause": Param("停产原因", STOP_CAUSE),
        "days": Param("停产天数", values.integer)}),
    "licence": Calculator(licence, "第十四条 证照有效期顺延",
                          {"expiry": Param("证照到期日", values.day)}),
    "deferral": Calculator(deferral, "第七条 水气费缓缴",
                           {"month": Param("费用产生月份（如 2023-02）", values.month)}),
    "guarantee": Calculator(guarantee, "第九条 担保费率减半", {
        "principal": Param("担保金额（元）", values.money),
        "rate": Param("标准担保费率（如 0.015 或 1.5%）", values.ratio),
        "date": Param("业务发生日期", values.day)}),
    "employment": Calculator(employment, "第六条 一次性吸纳就业补贴", {
        "people": Param("吸纳人数", values.integer),
        "per_person": Param("每人补贴标准（元）", values.amount)}),
}  # fmt: skip
