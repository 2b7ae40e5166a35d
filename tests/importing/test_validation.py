"""Rows that must not go in: unknown enterprises, duplicate keys, empty required cells."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from desktop.importing import Rejection
from desktop.importing.importer import Importer
from desktop.models import Enterprise, MonthlyOutput
from desktop.sheets.parsed import CellProblem, ParsedRow, SheetKind
from desktop.store import Database
from tests.importing.conftest import code, parsed_file, roster_row, sheet

K = SheetKind


def _month(n: int, month: int, output: str = "100") -> dict:
    return {"uscc": code(n), "year": 2023, "month": month, "output": Decimal(output)}


def _monthly_count(db: Database) -> int:
    with db.reader() as s:
        return s.scalar(select(func.count(MonthlyOutput.id))) or 0


def test_figures_of_an_unknown_enterprise_are_rejected(db: Database) -> None:
    report = Importer(db).import_parsed(parsed_file(sheet(K.monthly, [_month(9, 1)])))
    (reason,) = report.sheets[0].rejected
    assert (reason.row, reason.column, reason.value) == (2, "统一社会信用代码", code(9))
    assert "不在名录中" in reason.message
    assert report.committed and _monthly_count(db) == 0


def test_enterprise_of_the_same_file_is_known_whatever_the_sheet_order(db: Database) -> None:
    monthly = sheet(K.monthly, [_month(1, 1), _month(1, 2)])
    report = Importer(db).import_parsed(parsed_file(monthly, sheet(K.roster, [roster_row(1)])))
    assert [s.created for s in report.sheets] == [2, 1]
    assert _monthly_count(db) == 2


def test_figures_of_a_rejected_roster_row_are_rejected_too(db: Database) -> None:
    roster = sheet(K.roster, [{**roster_row(1), "county": "外县"}])
    report = Importer(db).import_parsed(parsed_file(roster, sheet(K.monthly, [_month(1, 1)])))
    assert [len(s.rejected_rows) for s in report.sheets] == [1, 1]


def test_duplicate_key_rejects_the_later_row_naming_the_first(db: Database) -> None:
    monthly = sheet(K.monthly, [_month(1, 1, "100"), _month(1, 2), _month(1, 1, "999")])
    report = Importer(db).import_parsed(parsed_file(sheet(K.roster, [roster_row(1)]), monthly))
    (reason,) = report.sheets[1].rejected
    assert reason.row == 4
    assert "与第2行重复" in reason.message and "年月" in reason.message
    with db.reader() as s:
        assert s.scalar(select(MonthlyOutput.output).where(MonthlyOutput.month == 1)) == 100


def test_duplicate_across_sheets_names_the_other_sheet(db: Database) -> None:
    first = sheet(K.roster, [roster_row(1)], name="名录一")
    second = sheet(K.roster, [roster_row(2), roster_row(1, name="别名")], name="名录二")
    report = Importer(db).import_parsed(parsed_file(first, second))
    (reason,) = report.sheets[1].rejected
    assert reason.row == 3 and "工作表「名录一」第2行" in reason.message
    with db.reader() as s:
        assert s.scalar(select(Enterprise.name).where(Enterprise.uscc == code(1))) == "企业1"


def test_readers_problems_are_passed_on_with_sheet_row_and_column(db: Database) -> None:
    roster = sheet(K.roster, [])
    problem = CellProblem(5, "统一社会信用代码", "91140902MA00000X", "校验位错误")
    roster.rows = [
        ParsedRow(5, {**roster_row(1), "uscc": None}, [problem]),
        ParsedRow(6, roster_row(2)),
    ]
    report = Importer(db).import_parsed(parsed_file(roster))
    assert report.sheets[0].rejected == [
        Rejection(5, "统一社会信用代码", "91140902MA00000X", "校验位错误")
    ]
    assert report.sheets[0].created == 1


def test_empty_required_cell_is_rejected(db: Database) -> None:
    roster = sheet(K.roster, [roster_row(1), {**roster_row(2), "name": None}])
    report = Importer(db).import_parsed(parsed_file(roster))
    (reason,) = report.sheets[0].rejected
    assert (reason.row, reason.column, reason.message) == (3, "企业名称", "必填，不能为空")


def test_file_without_a_recognised_sheet_is_refused(db: Database) -> None:
    notes = sheet(K.roster, [], name="填写说明")
    notes.kind, notes.message = None, "工作表「填写说明」没有可识别的表头"
    report = Importer(db).import_parsed(parsed_file(notes))
    assert not report.committed
    assert report.error is not None and "没有可识别的工作表" in report.error
    assert "填写说明" in report.error
