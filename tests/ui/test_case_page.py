"""兑现管理 and 立案 through their widgets, over the sample county.

The sample's eligible results (``relief-desk evaluate``): 第十二条 忻府新材料 500,000.00 and
原平装备制造 250,000.00; 第十三条, 第十一条 and 第五条 two each; eight in all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.cases.deadlines import Alert
from desktop.cases.moves import Move, move_cases
from desktop.cases.opening import basis_of, open_cases, open_eligible
from desktop.cases.parameters import load_case_parameters
from desktop.cases.states import State
from desktop.cases.timeline import timeline
from desktop.changes import Changes
from desktop.models import Case, Enterprise
from desktop.qt.core import Qt
from desktop.qt.widgets import QMessageBox, QWidget
from desktop.rules.catalogue import CATALOGUE
from desktop.rules.engine import evaluate_roster
from desktop.rules.policy import load_policy
from desktop.rules.result import Result, Verdict
from desktop.store import Database
from desktop.ui.background import running
from desktop.ui.case_model import CASE_COLUMNS
from desktop.ui.case_move_dialog import MoveDialog
from desktop.ui.case_page import CasePage, runs
from desktop.ui.enterprise_cases import EnterpriseCases
from desktop.ui.enterprise_dialog import EnterpriseDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.payment_dialog import PaymentDialog
from desktop.ui.policy_page import PolicyPage
from tests.ui.conftest import open_page, screenshot, when_modal

PARAMETERS = load_case_parameters()
XINFU_MATERIALS = "91140902MA0XY0001F"  # 第十二条 eligible, 500,000.00 expected
YUANPING_EQUIPMENT = "91140981MA0XY00020"  # 第十二条 eligible, 250,000.00
ON = date(2023, 6, 1)


def answer_boxes(*texts: str, seen: list[str]) -> None:
    """Click ``texts[0]`` on the next message box, ``texts[1]`` on the one after, …"""

    def act(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        if texts[1:]:
            answer_boxes(*texts[1:], seen=seen)
        button = next(b for b in box.buttons() if b.text().replace("&", "").startswith(texts[0]))
        button.click()

    when_modal(act, QMessageBox)


def in_dialog(act: Callable[[MoveDialog], None]) -> None:
    """Run ``act`` on the next move dialog."""

    def checked(dialog: QWidget) -> None:
        assert isinstance(dialog, MoveDialog)
        act(dialog)

    when_modal(checked, MoveDialog)


def _results(db: Database) -> list[Result]:
    with db.reader() as s:
        return evaluate_roster(s)


def open_all(db: Database) -> dict[str, Case]:
    """A case for every eligible result of the sample, by enterprise code and measure."""
    basis = basis_of(load_policy())
    results = _results(db)
    with db.session() as s:
        for measure in CATALOGUE:
            open_eligible(s, [r for r in results if r.measure == measure], basis, PARAMETERS)
    with db.reader() as s:
        found = s.execute(select(Case, Enterprise.uscc).join(Case.enterprise))
        return {f"{uscc} {case.measure}": case for case, uscc in found}


def move(db: Database, numbers: list[str], to: Move) -> None:
    with db.session() as s:
        cases = list(s.scalars(select(Case).where(Case.number.in_(numbers))))
        move_cases(s, cases, to, PARAMETERS, today=date(2023, 7, 1))


def states(db: Database) -> dict[str, str]:
    with db.reader() as s:
        return {c.number: c.state for c in s.scalars(select(Case))}


def case_page(qtbot: QtBot, window: MainWindow) -> CasePage:
    """The 兑现管理 page, shown, once its comparison with the current results is in."""
    page = open_page(window, "兑现管理", CasePage)
    page.today = lambda: date(2023, 7, 1)
    window.apply_changes(Changes.CASES)
    qtbot.waitUntil(lambda: page.results is not None and running() == 0, timeout=20_000)
    return page


def select_numbers(page: CasePage, *numbers: str) -> None:
    """Select the rows of the cases ``numbers`` (and only them)."""
    page.table.clearSelection()
    flags = page.table.selectionModel().SelectionFlag.Select
    for row in range(page.cases.rowCount()):
        if page.cases.line(row).number in numbers:
            index = page.cases.index(row, 0)
            page.table.selectionModel().select(index, flags | flags.Rows)
    assert {line.number for line in page.selected_lines()} == set(numbers)


def offered(page: CasePage) -> list[str]:
    return [s.label for s, b in page.move_buttons.items() if not b.isHidden()]


def test_open_cases_from_the_policy_page(qtbot: QtBot, window: MainWindow) -> None:
    policy = open_page(window, "政策测算", PolicyPage)
    told: list[str] = []
    answer_boxes("确定", seen=told)
    policy.opening.all_button.click()  # nothing evaluated yet
    assert told == ["请先点「测算」（F9），再在结果中立案。"]
    policy.run_button.click()
    assert policy.op is not None and policy.op.wait(60)
    qtbot.waitUntil(lambda: running() == 0)
    policy.measures.setCurrentIndex(list(CATALOGUE).index("12"))
    policy.table.selectAll()  # 2 eligible, 1 incomplete, 11 ineligible
    seen: list[str] = []
    answer_boxes("是", "确定", seen=seen)
    policy.opening.selected_button.click()
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen[0].startswith("为所选 14 家企业按第十二条立案")
    summary = seen[1].splitlines()
    assert summary[:3] == [
        "已立案 2 件：",
        "12-2023Q1-0001 示例·忻府新材料有限公司",
        "12-2023Q1-0002 示例·原平装备制造有限公司",
    ]
    assert "未立案 12 件：" in summary
    assert any("测算结论为「资料不全」，不能立案" in line for line in summary)
    assert states(window.db) == {"12-2023Q1-0001": "open", "12-2023Q1-0002": "open"}
    seen.clear()
    answer_boxes("是", "确定", seen=seen)  # again, for every eligible result: none is new
    policy.opening.all_button.click()
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen[1] == "2 家已有兑现事项，未重复立案。"
    page = case_page(qtbot, window)  # the page heard of the cases
    assert [line.number for line in page.cases.rows()] == ["12-2023Q1-0001", "12-2023Q1-0002"]
    window.apply_changes(Changes.FIGURES)  # the results the policy page shows are now stale
    qtbot.waitUntil(lambda: running() == 0)  # the case page compares again: it is in front
    window.show_page("政策测算")
    answer_boxes("确定", seen=told)
    policy.opening.selected_button.click()
    assert told[1] == "数据已变更，请重新测算：立案须依据最新测算，请按 F9 重新测算后再立案。"


def test_a_move_on_a_selection_asks_once_and_lists_every_case(
    qtbot: QtBot, window: MainWindow
) -> None:
    cases = open_all(window.db)
    page = case_page(qtbot, window)
    assert page.count.text() == "显示 8 件 / 共 8 件"
    first, second = cases[f"{XINFU_MATERIALS} 12"], cases[f"{YUANPING_EQUIPMENT} 12"]
    select_numbers(page, first.number, second.number)
    assert offered(page) == ["已受理", "已撤回"]

    def fill(dialog: MoveDialog) -> None:
        assert dialog.ok_button.text() == "确定改为「已受理」（2 件）"
        assert dialog.listing.toPlainText().splitlines() == [
            f"{first.number} 示例·忻府新材料有限公司：待申报 → 已受理",
            f"{second.number} 示例·原平装备制造有限公司：待申报 → 已受理",
        ]
        assert dialog.form.rowCount() == 2  # the date received, and a remark
        assert dialog.form.labelForField(dialog.day).text() == "受理日期"
        dialog.day.setText("2023年6月30日")
        dialog.ok_button.click()

    in_dialog(fill)
    page.move_buttons[State.RECEIVED].click()
    assert states(window.db)[first.number] == states(window.db)[second.number] == "received"
    assert page.outcome.text() == "已将 2 件兑现事项改为「已受理」"
    assert offered(page) == ["退回补正", "审核通过", "不予支持", "已撤回"]  # still selected
    with window.db.reader() as s:
        (step,) = timeline(s, s.get(Case, first.id))
        assert (step.to_state, step.moved_on, step.operator) == (
            State.RECEIVED, date(2023, 6, 30), "测试员",
        )  # fmt: skip


def test_a_move_the_table_forbids_is_not_offered_and_a_refused_one_is_said(
    qtbot: QtBot, window: MainWindow
) -> None:
    cases = open_all(window.db)
    first, second = cases[f"{XINFU_MATERIALS} 12"], cases[f"{YUANPING_EQUIPMENT} 12"]
    move(window.db, [second.number], Move(State.RECEIVED, on=ON))
    page = case_page(qtbot, window)
    select_numbers(page, first.number)
    assert offered(page) == ["已受理", "已撤回"]  # no 审核通过 for a case not received
    select_numbers(page, first.number, second.number)  # open and received: only 撤回 is common
    assert offered(page) == ["已撤回"]
    move(window.db, [second.number], Move(State.APPROVED))
    move(window.db, [second.number], Move(State.PUBLICITY, on=date(2023, 6, 28)))
    window.apply_changes(Changes.CASES)
    select_numbers(page, second.number)
    assert offered(page) == ["公示有异议", "公示无异议"]
    seen: list[str] = []

    def try_early(dialog: MoveDialog) -> None:
        answer_boxes("确定", seen=seen)
        dialog.day.setText("2023-07-01")  # the publicity runs to 5 July (5 working days)
        dialog.ok_button.click()
        assert dialog.isVisible()  # kept open to be corrected
        dialog.reject()

    in_dialog(try_early)
    page.move_buttons[State.PUBLICIZED].click()
    assert seen == [
        f"兑现事项 {second.number} 公示期 2023-06-28 至 2023-07-05，2023-07-05 前不能改为"
        "「公示无异议」\n\n没有改动任何兑现事项。"
    ]
    assert states(window.db)[second.number] == "publicity"


def test_a_move_needing_a_reason_or_a_good_date_is_not_made_without(
    qtbot: QtBot, window: MainWindow
) -> None:
    cases = open_all(window.db)
    first = cases[f"{XINFU_MATERIALS} 12"]
    page = case_page(qtbot, window)
    select_numbers(page, first.number)
    messages: list[str] = []

    def no_reason(dialog: MoveDialog) -> None:
        dialog.ok_button.click()
        messages.append(dialog.message.text())
        dialog.reject()

    in_dialog(no_reason)
    page.move_buttons[State.WITHDRAWN].click()

    def bad_date(dialog: MoveDialog) -> None:
        dialog.day.setText("2023-02-30")
        dialog.ok_button.click()
        messages.append(dialog.message.text())
        dialog.reject()

    in_dialog(bad_date)
    page.move_buttons[State.RECEIVED].click()
    assert messages == ["改为「已撤回」须填写理由", "受理日期「2023-02-30」：日期不存在"]
    assert states(window.db)[first.number] == "open"


def test_an_approval_over_the_budget_is_refused_then_made_with_a_reason(
    qtbot: QtBot, window: MainWindow
) -> None:
    cases = open_all(window.db)
    first, second = cases[f"{XINFU_MATERIALS} 12"], cases[f"{YUANPING_EQUIPMENT} 12"]
    move(window.db, [first.number, second.number], Move(State.RECEIVED, on=ON))
    page = case_page(qtbot, window)
    funds = page.funds
    funds.measure.setCurrentIndex(funds.measure.findData("12"))
    assert funds.level.currentText() == "市级"  # cases.toml: 第十二条 counts against 市级
    funds.budget.setText("60万")
    funds.document.setText("忻财企〔2023〕1号")
    funds.save_button.click()
    assert [(f.budget, f.approved) for f in funds.funds.rows()] == [
        (Decimal("600000.00"), Decimal("0.00"))
    ]
    select_numbers(page, first.number, second.number)
    shown: list[str] = []

    def approve(dialog: MoveDialog) -> None:
        assert dialog.amount.isHidden()  # two cases: each at its own computed amount
        dialog.ok_button.click()
        assert dialog.isVisible() and not dialog.refusal.isHidden()
        screenshot(dialog, "case-move-over-budget")
        shown.append(dialog.refusal.text())
        dialog.ok_button.click()  # the override's reason is asked for
        shown.append(dialog.message.text())
        dialog.override.setText("追加资金已报批")
        dialog.ok_button.click()

    in_dialog(approve)
    page.move_buttons[State.APPROVED].click()
    assert shown == [
        f"兑现事项 {second.number} 审核金额 250,000.00元 超出第十二条市级资金预算："
        "预算 600,000.00元，已审核 500,000.00元，超出 150,000.00元；确需审核通过的，"
        "请填写超预算理由",
        "超出预算审核通过须填写超预算理由",
    ]
    assert states(window.db)[second.number] == "approved"
    assert page.outcome.text() == (
        "已将 2 件兑现事项改为「审核通过」；超出第十二条市级资金预算 150,000.00元，"
        "已按超预算理由审核通过：追加资金已报批"
    )
    assert [(f.approved, f.remaining) for f in funds.funds.rows()] == [
        (Decimal("750000.00"), Decimal("-150000.00"))
    ]
    with window.db.reader() as s:
        assert timeline(s, s.get(Case, second.id))[-1].budget_override == "追加资金已报批"


def test_a_budget_below_the_approvals_is_refused(qtbot: QtBot, window: MainWindow) -> None:
    cases = open_all(window.db)
    first = cases[f"{XINFU_MATERIALS} 12"]
    move(window.db, [first.number], Move(State.RECEIVED, on=ON))
    move(window.db, [first.number], Move(State.APPROVED))
    page = case_page(qtbot, window)
    funds = page.funds
    funds.measure.setCurrentIndex(funds.measure.findData("12"))
    seen: list[str] = []
    for budget in ("四十万", "400000"):
        funds.budget.setText(budget)
        answer_boxes("确定", seen=seen)
        funds.save_button.click()
    assert seen[0].startswith("预算金额「四十万」：")
    assert seen[1] == "第十二条市级资金预算 400,000.00元 低于已审核通过的 500,000.00元，未保存"
    assert funds.funds.rows() == []


def test_changed_results_are_shown_side_by_side(qtbot: QtBot, window: MainWindow) -> None:
    (found,) = [r for r in _results(window.db) if r.uscc == XINFU_MATERIALS and r.measure == "12"]
    with window.db.session() as s:  # opened on an evaluation that gave another amount
        earlier = replace(found, amount=Decimal("400000.00"))
        (case,) = open_cases(s, [earlier], basis_of(load_policy()), PARAMETERS)
        number = case.number
    page = case_page(qtbot, window)
    (line,) = page.cases.rows()
    assert line.changed == "测算已变化"
    page.changed_only.setChecked(True)
    assert page.cases.rowCount() == 1
    select_numbers(page, number)
    text = page.detail.toPlainText()
    assert "测算已变化" in text and "400,000.00元" in text and "500,000.00元" in text
    assert found.verdict is Verdict.ELIGIBLE
    assert not page.refresh_button.isHidden()  # open: the snapshot may be refreshed
    seen: list[str] = []
    answer_boxes("是", seen=seen)
    page.refresh_button.click()
    assert seen[0].splitlines()[2] == (
        f"{number} 示例·忻府新材料有限公司：测算已变化：立案时 符合，400,000.00元（预计）；"
        "现在 符合，500,000.00元（预计）"
    )
    with window.db.reader() as s:
        assert s.scalar(select(Case.snapshot_amount)) == Decimal("500000.00")
    page.changed_only.setChecked(False)
    assert [line.changed for line in page.cases.rows()] == [""]
    assert page.refresh_button.isHidden()


def test_the_filters_keep_what_they_say(qtbot: QtBot, window: MainWindow) -> None:
    cases = open_all(window.db)
    move(window.db, [cases[f"{XINFU_MATERIALS} 12"].number], Move(State.RECEIVED, on=ON))
    page = case_page(qtbot, window)
    page.state.setCurrentIndex(page.state.findData(State.RECEIVED))
    assert [line.number for line in page.cases.rows()] == ["12-2023Q1-0001"]
    page.state.setCurrentIndex(0)
    page.measure.setCurrentIndex(page.measure.findData("13"))
    assert {line.measure for line in page.cases.rows()} == {"13"}
    page.measure.setCurrentIndex(0)
    choice = [page.county.itemText(i) for i in range(page.county.count())]
    assert choice == ["全部县（市、区）", "忻府区", "繁峙县", "原平市"]  # 140902, 140924, 140981
    page.county.setCurrentIndex(page.county.findData("原平市"))
    assert {line.county for line in page.cases.rows()} == {"原平市"}
    page.county.setCurrentIndex(0)
    page.today = lambda: date(2023, 12, 20)  # within 15 days of the deadline, 31 December
    window.apply_changes(Changes.CASES)
    assert {line.warning for line in page.cases.rows()} == {"临近期限"}
    page.today = lambda: date(2024, 1, 2)
    window.apply_changes(Changes.CASES)
    page.alert.setCurrentIndex(page.alert.findData(Alert.RED))
    assert [line.warning for line in page.cases.rows()] == ["已超期"] * 8
    warning = page.cases.index(0, [c.attr for c in CASE_COLUMNS].index("warning"))
    brush = page.cases.data(warning, Qt.ItemDataRole.ForegroundRole)
    assert brush.color().name() == "#b00020"


def test_screenshots_of_the_page_the_move_dialog_and_the_funds(
    qtbot: QtBot, window: MainWindow
) -> None:
    (found,) = [r for r in _results(window.db) if r.uscc == XINFU_MATERIALS and r.measure == "12"]
    with window.db.session() as s:  # one opened on an evaluation that gave another amount
        open_cases(s, [replace(found, amount=Decimal("400000.00"))], basis_of(load_policy()),
                   PARAMETERS)  # fmt: skip
    cases = open_all(window.db)
    numbers = sorted(c.number for c in cases.values())
    move(window.db, numbers[2:], Move(State.RECEIVED, on=ON))
    move(window.db, numbers[2:3], Move(State.RETURNED, reason="缺少2022年度审计报告"))
    move(window.db, numbers[4:], Move(State.APPROVED))
    move(window.db, numbers[5:], Move(State.PUBLICITY, on=date(2023, 6, 7)))
    move(window.db, numbers[7:], Move(State.PUBLICIZED, on=date(2023, 6, 14)))
    move(window.db, numbers[1:2], Move(State.WITHDRAWN, reason="企业放弃申报"))
    page = case_page(qtbot, window)
    page.today = lambda: date(2023, 12, 20)
    window.apply_changes(Changes.CASES)
    select_numbers(page, numbers[5])
    screenshot(window, "cases")
    select_numbers(page, numbers[3])  # received: 审核通过 asks the amount
    assert "审核通过" in offered(page)
    page.funds.measure.setCurrentIndex(page.funds.measure.findData(page.cases.rows()[0].measure))

    def look(dialog: MoveDialog) -> None:
        dialog.amount.setText("100000")
        dialog.reason.setText("按核定面积重新计算")
        screenshot(dialog, "case-move-dialog")
        dialog.reject()

    in_dialog(look)
    page.move_buttons[State.APPROVED].click()
    page.funds.budget.setText("300000")
    page.funds.save_button.click()
    page.tabs.setCurrentIndex(1)
    screenshot(window, "case-funds")


def test_the_enterprise_editor_lists_its_cases(qtbot: QtBot, window: MainWindow) -> None:
    cases = open_all(window.db)
    move(window.db, [cases[f"{XINFU_MATERIALS} 12"].number], Move(State.RECEIVED, on=ON))
    window.show_page("企业名录")
    roster = window.roster
    model = roster.model
    row = next(r for r in range(model.rowCount()) if model.uscc_at(r) == XINFU_MATERIALS)
    roster.table.selectRow(row)
    listed: list[list[str]] = []

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, EnterpriseDialog)
        tabs = dialog.tabs
        (tab,) = [i for i in range(tabs.count()) if tabs.tabText(i) == "兑现事项"]
        widget = tabs.widget(tab)
        assert isinstance(widget, EnterpriseCases)
        listed.extend([line.number, line.state] for line in widget.cases.rows())
        dialog.reject()

    when_modal(look, EnterpriseDialog)
    roster.edit_selected()
    assert listed == [["12-2023Q1-0001", "已受理"]]


def test_rows_are_selected_in_runs() -> None:
    assert runs([]) == []
    assert runs([1, 2, 3, 7, 9, 10]) == [(1, 3), (7, 7), (9, 10)]


def test_a_partial_then_a_final_payment_entered_by_hand_and_an_over_payment_refused(
    qtbot: QtBot, window: MainWindow
) -> None:
    case = open_all(window.db)[f"{YUANPING_EQUIPMENT} 12"]  # 250,000.00
    number = case.number
    move(window.db, [number], Move(State.RECEIVED, on=ON))
    move(window.db, [number], Move(State.APPROVED))
    move(window.db, [number], Move(State.PUBLICITY, on=date(2023, 6, 7)))
    move(window.db, [number], Move(State.PUBLICIZED, on=date(2023, 6, 14)))
    page = case_page(qtbot, window)
    select_numbers(page, number)
    assert not page.pay_button.isHidden()
    refused: list[str] = []

    def pay(amount: str, voucher: str, over: bool = False) -> None:
        def fill(dialog: QWidget) -> None:
            assert isinstance(dialog, PaymentDialog)
            dialog.amount.setText(amount)
            dialog.day.setText("2023-06-20")
            dialog.voucher.setText(voucher)
            screenshot(dialog, "case-payment-dialog")
            if over:
                answer_boxes("确定", seen=refused)
                dialog.ok_button.click()
                assert dialog.isVisible()
                dialog.reject()
            else:
                dialog.ok_button.click()

        when_modal(fill, PaymentDialog)
        page.pay_button.click()

    pay("100000", "忻财拨〔2023〕101")
    assert states(window.db)[number] == "publicized"
    pay("200000", "忻财拨〔2023〕102", over=True)
    assert refused == [
        f"统一社会信用代码 {YUANPING_EQUIPMENT} 第十二条 2023-Q1：兑现事项 {number} 审核金额 "
        "250,000.00元，已拨付 100,000.00元，本次 200,000.00元 将超出 50,000.00元"
        "\n\n没有登记任何拨付记录。"
    ]
    pay("150000", "忻财拨〔2023〕103")
    assert states(window.db)[number] == "paid"
    (line,) = [line for line in page.cases.rows() if line.number == number]
    assert (line.paid_amount, line.state) == (Decimal("250000.00"), "已拨付")
    assert offered(page) == ["已核对"]
    assert "忻财拨〔2023〕103" in page.detail.toPlainText()


def test_another_page_may_show_a_case(qtbot: QtBot, window: MainWindow) -> None:
    cases = open_all(window.db)
    number = cases[f"{YUANPING_EQUIPMENT} 12"].number
    page = case_page(qtbot, window)
    page.measure.setCurrentIndex(page.measure.findData("13"))  # a filter hiding it
    assert page.show_case(number)
    assert [line.number for line in page.selected_lines()] == [number]
    assert page.count.text() == "显示 8 件 / 共 8 件"
    assert not page.show_case("12-2023Q1-9999")
    assert page.selected_lines() == []
