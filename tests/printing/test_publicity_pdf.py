"""The publicity list as a PDF: A4, the font embedded, the text reading back, the table's
header repeated on every page; ``write_publicity`` choosing the format by the suffix."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

from python_calamine import CalamineWorkbook

from desktop.cases.publicity import PublicityList, PublicityRow
from desktop.printing.publicity import write_publicity, write_publicity_pdf
from tests.cases.conftest import code
from tests.printing.conftest import pdf_pages, pdf_text

FRIDAY, NEXT_FRIDAY = date(2023, 6, 9), date(2023, 6, 16)


def notice(rows: int, *, office: str = "忻府区工业和信息化局", phone: str = "0350-1234567"):
    return PublicityList(
        title="第十二条“白名单”企业市级配套奖励拟支持企业名单公示",
        preface="根据……第十二条，经企业申报、审核，现将拟支持企业名单予以公示。",
        rows=tuple(
            PublicityRow(
                f"测试企业{n}有限公司",
                code(n),
                "忻府区",
                "“白名单”企业市级配套奖励（2023-Q1）",
                Decimal("250000.00") + n,
                FRIDAY,
                NEXT_FRIDAY,
            )
            for n in range(1, rows + 1)
        ),
        office=office,
        phone=phone,
        on=date(2023, 6, 9),
    )


def test_one_page_with_every_part(tmp_path: Path, forms_qapp) -> None:
    out = tmp_path / "公示.pdf"
    write_publicity_pdf(notice(3), out)
    assert pdf_pages(out) == 1
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
    assert "595.2 x 841.92 pts (A4)" in info.stdout or "(A4)" in info.stdout
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True)
    assert "WenQuanYiMicroHei" in fonts.stdout and " yes " in fonts.stdout  # embedded
    text = pdf_text(out)
    for wanted in ("第十二条“白名单”企业市级配套奖励拟支持企业名单公示", "统一社会信用代码",
                   code(1), code(3), "250,001.00", "750,006.00", "合计（3户）",
                   "公示期：2023年6月9日至2023年6月16日", "忻府区工业和信息化局", "0350-1234567",
                   "2023年6月9日"):  # fmt: skip
        assert wanted in text, wanted
    assert "页／共" not in text  # one page: no page number


def test_a_long_list_repeats_the_header_on_each_page(tmp_path: Path, forms_qapp) -> None:
    out = tmp_path / "公示.pdf"
    write_publicity_pdf(notice(60), out)
    pages = pdf_text(out).split("\f")[: pdf_pages(out)]
    with_rows = [page for page in pages if "91140902MA" in page]
    assert len(with_rows) >= 2
    assert all("统一社会信用代码" in page for page in with_rows)
    listed = [n for n in range(1, 61) if any(code(n) in page for page in with_rows)]
    assert listed == list(range(1, 61))  # every row once painted, none lost at a page break
    assert "合计（60户）" in with_rows[-1] and "公示期：" in pages[-1]
    assert "15,001,830.00" in with_rows[-1]  # the widest amount whole in its column
    for number, page in enumerate(pages, start=1):
        assert f"第{number}页／共{len(pages)}页" in page


def test_write_publicity_chooses_by_suffix(db_with_publicity, tmp_path: Path, forms_qapp) -> None:
    db = db_with_publicity
    with db.reader() as s:
        assert write_publicity(s, "12", tmp_path / "a.pdf", None, date(2023, 6, 9)) == []
        assert write_publicity(s, "12", tmp_path / "a.xlsx", "忻府区", date(2023, 6, 9)) == []
    assert "测试企业1" in pdf_text(tmp_path / "a.pdf")
    book = CalamineWorkbook.from_path(str(tmp_path / "a.xlsx"))
    assert book.sheet_names == ["公示名单"]
    assert book.get_sheet_by_name("公示名单").to_python()[3][2] == code(1)
