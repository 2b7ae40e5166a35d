"""Every field of every sheet kind, through the import and through the editor, with one table of
good and bad values: both give the same verdict (the import takes a row, the editor saves it)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from stdnum.cn import uscc as uscc_code

from desktop.importing.importer import import_files
from desktop.roster.fields import (
    ANNUAL_FIELDS,
    ENTERPRISE_FIELDS,
    LEASE_FIELDS,
    MONTHLY_FIELDS,
    ZONE_FIELDS,
)
from desktop.roster.records import (
    AnnualRow,
    EnterpriseRecord,
    LeaseRow,
    MonthlyRow,
    save_record,
)
from desktop.roster.reference import ZoneRow, save_chains, save_zones
from desktop.sheets.fields import SPECS
from desktop.sheets.parsed import SheetKind
from desktop.store import Database, StoreError, open_database
from desktop.values import ValueProblem

ZONE, CHAIN = "园区甲", "新能源"


def code(n: int) -> str:
    body = f"91140902MA{n:07d}"
    return body + uscc_code.calc_check_digit(body)


CODE = code(9_999_999)  # the enterprise the figures belong to
WRONG_CHECK = CODE[:-1] + ("0" if CODE[-1] != "0" else "1")

# (field, value, good): a value is a cell's text; {code} stands for the row's own credit code.
CASES: dict[SheetKind, list[tuple[str, str, bool]]] = {
    SheetKind.roster: [
        ("name", "甲有限公司", True), ("name", "", False),
        ("uscc", "{code}", True), ("uscc", "'{code}", True), ("uscc", '="{code}"', True),
        ("uscc", "9114", False), ("uscc", WRONG_CHECK, False),
        ("county", "忻府区", True), ("county", "忻府", True), ("county", "太原市", False),
        ("county", "", False),
        ("zone", ZONE, True), ("chain", CHAIN, True),
        ("industry_code", "C3311", True), ("industry_code", "3311", True),
        ("industry_code", "C3311 金属结构制造", True), ("industry_code", "A3311", False),
        ("industry_code", "X", False),
        ("above_scale", "是", True), ("above_scale", "√", True), ("above_scale", "可能", False),
        ("white_list", "否", True), ("white_list", "也许", False),
        ("chain_leader", "Y", True), ("chain_leader", "?", False),
        ("chain_role_confirmed", "是", True), ("chain_role_confirmed", "", True),
        ("chain_role_confirmed", "待定", False),
        ("size", "中型", True), ("size", "中型企业", False), ("size", "", True),
        ("legal_representative", "张三", True), ("contact", "李四", True),
        ("phone", "0350-1234567", True), ("phone", "'13800000000", True),
        ("address", "忻州市某路1号", True), ("bank", "某银行", True),
        ("bank_account", "'6222021234567890123", True),
    ],
    SheetKind.monthly: [
        ("month", "2024-03", True), ("month", "2024年4月", True), ("month", "2024-13", False),
        ("month", "abc", False),
        ("output", "12.5", True), ("output", "12.5万元", True), ("output", "(3)", False),
        ("output", "-1", False), ("output", "abc", False), ("output", "无", False),
        ("output", "", False),
    ],
    SheetKind.annual: [
        ("year", "2024", True), ("year", "2025年", True), ("year", "23", False),
        ("output", "100", True), ("output", "无", True), ("output", "-5", False),
        ("taxable_income", "-50", True), ("taxable_income", "12.5万元", True),
        ("taxable_income", "abc", False),
        ("employees", "120", True), ("employees", "120人", True), ("employees", "-1", False),
        ("employees", "1.5", False),
        ("total_assets", "3000", True), ("total_assets", "-1", False),
        ("restricted_industry", "是", True), ("restricted_industry", "", True),
        ("restricted_industry", "可能", False),
    ],
    SheetKind.leases: [
        ("zone", ZONE, True),
        ("standard_factory", "是", True), ("standard_factory", "否", True),
        ("standard_factory", "也许", False),
        ("area", "1200", True), ("area", "1200平方米", True), ("area", "无", True),
        ("area", "-3", False), ("area", "12万元", False),
        ("monthly_rent", "5000", True), ("monthly_rent", "0.5万元", True),
        ("monthly_rent", "-1", False), ("monthly_rent", "abc", False), ("monthly_rent", "", False),
        ("start_date", "2010年1月5日", True), ("start_date", "2011/1/5", True),
        ("start_date", "2012-02-30", False), ("start_date", "", False),
        ("end_date", "2099-12-31", True), ("end_date", "明年", False),
    ],
    SheetKind.zones: [
        ("name", "某园区", True), ("name", "", False),
        ("level", "省级", True), ("level", "国家级", True), ("level", "", True),
        ("level", "省级开发区", False),
        ("kind", "工业类", True), ("kind", "其他", True), ("kind", "工业", False),
    ],
}  # fmt: skip


# The editor keeps a month's year and month apart: 年月 2024-03 is typed there as 2024 and 3.
MONTH_IN_EDITOR = {"2024-03": "3", "2024年4月": "4月", "2024-13": "13", "abc": "abc"}


def _base(kind: SheetKind, i: int) -> dict[str, str]:
    """A good row of ``kind``, the ``i``th (its key its own)."""
    return {
        SheetKind.roster: {"name": f"企业{i}", "uscc": "{code}", "county": "忻府区"},
        SheetKind.monthly: {"uscc": CODE, "month": f"{2030 + i}-01", "output": "10"},
        SheetKind.annual: {"uscc": CODE, "year": str(2030 + i)},
        SheetKind.leases: {
            "uscc": CODE, "zone": ZONE, "standard_factory": "是", "monthly_rent": "100",
            "start_date": f"{1990 + i}-01-01", "end_date": "2099-01-01",
        },
        SheetKind.zones: {"name": f"园区{i}", "kind": "工业类"},
    }[kind]  # fmt: skip


def _rows(kind: SheetKind) -> list[dict[str, str]]:
    rows = []
    for i, (name, value, _) in enumerate(CASES[kind]):
        row = {**_base(kind, i), name: value}
        rows.append({k: v.format(code=code(i)) for k, v in row.items()})
    return rows


def _prepared(path: Path) -> Database:
    db = open_database(path, "测试员")
    save_zones(db, [ZoneRow(ZONE, "省级", "工业类")])
    save_chains(db, [(None, CHAIN)])
    save_record(db, EnterpriseRecord(CODE, "乙有限公司", "忻府区"), None)
    return db


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    """One database for the import, one for the editor, each holding the zone, chain and
    enterprise the rows name."""
    pair = _prepared(tmp_path / "import.sqlite3"), _prepared(tmp_path / "editor.sqlite3")
    yield pair
    for db in pair:
        db.close()


def _imported(
    db: Database, tmp_path: Path, kind: SheetKind, rows: list[dict[str, str]]
) -> list[bool]:
    """Whether each row was taken by the import of a CSV file holding them, written as systems
    export them (``="…"`` unquoted)."""
    fields = [f for f in SPECS[kind].fields if any(f.name in r for r in rows)]
    lines = [
        [f.template_header for f in fields],
        *([r.get(f.name, "") for f in fields] for r in rows),
    ]
    path = tmp_path / f"{kind}.csv"
    path.write_text("\n".join(",".join(line) for line in lines) + "\n", "utf-8")
    (file,) = import_files(db, [path]).files
    assert file.error is None, file.error
    (found,) = file.sheets
    refused = {r.row for r in found.rejected_rows}
    assert found.created + found.updated + len(refused) == len(rows)
    return [n not in refused for n in range(2, len(rows) + 2)]


def _editor_row(kind: SheetKind, row: dict[str, str], changed: str) -> Any:
    """The figure or lease row the editor makes of ``row``: its changed cell read by the
    editor's column parser (what ``RowListModel.setData`` calls), the others given."""
    if kind is SheetKind.monthly:
        if changed == "month":
            return MonthlyRow(2024, MONTHLY_FIELDS["month"].parse(MONTH_IN_EDITOR[row["month"]]),
                              Decimal(10))  # fmt: skip
        year, month = (int(p) for p in row["month"].split("-"))
        return MonthlyRow(year, month, MONTHLY_FIELDS["output"].parse(row["output"]))
    if kind is SheetKind.annual:
        found = AnnualRow(int(row["year"]) if changed != "year" else 2024)
        return replace(found, **{changed: ANNUAL_FIELDS[changed].parse(row[changed])})
    typed = {name: f.parse(row[name]) for name, f in LEASE_FIELDS.items() if name in row}
    return LeaseRow(**typed)


def _edited(db: Database, kind: SheetKind, row: dict[str, str], changed: str) -> bool:
    """Whether the editor (or, for zones, the settings page) saves ``row``."""
    try:
        if kind is SheetKind.zones:
            typed = {n: ZONE_FIELDS[n].parse(row.get(n, "")) for n in ("level", "kind")}
            save_zones(db, [ZoneRow(row["name"], **typed)])
        elif kind is SheetKind.roster:
            base = EnterpriseRecord(row["uscc"], row["name"], row["county"])
            save_record(db, replace(base, **{changed: _as_given(changed, row[changed])}), None)
        else:
            found = _editor_row(kind, row, changed)
            lists = {SheetKind.monthly: "monthly", SheetKind.annual: "annual"}
            base = EnterpriseRecord(CODE, "乙有限公司", "忻府区")
            given = {lists.get(kind, "leases"): [found]}
            save_record(db, replace(base, **given), CODE)
    except (ValueProblem, StoreError):
        return False
    return True


def _as_given(name: str, text: str) -> Any:
    """A basic field as the dialog gives it: text, or a check box's state read from 是/否."""
    found = ENTERPRISE_FIELDS[name]
    return found.parse(text) if found.is_flag else text


@pytest.mark.parametrize("kind", list(CASES), ids=str)
def test_import_and_editor_agree_on_every_field(
    kind: SheetKind, databases: tuple[Database, Database], tmp_path: Path
) -> None:
    importing, editing = databases
    rows = _rows(kind)
    imported = _imported(importing, tmp_path, kind, rows)
    edited = [
        _edited(editing, kind, row, name)
        for row, (name, _, _) in zip(rows, CASES[kind], strict=True)
    ]
    expected = [good for _, _, good in CASES[kind]]
    table = list(zip(CASES[kind], imported, edited, strict=True))
    assert imported == expected, [(case, i) for case, i, _ in table if i != case[2]]
    assert edited == expected, [(case, e) for case, _, e in table if e != case[2]]


def test_every_template_field_is_walked() -> None:
    walked = {(kind, name) for kind, cases in CASES.items() for name, _, _ in cases}
    every = {(k, f.name) for k, spec in SPECS.items() if k in CASES for f in spec.fields}
    assert every - walked == {(k, "uscc") for k in (SheetKind.monthly, SheetKind.annual,
                                                      SheetKind.leases)}  # fmt: skip
