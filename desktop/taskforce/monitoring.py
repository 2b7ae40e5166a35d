"""Recording an enterprise's production report for a period (运行监测), in one place.

A month's output is the same fact as 月度产值 and is kept there once: a month's report writes
its output to ``MonthlyOutput``; a week's stays on the monitoring row
(:func:`output_kept_as_monthly`). The window records reports through :func:`record_report`, in
the caller's audited session; the import stages them in SQL and splits them by the same rule
(``desktop.importing.ledgers``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import Enterprise, Monitoring, MonthlyOutput
from desktop.taskforce.periods import Period


@dataclass(frozen=True)
class Report:
    """What an enterprise reported for a period (figures it left out are None)."""

    period: Period
    status: str  # one of PRODUCTION_STATUS
    output: Decimal | None = None  # yuan
    electricity: Decimal | None = None  # kWh
    employees: int | None = None


def output_kept_as_monthly(period: Period) -> bool:
    """Whether ``period``'s output is kept as 月度产值 (a month's) rather than on the monitoring
    row (a week's): the one fact is never stored twice."""
    return period.kind == "month"


def record_report(session: Session, enterprise: Enterprise, report: Report) -> Monitoring:
    """Insert or replace ``enterprise``'s report for the period (and a month's 月度产值; a month
    reported without output leaves the 月度产值 already kept as it is)."""
    row = session.scalar(
        select(Monitoring).where(
            Monitoring.enterprise_id == enterprise.id, Monitoring.period == report.period.code
        )
    )
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
