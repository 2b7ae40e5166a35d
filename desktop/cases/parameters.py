"""The parameters of case handling, from ``resources/policies/cases.toml``.

Not policy numbers (no measure's rule reads them), so they have their own small file, read by
the one reader of policy files (``desktop.rules.policy``): the publicity period in working
days, the days of warning before a deadline, and per measure its payment deadline
(``cases.deadline.N``) and the level of its fund (``cases.level.N``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from desktop.cases.errors import CaseError
from desktop.models import LEVELS
from desktop.rules.policy import read_policy_toml, read_shipped_toml

NAME = "cases"
FILE_NAME = f"{NAME}.toml"


@dataclass(frozen=True)
class CaseParameters:
    """What the moves and the deadlines read."""

    publicity_working_days: int
    warn_days: int
    deadlines: Mapping[str, date]
    levels: Mapping[str, str]

    def deadline(self, measure: str) -> date:
        """The payment deadline of ``measure`` (第八条)."""
        return self._of(self.deadlines, "deadline", measure)

    def level(self, measure: str) -> str:
        """The level of government whose fund ``measure``'s approvals count against."""
        return self._of(self.levels, "level", measure)

    @staticmethod
    def _of(table: Mapping[str, Any], name: str, measure: str) -> Any:
        try:
            return table[measure]
        except KeyError:
            raise CaseError(f"兑现参数缺少「cases.{name}.{measure}」（{FILE_NAME}）") from None


def _count(data: Mapping[str, Any], key: str) -> int:
    """A whole number of days, not negative."""
    try:
        value = data["cases"][key]["value"]
    except (KeyError, TypeError):
        raise CaseError(f"兑现参数缺少「cases.{key}」（{FILE_NAME}）") from None
    if type(value) is not int or value < 0:
        raise CaseError(f"兑现参数「cases.{key}」的值「{value}」无法识别")
    return value


def _per_measure(data: Mapping[str, Any], key: str, check: Callable[[Any], bool]) -> dict[str, Any]:
    try:
        found = dict(data["cases"][key]["values"])
    except (KeyError, TypeError):
        raise CaseError(f"兑现参数缺少「cases.{key}」（{FILE_NAME}）") from None
    for measure, value in found.items():
        if not check(value):
            raise CaseError(f"兑现参数「cases.{key}.{measure}」的值「{value}」无法识别")
    return found


def parse_case_parameters(data: Mapping[str, Any]) -> CaseParameters:
    """The parameters in the parsed TOML ``data``; a missing or wrong one is refused by name."""
    days = _count(data, "publicity_working_days")
    if days < 1:
        raise CaseError(f"兑现参数「cases.publicity_working_days」的值「{days}」应至少为 1")
    return CaseParameters(
        publicity_working_days=days,
        warn_days=_count(data, "warn_days"),
        deadlines=_per_measure(data, "deadline", lambda v: type(v) is date),
        levels=_per_measure(data, "level", lambda v: v in LEVELS),
    )


def load_case_parameters_file(path: Path) -> CaseParameters:
    """The parameters in the TOML file at ``path``."""
    return parse_case_parameters(read_policy_toml(path))


@cache
def load_case_parameters() -> CaseParameters:
    """The parameters shipped in ``desktop.resources/policies/cases.toml``."""
    return parse_case_parameters(read_shipped_toml(NAME))
