"""Forms as PDF: one A4 page each, the font embedded, the text reading back as written."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.forms import blank_form, form_for
from desktop.printing import paint_forms, write_pdf
from desktop.qt.printsupport import QPrinter
from tests.forms.conftest import make_applicant, make_result
from tests.printing.conftest import pdf_pages, pdf_text

RADICALS = re.compile("[\u2e80-\u2fdf]")


def forms(*results):
    return [form_for(r, make_applicant(r)) for r in results]


def test_one_page_per_form_with_names_codes_and_amounts(tmp_path: Path, forms_qapp) -> None:
    out = tmp_path / "forms.pdf"
    results = [make_result(1), make_result(2, "1234.56"), make_result(3, "7500.25")]
    write_pdf([*forms(*results), blank_form("12")], out)
    assert pdf_pages(out) == 4
    text = pdf_text(out)
    assert not RADICALS.search(text), RADICALS.findall(text)
    pages = text.split("\f")
    for page, result, figures, capitals in zip(
        pages,
        results,
        ("¥250,000.00 元", "¥1,234.56 元", "¥7,500.25 元"),
        ("人民币贰拾伍万元整", "人民币壹仟贰佰叁拾肆元伍角陆分", "人民币柒仟伍佰元贰角伍分"),
        strict=False,
    ):
        for wanted in (
            result.name,
            result.uscc,
            figures,
            capitals,
            "白金方",
            "0503002309024567891",
        ):
            assert wanted in page
        for wanted in ("县（市、区）工信部门意见", "县（市、区）财政部门意见", "市工信局意见"):
            assert wanted in page
    assert "“白名单”企业市级配套奖励申请表" in pages[3]


def test_page_is_a4_portrait_and_every_font_embedded(tmp_path: Path, forms_qapp) -> None:
    out = tmp_path / "forms.pdf"
    write_pdf(forms(make_result(1)), out)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595(\.\d+)? x 842(\.\d+)? pts \(A4\)", info)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts


def test_a_long_computation_goes_on_in_full_on_numbered_attachment_pages(
    tmp_path: Path, forms_qapp
) -> None:
    out = tmp_path / "forms.pdf"
    write_pdf(forms(make_result(1, lines=12), make_result(2, lines=200)), out)
    pages = pdf_text(out).split("\f")[: pdf_pages(out)]
    first, long = pages[0], pages[1:]
    assert "第11行" in first and "页／共" not in first  # one page, not numbered
    assert len(long) >= 3
    assert [f"第{n}页／共{len(long)}页" in page for n, page in enumerate(long, start=1)] == [
        True
    ] * len(long)
    text = "".join(long)
    assert "以下从略" not in text
    assert all(f"第{n}行：" in text for n in range(200))  # every line, in order
    assert [text.index(f"第{n}行：") for n in range(200)] == sorted(
        text.index(f"第{n}行：") for n in range(200)
    )
    assert "续见附页" in long[0] and "市工信局意见" in long[0]  # the boxes below survived
    assert all("申请表（附页）" in page and "测算过程（续）" in page for page in long[1:])
    assert all(make_result(2).uscc in page for page in long)
    assert min(_word_heights(out, "第199行")) >= 10  # points: set at body size, not shrunk


def _word_heights(path: Path, prefix: str) -> list[float]:
    """The heights in points of the words starting with ``prefix`` (pdftotext -bbox)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = re.findall(
        r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)', html
    )
    return [float(y1) - float(y0) for y0, y1, word in words if word.startswith(prefix)]


def test_an_expected_amount_is_printed_with_its_condition(tmp_path: Path, forms_qapp) -> None:
    firm = replace(make_result(2, "1234.56"), expected=False)
    out = tmp_path / "forms.pdf"
    write_pdf(forms(make_result(1), firm), out)
    expected, final = pdf_text(out).split("\f")[:2]
    assert "¥250,000.00 元（预计，待省级确认）" in expected
    assert "人民币贰拾伍万元整（预计，待省级确认）" in expected
    assert "预计" not in final and "¥1,234.56 元" in final


def test_failed_rendering_leaves_no_file(tmp_path: Path, forms_qapp) -> None:
    out = tmp_path / "forms.pdf"

    def stop(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_pdf(forms(make_result(1), make_result(2)), out, progress=stop)
    assert list(tmp_path.iterdir()) == []


def test_the_same_painting_goes_to_a_printer(tmp_path: Path, forms_qapp) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    paint_forms(printer, forms(make_result(1), make_result(2)))
    assert pdf_pages(tmp_path / "printed.pdf") == 2
    assert make_result(2).name in pdf_text(tmp_path / "printed.pdf")
