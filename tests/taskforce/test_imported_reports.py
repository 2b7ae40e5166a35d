"""Production reports imported (sheet kind ``monitoring``) are kept as the window keeps them
(``record_report``): a month's output once, as 月度产值, which the bulletin reads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop.importing.importer import Importer
from desktop.models import Enterprise, Monitoring, MonthlyOutput
from desktop.sheets.parsed import ParsedFile, ParsedRow, ParsedSheet, SheetKind
from desktop.store import Database
from desktop.taskforce.bulletin import bulletin
from desktop.taskforce.monitoring import Report, record_report
from desktop.taskforce.periods import period
from tests.taskforce.conftest import code

REPORTS = [  # (period as written, status, output in yuan)
    ("2023年3月", "全面复工", Decimal("1200000")),
    ("2023-W10", "部分复工", Decimal("300000")),
    ("2023-04", "停产", None),
]


def _sheet(kind: SheetKind, rows: list[dict[str, Any]]) -> ParsedSheet:
    parsed = [ParsedRow(i, r) for i, r in enumerate(rows, start=2)]
    return ParsedSheet(kind.value, kind, 1, {f: f for f in rows[0]}, parsed, 0)


def _tables(db: Database) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with db.reader() as s:
        reports = s.execute(
            select(Monitoring.period, Monitoring.status, Monitoring.output).order_by(
                Monitoring.period
            )
        ).all()
        months = s.execute(select(MonthlyOutput.year, MonthlyOutput.month, MonthlyOutput.output))
        return [tuple(r) for r in reports], [tuple(m) for m in months]


def test_imported_reports_are_kept_as_the_window_keeps_them(db: Database, tmp_path: Path) -> None:
    roster = _sheet(SheetKind.roster, [
        {"name": "甲公司", "uscc": code(1), "county": "忻府区", "above_scale": True},
    ])  # fmt: skip
    monitoring = _sheet(SheetKind.monitoring, [
        {"uscc": code(1), "period": period(p).code, "status": s, "output": o}
        for p, s, o in REPORTS
    ])  # fmt: skip
    report = Importer(db, backup=False).import_parsed(
        ParsedFile(tmp_path / "监测.xlsx", "0" * 64, [roster, monitoring])
    )
    assert report.committed
    imported = _tables(db)
    with db.session(source="window") as s:  # the same reports again, as the window records them
        firm = s.scalar(select(Enterprise))
        for written, status, output in REPORTS:
            record_report(s, firm, Report(period(written), status, output))
    assert _tables(db) == imported
    assert imported == (
        [("2023-03", "全面复工", None), ("2023-04", "停产", None),
         ("2023-W10", "部分复工", Decimal("300000.00"))],
        [(2023, 3, Decimal("1200000.00"))],
    )  # fmt: skip
    with db.reader() as s:
        march = bulletin(s, period("2023-03"), date(2023, 4, 10)).total
    assert (march.reporting, march.output) == (1, Decimal("1200000.00"))  # counted once
