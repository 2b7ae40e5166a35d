"""Recording an enterprise's production report for a period (运行监测), in one place.

A month's output is the same fact as 月度产值 and is kept there once: a month's report writes
its output to ``MonthlyOutput``; a week's stays on the monitoring row
(:func:`output_kept_as_monthly`). The window records reports through :func:`record_report`, in
the caller's audited session; the import stages them in SQL and splits them by the same rule
(``desktop.importing.ledgers``). A report typed in the window is read by :func:`typed_report`,
through the one parser of each kind of value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import Enterprise, Monitoring, MonthlyOutput
from desktop.store.versions import based_on
from desktop.taskforce.errors import TaskforceError
from desktop.taskforce.periods import Period, period
from desktop.taskforce.visit_entry import roster_firm
from desktop.values import ValueProblem
from desktop.values.typed import ValueType, optional, parser

# A report's fields as the window names them, with the unit a bare number is read in.
PERIOD, STATUS = "期间", "生产状态"
OUTPUT, OUTPUT_UNIT = "产值（万元）", "万元"
ELECTRICITY, ELECTRICITY_UNIT = "用电量（千瓦时）", "千瓦时"
EMPLOYEES = "在岗人数"


@dataclass(frozen=True)
class Report:
    """What an enterprise reported for a period (figures it left out are None)."""

    period: Period
    status: str  # one of PRODUCTION_STATUS
    output: Decimal | None = None  # yuan
    electricity: Decimal | None = None  # kWh
    employees: int | None = None


def _field(what: str, read: Callable[[Any], Any], typed: str) -> Any:
    try:
        return read(typed)
    except ValueProblem as exc:
        raise TaskforceError(f"{what}「{typed.strip()}」：{exc}") from None


def typed_report(
    period_text: str, status: str, output: str, electricity: str, employees: str
) -> Report:
    """A report as typed (output in 万元 and electricity in kWh unless the text names its unit;
    a blank figure is not reported), or :class:`TaskforceError` naming the field."""
    if not period_text.strip():
        raise TaskforceError(f"请填写{PERIOD}（如 2023-03 或 2023-W05）")
    return Report(
        period=_field(PERIOD, period, period_text),
        status=_field(STATUS, parser(ValueType.production_status), status),
        output=_field(OUTPUT, optional(ValueType.money, OUTPUT_UNIT), output),
        electricity=_field(ELECTRICITY, optional(ValueType.energy, ELECTRICITY_UNIT), electricity),
        employees=_field(EMPLOYEES, optional(ValueType.integer), employees),
    )


def output_kept_as_monthly(period: Period) -> bool:
    """Whether ``period``'s output is kept as 月度产值 (a month's) rather than on the monitoring
    row (a week's): the one fact is never stored twice."""
    return period.kind == "month"


def record_report(
    session: Session, enterprise: Enterprise, report: Report, version: int | None = None
) -> Monitoring:
    """Insert or replace ``enterprise``'s report for the period (and a month's 月度产值; a month
    reported without output leaves the 月度产值 already kept as it is); replacing the one kept
    at ``version`` (when given), refused (RowChanged) when it was saved since."""
    row = session.scalar(
        select(Monitoring).where(
            Monitoring.enterprise_id == enterprise.id, Monitoring.period == report.period.code
        )
    )
    if row is not None:
        based_on(row, version)
    if row is None:
        row = Monitoring(enterprise=enterprise, period=report.period.code)
        session.add(row)
    row.status, row.electricity, row.employees = report.status, report.electricity, report.employees
    if not output_kept_as_monthly(report.period):
        row.output = report.output
    elif report.output is not None:
        _monthly_output(session, enterprise, report.period, report.output)
    session.flush()
    return row


def record_entered(
    session: Session, uscc: str, report: Report, correcting: bool, version: int | None = None
) -> Monitoring:
    """Record a report entered in the window for enterprise ``uscc``: a new one (refused when
    the period is reported already) or, ``correcting``, the one kept (read at ``version``)
    replaced."""
    firm = roster_firm(session, uscc)
    kept = session.scalar(
        select(Monitoring.id).where(
            Monitoring.enterprise_id == firm.id, Monitoring.period == report.period.code
        )
    )
    if kept is not None and not correcting:
        raise TaskforceError(f"「{firm.name}」{report.period.label}已报送，请在列表中双击该行修改")
    return record_report(session, firm, report, version)


def _monthly_output(session: Session, firm: Enterprise, month: Period, output: Decimal) -> None:
    kept = session.scalar(
        select(MonthlyOutput).where(
            MonthlyOutput.enterprise_id == firm.id,
            MonthlyOutput.year == month.year,
            MonthlyOutput.month == month.number,
        )
    )
    if kept is None:
        session.add(
            MonthlyOutput(enterprise=firm, year=month.year, month=month.number, output=output)
        )
    else:
        kept.output = output
