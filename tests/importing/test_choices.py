"""The officer's sheet choices (kind, header row) through ``import_files``, on real workbooks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select

from desktop.importing import import_files, list_batches
from desktop.models import County, Enterprise
from desktop.sheets import SheetChoice
from desktop.sheets.parsed import SheetKind
from desktop.store import Database
from tests.importing.conftest import code

# A copied-in old header, its columns in another order, sits above the real one (row 3).
OLD_HEADER_ABOVE = [
    ["统一社会信用代码", "企业名称", "所属县"],
    ["旧表头，下面才是数据"],
    ["企业名称", "统一社会信用代码", "所属县"],
    ["甲公司", code(1), "忻府区"],
    ["乙公司", code(2), "定襄县"],
]
# A roster that also carries a year's output: recognition takes it for annual figures.
ROSTER_WITH_FIGURES = [
    ["企业名称", "统一社会信用代码", "所属县", "年度", "工业总产值（万元）"],
    ["甲公司", code(1), "忻府区", 2022, 100],
]
BOTH = {code(1): ("甲公司", "忻府区"), code(2): ("乙公司", "定襄县")}


def workbook(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    """An .xlsx of the given sheets, in order."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    wb.save(path)
    return path


def enterprises(db: Database) -> dict[str, tuple[str, str]]:
    """Each enterprise's name and county, by credit code."""
    query = select(Enterprise.uscc, Enterprise.name, County.name).join(Enterprise.county)
    with db.reader() as session:
        return {uscc: (name, county) for uscc, name, county in session.execute(query)}


def test_a_chosen_header_row_brings_in_the_rows_under_it(db: Database, tmp_path: Path) -> None:
    path = workbook(tmp_path / "名录.xlsx", {"名录": OLD_HEADER_ABOVE})
    (plain,) = import_files(db, [path]).files
    assert (plain.sheets[0].header_row, plain.sheets[0].created) == (1, 0)
    assert [r.row for r in plain.sheets[0].rejected_rows] == [2, 3, 4, 5]
    assert enterprises(db) == {}
    (chosen,) = import_files(db, [path], choices={"名录": SheetChoice(header_row=3)}).files
    assert chosen.committed and chosen.error is None
    sheet = chosen.sheets[0]
    assert (sheet.kind, sheet.header_row, sheet.created, sheet.rejected_rows) == (
        SheetKind.roster, 3, 2, [],
    )  # fmt: skip
    assert enterprises(db) == BOTH


def test_a_chosen_kind_reads_figures_columns_as_a_roster(db: Database, tmp_path: Path) -> None:
    path = workbook(tmp_path / "名录.xlsx", {"表": ROSTER_WITH_FIGURES})
    (plain,) = import_files(db, [path]).files
    assert plain.sheets[0].kind is SheetKind.annual
    assert [r.row for r in plain.sheets[0].rejected_rows] == [2]  # no such enterprise yet
    assert enterprises(db) == {}
    (chosen,) = import_files(db, [path], choices={"表": SheetChoice(kind="roster")}).files
    assert chosen.committed
    assert (chosen.sheets[0].kind, chosen.sheets[0].created) == (SheetKind.roster, 1)
    assert enterprises(db) == {code(1): ("甲公司", "忻府区")}


def test_a_choice_that_does_not_fit_says_why_and_writes_nothing(
    db: Database, tmp_path: Path
) -> None:
    path = workbook(tmp_path / "名录.xlsx", {"名录": OLD_HEADER_ABOVE})
    wrong = {"名录": SheetChoice(kind="monthly", header_row=3)}
    (refused,) = import_files(db, [path], choices=wrong).files
    assert not refused.committed and refused.sheets == []
    assert refused.error is not None
    assert "工作表「名录」" in refused.error and "第3行" in refused.error
    assert "缺少列" in refused.error and "年月" in refused.error
    assert (enterprises(db), list_batches(db)) == ({}, [])


def test_a_misfit_sheet_is_noted_and_the_file_s_other_sheets_go_in(
    db: Database, tmp_path: Path
) -> None:
    path = workbook(tmp_path / "两表.xlsx", {"名录": OLD_HEADER_ABOVE, "表": ROSTER_WITH_FIGURES})
    choices = {"名录": SheetChoice(header_row=3), "表": SheetChoice(header_row=2)}
    (report,) = import_files(db, [path], choices=choices).files
    assert report.committed
    assert [(s.sheet, s.created) for s in report.sheets] == [("名录", 2)]
    assert any(u.sheet == "表" and "第2行" in u.reason for u in report.unrecognised)
    assert enterprises(db) == BOTH
