"""What the publicity list (公示名单) of a measure says, decided before it is written as a
workbook (``desktop.filing.publicity``) or painted as a PDF (``desktop.printing.publicity``).

The list holds the measure's cases in ``publicity``: per enterprise its name, code, county,
the item supported and the approved amount; then the publicity period, where to object (the
office and phone of the settings ``filing_unit`` and ``filing_phone``), the office and date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from desktop.cases.errors import CaseError
from desktop.cases.listing import CaseLine, case_lines
from desktop.cases.states import State
from desktop.rules import catalogue
from desktop.rules.labels import in_yuan
from desktop.store.settings import get_setting

AMOUNT_HEADER = in_yuan("拟支持金额")
HEADERS = ("序号", "企业名称", "统一社会信用代码", "所属县（市、区）", "支持事项", AMOUNT_HEADER)
PERIOD_HEADER = "公示期"
TOTAL = "合计"
BLANK = "          "  # room to write by hand what the settings do not say


def chinese_date(day: date) -> str:
    """2023年6月7日."""
    return f"{day.year}年{day.month}月{day.day}日"


def period_text(start: date, end: date) -> str:
    """2023年6月7日至2023年6月14日."""
    return f"{chinese_date(start)}至{chinese_date(end)}"


@dataclass(frozen=True)
class PublicityRow:
    """One enterprise proposed for support."""

    name: str
    uscc: str
    county: str
    item: str
    amount: Decimal
    start: date
    end: date


@dataclass(frozen=True)
class PublicityList:
    """The whole notice, every text already decided."""

    title: str
    preface: str
    rows: tuple[PublicityRow, ...]
    office: str
    phone: str
    on: date

    @property
    def periods(self) -> list[tuple[date, date]]:
        """The distinct publicity periods of the rows, earliest first."""
        return sorted({(r.start, r.end) for r in self.rows})

    @property
    def one_period(self) -> bool:
        """True when every enterprise is publicised over the same days."""
        return len(self.periods) == 1

    @property
    def headers(self) -> tuple[str, ...]:
        """The table's columns (each row's own period when the periods differ)."""
        return HEADERS if self.one_period else (*HEADERS, PERIOD_HEADER)

    def cells(self, number: int, row: PublicityRow) -> tuple[object, ...]:
        """Row ``number`` (1-based) under :attr:`headers`; the amount a ``Decimal``."""
        cells = (number, row.name, row.uscc, row.county, row.item, row.amount)
        return cells if self.one_period else (*cells, period_text(row.start, row.end))

    @property
    def total(self) -> Decimal:
        """The amounts proposed, summed."""
        return sum((r.amount for r in self.rows), Decimal("0.00"))

    @property
    def total_cells(self) -> tuple[object, ...]:
        """The total row under :attr:`headers`: 合计 with the households, the amounts' sum."""
        cells: list[object] = [""] * len(self.headers)
        cells[1] = f"{TOTAL}（{len(self.rows)}户）"
        cells[HEADERS.index(AMOUNT_HEADER)] = self.total
        return tuple(cells)

    @property
    def notice(self) -> tuple[str, ...]:
        """The lines below the table: the period, then where to object."""
        if self.one_period:
            period = f"公示期：{period_text(*self.periods[0])}。"
        else:
            first, last = self.periods[0][0], max(end for _, end in self.periods)
            period = f"公示期：{period_text(first, last)}，各企业的公示期见表内。"
        where = (
            f"公示期内，对公示名单有异议的，请以书面形式向{self.office or BLANK}反映，"
            f"联系电话：{self.phone or BLANK}。逾期未提出异议的，视为无异议。"
        )
        return period, where

    @property
    def signature(self) -> tuple[str, str]:
        """The office and the date, at the foot."""
        return self.office or BLANK, chinese_date(self.on)


def _row(line: CaseLine, item: str) -> PublicityRow:
    # set by the moves to approved and to publicity
    assert line.approved_amount is not None and line.publicity_start and line.publicity_end
    return PublicityRow(line.name, line.uscc, line.county, item, line.approved_amount,
                        line.publicity_start, line.publicity_end)  # fmt: skip


def publicity_list(
    session: Session, measure: str, county: str | None, today: date
) -> PublicityList:
    """The list of ``measure``'s cases in publicity (of ``county``), dated ``today``.

    ScopeError for an unknown measure or county; CaseError when no case is in publicity.
    """
    info = catalogue.measure(measure)
    catalogue.check_county(session, county)
    lines = case_lines(session, measure=measure, states=[State.PUBLICITY], county=county)
    if not lines:
        raise CaseError(
            f"{county or ''}{info.clause}没有「{State.PUBLICITY.label}」的兑现事项，无公示名单"
        )
    return PublicityList(
        title=f"{info.clause}{info.subject}拟支持企业名单公示",
        preface=f"根据{info.basis}，经企业申报、审核，现将拟支持企业名单予以公示。",
        rows=tuple(_row(line, f"{info.subject}（{line.period}）") for line in lines),
        office=get_setting(session, "filing_unit").strip(),
        phone=get_setting(session, "filing_phone").strip(),
        on=today,
    )
