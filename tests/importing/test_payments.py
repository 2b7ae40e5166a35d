"""The payments sheet (拨付明细): read from real workbooks, recorded against the cases, refused row
by row at their column, dry-run, and undone as a logged reversal (nothing deleted)."""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from desktop.cases.moves import Move, move_cases
from desktop.cases.opening import open_cases
from desktop.cases.states import State
from desktop.cases.timeline import timeline
from desktop.importing import describe_undo, import_files, list_batches, undo_batch
from desktop.models import Case, CaseMove, ChangeRecord, Payment
from desktop.store import Database, StoreError
from tests.cases.conftest import BASIS, PARAMETERS, add_enterprises, code, result
from tests.importing.conftest import backups_of, dump

GOLDEN = tomllib.loads((Path(__file__).parent / "golden" / "payments.toml").read_text("utf-8"))
HEADERS = (
    "统一社会信用代码*",
    "支持事项*",
    "期间",
    "拨付金额（元）*",
    "拨付日期*",
    "凭证号*",
    "资金级别",
)
FIELDS = ("enterprise", "measure", "period", "amount", "paid_on", "voucher", "level")
START, END = date(2023, 6, 5), date(2023, 6, 12)  # a Monday, and five working days after


@pytest.fixture
def cases_db(db: Database) -> Database:
    """Enterprises 1 … 4; cases 0001 and 0002 publicised, 0003 approved (golden file's header)."""
    with db.session(source="command") as s:
        add_enterprises(s, 4)
        cases = open_cases(s, [result(n) for n in (1, 2, 3)], BASIS, PARAMETERS)
        for move in (Move(State.RECEIVED), Move(State.APPROVED)):
            move_cases(s, cases, move, PARAMETERS, START)
        move_cases(s, cases[:2], Move(State.PUBLICITY, on=START), PARAMETERS, START)
        move_cases(s, cases[:2], Move(State.PUBLICIZED), PARAMETERS, END)
    return db


def _workbook(folder: Path, spec: dict[str, Any]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "拨付明细"
    ws.append(HEADERS)
    for row in spec["rows"]:
        values = {**row, "enterprise": code(row["enterprise"])}
        ws.append([values.get(f) for f in FIELDS])
    path = folder / spec["name"]
    wb.save(path)
    return path


def _cases(db: Database) -> dict[str, list[str]]:
    with db.reader() as s:
        return {c.number: [c.state, str(c.paid_amount)] for c in s.scalars(select(Case))}


def _import_golden(db: Database, folder: Path, spec: dict[str, Any]) -> dict[str, Any]:
    report = import_files(db, [_workbook(folder, spec)])
    (file,) = report.to_json()["files"]
    assert file["committed"], report.files[0].error
    (sheet,) = file["sheets"]
    return sheet


@pytest.mark.parametrize("step", range(len(GOLDEN["files"])))
def test_the_golden_payments_files(cases_db: Database, tmp_path: Path, step: int) -> None:
    for earlier in GOLDEN["files"][:step]:
        _import_golden(cases_db, tmp_path, earlier)
    spec = GOLDEN["files"][step]
    sheet = _import_golden(cases_db, tmp_path, spec)
    enterprise = {i: row["enterprise"] for i, row in enumerate(spec["rows"], start=2)}
    expected = [
        {**r, "message": r["message"].replace("{uscc}", code(enterprise[r["row"]]))}
        for r in spec["rejected"]
    ]
    assert (sheet["kind"], sheet["created"], sheet["rejected"]) == (
        "payments", spec["created"], expected,
    )  # fmt: skip
    assert _cases(cases_db) == spec["cases"]


def test_the_move_to_paid_is_logged_with_the_operator_and_the_batch(
    cases_db: Database, tmp_path: Path
) -> None:
    _import_golden(cases_db, tmp_path, GOLDEN["files"][0])
    with cases_db.reader() as s:
        case = s.scalars(select(Case).where(Case.number == "12-2023Q1-0001")).one()
        last = timeline(s, case)[-1]
        assert (last.from_state, last.to_state, last.moved_on, last.operator) == (
            State.PUBLICIZED, State.PAID, date(2023, 7, 15), "测试员",
        )  # fmt: skip
        lines = s.execute(
            select(ChangeRecord.table_name, ChangeRecord.row_key, ChangeRecord.source,
                   ChangeRecord.batch_id, ChangeRecord.source_row)
            .where(ChangeRecord.source == "import").order_by(ChangeRecord.id)
        ).all()  # fmt: skip
    assert [tuple(line) for line in lines] == [
        ("payment", "12-2023Q1-0001 记-0701", "import", 1, 2),
        ("payment", "12-2023Q1-0001 记-0715", "import", 1, 3),
        ("payment", "12-2023Q1-0002 记-2-1", "import", 1, 7),
        ("case_move", "12-2023Q1-0001 paid", "import", 1, 3),
        ("subsidy_case", "12-2023Q1-0001", "import", 1, 3),
    ]


def test_a_dry_run_reports_the_same_and_writes_nothing(cases_db: Database, tmp_path: Path) -> None:
    spec = GOLDEN["files"][0]
    before = dump(cases_db)
    report = import_files(cases_db, [_workbook(tmp_path, spec)], dry_run=True)
    (sheet,) = report.files[0].sheets
    assert (report.files[0].committed, sheet.created, len(sheet.rejected)) == (False, 3, 5)
    assert dump(cases_db) == before


def _counts(db: Database) -> tuple[int, int]:
    with db.reader() as s:
        return s.scalar(select(func.count(Payment.id))), s.scalar(select(func.count(CaseMove.id)))


def test_undo_reverses_the_payments_and_deletes_nothing(cases_db: Database, tmp_path: Path) -> None:
    _import_golden(cases_db, tmp_path, GOLDEN["files"][0])
    payments, moves = _counts(cases_db)
    undone = undo_batch(cases_db, 1)
    assert (undone.deleted, undone.restored, undone.reversed) == (0, 0, 3)
    assert _counts(cases_db) == (payments, moves + 1)  # kept, and one move back
    assert _cases(cases_db) == {
        "12-2023Q1-0001": ["publicized", "0.00"],
        "12-2023Q1-0002": ["publicized", "0.00"],
        "12-2023Q1-0003": ["approved", "0.00"],
    }
    with cases_db.reader() as s:
        reversed_ = s.scalars(select(Payment).order_by(Payment.id)).all()
        assert {(p.reversed_on, p.reversal_reason) for p in reversed_} == {
            (date.today(), "撤销导入批次 1")
        }
        case = s.scalars(select(Case).where(Case.number == "12-2023Q1-0001")).one()
        *_, paid, back = timeline(s, case)
        assert (paid.to_state, back.from_state, back.to_state) == (
            State.PAID, State.PAID, State.PUBLICIZED,
        )  # fmt: skip
        assert (back.reason, back.operator) == ("撤销导入批次 1", "测试员")
        sources = s.execute(
            select(ChangeRecord.table_name, func.count())
            .where(ChangeRecord.source == "undo", ChangeRecord.batch_id == 1)
            .group_by(ChangeRecord.table_name)
        ).all()
    assert dict(sources) == {"payment": 6, "case_move": 1, "subsidy_case": 1}
    assert list_batches(cases_db)[0].undone_by == "测试员"
    # The vouchers taken back may be recorded again: the same file goes in as before.
    again = _import_golden(cases_db, tmp_path, GOLDEN["files"][0])
    assert again["created"] == 3
    assert _cases(cases_db) == GOLDEN["files"][0]["cases"]


def test_undo_is_refused_once_a_paid_case_is_reconciled(cases_db: Database, tmp_path: Path) -> None:
    _import_golden(cases_db, tmp_path, GOLDEN["files"][0])
    with cases_db.session() as s:
        case = s.scalars(select(Case).where(Case.number == "12-2023Q1-0001")).one()
        move_cases(s, [case], Move(State.RECONCILED), PARAMETERS)
    before = dump(cases_db, audit=False)
    with pytest.raises(StoreError, match="之后又被修改过，不能撤销"):
        undo_batch(cases_db, 1)
    assert dump(cases_db, audit=False) == before


def test_a_reconciled_case_paid_in_part_by_the_batch_refuses_its_reversal(
    cases_db: Database, tmp_path: Path
) -> None:
    _import_golden(cases_db, tmp_path, GOLDEN["files"][0])  # 0002: 200,000.00 paid
    _import_golden(cases_db, tmp_path, GOLDEN["files"][1])  # 0002: the rest, now paid
    with cases_db.session() as s:
        case = s.scalars(select(Case).where(Case.number == "12-2023Q1-0002")).one()
        move_cases(s, [case], Move(State.RECONCILED), PARAMETERS)
    before, backups = dump(cases_db, audit=False), backups_of(cases_db)
    message = "批次 1 不能撤销：兑现事项 12-2023Q1-0002 当前为「已核对」，不能冲销其拨付记录"
    with pytest.raises(StoreError) as refused:
        describe_undo(cases_db, 1)  # the window asks nothing: it says why at once
    assert str(refused.value) == message
    with pytest.raises(StoreError) as refused:
        undo_batch(cases_db, 1)
    assert str(refused.value) == message
    assert dump(cases_db, audit=False) == before
    assert backups_of(cases_db) == backups  # refused before the backup, not after
    with cases_db.reader() as s:
        assert s.scalar(select(func.sum(Payment.amount))) == Decimal("500000.00")


def test_the_undo_of_a_payments_batch_says_they_are_reversed_not_deleted(
    cases_db: Database, tmp_path: Path
) -> None:
    _import_golden(cases_db, tmp_path, GOLDEN["files"][0])
    assert describe_undo(cases_db, 1) == (
        "撤销第 1 批导入（拨付明细-7月.xlsx）：将删除 0 行，恢复 0 行，冲销拨付 3 笔。"
        "拨付记录不删除：冲销的记录保留并标为「已冲销」，不再计入已拨付；"
        "因此不足审核金额的兑现事项退回「公示无异议」。"
    )
    assert undo_batch(cases_db, 1).text() == "已撤销批次 1：删除 0 行，恢复 0 行，冲销拨付 3 笔"
