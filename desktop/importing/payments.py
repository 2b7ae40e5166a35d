"""A 拨付明细 (``payments``) sheet: its rows checked as any sheet's are (readable, complete, of an
enterprise in the roster, no voucher twice in the file), then recorded against the cases by the
cases domain (``PaymentBook.record_all``: publicised cases only, never beyond the approved
amount, no voucher already recorded), each refusal reported at its row and column.

Payments are never merged: a row either records a new payment or is refused. Their change-log
lines carry the import's batch and each payment's sheet row, so the batch can be reversed
(``desktop.importing.reversal``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from desktop.cases.errors import CaseError
from desktop.cases.payments import PaymentBook, PaymentRow
from desktop.importing.checks import RowChecker
from desktop.importing.kinds import TARGETS
from desktop.importing.report import RejectedRow, Rejection, SheetReport
from desktop.sheets.fields import SPECS
from desktop.sheets.parsed import ParsedRows, ParsedSheet, SheetKind
from desktop.store.changelog import AUDIT_KEY, AuditContext
from desktop.store.database import AuditedSession

FIELDS = tuple(f.name for f in SPECS[SheetKind.payments].fields)
TARGET = TARGETS[SheetKind.payments]


def record_payments(
    conn: Connection,
    ctx: AuditContext,
    checker: RowChecker,
    sheet: ParsedSheet,
    rows: ParsedRows,
    report: SheetReport,
    chunk: int,
    tick: Callable[[int], None],
) -> None:
    """Check ``rows`` ``chunk`` at a time (``tick(rows checked so far)`` after each), then record
    the rows that pass in one go; the payments recorded count as created."""
    fields = tuple(f for f in FIELDS if f in rows.fields)
    numbers: list[int] = []
    columns: list[list[Any]] = [[] for _ in fields]
    for start in range(0, len(rows), chunk):
        part = rows.part(start, start + chunk)
        passed, accepted = checker.accept(TARGET, sheet, fields, part, report)
        numbers += passed
        for column, more in zip(columns, accepted, strict=True):
            column += more
        tick(start + len(part))
    given = [dict(zip(fields, row, strict=True)) for row in zip(*columns, strict=True)]
    with AuditedSession(bind=conn, join_transaction_mode="create_savepoint") as session:
        session.info[AUDIT_KEY] = ctx
        outcomes = PaymentBook(session).record_all(list(map(_payment, given)), numbers)
        session.commit()  # releases its savepoint; the file's transaction commits it
    for number, values, refused in zip(numbers, given, outcomes, strict=True):
        if refused is None:
            report.created += 1
        else:
            report.rejected_rows.append(
                RejectedRow(number, values, [_rejection(sheet, number, values, refused)])
            )
    report.rejected_rows.sort(key=lambda r: r.row)


def _payment(values: dict[str, Any]) -> PaymentRow:
    return PaymentRow(
        uscc=values["uscc"],
        measure=values["measure"],
        period=values.get("period") or None,
        amount=values["amount"],
        paid_on=values["paid_on"],
        voucher=values["voucher"],
        level=values.get("level"),
    )


def _rejection(
    sheet: ParsedSheet, number: int, values: dict[str, Any], refused: CaseError
) -> Rejection:
    """The refusal at the column of the value at fault (the credit code when none is named)."""
    field = refused.field if refused.field in FIELDS else "uscc"
    value = values.get(field)
    return Rejection(number, TARGET.header(sheet, field), "" if value is None else str(value),
                     str(refused))  # fmt: skip
