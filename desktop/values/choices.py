"""Fixed choices: yes/no, a zone's 级别 and 类型, the 第二条 calculator's enterprise kind and
stop reason, and the task force's lists (TASKFORCE.md: 企业规模, people, problems, monitoring).
Each is declared once; the window offers its words, import and settings check them.

A value outside a choice is refused with the allowed words listed, never guessed at: a 级别 of
``省级开发区`` might be meant as 省级, but ``省级以上`` or ``副省级`` would not be.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.values.cells import ValueProblem, half_width, text

YES = frozenset({"是", "Y", "YES", "√", "✓", "✔", "1", "有", "TRUE", "对"})
NO = frozenset({"否", "N", "NO", "×", "✗", "✘", "X", "0", "无", "FALSE", "不是"})


def flag(value: Any) -> bool:
    """是/否, √/×, Y/N, 1/0, 有/无, or a boolean cell."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return value == 1
    word = half_width(text(value)).upper()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueProblem("应填“是”或“否”")


def flag_word(value: bool) -> str:
    """A flag as every table and message writes it: 是 or 否."""
    return "是" if value else "否"


@dataclass(frozen=True)
class Choice:
    """One of a fixed list of ``words``; ``aliases`` are other spellings of a word (an English
    key on the command line). Calling it gives the word or raises :class:`ValueProblem`."""

    words: Sequence[str]
    aliases: Mapping[str, str] = field(default_factory=dict)

    def __call__(self, value: Any) -> str:
        raw = "".join(half_width(text(value)).split())
        if raw in self.words:
            return raw
        found = self.aliases.get(raw.lower())
        if found is None:
            raise ValueProblem(f"应为：{'、'.join(self.words)}")
        return found


ZONE_LEVEL = Choice(("国家级", "省级", "市级", "县级"))
ZONE_KIND = Choice(("工业类", "其他"))
PROVINCIAL_LEVEL, INDUSTRIAL_KIND = "省级", "工业类"  # 第十一条's zone
FUND_LEVEL = Choice(("省级", "市级", "县级"))  # a fund's, and a payment's, level (CASES.md)
ENTERPRISE_KIND = Choice(
    ("煤矿", "化工企业", "其他企业"), {"coal": "煤矿", "chemical": "化工企业", "other": "其他企业"}
)
STOP_CAUSE = Choice(("疫情", "事故"), {"epidemic": "疫情", "accident": "事故"})

ENTERPRISE_SIZE = Choice(("大型", "中型", "小型", "微型"))
LARGE_OR_MEDIUM = frozenset({"大型", "中型"})  # 包联 gives these a leader (第十五条)
PERSON_KIND = Choice(("市领导", "县领导", "服务专员", "部门联系人"))
PROBLEM_SOURCE = Choice(("走访", "电话", "12345", "其他"))
PROBLEM_CATEGORY = Choice(("用工", "资金", "融资", "能源", "物流", "审批", "市场", "其他"))
# A problem's 办理状态 as officers write it, in the state table's order (taskforce.problem_states).
PROBLEM_STATE = Choice(("待交办", "办理中", "申请延期", "已办结", "已回访", "已销号"))
CLOSE_REASON = Choice(("不属实", "重复"))  # a problem closed before it is assigned
SATISFACTION = Choice(("满意", "基本满意", "不满意"))  # an enterprise's word at the 回访
PRODUCTION_STATUS = Choice(("停产", "部分复工", "全面复工", "达产达效"))
RESUMED = frozenset({"全面复工", "达产达效"})  # counted by the resumption rate


def zone_names(names: Sequence[str]) -> Choice:
    """A lease's zone: one of the zones recorded (``names``)."""
    return Choice(tuple(names))
