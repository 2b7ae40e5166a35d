"""运行监测 entered and corrected in the window: 「登记报送…」 and a double-click on a report, a
month's output kept once as 月度产值, every change in the change log, a bad figure refused."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.models import ChangeRecord, Enterprise, Monitoring, MonthlyOutput
from desktop.qt.core import Qt
from desktop.qt.widgets import QDialog, QWidget
from desktop.store import Database
from desktop.ui.enterprise_dialog import EnterpriseDialog
from desktop.ui.enterprise_taskforce import EnterpriseWork
from desktop.ui.main_window import MainWindow
from desktop.ui.monitoring_page import MonitoringPage
from desktop.ui.report_dialog import ReportDialog
from tests.ui.conftest import screenshot, when_modal
from tests.ui.taskforce.conftest import REPORTS, YUANPING

WUTAI = "91140922MA0XY00071"  # 规上, silent in 2023-03


def _page(window: MainWindow) -> MonitoringPage:
    window.show_page("运行监测")
    page = window.pages["运行监测"]
    assert isinstance(page, MonitoringPage)
    return page


def _in_form(act: Callable[[ReportDialog], None]) -> None:
    def run(dialog: QWidget) -> None:
        assert isinstance(dialog, ReportDialog)
        act(dialog)

    when_modal(run, ReportDialog)


def _monthly(db: Database, uscc: str) -> list[Decimal]:
    with db.reader() as s:
        query = (
            select(MonthlyOutput.output)
            .join(Enterprise)
            .where(Enterprise.uscc == uscc, MonthlyOutput.year == 2023, MonthlyOutput.month == 3)
        )
        return list(s.scalars(query))


def _log(db: Database, table: str) -> list[tuple[str, str, str | None, str | None, str | None]]:
    with db.reader() as s:
        rows = s.execute(
            select(
                ChangeRecord.operator, ChangeRecord.action, ChangeRecord.field,
                ChangeRecord.old_value, ChangeRecord.new_value,
            ).where(ChangeRecord.table_name == table, ChangeRecord.source == "window")
            .order_by(ChangeRecord.id)
        )  # fmt: skip
        return [tuple(r) for r in rows]


def _enter_march(page: MonitoringPage) -> None:
    def fill(form: ReportDialog) -> None:
        assert form.period.text() == "2023-03"  # the period the page shows
        form.enterprise.choose(WUTAI)
        form.status.setCurrentText("全面复工")
        form.output.setText("150.5")
        form.electricity.setText("1.2万千瓦时")
        form.employees.setText("88")
        screenshot(form, "monitoring-report-form")  # as shown on the 1366×768 window
        form.save()

    _in_form(fill)
    page.enter_report(None)


def test_a_months_report_entered_is_listed_and_kept_once_as_monthly_output(
    tf_window: MainWindow, sample_db: Database
) -> None:
    page = _page(tf_window)
    assert WUTAI in [r.uscc for r in page.silent.rows()]
    _enter_march(page)
    row = next(r for r in page.reports.rows() if r.uscc == WUTAI)
    assert (row.status, row.output, row.electricity, row.employees) == (
        "全面复工", Decimal("150.50"), Decimal("12000.00"), 88,
    )  # fmt: skip
    assert WUTAI not in [r.uscc for r in page.silent.rows()]
    assert _monthly(sample_db, WUTAI) == [Decimal("1505000.00")]  # one 月度产值 row
    with sample_db.reader() as s:
        kept = s.scalars(select(Monitoring).join(Enterprise).where(Enterprise.uscc == WUTAI))
        assert [(m.period, m.output) for m in kept] == [("2023-03", None)]  # not on the report
    assert page.headline.text().startswith("2023年3月：报送 5 家，规上企业未报送 1 家")
    screenshot(tf_window, "monitoring-report-entered")


def test_a_report_corrected_logs_old_and_new_with_the_operator(
    qtbot: QtBot, tf_window: MainWindow, sample_db: Database
) -> None:
    page = _page(tf_window)
    _enter_march(page)
    shown: list[tuple[str, ...]] = []

    def correct(form: ReportDialog) -> None:
        fields = (form.period, form.output, form.electricity, form.employees)
        shown.append((form.windowTitle(), form.status.currentText(), *(f.text() for f in fields)))
        assert not form.enterprise.isEnabled() and not form.period.isEnabled()
        form.output.setText("160")
        form.status.setCurrentText("达产达效")
        form.save()

    _in_form(correct)
    number = next(n for n, r in enumerate(page.reports.rows()) if r.uscc == WUTAI)
    view = page.report_view
    view.scrollTo(page.reports.index(number, 0))
    rect = view.visualRect(page.reports.index(number, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert shown == [("修改运行监测报送", "全面复工", "2023-03", "150.5", "12000", "88")]
    assert next(r for r in page.reports.rows() if r.uscc == WUTAI).output == Decimal("160.00")
    assert _monthly(sample_db, WUTAI) == [Decimal("1600000.00")]
    operator = sample_db.operator
    assert _log(sample_db, "monitoring")[-1] == (
        operator, "update", "status", "全面复工", "达产达效",
    )  # fmt: skip
    assert _log(sample_db, "monthly_output")[-1] == (
        operator, "update", "output", "1505000.00", "1600000.00",
    )  # fmt: skip


def test_a_bad_figure_is_refused_naming_the_field_and_nothing_is_written(
    tf_window: MainWindow, sample_db: Database
) -> None:
    page = _page(tf_window)
    with sample_db.reader() as s:
        logged = s.scalar(select(func.count()).select_from(ChangeRecord))
    said: list[str] = []

    def fill(form: ReportDialog) -> None:
        form.enterprise.choose(WUTAI)
        form.output.setText("150")
        for field, typed in ((form.employees, "八十八"), (form.output, "-3")):
            field.setText(typed)
            form.save()
            said.append(form.message.text())
            field.setText("")
        form.enterprise.choose(next(iter(REPORTS)))  # 2023-03 reported already
        form.save()
        said.append(form.message.text())
        assert form.isVisible()
        form.reject()

    _in_form(fill)
    page.enter_report(None)
    assert said == [
        "在岗人数「八十八」：应为数字",
        "产值（万元）「-3」：不能为负数",
        "「示例·忻府新材料有限公司」2023年3月已报送，请在列表中双击该行修改",
    ]
    with sample_db.reader() as s:
        assert s.scalar(select(func.count()).select_from(ChangeRecord)) == logged
    assert _monthly(sample_db, WUTAI) == []


def test_a_weeks_report_keeps_its_output_on_the_report(
    tf_window: MainWindow, sample_db: Database
) -> None:
    page = _page(tf_window)

    def fill(form: QDialog) -> None:
        assert isinstance(form, ReportDialog)
        form.enterprise.choose(WUTAI)
        form.period.setText("2023-W05")
        form.status.setCurrentText("部分复工")
        form.output.setText("12.3")
        form.save()

    _in_form(fill)
    page.enter_report(None)
    assert page.period_choice.currentText() == "2023年第5周"  # the period written, shown
    assert [(r.uscc, r.output) for r in page.reports.rows()] == [(WUTAI, Decimal("12.30"))]
    with sample_db.reader() as s:
        kept = s.scalars(select(Monitoring).join(Enterprise).where(Enterprise.uscc == WUTAI))
        assert [(m.period, m.output) for m in kept] == [("2023-W05", Decimal("123000.00"))]
    assert _monthly(sample_db, WUTAI) == []


def test_a_report_corrected_on_the_enterprise_dialog_survives_its_save(
    tf_window: MainWindow, sample_db: Database
) -> None:
    seen: list[object] = []

    def correct(form: ReportDialog) -> None:
        assert not form.enterprise.isEnabled() and form.enterprise.uscc() == YUANPING
        form.output.setText("5000")
        form.save()

    def edit(dialog: QWidget) -> None:
        assert isinstance(dialog, EnterpriseDialog)
        work = dialog.findChild(EnterpriseWork)
        assert work is not None
        dialog.tabs.setCurrentWidget(work)
        assert work.report_heading.text() == "运行监测（1 期）"
        _in_form(correct)
        work.correct_report(0)
        seen.append(work.reports.rows()[0].output)
        seen.append(next(r.output for r in dialog.monthly.rows() if (r.year, r.month) == (2023, 3)))
        screenshot(dialog, "monitoring-report-enterprise-tab")
        dialog.texts["contact"].setText("刘联络")  # then 保存 the enterprise with another change
        dialog.save()
        seen.append(dialog.message.text())
        if dialog.isVisible():
            dialog.done(0)

    when_modal(edit, EnterpriseDialog)
    tf_window.roster.open_enterprise(YUANPING)
    assert seen == [Decimal("5000.00"), Decimal("50000000.00"), ""]
    assert _monthly(sample_db, YUANPING) == [Decimal("50000000.00")]  # not put back by 保存
    assert [line[3:] for line in _log(sample_db, "monthly_output")] == [
        ("53000000.00", "50000000.00")
    ]
    with sample_db.reader() as s:
        firm = s.scalar(select(Enterprise).where(Enterprise.uscc == YUANPING))
        assert firm is not None and firm.contact == "刘联络"
    monitoring = _page(tf_window)
    assert next(r for r in monitoring.reports.rows() if r.uscc == YUANPING).output == Decimal(
        "5000.00"
    )
