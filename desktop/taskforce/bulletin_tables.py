"""What a bulletin (月通报, 周调度表) shows: its title, its numbered sections and their tables,
as typed cells (counts, exact 万元, rates), written alike into the workbook and the PDF.

Nothing here formats for a medium: the workbook keeps the values with number formats, the PDF
writes them with :func:`cell_text`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from desktop.rules.labels import enterprise_label
from desktop.rules.measures.text import WAN, percent
from desktop.taskforce.bulletin import Bulletin, UnitFigures
from desktop.values.choices import PRODUCTION_STATUS

CITY = "忻州市"  # the bulletin's unit when it covers several counties
NONE = "—"  # a rate whose base is 0
Kind = Literal["text", "count", "wan", "rate"]
Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Column:
    """A column: its header, what its cells hold, and its relative width (in characters)."""

    header: str
    kind: Kind
    width: int


@dataclass(frozen=True)
class Table:
    """One table of the bulletin: its section's name (the sheet's name), a lead sentence,
    its columns and rows (the total last)."""

    name: str
    lead: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]


def bulletin_unit(bulletin: Bulletin) -> str:
    """Whom the bulletin is of: its one county, else the city."""
    return bulletin.units[0].unit if len(bulletin.units) == 1 else CITY


def bulletin_title(bulletin: Bulletin) -> str:
    """``{县}工业企业复工复产运行情况通报（{期间}）``."""
    return f"{bulletin_unit(bulletin)}工业企业复工复产运行情况通报（{bulletin.period.label}）"


def wan(amount: Decimal) -> Decimal:
    """Yuan in 万元, exactly."""
    return amount / WAN


def cell_text(value: Cell, kind: Kind) -> str:
    """A cell as printed: 万元 with two decimals and thousands separators, rates in percent
    with two decimals, a rate without base as —."""
    if value is None:
        return NONE
    if kind == "wan" and isinstance(value, Decimal):
        return f"{value:,.2f}"
    if kind == "rate" and isinstance(value, Decimal):
        return percent(value)
    return str(value)


def day_text(day: date) -> str:
    """2023年3月31日."""
    return f"{day.year}年{day.month}月{day.day}日"


def growth_text(rate: Decimal | None) -> str:
    """增长5.00% / 下降3.83% / 持平 / 无可比数据."""
    if rate is None:
        return "无可比数据"
    if rate == 0:
        return "持平"
    return f"{'增长' if rate > 0 else '下降'}{percent(abs(rate))}"


def _rows(bulletin: Bulletin) -> list[UnitFigures]:
    """Each county, then the total where there are several."""
    units = list(bulletin.units)
    return units if len(units) == 1 else [*units, bulletin.total]


UNIT = Column("单位", "text", 8)


def bulletin_tables(bulletin: Bulletin) -> list[Table]:
    """The six tables, in the order of the bulletin's sections."""
    return [
        _reporting(bulletin),
        _statuses(bulletin),
        _output(bulletin),
        _decliners(bulletin),
        _problems(bulletin),
        _visits(bulletin),
    ]


def _reporting(b: Bulletin) -> Table:
    t = b.total
    lead = (
        f"{b.period.label}，共有{t.reporting}户企业报送运行监测数据，"
        f"{t.not_reporting}户规上企业未报送。"
    )
    columns = (
        UNIT,
        Column("已报送企业（户）", "count", 8),
        Column("未报送规上企业（户）", "count", 9),
    )
    rows = tuple((u.unit, u.reporting, u.not_reporting) for u in _rows(b))
    return Table("报送情况", lead, columns, rows)


def _statuses(b: Bulletin) -> Table:
    t = b.total
    words = PRODUCTION_STATUS.words
    counts = "、".join(f"{w}{n}户" for w, n in zip(words, t.by_status, strict=True))
    rate = cell_text(t.resumption_rate, "rate")
    lead = f"报送企业中，{counts}，复工率（全面复工与达产达效户数占报送户数）{rate}。"
    columns = (
        UNIT,
        *(Column(f"{word}（户）", "count", 6) for word in PRODUCTION_STATUS.words),
        Column("复工率", "rate", 6),
    )
    rows = tuple((u.unit, *u.by_status, u.resumption_rate) for u in _rows(b))
    return Table("生产状态", lead, columns, rows)


def _output(b: Bulletin) -> Table:
    t = b.total
    lead = (
        f"报送企业本期完成产值{cell_text(wan(t.output), 'wan')}万元，"
        f"同比{growth_text(t.output_yoy)}，环比{growth_text(t.output_pop)}。"
    )
    columns = (
        UNIT,
        Column("本期产值（万元）", "wan", 9),
        Column("上年同期（万元）", "wan", 9),
        Column("同比", "rate", 6),
        Column("上期（万元）", "wan", 9),
        Column("环比", "rate", 6),
    )
    rows = tuple(
        (u.unit, wan(u.output), wan(u.output_year_before), u.output_yoy,
         wan(u.output_period_before), u.output_pop)
        for u in _rows(b)
    )  # fmt: skip
    return Table("产值及增速", lead, columns, rows)


def _decliners(b: Bulletin) -> Table:
    if b.decliners:
        lead = f"本期产值较上年同期减少最多的{len(b.decliners)}户企业（按减少额排列）如下。"
    else:
        lead = "报送企业中没有产值低于上年同期的企业。"
    columns = (
        Column("序号", "count", 3),
        Column(enterprise_label("name"), "text", 12),
        Column(enterprise_label("uscc"), "text", 12),
        Column("县（市、区）", "text", 6),
        Column("本期产值（万元）", "wan", 7),
        Column("上年同期（万元）", "wan", 7),
        Column("减少（万元）", "wan", 7),
        Column("同比", "rate", 6),
    )
    rows = tuple(
        (n, d.name, d.uscc, d.county, wan(d.output), wan(d.year_before), wan(d.fall), d.growth)
        for n, d in enumerate(b.decliners, start=1)
    )
    return Table("产值降幅较大企业", lead, columns, rows)


def _problems(b: Bulletin) -> Table:
    t = b.total
    lead = (
        f"截至{day_text(b.period.end)}，企业累计反映问题{t.problems_raised}个，"
        f"已办结{t.problems_solved}个，已销号{t.problems_closed}个，超期未办结{t.problems_overdue}个，"
        f"化解率（已销号占反映问题数）{cell_text(t.resolution_rate, 'rate')}。"
    )
    columns = (
        UNIT,
        Column("反映问题（个）", "count", 7),
        Column("已办结（个）", "count", 7),
        Column("已销号（个）", "count", 7),
        Column("超期（个）", "count", 6),
        Column("化解率", "rate", 6),
    )
    rows = tuple(
        (u.unit, u.problems_raised, u.problems_solved, u.problems_closed, u.problems_overdue,
         u.resolution_rate)
        for u in _rows(b)
    )  # fmt: skip
    return Table("问题办理", lead, columns, rows)


def _visits(b: Bulletin) -> Table:
    t = b.total
    lead = (
        f"包联企业{t.assigned}户，本期走访{t.visited}户，"
        f"走访覆盖率{cell_text(t.visit_coverage, 'rate')}。"
    )
    columns = (
        UNIT,
        Column("包联企业（户）", "count", 7),
        Column("本期已走访（户）", "count", 8),
        Column("走访覆盖率", "rate", 6),
    )
    rows = tuple((u.unit, u.assigned, u.visited, u.visit_coverage) for u in _rows(b))
    return Table("走访服务", lead, columns, rows)
