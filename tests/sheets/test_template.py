"""The import template reads back as every sheet kind; its example rows are skipped, and are
without a problem once their key is real."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from desktop.sheets import read_workbook
from desktop.sheets.fields import KINDS
from desktop.sheets.parsed import SheetKind
from desktop.sheets.template import EXAMPLE_USCC, EXAMPLE_ZONE, write_template
from tests.sheets.conftest import code

REAL_CODE = code(1)


def test_template_reads_back_as_every_kind_its_example_rows_skipped(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    write_template(out)
    parsed = read_workbook(out)
    by_kind = {s.kind: s for s in parsed.sheets}
    assert set(by_kind) == {None, *SheetKind}
    assert by_kind[None].name == "说明"
    assert by_kind[None].message == "工作表「说明」是导入模板的填写说明，不含数据"
    for spec in KINDS:
        sheet = by_kind[spec.kind]
        assert sheet.name == spec.title
        assert set(sheet.columns) == {f.name for f in spec.fields}
        assert (sheet.rows, sheet.skipped) == ([], 1)


def test_example_rows_read_without_a_problem_once_their_key_is_real(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    write_template(out)
    workbook = load_workbook(out)
    for ws in workbook.worksheets[1:]:
        for cell in ws[2]:
            cell.value = REAL_CODE if cell.value == EXAMPLE_USCC else cell.value
    workbook["开发区"]["A2"] = "忻州经济开发区"  # the zone sheet's key; other sheets keep the name
    workbook.save(out)
    by_kind = {s.kind: s for s in read_workbook(out).sheets}
    for spec in KINDS:
        sheet = by_kind[spec.kind]
        assert (len(sheet.rows), sheet.skipped) == (1, 0)
        assert list(sheet.rows[0].problems) == []
    assert by_kind[SheetKind.monthly].rows[0].values == {
        "uscc": REAL_CODE, "year": 2023, "month": 1, "output": 12505000,
    }  # fmt: skip
    assert by_kind[SheetKind.leases].rows[0].values["zone"] == EXAMPLE_ZONE


def test_template_marks_required_columns_and_keeps_codes_as_text(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    write_template(out)
    roster = load_workbook(out)["企业名录"]
    headers = [c.value for c in roster[1]]
    assert headers[:4] == ["序号", "企业名称*", "统一社会信用代码*", "所属县（市、区）*"]
    assert "行业代码" in headers
    assert roster["C2"].number_format == "@"
    assert roster.column_dimensions["C"].width > 20
    assert roster.freeze_panes == "A2"
