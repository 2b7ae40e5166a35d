"""A production report: a month's output kept once, as 月度产值; a week's on its own row."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from desktop.models import ChangeRecord, Enterprise, Monitoring, MonthlyOutput
from desktop.store import Database
from desktop.taskforce.monitoring import Report, record_report
from desktop.taskforce.periods import period
from tests.taskforce.conftest import code


@pytest.fixture
def firm(db: Database) -> int:
    with db.session(source="command") as s:
        ent = Enterprise(uscc=code(1), name="甲公司", county_id=1, above_scale=True)
        s.add(ent)
        s.flush()
        return ent.id


def _report(db: Database, firm: int, report: Report) -> None:
    with db.session(source="window") as s:
        record_report(s, s.get_one(Enterprise, firm), report)


def test_a_months_output_is_kept_as_monthly_output(db: Database, firm: int) -> None:
    march = period("2023年3月")
    _report(db, firm, Report(march, "全面复工", Decimal("1200000"), Decimal("5300.5"), 120))
    _report(db, firm, Report(march, "达产达效", Decimal("1500000")))  # corrected: updated, once
    with db.reader() as s:
        (row,) = s.scalars(select(Monitoring))
        assert (row.period, row.status, row.output, row.electricity, row.employees) == (
            "2023-03", "达产达效", None, None, None
        )  # fmt: skip
        (kept,) = s.scalars(select(MonthlyOutput))
        assert (kept.year, kept.month, kept.output) == (2023, 3, Decimal("1500000.00"))
        logged = s.scalars(select(ChangeRecord.table_name).where(ChangeRecord.source == "window"))
        assert set(logged) == {"monitoring", "monthly_output"}


def test_a_weeks_output_stays_on_its_row(db: Database, firm: int) -> None:
    _report(db, firm, Report(period("2023-W05"), "部分复工", Decimal("300000")))
    with db.reader() as s:
        assert s.scalar(select(Monitoring.output)) == Decimal("300000.00")
        assert s.scalar(select(MonthlyOutput.id)) is None


def test_the_database_refuses_a_status_outside_the_list(db: Database, firm: int) -> None:
    with pytest.raises(IntegrityError, match="ck_monitoring_status_choice"):
        _report(db, firm, Report(period("2023-03"), "复工"))
