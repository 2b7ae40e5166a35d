"""The filing sheets and the ledger of the real rules over the sample county, written through
``relief-desk export``: one amount column per sheet, and the 合计 is its sum."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from desktop.cli import main
from desktop.filing.filing_sheet import HEADER_ROW
from desktop.rules.catalogue import CATALOGUE
from desktop.samples import load_sample
from desktop.store.settings import set_setting

# what the sample's eligible enterprises get, as `relief-desk evaluate` totals them
SAMPLE_TOTALS = {"11": "175000.00", "12": "750000.00", "13": "550000.00"}


@pytest.fixture
def sample_db(db) -> str:  # type: ignore[no-untyped-def]
    """The sample county with a filing unit: where it is, as ``--db`` takes it."""
    load_sample(db)
    with db.session() as session:
        set_setting(session, "filing_unit", "忻州市工业和信息化局")
    db.close()
    return str(db.where)


@pytest.mark.parametrize("measure", list(CATALOGUE))
def test_one_amount_column_and_its_total(sample_db: str, tmp_path: Path, measure: str) -> None:
    out = tmp_path / f"{measure}.xlsx"
    assert main(["--db", sample_db, "export", "--measure", measure, "-o", str(out)]) in (0, 1)
    rows = [list(r) for r in openpyxl.load_workbook(out).active.values]
    headers = [h.replace("\n", "") for h in rows[HEADER_ROW - 1]]  # a header's unit on line 2
    label = CATALOGUE[measure].amount_label
    assert len(set(headers)) == len(headers)
    assert [h for h in headers if label in h] == [CATALOGUE[measure].amount_header]
    at = headers.index(CATALOGUE[measure].amount_header)
    body = [r for r in rows[HEADER_ROW:] if isinstance(r[0], int)]
    assert body, "the sample has eligible enterprises under every measure"
    total_row = next(r for r in rows if r[0] == "合计")
    numbers = [i for i, v in enumerate(total_row) if isinstance(v, int | float)]
    assert numbers == [at]
    total = Decimal(str(total_row[at]))
    assert total == sum(Decimal(str(r[at])) for r in body)
    if measure in SAMPLE_TOTALS:
        assert total == Decimal(SAMPLE_TOTALS[measure])


def test_the_total_counts_enterprises_not_tax_years(sample_db: str, tmp_path: Path) -> None:
    """The sample's one small low-profit enterprise has two tax years: 1户, 2 rows."""
    out = tmp_path / "5.xlsx"
    assert main(["--db", sample_db, "export", "--measure", "5", "-o", str(out)]) in (0, 1)
    rows = [list(r) for r in openpyxl.load_workbook(out).active.values]
    body = [r for r in rows[HEADER_ROW:] if isinstance(r[0], int)]
    assert len(body) == 2 and len({r[2] for r in body}) == 1
    assert next(r for r in rows if r[0] == "合计")[1] == "1户（2条）"


def test_ledger_sheets_have_no_twin_columns(sample_db: str, tmp_path: Path) -> None:
    out = tmp_path / "ledger.xlsx"
    assert main(["--db", sample_db, "export", "--ledger", "-o", str(out)]) == 0
    workbook = openpyxl.load_workbook(out)
    for measure in CATALOGUE.values():
        headers = next(workbook[measure.clause].values)
        assert len(set(headers)) == len(headers)
        assert not [h for h in headers if measure.amount_label in h]  # 金额（元） holds it


# Enterprises added to the sample so that three units qualify under 第十二条: (code, unit,
# January 2022 and 2023 output in 万元; February and March flat). Growth 50% is the 50% tier
# (provincial 50万, the city's match 25万), 100% the 100% tier (100万, match 50万).
CITY_ADDED = (
    ("91140902MA0CT0003T", "忻府区", 800, 1200),  # +50%: 250,000.00
    ("91140921MA0CT00002", "定襄县", 3000, 4500),  # +50%: 250,000.00
    ("91140921MA0CT00015", "定襄县", 2000, 4000),  # +100%: 500,000.00
    ("91140921MA0CT00028", "定襄县", 1000, 1650),  # +65%, the 50% tier: 250,000.00
)


@pytest.fixture
def city_db(sample_db: Path, tmp_path: Path) -> Path:
    """The sample plus CITY_ADDED, imported as a county's roster would be."""
    workbook = openpyxl.Workbook()
    roster = workbook.active
    roster.title = "企业名录"
    roster.append(["企业名称", "统一社会信用代码", "所属县（市、区）", "白名单企业", "规上企业"])
    monthly = workbook.create_sheet("月度产值")
    monthly.append(["统一社会信用代码", "年月", "工业总产值（万元）"])
    for code, unit, before, after in CITY_ADDED:
        roster.append([f"{unit}城市测试{code[-4:]}有限公司", code, unit, "是", "是"])
        for year, january in ((2022, before), (2023, after)):
            for month, output in ((1, january), (2, before), (3, before)):
                monthly.append([code, f"{year}-{month:02d}", output])
    added = tmp_path / "added.xlsx"
    workbook.save(added)
    assert main(["--db", str(sample_db), "import", str(added)]) == 0
    return sample_db


def _table(out: Path) -> list[tuple]:
    """(序号, 所属县, 配套奖励) from the first row under the header down to 合计."""
    rows = openpyxl.load_workbook(out).active.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
    found = []
    for row in rows:
        found.append((row[0], row[1] if isinstance(row[0], str) else None, row[3], row[13]))
        if row[0] == "合计":
            return found
    raise AssertionError("no 合计")


def test_the_city_sheet_of_three_units(city_db: Path, tmp_path: Path) -> None:
    """The real rules over the city: 忻府区 250,000 + 500,000 (the sample's 忻府新材料);
    定襄县 250,000 + 500,000 + 250,000; 原平市 250,000 (the sample's 原平装备制造);
    合计 750,000 + 1,000,000 + 250,000 = 2,000,000 (worked by hand)."""
    out = tmp_path / "city.xlsx"
    assert main(["--db", str(city_db), "export", "--measure", "12", "-o", str(out)]) == 1
    assert _table(out) == [
        (1, None, "忻府区", 250000), (2, None, "忻府区", 500000),
        ("小计", "2户", "忻府区", 750000),
        (3, None, "定襄县", 250000), (4, None, "定襄县", 500000), (5, None, "定襄县", 250000),
        ("小计", "3户", "定襄县", 1000000),
        (6, None, "原平市", 250000),
        ("小计", "1户", "原平市", 250000),
        ("合计", "6户", None, 2000000),
    ]  # fmt: skip
    one = tmp_path / "dingxiang.xlsx"
    args = ["export", "--measure", "12", "--county", "定襄县", "-o", str(one)]
    assert main(["--db", str(city_db), *args]) == 0
    assert _table(one) == [
        (1, None, "定襄县", 250000), (2, None, "定襄县", 500000), (3, None, "定襄县", 250000),
        ("合计", "3户", None, 1000000),
    ]  # fmt: skip
