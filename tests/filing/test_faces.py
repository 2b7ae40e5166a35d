"""Every workbook the program writes names its face in every filled cell: a cell whose font has
no name is drawn in a serif by LibreOffice (小计 and 合计 were), unlike the cells beside it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles.fonts import DEFAULT_FONT

from desktop.cases.publicity import PublicityList, PublicityRow
from desktop.cli import main
from desktop.filing.publicity import write_publicity_workbook
from desktop.samples import load_sample
from desktop.store import Database
from tests.cases.conftest import code

COMMANDS = {
    "ledger": ["export", "--ledger"],
    "progress": ["progress"],
    "bulletin": ["bulletin", "--period", "2022-03"],
    "filing sheet": ["export", "--measure", "12"],
}


def _faces(path: Path) -> set[str | None]:
    book = openpyxl.load_workbook(path)
    return {
        cell.font.name
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


@pytest.mark.parametrize("kind", list(COMMANDS))
def test_every_written_cell_names_the_face(db: Database, tmp_path: Path, kind: str) -> None:
    load_sample(db)
    where = str(db.where)
    db.close()
    out = tmp_path / f"{kind}.xlsx"
    assert main(["--db", where, *COMMANDS[kind], "-o", str(out)]) in (0, 1)  # 1: some 资料不全
    assert _faces(out) == {DEFAULT_FONT.name}


def test_the_import_template_names_the_face(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    assert main(["template", str(out)]) == 0
    assert _faces(out) == {DEFAULT_FONT.name}


def test_the_publicity_list_names_the_face(tmp_path: Path) -> None:
    day = date(2023, 6, 9)
    row = PublicityRow("测试企业有限公司", code(1), "忻府区", "配套奖励", Decimal("1.00"), day, day)
    notice = PublicityList("公示", "根据……", (row,), "忻府区工业和信息化局", "0350-1", day)
    out = tmp_path / "公示.xlsx"
    assert write_publicity_workbook(notice, out) == []
    assert _faces(out) == {DEFAULT_FONT.name}
