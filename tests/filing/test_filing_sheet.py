"""The filing sheet (申报汇总表): contents, totals, text safety, print setup, atomic writing."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from desktop.filing import write_filing_sheet
from desktop.filing.filing_sheet import HEADER_ROW
from desktop.rules.result import Verdict

from .conftest import LABELS_12, MakeResult

UNIT = "忻府区工业和信息化局"
# as the header cells show them: a bracketed tail on a line of its own, never split by a wrap
HEADERS_12 = ["序号", "企业名称", "统一社会信用代码", "所属县\n（市、区）", "2023年1月产值\n（元）",
              "2022年1月产值\n（元）", *LABELS_12[2:]]  # fmt: skip
# county-level units as the city orders them (GB/T 2260: 140902, 140921, 140922, 140981)
CITY_UNITS = ("忻府区", "定襄县", "五台县", "原平市")


def write(tmp_path: Path, results, **kwargs) -> tuple[Path, list]:
    out = tmp_path / "filing.xlsx"
    kwargs.setdefault("measure", "12")
    kwargs.setdefault("units", CITY_UNITS)
    warnings = write_filing_sheet(results, out, filing_unit=UNIT, on=date(2023, 4, 10), **kwargs)
    return out, warnings


def calamine_rows(path: Path) -> list[list]:
    workbook = CalamineWorkbook.from_path(str(path))
    return workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python()


def numbered(rows: list[list]) -> list[list]:
    """The enterprises' rows of the table (序号 a number), without 小计 and 合计."""
    return [r for r in rows[HEADER_ROW:] if isinstance(r[0], int | float)]


@pytest.fixture
def mixed(make_result: MakeResult) -> list:
    """Three eligible (one expected), one ineligible, one incomplete, one of another county."""
    return [
        make_result(1, amount="250000.00", expected=True),
        make_result(2, amount="500000.00"),
        make_result(3, verdict=Verdict.INELIGIBLE),
        make_result(4, verdict=Verdict.INCOMPLETE),
        make_result(5, amount="250000.50", county="定襄县"),
    ]


def test_lists_only_eligible_with_facts_amounts_and_notes(tmp_path: Path, mixed) -> None:
    out, warnings = write(tmp_path, mixed)
    assert warnings == []
    rows = calamine_rows(out)
    header = rows[HEADER_ROW - 1]
    assert header == [*HEADERS_12, "配套奖励\n（元）", "备注"]
    data = numbered(rows)  # two units: each closed by its 小计
    assert [r[1] for r in data] == [f"测试企业00{i}有限公司" for i in (1, 2, 5)]
    assert [r[2] for r in data] == [f"91140902MA000000{i}X" for i in (1, 2, 5)]
    assert [r[3] for r in data] == ["忻府区", "忻府区", "定襄县"]
    assert data[0][4:9] == [3000001.0, 2000000.0, 0.51, "否", 250000.0]
    assert [r[9] for r in data] == ["预计，待省级确认", "", ""]


def test_total_row_equals_the_sum_of_amounts(tmp_path: Path, mixed) -> None:
    out, _ = write(tmp_path, mixed)
    for rows in (calamine_rows(out), [list(r) for r in openpyxl.load_workbook(out).active.values]):
        total_row = next(r for r in rows if r[0] == "合计")
        amounts = [r[8] for r in rows[HEADER_ROW:] if isinstance(r[0], (int, float))]
        assert total_row[1] == "3户"
        assert Decimal(str(total_row[8])) == Decimal("1000000.50")  # worked by hand
        assert Decimal(str(total_row[8])) == sum(Decimal(str(a)) for a in amounts)


def test_heading_names_document_clause_unit_date_and_amount_unit(tmp_path: Path, mixed) -> None:
    out, _ = write(tmp_path, mixed, county="忻府区")
    text = "\n".join(str(v) for r in calamine_rows(out)[:HEADER_ROW] for v in r if v)
    wanted = (
        "忻政办发〔2022〕86号",
        "第十二条",
        "（忻府区）",
        UNIT,
        "2023年4月10日",
        "金额单位：元",
    )
    assert all(w in text for w in wanted)


def test_county_limits_the_sheet(tmp_path: Path, mixed) -> None:
    out, _ = write(tmp_path, mixed, county="定襄县")
    rows = calamine_rows(out)
    assert [r[1] for r in rows[HEADER_ROW:] if isinstance(r[0], float)] == ["测试企业005有限公司"]
    assert next(r for r in rows if r[0] == "合计")[8] == 250000.5


def test_signature_lines_follow_the_table(tmp_path: Path, mixed) -> None:
    out, _ = write(tmp_path, mixed)
    cells = [v for r in calamine_rows(out) for v in r if isinstance(v, str)]
    labels = ("填报人：", "联系电话：", "审核人：", "单位负责人：", f"填报单位（盖章）：{UNIT}")
    assert set(labels) <= set(cells)


def test_measure_5_has_a_tax_year_column(tmp_path: Path, make_result: MakeResult) -> None:
    results = [make_result(1, measure="5", period="2022", amount="12500.00")]
    out, _ = write(tmp_path, results, measure="5")
    rows = calamine_rows(out)
    assert "小型微利企业所得税减免情况汇总表" in rows[0][0]
    assert rows[HEADER_ROW - 1][4] == "纳税年度"
    assert rows[HEADER_ROW][4] == "2022"


def test_names_that_look_like_formulas_stay_text(tmp_path: Path, make_result: MakeResult) -> None:
    names = ["=1+1", '=HYPERLINK("http://example.com","点此")', "#N/A", "+SUM(A1)", "@x"]
    out, warnings = write(tmp_path, [make_result(i, name=n) for i, n in enumerate(names, 1)])
    assert warnings == []
    sheet = openpyxl.load_workbook(out).active
    cells = [sheet.cell(HEADER_ROW + i, 2) for i in range(1, len(names) + 1)]
    assert [c.value for c in cells] == names
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert [r[1] for r in calamine_rows(out)[HEADER_ROW : HEADER_ROW + 5]] == names


def test_control_characters_and_overlong_text_are_reported(
    tmp_path: Path, make_result: MakeResult
) -> None:
    results = [make_result(1, name="坏\x07字符公司"), make_result(2, name="长" * 40000)]
    out, warnings = write(tmp_path, results)
    assert [(w.row, w.column) for w in warnings] == [(5, "企业名称"), (6, "企业名称")]
    assert "控制字符" in warnings[0].message and "截断" in warnings[1].message
    assert str(warnings[0]).startswith("filing.xlsx，工作表「第十二条」第5行「企业名称」")
    rows = calamine_rows(out)
    assert rows[HEADER_ROW][1] == "坏\ufffd字符公司"
    assert len(rows[HEADER_ROW + 1][1]) == 32767 and rows[HEADER_ROW + 1][1].endswith("（已截断）")


def test_print_setup_a4_landscape_one_page_wide(tmp_path: Path, mixed) -> None:
    sheet = openpyxl.load_workbook(write(tmp_path, mixed)[0]).active
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.column_dimensions["B"].width >= 20  # a name of 10 CJK characters
    assert sheet.cell(HEADER_ROW + 1, 9).number_format == "#,##0.00"


def test_failed_write_keeps_the_old_file(tmp_path: Path, mixed, monkeypatch) -> None:
    out, _ = write(tmp_path, mixed)
    before = out.read_bytes()

    def broken_save(self, filename) -> None:
        Path(filename).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(OSError):
        write(tmp_path, mixed)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["filing.xlsx"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs libreoffice-calc")
def test_libreoffice_converts_it_to_pdf(tmp_path: Path, mixed) -> None:
    out, _ = write(tmp_path, mixed)
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "filing.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "1,000,000.50" in text and "测试企业005有限公司" in text


def test_nothing_eligible_gives_a_nil_return(tmp_path: Path, make_result: MakeResult) -> None:
    out, _ = write(tmp_path, [make_result(1, verdict=Verdict.INELIGIBLE)])
    rows = calamine_rows(out)
    assert rows[HEADER_ROW - 1][:8] == HEADERS_12
    assert rows[HEADER_ROW][:2] == ["合计", "0户"] and rows[HEADER_ROW][8] == 0


def test_sample_rows_and_title_say_so_and_the_phone_is_printed(tmp_path: Path, mixed) -> None:
    out, _ = write(tmp_path, mixed, phone="0350-3030303", samples=frozenset({mixed[0].uscc}))
    rows = calamine_rows(out)
    assert rows[0][0].endswith("申报汇总表（含示例数据，不得上报）")
    notes = [r[9] for r in numbered(rows)]
    assert notes == ["预计，待省级确认；示例数据（虚构企业）", "", ""]
    assert "联系电话：0350-3030303" in [v for r in rows for v in r]
    plain, _ = write(tmp_path, mixed[1:], samples=frozenset({mixed[0].uscc}))  # not listed
    assert "示例" not in calamine_rows(plain)[0][0]
