"""``relief-desk print-forms`` over the sample county: every line of each computation and the
condition of an expected amount are in the PDF, read back with pdftotext."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from desktop.cases.opening import basis_of, open_cases
from desktop.cases.parameters import load_case_parameters
from desktop.cli import main
from desktop.rules.engine import evaluate_roster
from desktop.rules.policy import load_policy
from desktop.store import Database, open_database
from tests.conftest import cli_db
from tests.printing.conftest import pdf_pages

XINFU_MATERIALS = "91140902MA0XY0001F"  # 第十二条 500,000.00, expected
YUANPING_EQUIPMENT = "91140981MA0XY00020"  # 第十二条 250,000.00, recorded award


def _plain_pages(path: Path) -> list[str]:
    """Each page's text in reading order, without any whitespace (lines wrap in boxes)."""
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [re.sub(r"\s+", "", page) for page in text.split("\f")]


@pytest.fixture
def sample_target(sample_db: Database) -> str:
    """``--db`` for the sample county (either engine), closed so each command opens it anew."""
    sample_db.close()
    return cli_db(sample_db)


@pytest.mark.parametrize("measure", ["5", "11", "12", "13"])
def test_every_computation_line_is_printed(
    sample_target: str, tmp_path: Path, capsys, forms_qapp, measure: str
) -> None:
    main(["--db", sample_target, "evaluate", "--measure", measure, "--json"])
    eligible = [r for r in json.loads(capsys.readouterr().out) if r["verdict"] == "eligible"]
    out = tmp_path / "forms.pdf"
    assert main(["--db", sample_target, "print-forms", "--measure", measure, "-o", str(out)]) == 0
    assert pdf_pages(out) == len(eligible)  # the sample's computations fit their first page
    pages = _plain_pages(out)
    for page, result in zip(pages, eligible, strict=False):
        assert result["uscc"] in page
        for line in result["explanation"]:
            assert re.sub(r"\s+", "", line) in page, line


def test_an_expected_amount_is_printed_with_its_condition(
    sample_target: str, tmp_path: Path, forms_qapp
) -> None:
    out = tmp_path / "forms.pdf"
    assert main(["--db", sample_target, "print-forms", "--measure", "12", "-o", str(out)]) == 0
    pages = {uscc: page for page in _plain_pages(out)
             for uscc in (XINFU_MATERIALS, YUANPING_EQUIPMENT) if uscc in page}  # fmt: skip
    assert "¥500,000.00元（预计，待省级确认）" in pages[XINFU_MATERIALS]
    assert "人民币伍拾万元整（预计，待省级确认）" in pages[XINFU_MATERIALS]
    assert "¥250,000.00元" in pages[YUANPING_EQUIPMENT]
    assert "预计" not in pages[YUANPING_EQUIPMENT]


def test_the_form_of_an_enterprise_with_a_case_carries_the_case_number(
    sample_target: str, tmp_path: Path, forms_qapp
) -> None:
    db = open_database(sample_target, "测试员")
    with db.reader() as s:
        (found,) = [r for r in evaluate_roster(s, measures=["12"]) if r.uscc == YUANPING_EQUIPMENT]
    with db.session() as s:
        open_cases(s, [found], basis_of(load_policy()), load_case_parameters())
    db.close()
    out = tmp_path / "forms.pdf"
    assert main(["--db", sample_target, "print-forms", "--measure", "12", "-o", str(out)]) == 0
    pages = {uscc: page for page in _plain_pages(out)
             for uscc in (XINFU_MATERIALS, YUANPING_EQUIPMENT) if uscc in page}  # fmt: skip
    page = pages[YUANPING_EQUIPMENT]  # read column by column: the label, then its value
    assert "兑现事项编号" in page and "12-2023Q1-0001" in page
    assert "兑现事项编号" not in pages[XINFU_MATERIALS]  # no case opened for it
