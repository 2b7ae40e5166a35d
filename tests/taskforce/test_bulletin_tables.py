"""The bulletin's tables and sentences on the fixture county (golden/README.md's figures)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from desktop.taskforce.bulletin import bulletin
from desktop.taskforce.bulletin_tables import (
    bulletin_tables,
    bulletin_title,
    cell_text,
    growth_text,
)
from desktop.taskforce.periods import period
from tests.taskforce.conftest import FixtureCounty, code


def test_the_march_tables(county: FixtureCounty) -> None:
    with county.db.reader() as s:
        found = bulletin(s, period("2023-03"), date(2023, 4, 10))
    assert bulletin_title(found) == "忻州市工业企业复工复产运行情况通报（2023年3月）"
    reporting, statuses, output, decliners, problems, visits = bulletin_tables(found)
    assert reporting.rows == (("忻府区", 7, 2), ("定襄县", 6, 0), ("原平市", 0, 5), ("合计", 13, 7))
    assert statuses.rows[-1] == ("合计", 2, 3, 5, 3, Decimal(8) / 13)
    assert "停产2户、部分复工3户、全面复工5户、达产达效3户" in statuses.lead
    assert "61.54%" in statuses.lead
    # 万元, exact: 1010 against 860 (同比 150/860) and 960 (环比 50/960)
    assert output.rows[0] == (
        "忻府区", Decimal(1010), Decimal(860), Decimal(150) / 860, Decimal(960), Decimal(50) / 960
    )  # fmt: skip
    assert output.lead == "报送企业本期完成产值2,510.00万元，同比下降3.83%，环比增长7.49%。"
    assert decliners.rows[0] == (
        1, "企业11", code(11), "定襄县", Decimal(1000), Decimal(1200), Decimal(200),
        Decimal(-200) / 1200,
    )  # fmt: skip
    assert problems.rows[-1] == ("合计", 8, 4, 2, 3, Decimal("0.25"))
    assert problems.lead.startswith("截至2023年3月31日，企业累计反映问题8个")
    assert visits.rows[1] == ("定襄县", 0, 0, None)


def test_one_county_has_no_total_row_and_its_own_title(county: FixtureCounty) -> None:
    with county.db.reader() as s:
        found = bulletin(s, period("2023-W10"), date(2023, 3, 9), "原平市")
    assert bulletin_title(found) == "原平市工业企业复工复产运行情况通报（2023年第10周）"
    assert bulletin_tables(found)[0].rows == (("原平市", 0, 5),)


def test_cells_and_growth_as_printed() -> None:
    assert cell_text(Decimal("2510"), "wan") == "2,510.00"
    assert cell_text(Decimal(-250) / 1750, "rate") == "-14.29%"
    assert cell_text(None, "rate") == "—"
    assert cell_text(7, "count") == "7"
    assert growth_text(Decimal(50) / 960) == "增长5.21%"
    assert growth_text(Decimal(-100) / 2610) == "下降3.83%"
    assert (growth_text(Decimal(0)), growth_text(None)) == ("持平", "无可比数据")
