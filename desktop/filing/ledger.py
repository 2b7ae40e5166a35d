"""The ledger (台账): every enterprise under every measure, with verdicts, amounts and reasons.

Streamed with openpyxl's write-only mode, so a county of fifty thousand enterprises is written
in one pass with flat memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from desktop.cases.listing import CaseLine, Key
from desktop.filing.cells import (
    DATE_FORMAT,
    IDENTITY_HEADERS,
    MONEY_FORMAT,
    CellWarning,
    TextGuard,
    fact_cell,
)
from desktop.paperwork import replacing
from desktop.rules.catalogue import CATALOGUE
from desktop.rules.labels import in_yuan
from desktop.rules.result import EXPECTED_NOTE, Result

ROSTER_SHEET = "企业总表"
IDENTITY_WIDTHS = (8, 36, 22, 16)
RESULT_HEADERS = ("期间", "结论", in_yuan("金额"), "备注")
RESULT_WIDTHS = (10, 10, 16, 18)
CASE_HEADERS = ("兑现事项编号", "办理状态", in_yuan("审核金额"), in_yuan("已拨付金额"),
                "最后拨付日期", "凭证号")  # fmt: skip
CASE_WIDTHS = (16, 12, 16, 16, 14, 18)
EXPLANATION = "说明"
BOLD = Font(bold=True)
A4 = 9  # openpyxl's paper size code

Value = object


@dataclass(frozen=True)
class _Column:
    """A ledger column: its header and how wide it is shown."""

    header: str
    width: float


def write_ledger(
    results: Sequence[Result], out: Path, cases: Mapping[Key, CaseLine] | None = None
) -> list[CellWarning]:
    """Write the ledger of ``results`` to ``out`` (replaced atomically).

    Sheets: 企业总表 (one row per enterprise, a verdict and an amount per measure and period),
    then one sheet per measure present (one row per result, with its case from ``cases`` by
    the result's key: number, state, approved and paid amounts, last payment; its facts and
    explanation). Returns what had to change to fit into cells.
    """
    guard = TextGuard(Path(out).name)
    wb = Workbook(write_only=True)
    _write_roster(wb.create_sheet(ROSTER_SHEET), guard, results)
    for measure in sorted({r.measure for r in results}, key=list(CATALOGUE).index):  # 5, 11, 12, 13
        mine = [r for r in results if r.measure == measure]
        _write_measure(wb.create_sheet(CATALOGUE[measure].clause), guard, mine, cases or {})
    with replacing(Path(out)) as temporary:
        wb.save(temporary)
    return guard.warnings


def _write_roster(ws: WriteOnlyWorksheet, guard: TextGuard, results: Sequence[Result]) -> None:
    order = list(CATALOGUE)
    keys = sorted({(r.measure, r.period) for r in results}, key=lambda k: (order.index(k[0]), k[1]))
    position = {key: 4 + 2 * i for i, key in enumerate(keys)}
    by_enterprise: dict[str, list[Result]] = {}
    for r in results:
        by_enterprise.setdefault(r.uscc, []).append(r)
    periods = Counter(measure for measure, _ in keys)
    columns = [_Column(h, w) for h, w in zip(IDENTITY_HEADERS, IDENTITY_WIDTHS, strict=True)]
    for measure, period in keys:
        name = CATALOGUE[measure].clause + (period if periods[measure] > 1 else "")
        columns += [_Column(f"{name}结论", 14), _Column(in_yuan(f"{name}金额"), 16)]
    _start(ws, columns, len(by_enterprise))
    for number, mine in enumerate(by_enterprise.values(), start=1):
        row: list[Value] = [number, mine[0].name, mine[0].uscc, mine[0].county]
        row += [None] * (2 * len(keys))
        for r in mine:
            at = position[r.measure, r.period]
            row[at : at + 2] = [r.verdict.label, _money(ws, r.amount)]
        ws.append(_guarded(ws, guard, columns, number + 1, row))


def _write_measure(
    ws: WriteOnlyWorksheet,
    guard: TextGuard,
    results: Sequence[Result],
    cases: Mapping[Key, CaseLine],
) -> None:
    labels = [label for label, _ in results[0].facts]
    columns = [_Column(h, w) for h, w in zip(IDENTITY_HEADERS, IDENTITY_WIDTHS, strict=True)]
    columns += [_Column(h, w) for h, w in zip(RESULT_HEADERS, RESULT_WIDTHS, strict=True)]
    columns += [_Column(h, w) for h, w in zip(CASE_HEADERS, CASE_WIDTHS, strict=True)]
    columns += [_Column(label, max(12, len(label) * 2)) for label in labels]
    columns.append(_Column(EXPLANATION, 80))
    _start(ws, columns, len(results))
    for number, r in enumerate(results, start=1):
        row: list[Value] = [number, r.name, r.uscc, r.county, r.period, r.verdict.label]
        row += [_money(ws, r.amount), EXPECTED_NOTE if r.expected else None]
        row += _case_cells(ws, cases.get((r.uscc, r.measure, r.period)))
        row += [fact_cell(label, value)[0] for label, value in r.facts]
        row.append("\n".join(r.explanation))
        ws.append(_guarded(ws, guard, columns, number + 1, row))


def _case_cells(ws: WriteOnlyWorksheet, line: CaseLine | None) -> list[Value]:
    """The result's case under CASE_HEADERS (blank when none was opened)."""
    if line is None:
        return [None] * len(CASE_HEADERS)
    paid_on = _formatted(ws, line.last_paid_on, DATE_FORMAT)
    return [line.number, line.state.label, _money(ws, line.approved_amount),
            _money(ws, line.paid_amount), paid_on, line.last_voucher]  # fmt: skip


def _start(ws: WriteOnlyWorksheet, columns: list[_Column], count: int) -> None:
    """Widths, frozen and filtered header row printed on every landscape page, then the header."""
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "C2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = A4
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, column.header)
        cell.font = BOLD
        header.append(cell)
    ws.append(header)


def _guarded(
    ws: WriteOnlyWorksheet, guard: TextGuard, columns: list[_Column], row: int, values: list[Value]
) -> list[Value]:
    return [
        guard.streamed(ws, v, row, c.header) if isinstance(v, str) else v
        for v, c in zip(values, columns, strict=True)
    ]


def _money(ws: WriteOnlyWorksheet, amount: Decimal | None) -> Value:
    return _formatted(ws, amount, MONEY_FORMAT)


def _formatted(ws: WriteOnlyWorksheet, value: Value, number_format: str | None) -> Value:
    if value is None or number_format is None:
        return value
    cell = WriteOnlyCell(ws, value)
    cell.number_format = number_format
    return cell
