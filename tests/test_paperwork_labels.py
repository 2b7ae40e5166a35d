"""Every header the paperwork prints for an enterprise's field is the schema's label of that
column (``info={"label": …}`` in desktop.models), or that label with the money unit.

A header "names" a column when the import recognises it as that column (its template header or
a synonym, desktop.sheets.fields): 白名单 names white_list, 企业地址 names address.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from desktop.filing import write_filing_sheet, write_ledger
from desktop.filing.filing_sheet import HEADER_ROW
from desktop.forms import blank_form, form_for
from desktop.forms.applicants import load_applicants
from desktop.forms.layout import Kind, continuation_rows, form_rows
from desktop.models import Base, column_label
from desktop.rules import engine
from desktop.rules.catalogue import CATALOGUE
from desktop.rules.labels import in_yuan
from desktop.rules.result import Result, Verdict
from desktop.sheets.fields import ANNUAL, ROSTER, KindSpec
from desktop.store.database import Database

Column = tuple[str, str]  # (table, column)


def _columns_named() -> dict[str, Column]:
    """Each word the import takes for a roster or annual column, and that column."""
    named: dict[str, Column] = {}
    spec: KindSpec
    for table, spec in (("enterprise", ROSTER), ("annual_figures", ANNUAL)):
        columns = Base.metadata.tables[table].columns
        for field in spec.fields:
            column = field.name if field.name in columns else f"{field.name}_id"
            for word in (field.header, *field.synonyms):
                named.setdefault(word, (table, column))
    return named


NAMED = _columns_named()
UNIT = in_yuan("")


def _check(headers: list[str]) -> set[Column]:
    """Assert each header naming a column is its schema label (with the unit where money);
    returns the columns named."""
    found = set()
    for header in headers:
        column = NAMED.get(header.removesuffix(UNIT))
        if column is None:
            continue
        label = column_label(*column)
        assert header in (label, in_yuan(label)), f"「{header}」 names {column}: 「{label}」"
        found.add(column)
    return found


@pytest.fixture
def results(sample_db: Database) -> list[Result]:
    with sample_db.reader() as session:
        return engine.evaluate_roster(session)


def test_filing_sheets_and_ledger_headers_are_the_schema_labels(
    results: list[Result], tmp_path: Path
) -> None:
    named: set[Column] = set()
    for measure in CATALOGUE:
        out = tmp_path / f"{measure}.xlsx"
        write_filing_sheet(results, out, measure=measure, filing_unit="忻州市工业和信息化局")
        rows = list(openpyxl.load_workbook(out).active.values)
        period = CATALOGUE[measure].period_label  # the result's period (纳税年度), not a column
        named |= _check([h for h in rows[HEADER_ROW - 1] if h and h != period])
    ledger = tmp_path / "台账.xlsx"
    write_ledger(results, ledger)
    for ws in openpyxl.load_workbook(ledger).worksheets:
        named |= _check([h for h in next(ws.values) if h])
    enterprise = {"name", "uscc", "county_id", "industry_code", "white_list", "chain_leader",
                  "chain_role_confirmed"}  # fmt: skip
    annual = {"taxable_income", "employees", "total_assets", "restricted_industry"}
    assert {("enterprise", c) for c in enterprise} <= named
    assert {("annual_figures", c) for c in annual} <= named


def test_form_labels_are_the_schema_labels(sample_db: Database, results: list[Result]) -> None:
    eligible = [r for r in results if r.verdict is Verdict.ELIGIBLE]
    with sample_db.reader() as session:
        applicants = load_applicants(session, {r.uscc for r in eligible})
    forms = [form_for(r, applicants[r.uscc]) for r in eligible]
    forms += [blank_form(measure) for measure in CATALOGUE]
    named: set[Column] = set()
    for form in forms:
        for rows in (form_rows(form), continuation_rows(form, "")):
            named |= _check([box.text for row in rows for box in row if box.kind is Kind.LABEL])
    shown = ("name", "uscc", "county_id", "legal_representative", "contact", "phone", "address",
             "bank", "bank_account")  # fmt: skip
    assert {("enterprise", c) for c in shown} <= named
