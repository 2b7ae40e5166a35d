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
    headers = rows[HEADER_ROW - 1]
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
