"""A monitoring report (运行监测) entered in the window, or one kept corrected: the form and
the one audited write behind it."""

from __future__ import annotations

from decimal import Decimal

from desktop.qt.widgets import QComboBox, QLabel, QLineEdit, QWidget
from desktop.store import Database
from desktop.taskforce.errors import TaskforceError
from desktop.taskforce.ledgers import ReportLine
from desktop.taskforce.monitoring import (
    ELECTRICITY,
    EMPLOYEES,
    OUTPUT,
    OUTPUT_UNIT,
    PERIOD,
    STATUS,
    record_entered,
    typed_report,
)
from desktop.taskforce.periods import Period
from desktop.ui.enterprise_choice import EnterpriseChoice
from desktop.ui.form_dialog import FormDialog
from desktop.ui.stale_dialog import Correction
from desktop.values.choices import PRODUCTION_STATUS
from desktop.values.numbers import MONEY_UNITS

CORRECTED = ("status", "output", "electricity", "employees")  # the monitoring row's, by column
KEPT_ONCE = (
    "月报的产值即该企业当月的月度产值（只记一处）；周报的产值记在本周报送上。空着的数字为未报。"
)


def plain(number: Decimal | int | None) -> str:
    """A figure as the officer types it back: 123.456789, 12000 (blank when not reported)."""
    if number is None:
        return ""
    return format(Decimal(number).normalize(), "f")


class ReportDialog(FormDialog):
    """A new report (period ``period_code`` offered, enterprise ``uscc`` fixed when given) or,
    ``kept`` given, that report to correct (its enterprise and period fixed); 保存 records it
    in one audited transaction."""

    def __init__(
        self,
        db: Database,
        period_code: str | None,
        kept: ReportLine | None = None,
        uscc: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("修改运行监测报送" if kept else "登记运行监测报送", parent)
        self.setMinimumWidth(560)
        self.written: Period | None = None
        self.enterprise = EnterpriseChoice(db)
        self.period = QLineEdit(kept.period if kept else period_code or "")
        self.period.setPlaceholderText("月份 2023-03 或 ISO 周 2023-W05")
        self.status = QComboBox()
        self.status.addItems(list(PRODUCTION_STATUS.words))
        wan = MONEY_UNITS[OUTPUT_UNIT]
        figures = (None, None, None) if kept is None else (
            None if kept.output is None else kept.output / wan, kept.electricity, kept.employees
        )  # fmt: skip
        self.output, self.electricity, self.employees = (QLineEdit(plain(f)) for f in figures)
        self.electricity.setPlaceholderText("如 12000，或 1.2万千瓦时")
        firm = kept.uscc if kept else uscc
        if firm is not None:
            self.enterprise.choose(firm)
            self.enterprise.setEnabled(False)
        if kept is not None:
            self.status.setCurrentText(kept.status)
            self.period.setEnabled(False)
            first = {c: getattr(kept, c) for c in CORRECTED}
            self.correction = Correction(kept.version, first, self.show_saved)
        rows = (
            ("企业*", self.enterprise), (f"{PERIOD}*", self.period), (f"{STATUS}*", self.status),
            (OUTPUT, self.output), (ELECTRICITY, self.electricity), (EMPLOYEES, self.employees),
        )  # fmt: skip
        for label, field in rows:
            self.form.addRow(label, field)
        note = QLabel(KEPT_ONCE)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555")
        self.form.addRow(note)

        def save() -> None:
            uscc = self.enterprise.uscc()
            if uscc is None:
                raise TaskforceError("请从列表中选择报送的企业")
            report = typed_report(
                self.period.text(), self.status.currentText(), self.output.text(),
                self.electricity.text(), self.employees.text(),
            )  # fmt: skip
            with db.session() as s:
                record_entered(s, uscc, report, kept is not None, self.version)
            self.written = report.period

        self.finish(save)

    def show_saved(self, column: str, value: Decimal | int | str | None) -> None:
        """A status or figure saved meanwhile, in its field (a week's output in 万元)."""
        if column == "status":
            self.status.setCurrentText(str(value))
        elif column == "output":
            wan = MONEY_UNITS[OUTPUT_UNIT]
            self.output.setText(plain(None if value is None else Decimal(value) / wan))
        else:
            fields = {"electricity": self.electricity, "employees": self.employees}
            fields[column].setText(plain(value))  # type: ignore[arg-type]


def enter_report(
    db: Database,
    period_code: str | None,
    kept: ReportLine | None,
    parent: QWidget,
    uscc: str | None = None,
) -> Period | None:
    """Show the form (a new report, of ``uscc`` if given, or ``kept`` to correct); the period
    written, if any."""
    dialog = ReportDialog(db, period_code, kept, uscc, parent)
    dialog.exec()
    dialog.deleteLater()
    return dialog.written
