"""Golden: a case opened on one evaluation shows 测算已变化 once an import changes the facts
(tests/importing/golden/changed_after_import.toml, worked by hand from RULES.md)."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select

from desktop.cases.opening import basis_of, changed, open_cases
from desktop.importing import import_files
from desktop.models import Case
from desktop.rules.engine import evaluate_roster
from desktop.rules.policy import load_policy
from desktop.rules.result import Result, Verdict
from desktop.store import Database
from tests.cases.conftest import PARAMETERS, code

GOLDEN = tomllib.loads(
    (Path(__file__).parent / "golden" / "changed_after_import.toml").read_text("utf-8")
)


def _workbook(folder: Path, spec: dict[str, Any]) -> Path:
    wb = Workbook()
    roster, months = wb.active, wb.create_sheet("月度产值")
    roster.title = "企业名录"
    roster.append(["企业名称", "统一社会信用代码", "所属县（市、区）", "白名单企业"])
    for row in spec.get("roster", ()):
        roster.append([row["name"], code(row["enterprise"]), row["county"], row["white_list"]])
    months.append(["统一社会信用代码", "年月", "工业总产值（万元）"])
    for row in spec["months"]:
        months.append([code(row["enterprise"]), row["month"], row["output"]])
    if not spec.get("roster"):
        wb.remove(roster)
    path = folder / spec["name"]
    wb.save(path)
    return path


def _result(db: Database) -> Result:
    with db.reader() as s:
        (found,) = [r for r in evaluate_roster(s, measures=["12"]) if r.uscc == code(1)]
    return found


def test_an_import_changing_the_facts_shows_the_case_changed(db: Database, tmp_path: Path) -> None:
    first, second = GOLDEN["files"]
    report = import_files(db, [_workbook(tmp_path, first)])
    assert report.files[0].error is None
    now = _result(db)
    assert (now.verdict, now.amount, now.expected) == (
        Verdict(first["result"]["verdict"]), Decimal(first["result"]["amount"]),
        first["result"]["expected"],
    )  # fmt: skip
    with db.session() as s:
        (case,) = open_cases(s, [now], basis_of(load_policy()), PARAMETERS)
        assert changed(case, now) is None
    report = import_files(db, [_workbook(tmp_path, second)])
    assert report.files[0].error is None
    later = _result(db)
    assert (later.amount, later.expected) == (
        Decimal(second["result"]["amount"]), second["result"]["expected"],
    )  # fmt: skip
    with db.reader() as s:
        case = s.scalars(select(Case)).one()
        difference = changed(case, later)
        assert difference is not None and difference.text() == second["changed"]
        assert case.snapshot_amount == Decimal(first["result"]["amount"])  # nothing by itself
