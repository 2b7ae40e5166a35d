"""The application form as rows of boxes on a twelve-column grid (no Qt: painting is apart)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from itertools import zip_longest

from desktop.forms.content import COMMITMENT, ApplicationForm
from desktop.rules.labels import enterprise_label

GRID = 24
LABEL_SPAN = 5
VALUE_SPAN = 7  # a label and its value fill half the width
WIDE = GRID - LABEL_SPAN  # a value across the whole row
FACT_SPAN = GRID // 4  # a fact's label and value: wide enough for 2022年1月产值（元） on one line
THIRD = GRID // 3
TALL_MM = 18.0  # boxes at least this tall set their text at the top
SIGNATURE_MM = 18.0
OPINION_MM = 34.0
SIGNED_BY = f"{enterprise_label('legal_representative')}（签字）："
SEAL_FOOTER = "（盖章）\n年    月    日"
OPINIONS = ("县（市、区）工信部门意见：", "县（市、区）财政部门意见：", "市工信局意见：")
CONTINUED = "（测算过程未完，续见附页）"
ATTACHMENT = "（附页）"
CASE_NUMBER = "兑现事项编号"


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
    computation: bool = False  # the box whose lines may continue on an attachment page


Row = tuple[Box, ...]


def form_rows(form: ApplicationForm, computation: str | None = None) -> list[Row]:
    """The boxes of ``form``'s first page, top to bottom; the last row takes what is left of
    the page. ``computation`` is the text of the 测算过程 box (all of it when None)."""
    if computation is None:
        computation = "\n".join(form.explanation_lines)
    a = form.applicant
    blank = not a.uscc
    return [
        _section("一、企业基本情况"),
        _detail("name", a.name, span=WIDE),
        _detail("uscc", a.uscc) + _detail("county_id", a.county),
        _detail("legal_representative", a.legal_representative) + _detail("contact", a.contact),
        _detail("phone", a.phone) + _pair("申请期间", form.period),
        _detail("address", a.address, span=WIDE),
        _detail("bank", a.bank) + _detail("bank_account", a.bank_account),
        _section("二、申请事项及测算"),
        *([_pair(CASE_NUMBER, form.case_number, span=WIDE)] if form.case_number else []),
        _pair("政策依据", form.basis, span=WIDE),
        *_fact_rows(form.facts),
        (
            Box("测算过程", LABEL_SPAN, Kind.LABEL),
            Box(computation, WIDE, height=45 if blank else 12, computation=True),
        ),
        _pair("申请金额（小写）", form.amount_text, span=WIDE),
        _pair("申请金额（大写）", form.capitals_text, span=WIDE),
        _section("三、企业承诺"),
        (Box(COMMITMENT, GRID),),
        (
            Box("企业（盖章）：", THIRD, height=SIGNATURE_MM),
            Box(SIGNED_BY, THIRD, height=SIGNATURE_MM),
            Box("日期：", THIRD, height=SIGNATURE_MM, footer="年    月    日"),
        ),
        _section("四、审核意见"),
        tuple(Box(title, THIRD, height=OPINION_MM, footer=SEAL_FOOTER) for title in OPINIONS),
    ]


def _section(title: str) -> Row:
    return (Box(title, GRID, Kind.SECTION),)


def _pair(label: str, value: str, *, span: int = VALUE_SPAN, label_span: int = LABEL_SPAN) -> Row:
    height = 7.0
    return (Box(label, label_span, Kind.LABEL, height), Box(value, span, height=height))


def _detail(column: str, value: str, *, span: int = VALUE_SPAN) -> Row:
    """An applicant's detail beside the label of its ``column`` of the enterprise roster."""
    return _pair(enterprise_label(column), value, span=span)


def _fact_rows(facts: tuple[tuple[str, str], ...]) -> list[Row]:
    pairs = [_pair(label, value, span=FACT_SPAN, label_span=FACT_SPAN) for label, value in facts]
    return [
        first + (second or (Box("", 2 * FACT_SPAN),))
        for first, second in zip_longest(pairs[::2], pairs[1::2], fillvalue=None)
    ]


def continuation_rows(form: ApplicationForm, computation: str) -> list[Row]:
    """An attachment page: whose form it is, then the computation continued; the last row
    takes what is left of the page."""
    a = form.applicant
    return [
        _detail("name", a.name, span=WIDE),
        _detail("uscc", a.uscc) + _pair("申请期间", form.period),
        _section("测算过程（续）"),
        (Box(computation, GRID, computation=True),),
    ]


def page_number(page: int, pages: int) -> str:
    """The footer of page ``page`` of a form of ``pages`` pages."""
    return f"第{page}页／共{pages}页"
