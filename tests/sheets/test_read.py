"""read_workbook on files of the shapes counties send: xlsx, LibreOffice xls/ods, CSV, padding."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from desktop.sheets import PendingRead, read_workbook
from desktop.sheets.parsed import ParsedSheet, SheetKind, SkippedRow
from desktop.sheets.read import SheetsFound
from desktop.values.numbers import BAD_GROUPING
from tests.sheets.conftest import code, write_xlsx

ROSTER = [
    ["2023年忻府区重点企业名录"],
    ["填报单位：忻府区工信局", "", "", "", "", "", "单位：万元"],
    ["序号", "企业基本情况", "", "", "是否", "", "备注"],
    ["", "企业（单位）名称", "统一代码", "县（市、区）", "规上企业", "白名单", ""],
    [1, " 甲机械有限公司 ", code(1).lower(), "忻府", "√", "", "内部"],
    [2, "乙化工有限公司", code(2, "140981"), "原平市", "否", "Y", ""],
    ["合计", "", "", "", "", "", ""],
]
ROSTER_MERGES = ("B3:D3", "E3:F3", "A3:A4", "G3:G4", "A1:G1")
MONTHLY = [
    ["统一社会信用代码", "隐藏", "年月", "工业总产值（亿元）"],
    [code(1), "x", "2023年1月", "０．５"],
    [code(1), "x", "2023/2", "1,200.25万元"],
    [code(2, "140981"), "x", 202303, 0.25],
]


def expected_roster(sheet: ParsedSheet) -> None:
    assert sheet.kind is SheetKind.roster
    assert sheet.header_row == 4  # the row naming the fields; the group row above adds none
    assert sheet.skipped == 1
    assert [r.values for r in sheet.rows] == [
        {"name": "甲机械有限公司", "uscc": code(1), "county": "忻府区", "above_scale": True,
         "white_list": False},
        {"name": "乙化工有限公司", "uscc": code(2, "140981"), "county": "原平市",
         "above_scale": False, "white_list": True},
    ]  # fmt: skip
    assert [r.row for r in sheet.rows] == [5, 6]


def expected_monthly(sheet: ParsedSheet) -> None:
    assert sheet.kind is SheetKind.monthly
    assert [(r.values["month"], r.values["output"]) for r in sheet.rows] == [
        (1, Decimal("50000000.00")), (2, Decimal("12002500.00")), (3, Decimal("25000000.00"))
    ]  # fmt: skip
    assert all(not r.problems for r in sheet.rows)


@pytest.fixture(scope="module")
def real_shapes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Title rows, a merged two-row header, a hidden column, text numbers, 亿元, a 合计 row."""
    path = tmp_path_factory.mktemp("shapes") / "county.xlsx"
    write_xlsx(path, [("名录", ROSTER), ("产值", MONTHLY), ("说明", [["请按模板填写"]])],
               merges=ROSTER_MERGES)  # fmt: skip
    return path


def test_xlsx_of_real_shapes(real_shapes: Path) -> None:
    parsed = read_workbook(real_shapes)
    assert parsed.sha256 == hashlib.sha256(real_shapes.read_bytes()).hexdigest()
    roster, monthly, notes = parsed.sheets
    expected_roster(roster)
    expected_monthly(monthly)
    assert (notes.kind, notes.rows) == (None, [])
    assert "说明" in notes.message


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_libreoffice_files_read_alike(
    real_shapes: Path, soffice_convert: Callable[[Path, str], Path], fmt: str
) -> None:
    parsed = read_workbook(soffice_convert(real_shapes, fmt))
    expected_roster(parsed.sheets[0])
    expected_monthly(parsed.sheets[1])


def test_hidden_columns_are_read(xlsx: Callable[..., Path]) -> None:
    path = xlsx([["统一社会信用代码", "年度", "从业人数"], [code(1), 2022, "1,234"]],
                hidden_columns=["C"])  # fmt: skip
    assert read_workbook(path).sheets[0].rows[0].values["employees"] == 1234


def test_formula_without_cached_value_is_an_error(xlsx: Callable[..., Path]) -> None:
    path = xlsx([["统一社会信用代码", "年度", "工业总产值", "从业人数"],
                 [code(1), 2022, "=10*2", 5]])  # fmt: skip
    row = read_workbook(path).sheets[0].rows[0]
    assert row.values["output"] is None
    assert [(p.row, p.column, p.message) for p in row.problems] == [
        (2, "工业总产值", "公式没有计算结果（请在 Excel 或 WPS 中打开并保存后再导入）")
    ]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("gb18030", b""), ("gbk", b""), ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf")],
)
def test_csv_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = f'企业名称,统一社会信用代码,所属县区\r\n"甲,有限公司",{code(1)},五寨\r\n合计,,\r\n'
    path = tmp_path / "名录.csv"
    path.write_bytes(bom + text.encode(encoding))
    sheet = read_workbook(path).sheets[0]
    assert (sheet.name, sheet.kind, sheet.skipped) == ("名录", SheetKind.roster, 1)
    assert sheet.rows[0].values == {"name": "甲,有限公司", "uscc": code(1), "county": "五寨县"}


def test_tab_separated_csv(tmp_path: Path) -> None:
    path = tmp_path / "zones.csv"
    path.write_text("开发区名称\t级别\t类型\n甲园区\t省级\t工业类\n", encoding="utf-8")
    assert read_workbook(path).sheets[0].rows[0].values == {
        "name": "甲园区", "level": "省级", "kind": "工业类"
    }  # fmt: skip


MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
    ' manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/"'
    ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _padded_ods(path: Path) -> Path:
    """What LibreOffice writes for a sheet formatted down to its last row: repeated rows."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
        ' xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
        ' office:version="1.3"><office:automatic-styles>'
        '<style:style style:name="ce1" style:family="table-cell">'
        '<style:table-cell-properties fo:border="0.74pt solid #000000"/></style:style>'
        "</office:automatic-styles><office:body>"
        '<office:spreadsheet><table:table table:name="开发区">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>开发区名称</text:p>'
        "</table:table-cell></table:table-row>"
        '<table:table-row><table:table-cell office:value-type="string"><text:p>甲园区</text:p>'
        "</table:table-cell></table:table-row>"
        '<table:table-row table:style-name="ro1" table:number-rows-repeated="1048574">'
        '<table:table-cell table:style-name="ce1" table:number-columns-repeated="3"/>'
        '<table:table-cell table:number-columns-repeated="16381"/></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", MANIFEST, zipfile.ZIP_DEFLATED)
    return path


def test_libreoffice_padding_of_a_million_rows_is_cheap(
    tmp_path: Path, soffice_convert: Callable[[Path, str], Path]
) -> None:
    source = _padded_ods(tmp_path / "padded_source.ods")
    written = soffice_convert(source, "ods")
    content = zipfile.ZipFile(written).read("content.xml")
    repeats = re.findall(rb'number-rows-repeated="(\d+)"', content)
    assert max(map(int, repeats)) > 1_000_000  # LibreOffice wrote the padding rows
    for path in (source, written, soffice_convert(source, "xlsx")):
        started = time.monotonic()
        sheet = read_workbook(path).sheets[0]
        assert time.monotonic() - started < 5
        assert (sheet.kind, len(sheet.rows), sheet.skipped) == (SheetKind.zones, 1, 0)


def test_excel_style_million_formatted_rows(xlsx: Callable[..., Path], tmp_path: Path) -> None:
    """Excel writes each formatted row: a million <row> elements with empty styled cells."""
    source = xlsx([["开发区名称", "级别"], ["甲园区", "省级"]], sheet="开发区")
    padding = b"".join(
        b'<row r="%d" s="1" customFormat="1"><c r="A%d" s="1"/></row>' % (i, i)
        for i in range(3, 1_048_577)
    )
    path = tmp_path / "excel_padded.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", padding + b"</sheetData>")
            new.writestr(info.filename, data)
    sheet = read_workbook(path).sheets[0]
    assert (sheet.kind, len(sheet.rows)) == (SheetKind.zones, 1)


def test_misnamed_xlsx_is_read_by_its_content(real_shapes: Path, tmp_path: Path) -> None:
    misnamed = tmp_path / "county.xls"
    misnamed.write_bytes(real_shapes.read_bytes())
    expected_roster(read_workbook(misnamed).sheets[0])


def test_overrides_per_sheet(xlsx: Callable[..., Path]) -> None:
    path = xlsx([["代码", "期间", "数值"], [code(1), "2023-02", 5]], sheet="自定义")
    parsed = read_workbook(path, overrides={"自定义": {"uscc": "代码", "month": "期间",
                                                       "output": "数值"}})  # fmt: skip
    assert parsed.sheets[0].kind is SheetKind.monthly


def test_progress_is_reported_in_sheets_once_read(real_shapes: Path) -> None:
    seen: list[tuple[int, int]] = []
    read_workbook(real_shapes, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(3, 3)]


def test_row_numbers_count_leading_empty_rows_and_columns(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws["C3"], ws["D3"], ws["E3"] = "开发区名称", "级别", "类型"
    ws["C5"], ws["D5"] = "甲园区", "省级"
    wb.save(tmp_path / "offset.xlsx")
    sheet = read_workbook(tmp_path / "offset.xlsx").sheets[0]
    assert (sheet.header_row, sheet.skipped) == (3, 1)
    assert [(r.row, r.values) for r in sheet.rows] == [
        (5, {"name": "甲园区", "level": "省级", "kind": None})
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_wide_monthly_under_a_merged_year(
    tmp_path: Path, soffice_convert: Callable[[Path, str], Path], fmt: str
) -> None:
    rows = [
        ["2023年各月工业总产值（万元）"],
        ["企业名称", "统一社会信用代码", "2023年", "", ""],
        ["", "", "1月", "2月", "3月"],
        ["甲", code(1), 10, "", "1,5"],
        ["合计", "", 10, "", 15],
    ]
    path = write_xlsx(tmp_path / "wide.xlsx", [("产值", rows)],
                      merges=("A1:E1", "A2:A3", "B2:B3", "C2:E2"))  # fmt: skip
    sheet = read_workbook(path if fmt == "xlsx" else soffice_convert(path, fmt)).sheets[0]
    assert (sheet.kind, sheet.header_row, sheet.skipped) == (SheetKind.monthly, 2, 1)
    assert [(r.row, r.values) for r in sheet.rows] == [
        (4, {"uscc": code(1), "year": 2023, "month": 1, "output": Decimal("100000.00")}),
        (4, {"uscc": code(1), "year": 2023, "month": 3, "output": None}),
    ]
    (refused,) = sheet.rows[1].problems  # 1,5 is not 15: its separator groups no thousands
    assert (refused.value, refused.message) == ("1,5", BAD_GROUPING)
    assert sheet.columns["output:2023-03"] == "2023年3月"


def test_a_reading_started_ahead_gives_the_same_file(real_shapes: Path, tmp_path: Path) -> None:
    ahead = PendingRead(real_shapes)
    assert read_workbook(real_shapes, pending=ahead) == read_workbook(real_shapes)
    other = tmp_path / "其他.csv"
    other.write_text(f"单位名称,统一社会信用代码,县区\n甲公司,{code(1)},忻府区\n", "utf-8")
    unused = PendingRead(real_shapes)
    assert read_workbook(other, pending=unused).sheets[0].kind is SheetKind.roster
    assert not unused._call._process.is_alive()  # stopped, not left reading


def test_rows_come_part_by_part_the_kinds_asked_for_first(tmp_path: Path) -> None:
    monthly = [["统一社会信用代码", "年月", "工业总产值"],
               *([code(n), "2023-01", n] for n in range(1, 6))]  # fmt: skip
    roster = [["企业名称", "统一社会信用代码", "县区"], ["", "", ""],
              *([f"企业{n}", code(n), "忻府区"] for n in range(1, 4))]  # fmt: skip
    path = write_xlsx(tmp_path / "两表.xlsx", [("产值", monthly), ("名录", roster)])
    with PendingRead(path, part_rows=2, order=(SheetKind.roster,)) as pending:
        found, *parts = pending.items()
    assert isinstance(found, SheetsFound) and found.sizes == [5, 4]
    assert [s.kind for s in found.sheets] == [SheetKind.monthly, SheetKind.roster]
    assert [(p.sheet, p.read, p.skipped, len(p.rows), p.last) for p in parts] == [
        (1, 2, 1, 1, False), (1, 2, 0, 2, True),  # the blank row is skipped in its part
        (0, 2, 0, 2, False), (0, 2, 0, 2, False), (0, 1, 0, 1, True),
    ]  # fmt: skip
    whole = read_workbook(path)
    assert [r.values["uscc"] for r in whole.sheets[0].rows] == [code(n) for n in range(1, 6)]
    assert [r.row for r in whole.sheets[1].rows] == [3, 4, 5]
    assert whole.sheets[1].skipped_rows == [SkippedRow(2, "空行")]


def test_the_reader_imports_cn2an_only_to_read_a_clause_in_chinese() -> None:
    """Every child reading a spreadsheet imports the reader; cn2an alone took half a second of
    that (tens of thousands of payment rows then parse the same few clauses, once each)."""
    code = (
        "import sys; from desktop.sheets.read import read_workbook;"
        "from desktop.values.codes import measure; loaded = 'cn2an' in sys.modules;"
        "print(loaded, measure('第12条'), 'cn2an' in sys.modules, measure('第十二条'),"
        " 'cn2an' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "12", "False", "12", "True"]
