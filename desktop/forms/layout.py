"""The application form as rows of boxes on a twelve-column grid (no Qt: painting is apart)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from itertools import zip_longest

from desktop.forms.content import COMMITMENT, ApplicationForm

GRID = 24
LABEL_SPAN = 5
VALUE_SPAN = 7  # a label and its value fill half the width
WIDE = GRID - LABEL_SPAN  # a value across the whole row
THIRD = GRID // 3
TALL_MM = 20.0  # boxes at least this tall set their text at the top
SEAL_FOOTER = "（盖章）\n年    月    日"
OPINIONS = ("县（市、区）工信部门意见：", "县（市、区）财政部门意见：", "市工信局意见：")


class Kind(Enum):
    """How a box is drawn: a section heading, a field label, or a value."""

    SECTION = "section"
    LABEL = "label"
    VALUE = "value"


@dataclass(frozen=True)
class Box:
    """One bordered box: its text, its width in grid columns, its least height in mm, and a
    footer pinned to its bottom right (seal and date lines)."""

    text: str
    span: int
    kind: Kind = Kind.VALUE
    height: float = 0.0
    footer: str = ""
    shrinkable: bool = False  # the box whose text may be set smaller when the page is full


Row = tuple[Box, ...]


def form_rows(form: ApplicationForm) -> list[Row]:
    """The boxes of ``form``, top to bottom; the last row takes what is left of the page."""
    a = form.applicant
    blank = not a.uscc
    return [
        _section("一、企业基本情况"),
        _pair("企业名称", a.name, span=WIDE),
        _pair("统一社会信用代码", a.uscc) + _pair("所属县（市、区）", a.county),
        _pair("法定代表人", a.legal_representative) + _pair("联系人", a.contact),
        _pair("联系电话", a.phone) + _pair("申请期间", form.period),
        _pair("企业地址", a.address, span=WIDE),
        _pair("开户银行", a.bank) + _pair("银行账号", a.bank_account),
        _section("二、申请事项及测算"),
        _pair("政策依据", form.basis, span=WIDE),
        *_fact_rows(form.facts),
        (
            Box("测算过程", LABEL_SPAN, Kind.LABEL),
            Box(_explanation(form), WIDE, height=45 if blank else 12, shrinkable=True),
        ),
        _pair("申请金额（小写）", form.amount, span=VALUE_SPAN - 2)
        + _pair("申请金额（大写）", form.capitals, span=VALUE_SPAN + 2),
        _section("三、企业承诺"),
        (Box(COMMITMENT, GRID),),
        (
            Box("企业（盖章）：", THIRD, height=24),
            Box("法定代表人（签字）：", THIRD, height=24),
            Box("日期：", THIRD, height=24, footer="年    月    日"),
        ),
        _section("四、审核意见"),
        tuple(Box(title, THIRD, height=42, footer=SEAL_FOOTER) for title in OPINIONS),
    ]


def _section(title: str) -> Row:
    return (Box(title, GRID, Kind.SECTION),)


def _pair(label: str, value: str, *, span: int = VALUE_SPAN) -> Row:
    height = 8.0
    return (Box(label, LABEL_SPAN, Kind.LABEL, height), Box(value, span, height=height))


def _fact_rows(facts: tuple[tuple[str, str], ...]) -> list[Row]:
    pairs = [_pair(label, value) for label, value in facts]
    return [
        first + (second or (Box("", LABEL_SPAN + VALUE_SPAN),))
        for first, second in zip_longest(pairs[::2], pairs[1::2], fillvalue=None)
    ]


def _explanation(form: ApplicationForm) -> str:
    lines = [f"{n}. {line}" for n, line in enumerate(form.explanation, start=1)]
    if form.note:
        lines.append(form.note)
    return "\n".join(lines)
