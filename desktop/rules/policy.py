"""Policy parameters as data: one TOML file per policy document, each value labelled and cited."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from desktop import values
from desktop.rules.measures.text import percent_plain, wan_plain

DEFAULT_DOCUMENT = "xinzhou-2022-86"
MONEY_UNIT = "元"
RATIO_UNITS = ("比率", "税率")
T = TypeVar("T")
Value = Decimal | int | str | date | tuple[int, int] | tuple[tuple[str, int, int], ...]


class PolicyError(ValueError):
    """A policy file or an override is wrong; ``str()`` is the officer's text."""


def _decimal(text: str) -> Decimal:
    value = Decimal(text)
    if not value.is_finite():
        raise ValueError(text)
    return value


def _divisions(text: str) -> tuple[tuple[str, int, int], ...]:
    """``"B06-B12,C13-C43"`` → ``(("B", 6, 12), ("C", 13, 43))``."""
    spans = []
    for span in text.split(","):
        first, last = span.strip().split("-")
        if first[0] != last[0] or not first[0].isalpha():
            raise ValueError(span)
        spans.append((first[0].upper(), int(first[1:]), int(last[1:])))
    return tuple(spans)


# Each kind read by the values package, with its ranges; money and ratios by their unit.
PARSERS: dict[str, Callable[[str], Value]] = {
    "decimal": _decimal,
    "int": values.integer,
    "month": values.month,
    "date": values.day,
    "text": str.strip,
    "divisions": _divisions,
}
UNIT_PARSERS: dict[str, Callable[[str], Value]] = {
    MONEY_UNIT: values.amount,
    "年": values.year,
    **dict.fromkeys(RATIO_UNITS, values.ratio),
}


def read_value(kind: str, unit: str, text: str) -> Value:
    """The value of a parameter of ``kind`` in ``unit`` written as ``text`` (file or what-if)."""
    return UNIT_PARSERS.get(unit, PARSERS[kind])(str(text).strip())


KIND_NAMES = {
    "decimal": "数字",
    "int": "整数",
    "month": "年月（如 2023-01）",
    "date": "日期（如 2023-01-31）",
    "text": "文字",
    "divisions": "行业代码范围（如 B06-B12,C13-C43）",
}


@dataclass(frozen=True)
class Parameter:
    """One number of the policy with its unit, clause and source."""

    key: str
    label: str
    value: Value
    text: str
    kind: str
    unit: str
    clause: str
    source: str
    not_before: str | None = None  # the key of the parameter this one may not precede

    @property
    def shown(self) -> str:
        """The value as an officer reads it: 300万元, 50%, 6个月."""
        if self.unit == MONEY_UNIT:
            return wan_plain(self.value)  # type: ignore[arg-type]
        if self.unit in RATIO_UNITS:
            return percent_plain(self.value)  # type: ignore[arg-type]
        return f"{self.text}{self.unit}" if self.kind == "int" else self.text

    @property
    def hint(self) -> str:
        """How a new value may be written."""
        if self.unit == MONEY_UNIT:
            return "应为金额，如 300万 或 3000000"
        if self.unit in RATIO_UNITS:
            return "应为数字，如 60% 或 0.6"
        return f"应为{KIND_NAMES.get(self.kind, self.kind)}"

    def overridden(self, text: str) -> Parameter:
        """This parameter with ``text`` typed for a what-if: money with 万/亿, ratios with %."""
        return replace(self, value=_parse(self, text), text=str(text).strip())


def _parse(parameter: Parameter, text: str) -> Value:
    try:
        return read_value(parameter.kind, parameter.unit, text)
    except values.OutOfRange as problem:
        raise PolicyError(f"「{parameter.label}」的值「{text}」超出范围：{problem}") from None
    except (ValueError, InvalidOperation, IndexError, KeyError):
        raise PolicyError(
            f"「{parameter.label}」的值「{text}」无法识别（{parameter.hint}）"
        ) from None


def _check_order(parameters: Mapping[str, Parameter]) -> None:
    """Every window runs forwards: a parameter is not before the one it may not precede."""
    for later in parameters.values():
        earlier = parameters.get(later.not_before or "")
        if earlier is not None and later.value < earlier.value:  # type: ignore[operator]
            raise PolicyError(
                f"「{later.label}」（{later.text}）早于「{earlier.label}」（{earlier.text}）"
            )


@dataclass(frozen=True)
class Bracket:
    """The part of taxable income up to ``upto`` counts ``share`` and is taxed at ``rate``."""

    upto: Decimal
    share: Decimal
    rate: Decimal


@dataclass(frozen=True)
class TaxYears:
    """The small low-profit brackets in force for tax years ``first``..``last``."""

    first: int
    last: int
    brackets: tuple[Bracket, ...]
    source: str


@dataclass(frozen=True)
class Policy:
    """The parameters of one policy document."""

    document: str
    title: str
    number: str
    parameters: Mapping[str, Parameter]
    tax_years: tuple[TaxYears, ...] = ()
    overridden: frozenset[str] = field(default_factory=frozenset)
    _derived: dict[Callable[[Policy], Any], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __getitem__(self, key: str) -> Any:
        """The parsed value of parameter ``key``."""
        try:
            return self.parameters[key].value
        except KeyError:
            raise PolicyError(f"《{self.number}》没有参数「{key}」") from None

    def derived(self, make: Callable[[Policy], T]) -> T:
        """``make(self)``, computed once per policy: what a rule reads for every enterprise."""
        try:
            return self._derived[make]
        except KeyError:
            value = self._derived[make] = make(self)
            return value

    def brackets(self, year: int) -> TaxYears | None:
        """The brackets in force for tax ``year``, if the policy knows them."""
        return next((t for t in self.tax_years if t.first <= year <= t.last), None)

    def with_overrides(self, overrides: Mapping[str, str] | None) -> Policy:
        """A copy with some values replaced for one evaluation (what-if); the file is untouched."""
        if not overrides:
            return self
        parameters = dict(self.parameters)
        for key, text in overrides.items():
            if key not in parameters:
                known = "、".join(f"{k}（{parameters[k].label}）" for k in sorted(parameters))
                raise PolicyError(f"没有参数「{key}」；可用参数：{known}")
            parameters[key] = parameters[key].overridden(text)
        _check_order(parameters)
        return replace(self, parameters=parameters, overridden=frozenset(overrides))


def _parameter(key: str, raw: Mapping[str, Any], default_source: str) -> Parameter:
    label = str(raw.get("label", "")).strip()
    if not label:
        raise ValueError(f"参数「{key}」缺少中文名称（label）")
    found = Parameter(
        key=key,
        label=label,
        value="",
        text=raw["value"],
        kind=raw["type"],
        unit=raw["unit"],
        clause=raw["clause"],
        source=raw.get("source", default_source),
        not_before=raw.get("not_before"),
    )
    return found.overridden(raw["value"])


def _tax_years(raw: Mapping[str, Any]) -> TaxYears:
    brackets = tuple(
        Bracket(Decimal(b["upto"]), Decimal(b["share"]), Decimal(b["rate"]))
        for b in raw["brackets"]
    )
    return TaxYears(raw["first"], raw["last"], brackets, raw["source"])


def parse_policy(data: Mapping[str, Any]) -> Policy:
    """A policy from the parsed TOML of one document."""
    doc = data["document"]
    try:
        params = {k: _parameter(k, v, doc["number"]) for k, v in data["parameters"].items()}
        years = tuple(_tax_years(t) for t in data.get("tax_years", ()))
        _check_order(params)
    except (KeyError, TypeError, ValueError) as exc:
        raise PolicyError(f"政策参数文件「{doc.get('id')}」格式有误：{exc}") from None
    return Policy(doc["id"], doc["title"], doc["number"], params, years)


def read_policy_toml(path: Path) -> dict[str, Any]:
    """The parsed TOML of the policy file at ``path`` (a document's, or ``cases.toml``)."""
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def read_shipped_toml(name: str) -> dict[str, Any]:
    """The parsed TOML of ``desktop.resources/policies/<name>.toml``, as shipped."""
    entry = resources.files("desktop.resources") / "policies" / f"{name}.toml"
    return tomllib.loads(entry.read_text("utf-8"))


def load_policy_file(path: Path) -> Policy:
    """The policy held in the TOML file at ``path``."""
    return parse_policy(read_policy_toml(path))


@cache
def load_policy(document: str = DEFAULT_DOCUMENT) -> Policy:
    """The policy shipped in ``desktop.resources/policies/<document>.toml``."""
    return parse_policy(read_shipped_toml(document))
