"""Issue 16's city view from packages: three counties made from one city database each enter
their own white-list enterprises and figures, send them to the city as packages through the
command line, and the city's 第十二条 申报汇总表 groups them by unit (小计 each, 合计 last); a
second package from one county changes that unit's rows and the totals, and nothing else."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.styles.fonts import DEFAULT_FONT
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from desktop.cli import main
from desktop.filing.cells import MONEY_FORMAT, display_width
from desktop.filing.filing_sheet import HEADER_ROW
from desktop.models import County, Enterprise, MonthlyOutput, ProvincialAward
from desktop.rules.result import EXPECTED_NOTE
from desktop.store import Database
from desktop.store.settings import set_setting
from tests.conftest import cli_db
from tests.sync.helpers import city_and_counties, edit_month

SENDERS = ("原平市", "五台县", "忻府区")  # made, and sending, in this order
FILING_UNIT = "忻州市工业和信息化局"
TITLE = "第十二条 “白名单”企业市级配套奖励申报汇总表"
AMOUNT_HEADER = "配套奖励\n（元）"  # the unit on a line of its own
# The header cells: a bracketed tail on a line of its own (LibreOffice wrapped 「2023年1月产值（」
# over 「元）」 and 「省级奖励档次（元」 over 「）」 before), each line as wide as its column holds.
HEADERS = ["序号", "企业名称", "统一社会信用代码", "所属县\n（市、区）", "白名单企业",
           *(f"{y}年{m}月产值\n（元）" for m in (1, 2, 3) for y in (2023, 2022)),
           "省级奖励档次\n（元）", "已记录省级奖励\n（元）", AMOUNT_HEADER, "备注"]  # fmt: skip
Y = Decimal  # yuan


@dataclass(frozen=True)
class Firm:
    """An enterprise a county enters: its monthly outputs of 2022 and 2023 (month: base, now)."""

    uscc: str
    name: str
    county: str
    months: dict[int, tuple[str, str]]
    white_list: bool = True
    award: str | None = None  # the provincial award recorded as granted


# 第十二条 (RULES.md): growth of 2023-01..03 over the same month of 2022; the best judged month
# gives the tier (>= 100%: 1,000,000; >= 50%: 500,000); the city matches 50% of the award
# recorded as granted, else 50% of the tier (then 备注 says 预计，待省级确认).
FIRMS = (
    # 原平市
    Firm("91140981MA0XC0001H", "原平市晋北铸造有限公司", "原平市",
         {1: ("2000000.00", "4000000.00"), 2: ("2000000.00", "2100000.00")}),
    # Jan (4,000,000 − 2,000,000) / 2,000,000 = 100% → 1,000,000; × 50% = 500,000.00, 预计
    Firm("91140981MA0XC0002L", "原平市同川化工有限公司", "原平市",
         {1: ("1000000.00", "1400000.00"), 2: ("1000000.00", "1500000.00")}, award="480000.50"),
    # Jan 40%, Feb exactly 50% → tier 500,000; granted 480,000.50 recorded: × 50% = 240,000.25
    Firm("91140981MA0XC0003P", "原平市崞阳机械有限公司", "原平市",
         {1: ("100000.00", "400000.00")}, white_list=False),
    # 300% but not on the white list: ineligible, not listed
    # 五台县
    Firm("91140922MA0XC00013", "五台县台山矿业有限公司", "五台县",
         {1: ("500000.00", "600000.00"), 3: ("500000.00", "1250000.00")}),
    # Mar (1,250,000 − 500,000) / 500,000 = 150% → 1,000,000; × 50% = 500,000.00, 预计
    Firm("91140922MA0XC00026", "五台县清凉建材有限公司", "五台县",
         {1: ("1000000.00", "1100000.00"), 2: ("1000000.00", "1200000.00"),
          3: ("1000000.00", "1499900.00")}),
    # 10%, 20%, 49.99%: all three judged, none reaches 50%: ineligible, not listed
    # 忻府区
    Firm("91140902MA0XC00014", "忻州市忻府区云中电子有限公司", "忻府区",
         {1: ("800000.00", "1200000.00")}),
    # Jan (1,200,000 − 800,000) / 800,000 = 50% → 500,000; × 50% = 250,000.00, 预计
    Firm("91140902MA0XC00027", "忻州市忻府区牧马河食品有限公司", "忻府区",
         {1: ("600000.00", "900000.00"), 2: ("600000.00", "1200000.00")}, award="1000000.00"),
    # Jan 50%, Feb 100% → tier 1,000,000; granted 1,000,000.00: × 50% = 500,000.00
    Firm("91140902MA0XC0003A", "忻州市忻府区顿村新材料有限公司", "忻府区",
         {1: ("1000000.00", "1100000.00"), 2: ("1000000.00", "1200000.00")}),
    # 10%, 20%, March not recorded: incomplete, not listed (the export says so, exit 1)
)  # fmt: skip

# Each listed row as (序号, 企业名称, 所属县, 配套奖励, 备注); the city's order is GB/T 2260's
# (忻府区 140902, 五台县 140922, 原平市 140981), not the order the packages came in.
XINFU = [
    (1, "忻州市忻府区云中电子有限公司", "忻府区", Y("250000.00"), EXPECTED_NOTE),
    (2, "忻州市忻府区牧马河食品有限公司", "忻府区", Y("500000.00"), None),
    ("小计", "2户", "忻府区", Y("750000.00"), None),  # 250,000.00 + 500,000.00
]
WUTAI = [
    (3, "五台县台山矿业有限公司", "五台县", Y("500000.00"), EXPECTED_NOTE),
    ("小计", "1户", "五台县", Y("500000.00"), None),
]
YUANPING = [
    (4, "原平市晋北铸造有限公司", "原平市", Y("500000.00"), EXPECTED_NOTE),
    (5, "原平市同川化工有限公司", "原平市", Y("240000.25"), None),
    ("小计", "2户", "原平市", Y("740000.25"), None),  # 500,000.00 + 240,000.25
]
# 750,000.00 + 500,000.00 + 740,000.25 = 1,990,000.25 over 2 + 1 + 2 = 5户
CITY_SHEET = [*XINFU, *WUTAI, *YUANPING, ("合计", "5户", None, Y("1990000.25"), None)]

# 五台县's second package: 台山矿业's March down to 900,000: (900,000 − 500,000) / 500,000 = 80%
# → 500,000; × 50% = 250,000.00, 预计; 清凉建材's March up to 2,000,000: (2,000,000 − 1,000,000)
# / 1,000,000 = 100% → 1,000,000; × 50% = 500,000.00, 预计. 五台县: 250,000.00 + 500,000.00 =
# 750,000.00 (2户); 原平市's rows are numbered on by one, their amounts as before.
EDITS = (("91140922MA0XC00013", 3, "900000.00"), ("91140922MA0XC00026", 3, "2000000.00"))
WUTAI_EDITED = [
    (3, "五台县台山矿业有限公司", "五台县", Y("250000.00"), EXPECTED_NOTE),
    (4, "五台县清凉建材有限公司", "五台县", Y("500000.00"), EXPECTED_NOTE),
    ("小计", "2户", "五台县", Y("750000.00"), None),
]
YUANPING_EDITED = [((n + 1 if isinstance(n, int) else n), *rest) for n, *rest in YUANPING]
# 750,000.00 + 750,000.00 + 740,000.25 = 2,240,000.25 over 2 + 2 + 2 = 6户
CITY_SHEET_EDITED = [*XINFU, *WUTAI_EDITED, *YUANPING_EDITED,
                     ("合计", "6户", None, Y("2240000.25"), None)]  # fmt: skip


def enter(db: Database, firm: Firm) -> None:
    """The county officer enters ``firm`` with its figures (the window's way: logged)."""
    with db.session() as s:
        county = s.scalars(select(County).where(County.name == firm.county)).one()
        found = Enterprise(uscc=firm.uscc, name=firm.name, county=county,
                           white_list=firm.white_list)  # fmt: skip
        found.monthly_outputs = [
            MonthlyOutput(year=year, month=month, output=Decimal(output))
            for month, outputs in firm.months.items()
            for year, output in zip((2022, 2023), outputs, strict=True)
        ]
        if firm.award is not None:
            found.provincial_award = ProvincialAward(amount=Decimal(firm.award))
        s.add(found)


@pytest.fixture
def counties(db: Database, _migrated_template: Path, tmp_path: Path) -> Iterator[list[Database]]:
    """The city's database (no sample data, its filing unit set) and the three counties made
    from it, each holding the enterprises it entered offline."""
    with db.session() as s:
        set_setting(s, "filing_unit", FILING_UNIT)
    made = city_and_counties(db, _migrated_template, tmp_path / "counties", SENDERS)
    for county, name in zip(made, SENDERS, strict=True):
        for firm in FIRMS:
            if firm.county == name:
                enter(county, firm)
    yield made
    for county in made:
        county.close()


def package_export(county: Database, out: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """``package export`` at the county, to the city."""
    assert main(["--db", str(county.path), "package", "export", "-o", str(out)]) == 0
    assert "→ 忻州市" in capsys.readouterr().out
    return out


def package_import(
    city: Database, packages: list[Path], capsys: pytest.CaptureFixture[str]
) -> list[dict[str, Any]]:
    """``package import`` at the city: each package applied, no conflict; their outcomes."""
    files = [str(p) for p in packages]
    assert main(["--db", cli_db(city), "package", "import", *files, "--json"]) == 0
    outcomes = json.loads(capsys.readouterr().out)["files"]
    assert [(o["status"], o["conflicts"]) for o in outcomes] == [("applied", 0)] * len(files)
    return outcomes


def export_sheet(
    city: Database, out: Path, capsys: pytest.CaptureFixture[str], *county: str
) -> tuple[int, list[str], Worksheet]:
    """``export --measure 12`` at the city (for one unit with ``--county``): the exit code,
    the lines printed (standard output, then error), the sheet read back."""
    scope = ["--county", *county] if county else []
    code = main(["--db", cli_db(city), "export", "--measure", "12", "-o", str(out), *scope])
    said = capsys.readouterr()
    book = openpyxl.load_workbook(out)
    book.close()  # the cells stay readable
    return code, [*said.out.splitlines(), *said.err.splitlines()], book.active


def unit_rows(sheet: Worksheet, unit: str) -> list[tuple[object, ...]]:
    """Every cell of ``unit``'s rows and its 小计."""
    return [row for row in sheet.iter_rows(values_only=True) if row[3] == unit]


def table(sheet: Worksheet) -> list[tuple[object, ...]]:
    """(序号, 企业名称, 所属县, 配套奖励, 备注) from under the header down to 合计."""
    headers = [c.value for c in sheet[HEADER_ROW]]
    amount = headers.index(AMOUNT_HEADER)
    assert headers[-1] == "备注"
    found: list[tuple[object, ...]] = []
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        money = row[amount]
        assert money.number_format == MONEY_FORMAT
        value = None if money.value is None else Decimal(str(money.value)).quantize(Y("0.01"))
        found.append((row[0].value, row[1].value, row[3].value, value, row[-1].value))
        if row[0].value == "合计":
            return found
    raise AssertionError("no 合计 row")


def looks_right(sheet: Worksheet) -> None:
    """What the rendered sheet showed wrong before, and how it must print: one face throughout
    (bold cells had no font name, and LibreOffice drew 小计 and 合计 in a serif), 序号 centred
    (a right-aligned 序号 ran into the name beside it), the headers broken at their bracket
    and as wide as their columns, A4 landscape one page wide, amounts in 元."""
    faces = {c.font.name for row in sheet.iter_rows() for c in row if c.value is not None}
    assert faces == {DEFAULT_FONT.name}
    assert [c.value for c in sheet[HEADER_ROW]] == HEADERS
    for column, header in enumerate(HEADERS, start=1):
        width = sheet.column_dimensions[get_column_letter(column)].width
        assert all(display_width(line) + 2 <= width for line in header.split("\n")), header
    last = HEADER_ROW + len(table(sheet))  # the 合计 row
    numbers = [sheet.cell(row, 1) for row in range(HEADER_ROW + 1, last + 1)]
    assert {c.alignment.horizontal for c in numbers} == {"center"}
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.cell(3, len(HEADERS)).value == "金额单位：元"


def test_the_city_sheet_from_three_counties_packages(
    db: Database, counties: list[Database], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    city = db
    capsys.readouterr()
    packages = [
        package_export(county, tmp_path / f"{name}-1.rdpkg", capsys)
        for county, name in zip(counties, SENDERS, strict=True)
    ]
    outcomes = package_import(city, packages, capsys)
    assert [(o["sender"], o["sequence"]) for o in outcomes] == [(n, 1) for n in SENDERS]

    code, said, sheet = export_sheet(city, tmp_path / "city.xlsx", capsys)
    assert code == 1 and said[1:] == ["1 家企业资料不全，未列入申报汇总表（原因见台账）"]  # 顿村
    assert said[0].endswith("符合条件企业 5 条，金额合计 1,990,000.25 元")
    assert sheet.cell(1, 1).value == TITLE  # no unit, no sample data
    assert f"填报单位：{FILING_UNIT}" == sheet.cell(3, 1).value
    assert table(sheet) == CITY_SHEET
    looks_right(sheet)

    code, said, one = export_sheet(city, tmp_path / "yuanping.xlsx", capsys, "原平市")
    assert code == 0 and said[0].endswith("符合条件企业 2 条，金额合计 740,000.25 元")
    assert one.cell(1, 1).value == f"{TITLE}（原平市）"
    renumbered = [((n - 3 if isinstance(n, int) else n), *rest) for n, *rest in YUANPING[:2]]
    assert table(one) == [*renumbered, ("合计", "2户", None, Y("740000.25"), None)]

    # 五台县 edits offline and sends its second package; only its rows and the totals move.
    wutai = counties[SENDERS.index("五台县")]
    for uscc, month, output in EDITS:
        edit_month(wutai, uscc, 2023, month, Decimal(output))
    again = package_export(wutai, tmp_path / "五台县-2.rdpkg", capsys)
    (second,) = package_import(city, [again], capsys)
    assert (second["sender"], second["sequence"], second["applied"]) == ("五台县", 2, 2)
    code, said, edited = export_sheet(city, tmp_path / "city-2.xlsx", capsys)
    assert code == 1 and said[0].endswith("符合条件企业 6 条，金额合计 2,240,000.25 元")
    assert table(edited) == CITY_SHEET_EDITED
    for unit in ("忻府区", "原平市"):  # every cell as before, but 序号
        assert [r[1:] for r in unit_rows(edited, unit)] == [r[1:] for r in unit_rows(sheet, unit)]
    march = HEADERS.index("2023年3月产值\n（元）")
    assert [row[march] for row in unit_rows(edited, "五台县")][:2] == [900000, 2000000]
