"""The case subcommands of CLI.md: JSON keys and formats, all or none, the budget and its logged
override, refreshing, funds, the publicity list and the progress board."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from desktop.cases.payments import PaymentRow, record_payment
from desktop.cases.reversal import reverse_payments
from desktop.cli import case_commands, main
from desktop.models import Case, CaseMove, ChangeRecord, County, Enterprise, Payment
from desktop.rules import catalogue, engine
from desktop.rules.result import Result, Verdict
from desktop.store import Database
from desktop.store.settings import set_setting
from tests.cases.conftest import code, result
from tests.conftest import cli_db

CASE_KEYS = ["case", "measure", "period", "uscc", "name", "county", "state", "snapshot_amount",
             "approved_amount", "paid_amount", "deadline", "warning", "changed"]  # fmt: skip
STATES = ["open", "received", "returned", "approved", "rejected", "publicity", "objected",
          "publicized", "paid", "reconciled", "withdrawn"]  # fmt: skip
FRIDAY = date(2023, 6, 9)


class Roster:
    """The results the stood-in rules engine answers (a test may change them)."""

    def __init__(self) -> None:
        self.results: list[Result] = [
            result(1, amount="250000.00"),
            result(2, amount="100000.00"),
            result(3, amount="80000.00"),
            replace(result(4, amount="50000.00"), county="原平市"),
            result(5, amount=None, verdict=Verdict.INELIGIBLE),
        ]

    def set(self, n: int, amount: str | None, verdict: Verdict = Verdict.ELIGIBLE) -> None:
        """Enterprise ``n``'s result under 第十二条 from now on."""
        self.results = [
            replace(r, verdict=verdict, amount=None if amount is None else Decimal(amount))
            if r.uscc == code(n) else r
            for r in self.results
        ]  # fmt: skip


@pytest.fixture
def roster(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Roster]:
    """Enterprises 1–3 and 5 in 忻府区, 4 in 原平市; the engine answering ``Roster.results``
    (its checks of measure and county kept); today Tuesday 20 June 2023."""
    with db.session(source="command") as s:
        counties = {c.name: c for c in s.scalars(select(County))}
        for n in range(1, 6):
            where = counties["原平市" if n == 4 else "忻府区"]
            s.add(Enterprise(uscc=code(n), name=f"测试企业{n}", county=where))
    answers = Roster()

    def evaluate_roster(session, *, measures=None, county=None, **_):
        wanted = [m.key for m in catalogue.measures(measures)]
        catalogue.check_county(session, county)
        return [r for r in answers.results if r.measure in wanted and county in (None, r.county)]

    monkeypatch.setattr(engine, "evaluate_roster", evaluate_roster)
    monkeypatch.setattr(case_commands, "today", lambda: date(2023, 6, 20))
    yield answers


def run(db: Database, *args: str) -> int:
    return main(["--db", cli_db(db), "--operator", "李科员", *args])


def out_json(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> object:
    capsys.readouterr()
    assert run(db, *args, "--json") == 0
    return json.loads(capsys.readouterr().out)


def refused(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run a command that must do nothing: exit 2, one line on standard error, returned."""
    capsys.readouterr()
    assert run(db, *args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err.strip()


def state_of(db: Database, number: str) -> str:
    with db.reader() as s:
        return s.scalar(select(Case.state).where(Case.number == number))


def opened(db: Database, capsys, *codes: int) -> list[str]:
    capsys.readouterr()
    assert run(db, "case", "open", "--measure", "12", "--uscc", *map(code, codes)) == 0
    return capsys.readouterr().out.split()


def test_case_open_prints_the_numbers_and_cases_json_has_clis_keys(
    db: Database, roster: Roster, capsys
) -> None:
    assert opened(db, capsys, 1, 4) == ["12-2023Q1-0001", "12-2023Q1-0002"]
    found = out_json(db, capsys, "cases")
    assert [list(item) for item in found] == [CASE_KEYS, CASE_KEYS]
    assert found[1] == {
        "case": "12-2023Q1-0002", "measure": "12", "period": "2023-Q1", "uscc": code(4),
        "name": "测试企业4", "county": "原平市", "state": "open",
        "snapshot_amount": "50000.00", "approved_amount": None, "paid_amount": "0.00",
        "deadline": "2023-12-31", "warning": None, "changed": False,
    }  # fmt: skip
    assert [c["case"] for c in out_json(db, capsys, "cases", "--county", "原平市")] == [
        "12-2023Q1-0002"
    ]
    assert out_json(db, capsys, "cases", "--state", "received") == []


def test_all_eligible_opens_the_rest_and_says_what_already_had_a_case(
    db: Database, roster: Roster, capsys
) -> None:
    opened(db, capsys, 2)
    assert run(db, "case", "open", "--measure", "12", "--all-eligible") == 0
    captured = capsys.readouterr()
    assert captured.out.split() == ["12-2023Q1-0002", "12-2023Q1-0003", "12-2023Q1-0004"]
    assert captured.err.strip() == "1 项符合条件的测算结果已有兑现事项，未重复立案"


def test_opening_is_all_or_none(db: Database, roster: Roster, capsys) -> None:
    opened(db, capsys, 1)
    line = refused(db, capsys, "case", "open", "--measure", "12", "--uscc", code(2), code(1))
    assert "已有兑现事项 12-2023Q1-0001（待申报），不能重复立案" in line
    line = refused(db, capsys, "case", "open", "--measure", "12", "--uscc", code(5))
    assert "测算结论为「不符合」，不能立案" in line
    with db.reader() as s:
        assert s.scalar(select(func.count(Case.id))) == 1


def test_warnings_follow_the_deadline(db: Database, roster: Roster, monkeypatch, capsys) -> None:
    opened(db, capsys, 1)
    for day, warning in ((date(2023, 12, 15), None), (date(2023, 12, 16), "yellow"),
                         (date(2024, 1, 1), "red")):  # fmt: skip
        monkeypatch.setattr(case_commands, "today", lambda day=day: day)
        assert out_json(db, capsys, "cases")[0]["warning"] == warning


def test_one_refused_move_refuses_the_command_and_nothing_changes(
    db: Database, roster: Roster, capsys
) -> None:
    opened(db, capsys, 1, 2)
    assert run(db, "case", "move", "12-2023Q1-0001", "--to", "received") == 0
    with db.reader() as s:
        logged = s.scalar(select(func.count(ChangeRecord.id)))
    line = refused(db, capsys, "case", "move", "12-2023Q1-0001", "12-2023Q1-0002",
                   "--to", "approved")  # fmt: skip
    assert (
        line
        == "兑现事项 12-2023Q1-0002 当前为「待申报」，不能改为「审核通过」；可改为：已受理、已撤回"
    )
    assert state_of(db, "12-2023Q1-0001") == "received"
    with db.reader() as s:
        assert s.scalar(select(func.count(ChangeRecord.id))) == logged
        assert s.scalar(select(func.count(CaseMove.id))) == 1
    line = refused(db, capsys, "case", "move", "12-2023Q1-0001", "12-2023Q1-0099", "--to",
                   "approved")  # fmt: skip
    assert line == "没有兑现事项 12-2023Q1-0099；未作任何改动"
    assert refused(db, capsys, "case", "move", "12-2023Q1-0001", "--to", "done").startswith(
        "参数错误：argument --to: 没有办理状态「done」"
    )
    assert "须填写理由" in refused(db, capsys, "case", "move", "12-2023Q1-0001", "--to", "returned")


def test_budget_refusal_then_override_logged(db: Database, roster: Roster, capsys) -> None:
    assert run(db, "fund", "set", "--measure", "12", "--level", "市级", "--budget", "30万",
               "--document", "忻财企〔2023〕8号") == 0  # fmt: skip
    opened(db, capsys, 1, 2)
    assert run(db, "case", "move", "12-2023Q1-0001", "12-2023Q1-0002", "--to", "received") == 0
    both = ("case", "move", "12-2023Q1-0001", "12-2023Q1-0002", "--to", "approved")
    assert refused(db, capsys, *both) == (
        "兑现事项 12-2023Q1-0002 审核金额 100,000.00元 超出第十二条市级资金预算：预算 "
        "300,000.00元，已审核 250,000.00元，超出 50,000.00元；确需审核通过的，请填写超预算理由"
    )
    assert state_of(db, "12-2023Q1-0001") == "received"
    assert (
        refused(db, capsys, *both, "--override-budget") == "超出预算审核通过须填写理由（--reason）"
    )
    capsys.readouterr()
    assert run(db, *both, "--override-budget", "--reason", "市财政追加预算") == 0
    said = capsys.readouterr().out.splitlines()
    assert said == [
        "已改为「审核通过」：12-2023Q1-0001、12-2023Q1-0002",
        "12-2023Q1-0002：超出第十二条市级资金预算 50,000.00元，"
        "已按超预算理由审核通过：市财政追加预算",
    ]
    shown = out_json(db, capsys, "case", "show", "12-2023Q1-0002")
    approval = shown["history"][-1]
    assert approval["to"] == "approved" and approval["budget_override"] == "市财政追加预算"
    assert approval["operator"] == "李科员" and approval["amount"] == "100000.00"
    assert shown["history"][0]["budget_override"] is None
    with db.reader() as s:
        override = s.scalar(select(CaseMove).where(CaseMove.budget_override.is_not(None)))
        logged = s.execute(
            select(ChangeRecord.operator, ChangeRecord.source).where(
                ChangeRecord.table_name == "case_move",
                ChangeRecord.row_id == override.id,
                ChangeRecord.action == "insert",
            )
        ).all()
    assert logged == [("李科员", "command")]
    funds = out_json(db, capsys, "funds")
    assert funds == [{"measure": "12", "level": "市级", "budget": "300000.00",
                      "document": "忻财企〔2023〕8号", "pre_allocated": False,
                      "approved": "350000.00", "remaining": "-50000.00"}]  # fmt: skip


def test_case_show_has_the_snapshot_history_and_payments(
    db: Database, roster: Roster, capsys
) -> None:
    opened(db, capsys, 1)
    for state in ("received", "approved"):
        assert run(db, "case", "move", "12-2023Q1-0001", "--to", state, "--date", "2023-06-01") == 0
    assert (
        run(db, "case", "move", "12-2023Q1-0001", "--to", "publicity", "--date", "2023-06-01") == 0
    )
    assert (
        run(db, "case", "move", "12-2023Q1-0001", "--to", "publicized", "--date", "2023-06-08") == 0
    )
    with db.session(source="command") as s:
        record_payment(
            s, PaymentRow(code(1), "12", None, Decimal("100000"), date(2023, 6, 20), "PZ-1")
        )
    shown = out_json(db, capsys, "case", "show", "12-2023Q1-0001")
    assert list(shown)[: len(CASE_KEYS)] == CASE_KEYS
    assert list(shown)[len(CASE_KEYS) :] == [
        "level", "received_on", "publicity_start", "publicity_end", "approval_reason",
        "snapshot", "current", "changed_text", "history", "payments",
    ]  # fmt: skip
    assert shown["paid_amount"] == "100000.00" and shown["state"] == "publicized"
    assert shown["publicity_end"] == "2023-06-08"  # Thursday 1 June + 5 working days
    assert list(shown["snapshot"]) == ["verdict", "amount", "expected", "explanation",
                                       "document", "parameters", "at"]  # fmt: skip
    assert shown["snapshot"]["document"] == "xinzhou-2022-86"
    assert shown["snapshot"]["parameters"]["12.city_match_ratio"] == "0.50"  # the policy's
    assert shown["snapshot"]["amount"] == "250000.00"
    assert [(h["from"], h["to"], h["on"]) for h in shown["history"]] == [
        ("open", "received", "2023-06-01"), ("received", "approved", "2023-06-01"),
        ("approved", "publicity", "2023-06-01"), ("publicity", "publicized", "2023-06-08"),
    ]  # fmt: skip
    assert shown["payments"] == [{"amount": "100000.00", "paid_on": "2023-06-20",
                                  "voucher": "PZ-1", "level": "市级", "reversed_on": None,
                                  "reversal_reason": None}]  # fmt: skip
    capsys.readouterr()
    assert run(db, "case", "show", "12-2023Q1-0001") == 0
    text = capsys.readouterr().out
    assert "2023-06-20  100000.00  凭证号 PZ-1  市级\n" in text
    assert "待申报 → 已受理（李科员）" in text


def test_case_show_marks_a_reversed_payment(db: Database, roster: Roster, capsys) -> None:
    opened(db, capsys, 1)
    for state, day in (("received", "06-01"), ("approved", "06-01"), ("publicity", "06-01"),
                       ("publicized", "06-08")):  # fmt: skip
        assert (
            run(db, "case", "move", "12-2023Q1-0001", "--to", state, "--date", f"2023-{day}") == 0
        )
    with db.session(source="command") as s:
        for voucher in ("PZ-1", "PZ-2"):
            record_payment(
                s, PaymentRow(code(1), "12", None, Decimal("1000"), date(2023, 6, 20), voucher)
            )
        first = s.scalars(select(Payment).where(Payment.voucher == "PZ-1")).one()
        reverse_payments(s, [first.id], "凭证作废", on=date(2023, 6, 21))
    shown = out_json(db, capsys, "case", "show", "12-2023Q1-0001")
    assert shown["paid_amount"] == "1000.00"  # the reversed one no longer counts
    assert [(p["voucher"], p["reversed_on"], p["reversal_reason"]) for p in shown["payments"]] == [
        ("PZ-1", "2023-06-21", "凭证作废"), ("PZ-2", None, None),
    ]  # fmt: skip
    capsys.readouterr()
    assert run(db, "case", "show", "12-2023Q1-0001") == 0
    text = capsys.readouterr().out
    assert "凭证号 PZ-1  市级  已冲销 2023-06-21（凭证作废）\n" in text
    assert "凭证号 PZ-2  市级\n" in text


def test_a_changed_result_is_flagged_and_refreshed(db: Database, roster: Roster, capsys) -> None:
    opened(db, capsys, 1, 2)
    roster.set(1, "300000.00")
    assert [c["changed"] for c in out_json(db, capsys, "cases")] == [True, False]
    capsys.readouterr()
    assert run(db, "case", "refresh", "12-2023Q1-0001") == 0
    assert capsys.readouterr().out.strip() == (
        "12-2023Q1-0001：测算已变化：立案时 符合，250,000.00元；现在 符合，300,000.00元，已刷新"
    )
    found = out_json(db, capsys, "cases")
    assert (found[0]["changed"], found[0]["snapshot_amount"]) == (False, "300000.00")
    roster.set(2, "1.00")
    assert run(db, "case", "move", "12-2023Q1-0001", "--to", "received") == 0
    assert run(db, "case", "move", "12-2023Q1-0001", "--to", "approved") == 0
    line = refused(db, capsys, "case", "refresh", "12-2023Q1-0002", "12-2023Q1-0001")
    assert line == (
        "兑现事项 12-2023Q1-0001 当前为「审核通过」，只有待申报、已受理、退回补正时可以刷新测算结果"
    )
    assert out_json(db, capsys, "cases")[1]["snapshot_amount"] == "100000.00"  # none refreshed


def _publicised(db: Database, capsys, *codes: int, on: str = "2023-06-09") -> list[str]:
    numbers = opened(db, capsys, *codes)
    for state in ("received", "approved"):
        assert run(db, "case", "move", *numbers, "--to", state) == 0
    assert run(db, "case", "move", *numbers, "--to", "publicity", "--date", on) == 0
    return numbers


def sheet(path: Path) -> list[list]:
    workbook = CalamineWorkbook.from_path(str(path))
    return workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python()


def test_publicity_list_workbook_with_its_period_across_a_weekend(
    db: Database, roster: Roster, tmp_path: Path, capsys
) -> None:
    with db.session() as s:
        set_setting(s, "filing_unit", "忻府区工业和信息化局")
        set_setting(s, "filing_phone", "0350-1234567")
    _publicised(db, capsys, 1, 4)  # Friday 9 June: Mon 12 … Fri 16 are its 5 working days
    opened(db, capsys, 2)  # not in publicity: not listed
    out = tmp_path / "公示.xlsx"
    capsys.readouterr()
    assert run(db, "publicity", "--measure", "12", "-o", str(out)) == 0
    assert capsys.readouterr().out.strip() == (
        f"已写出 {out}：公示名单 2 户，拟支持金额合计 300,000.00 元"
    )
    rows = sheet(out)
    assert rows[0][0] == "第十二条“白名单”企业市级配套奖励拟支持企业名单公示"
    assert rows[2] == ["序号", "企业名称", "统一社会信用代码", "所属县（市、区）", "支持事项",
                       "拟支持金额（元）"]  # fmt: skip
    assert rows[3] == [1, "测试企业1", code(1), "忻府区", "“白名单”企业市级配套奖励（2023-Q1）",
                       250000.0]  # fmt: skip
    assert rows[4][2:4] == [code(4), "原平市"]
    assert rows[5] == ["", "合计（2户）", "", "", "", 300000.0]
    texts = [r[0] for r in rows[6:] if r[0]]
    assert texts == [
        "公示期：2023年6月9日至2023年6月16日。",
        "公示期内，对公示名单有异议的，请以书面形式向忻府区工业和信息化局反映，联系电话："
        "0350-1234567。逾期未提出异议的，视为无异议。",
        "忻府区工业和信息化局",
        "2023年6月20日",
    ]
    out = tmp_path / "原平.xlsx"
    assert run(db, "publicity", "--measure", "12", "--county", "原平市", "-o", str(out)) == 0
    assert [r[1] for r in sheet(out)[3:5]] == ["测试企业4", "合计（1户）"]


def test_publicity_refusals(db: Database, roster: Roster, tmp_path: Path, capsys) -> None:
    out = tmp_path / "公示.xlsx"
    assert refused(db, capsys, "publicity", "--measure", "12", "-o", str(out)) == (
        "第十二条没有「公示中」的兑现事项，无公示名单"
    )
    assert not out.exists()
    assert refused(db, capsys, "publicity", "--measure", "7", "-o", str(out)).startswith(
        "措施编号「7」无效"
    )
    assert refused(db, capsys, "publicity", "--measure", "12", "-o", str(tmp_path / "a.csv")) == (
        "公示名单应写为 .xlsx 或 .pdf：a.csv"
    )


def _progress_fixture(db: Database, capsys) -> None:
    """第十二条: 1 (250,000) publicised and paid 100,000; 2 received; 3 eligible, no case (all
    忻府区); 4 (原平市, 50,000) approved. Fund 市级 400,000."""
    assert run(db, "fund", "set", "--measure", "12", "--level", "市级", "--budget", "400000") == 0
    _publicised(db, capsys, 1, on="2023-06-01")
    assert (
        run(db, "case", "move", "12-2023Q1-0001", "--to", "publicized", "--date", "2023-06-08") == 0
    )
    with db.session(source="command") as s:
        record_payment(
            s, PaymentRow(code(1), "12", None, Decimal("100000"), date(2023, 6, 20), "PZ-1")
        )
    opened(db, capsys, 2, 4)
    assert run(db, "case", "move", "12-2023Q1-0002", "12-2023Q1-0003", "--to", "received") == 0
    assert run(db, "case", "move", "12-2023Q1-0003", "--to", "approved") == 0


def _states(**counts: int) -> dict[str, int]:
    return {s: counts.get(s, 0) for s in STATES}


def test_progress_json_worked_by_hand(db: Database, roster: Roster, monkeypatch, capsys) -> None:
    _progress_fixture(db, capsys)
    monkeypatch.setattr(case_commands, "today", lambda: date(2023, 12, 20))  # 11 days left
    board = out_json(db, capsys, "progress")
    assert board["date"] == "2023-12-20"
    assert [m["measure"] for m in board["measures"]] == ["5", "11", "12", "13"]
    white = board["measures"][2]
    assert list(white) == ["measure", "clause", "counties", "total", "funds", "remaining_budget"]
    xinfu, yuanping = white["counties"]
    assert xinfu == {"county": "忻府区", "eligible": 3, "cases": 2,
                     "states": _states(received=1, publicized=1), "approved": "250000.00",
                     "paid": "100000.00", "red": 0, "yellow": 2}  # fmt: skip
    assert yuanping == {"county": "原平市", "eligible": 1, "cases": 1,
                        "states": _states(approved=1), "approved": "50000.00", "paid": "0.00",
                        "red": 0, "yellow": 1}  # fmt: skip
    assert white["total"] == {"county": None, "eligible": 4, "cases": 3,
                              "states": _states(received=1, approved=1, publicized=1),
                              "approved": "300000.00", "paid": "100000.00", "red": 0,
                              "yellow": 3}  # fmt: skip
    assert white["funds"] == [{"level": "市级", "budget": "400000.00", "approved": "300000.00",
                               "remaining": "100000.00"}]  # fmt: skip
    assert white["remaining_budget"] == "100000.00"
    tax = board["measures"][0]
    assert (tax["counties"], tax["total"]["cases"], tax["funds"], tax["remaining_budget"]) == (
        [],
        0,
        [],
        None,
    )
    monkeypatch.setattr(case_commands, "today", lambda: date(2024, 1, 1))
    total = out_json(db, capsys, "progress")["measures"][2]["total"]
    assert (total["red"], total["yellow"]) == (3, 0)


def test_progress_workbook(db: Database, roster: Roster, tmp_path: Path, capsys) -> None:
    _progress_fixture(db, capsys)
    out = tmp_path / "进度.xlsx"
    capsys.readouterr()
    assert run(db, "progress", "-o", str(out)) == 0
    assert capsys.readouterr().out == f"已写出 {out}：兑现进度表，兑现事项 3 项\n"
    rows = sheet(out)
    assert rows[0][0] == "惠企政策资金兑现进度表" and rows[1][0] == "截至2023年6月20日"
    assert rows[2][:4] == ["措施", "县（市、区）", "符合条件", "已立案"]
    assert rows[2][4:15] == ["待申报", "已受理", "退回补正", "审核通过", "不予支持", "公示中",
                             "公示有异议", "公示无异议", "已拨付", "已核对", "已撤回"]  # fmt: skip
    assert rows[2][15:] == ["审核通过金额（元）", "已拨付金额（元）", "剩余预算（元）", "已超期",
                            "临近期限"]  # fmt: skip
    white = [r for r in rows[3:] if r[0] == "第十二条"]
    assert [r[1] for r in white] == ["忻府区", "原平市", "合计"]
    assert white[2][2:4] == [4, 3]
    assert white[2][15:] == [300000.0, 100000.0, 100000.0, 0, 0]
    assert white[0][17] == ""  # the remaining budget is the measure's, on its total
    assert (
        refused(db, capsys, "progress")
        == "参数错误：请用 -o OUT.xlsx 写出兑现进度表，或用 --json 输出"
    )


def test_the_ledger_shows_each_results_case(
    db: Database, roster: Roster, tmp_path: Path, capsys
) -> None:
    _progress_fixture(db, capsys)
    out = tmp_path / "台账.xlsx"
    assert run(db, "export", "--ledger", "-o", str(out)) == 0
    white = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("第十二条").to_python()
    assert white[0][8:14] == ["兑现事项编号", "办理状态", "审核金额（元）", "已拨付金额（元）",
                              "最后拨付日期", "凭证号"]  # fmt: skip
    by_code = {row[2]: row[8:14] for row in white[1:]}
    assert by_code[code(1)] == ["12-2023Q1-0001", "公示无异议", 250000.0, 100000.0,
                                date(2023, 6, 20), "PZ-1"]  # fmt: skip
    assert by_code[code(2)] == ["12-2023Q1-0002", "已受理", "", 0.0, "", ""]
    assert by_code[code(3)] == ["", "", "", "", "", ""]


def test_fund_and_list_refusals(db: Database, roster: Roster, capsys) -> None:
    fund = ("fund", "set", "--measure", "12", "--level")
    assert refused(db, capsys, *fund, "区级", "--budget", "1") == (
        "资金级别「区级」无法识别；可用：省级、市级、县级"
    )
    assert refused(db, capsys, *fund, "市级", "--budget", "-5").startswith(
        "参数错误：argument --budget: 「-5」"
    )
    line = refused(db, capsys, "fund", "set", "--measure", "99", "--level", "市级", "--budget", "1")
    assert line == "措施编号「99」无效；可测算：第五条、第十一条、第十二条、第十三条"
    opened(db, capsys, 1)
    for state in ("received", "approved"):
        assert run(db, "case", "move", "12-2023Q1-0001", "--to", state) == 0
    assert refused(db, capsys, *fund, "市级", "--budget", "1000") == (
        "第十二条市级资金预算 1,000.00元 低于已审核通过的 250,000.00元，未保存"
    )
    assert out_json(db, capsys, "funds") == []
    assert refused(db, capsys, "cases", "--county", "太原市") == "没有名为「太原市」的县（市、区）"
    assert refused(db, capsys, "case", "show", "12-2023Q1-0009") == (
        "没有兑现事项 12-2023Q1-0009；未作任何改动"
    )
    assert refused(db, capsys, "case", "move", "12-2023Q1-0001", "--to", "paid") == (
        "兑现事项 12-2023Q1-0001 当前为「审核通过」，不能改为「已拨付」；可改为：公示中、已撤回"
    )
    line = refused(
        db, capsys, "case", "move", "12-2023Q1-0001", "--to", "received", "--amount", "5"
    )
    assert line == "参数错误：--amount 只用于改为「审核通过」（approved）"
