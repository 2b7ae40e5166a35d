"""The ledger (台账): every enterprise under every measure, with verdicts, amounts and reasons.

Streamed with openpyxl's write-only mode, so a county of fifty thousand enterprises is written
in one pass with flat memory.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment
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
    print_on_a4,
    wrapped_height,
)
from desktop.paperwork import replacing
from desktop.progress import Progress, Steps
from desktop.rules.catalogue import CATALOGUE
from desktop.rules.labels import in_yuan
from desktop.rules.result import EXPECTED_NOTE, Result
from desktop.sheets.faces import font

ROSTER_SHEET = "企业总表"
IDENTITY_WIDTHS = (6, 26, 21, 12)  # headers and names wrap: narrow enough to print
RESULT_HEADERS = ("期间", "结论", in_yuan("金额"), "备注")
RESULT_WIDTHS = (9, 9, 14, 10)
CASE_HEADERS = ("兑现事项编号", "办理状态", in_yuan("审核金额"), in_yuan("已拨付金额"),
                "最后拨付日期", "凭证号")  # fmt: skip
CASE_WIDTHS = (14, 10, 14, 14, 11, 14)  # headers wrap
EXPLANATION = "说明"
EXPLANATION_WIDTH = 50
FACT_WIDTHS = (8, 14)  # narrowest and widest fact column; a longer header wraps
PRINT_TITLE_COLUMNS = "B:C"  # the name and credit code, repeated on every printed page
# Column-width units one A4 landscape page holds at about 75% scale (about 145 at 100%): a
# measure's sheet is fitted to as many pages across as keep it that legible.
LEGIBLE_PAGE_WIDTH = 190
BOLD = font(bold=True)
HEADING = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAPPED = Alignment(wrap_text=True)  # bottom-aligned, as the plain cells beside it
ONE_LINE = wrapped_height([])

Value = object


@dataclass(frozen=True)
class _Column:
    """A ledger column: its header and how wide it is shown."""

    header: str
    width: float
    wrap: bool = False  # long text (names, explanations) wraps within the width


def write_ledger(
    results: Sequence[Result],
    out: Path,
    cases: Mapping[Key, CaseLine] | None = None,
    progress: Progress | None = None,
) -> list[CellWarning]:
    """Write the ledger of ``results`` to ``out`` (replaced atomically).

    Sheets: 企业总表 (one row per enterprise, a verdict and an amount per measure and period),
    then one sheet per measure present (one row per result, with its case from ``cases`` by
    the result's key: number, state, approved and paid amounts, last payment; its facts and
    explanation). ``progress`` counts the rows written, and the saving last. Returns what had
    to change to fit into cells.
    """
    guard = TextGuard(Path(out).name)
    wb = Workbook(write_only=True)
    steps = Steps(progress, len({r.uscc for r in results}) + len(results) + 1)
    _write_roster(wb.create_sheet(ROSTER_SHEET), guard, results, steps)
    for measure in sorted({r.measure for r in results}, key=list(CATALOGUE).index):  # 5, 11, 12, 13
        mine = [r for r in results if r.measure == measure]
        sheet = wb.create_sheet(CATALOGUE[measure].clause)
        _write_measure(sheet, guard, mine, cases or {}, steps)
    with replacing(Path(out)) as temporary:
        wb.save(temporary)
    steps.advance()
    return guard.warnings


def _write_roster(
    ws: WriteOnlyWorksheet, guard: TextGuard, results: Sequence[Result], steps: Steps
) -> None:
    order = list(CATALOGUE)
    keys = sorted({(r.measure, r.period) for r in results}, key=lambda k: (order.index(k[0]), k[1]))
    position = {key: 4 + 2 * i for i, key in enumerate(keys)}
    by_enterprise: dict[str, list[Result]] = {}
    for r in results:
        by_enterprise.setdefault(r.uscc, []).append(r)
    periods = Counter(measure for measure, _ in keys)
    columns = _identity_columns()
    for measure, period in keys:
        name = CATALOGUE[measure].clause + (period if periods[measure] > 1 else "")
        columns += [_Column(f"{name}结论", 14), _Column(in_yuan(f"{name}金额"), 16)]
    _start(ws, columns, len(by_enterprise), fit_width=False)
    for number, mine in enumerate(by_enterprise.values(), start=1):
        row: list[Value] = [number, mine[0].name, mine[0].uscc, mine[0].county]
        row += [None] * (2 * len(keys))
        for r in mine:
            at = position[r.measure, r.period]
            row[at : at + 2] = [r.verdict.label, _money(ws, r.amount)]
        _append(ws, guard, columns, number + 1, row)
        steps.advance()


def _append(
    ws: WriteOnlyWorksheet, guard: TextGuard, columns: list[_Column], row: int, values: list[Value]
) -> None:
    """Append ``values`` (text guarded) as ``row``, as tall as its wrapping texts need.

    A write-only sheet writes a row's dimensions as the row is appended: a height is set just
    for that and dropped again, so memory stays flat (one line is left to the default).
    """
    height = wrapped_height((v, c.width) for v, c in zip(values, columns, strict=True) if c.wrap)
    if height > ONE_LINE:
        ws.row_dimensions[row].height = height
    ws.append(_guarded(ws, guard, columns, row, values))
    ws.row_dimensions.pop(row, None)


def _write_measure(
    ws: WriteOnlyWorksheet,
    guard: TextGuard,
    results: Sequence[Result],
    cases: Mapping[Key, CaseLine],
    steps: Steps,
) -> None:
    labels = [label for label, _ in results[0].facts]
    columns = _identity_columns()
    columns += [_Column(h, w) for h, w in zip(RESULT_HEADERS, RESULT_WIDTHS, strict=True)]
    columns += [_Column(h, w) for h, w in zip(CASE_HEADERS, CASE_WIDTHS, strict=True)]
    narrowest, widest = FACT_WIDTHS
    columns += [_Column(label, min(max(narrowest, len(label) * 2), widest)) for label in labels]
    columns.append(_Column(EXPLANATION, EXPLANATION_WIDTH, wrap=True))
    _start(ws, columns, len(results), fit_width=True)
    for number, r in enumerate(results, start=1):
        row: list[Value] = [number, r.name, r.uscc, r.county, r.period, r.verdict.label]
        row += [_money(ws, r.amount), EXPECTED_NOTE if r.expected else None]
        row += _case_cells(ws, cases.get((r.uscc, r.measure, r.period)))
        row += [_formatted(ws, *fact_cell(label, value)) for label, value in r.facts]
        row.append("\n".join(r.explanation))
        _append(ws, guard, columns, number + 1, row)
        steps.advance()


def _case_cells(ws: WriteOnlyWorksheet, line: CaseLine | None) -> list[Value]:
    """The result's case under CASE_HEADERS (blank when none was opened)."""
    if line is None:
        return [None] * len(CASE_HEADERS)
    paid_on = _formatted(ws, line.last_paid_on, DATE_FORMAT)
    return [line.number, line.state.label, _money(ws, line.approved_amount),
            _money(ws, line.paid_amount), paid_on, line.last_voucher]  # fmt: skip


def _identity_columns() -> list[_Column]:
    widths = zip(IDENTITY_HEADERS, IDENTITY_WIDTHS, strict=True)
    return [_Column(h, w, wrap=h == IDENTITY_HEADERS[1]) for h, w in widths]


def _start(ws: WriteOnlyWorksheet, columns: list[_Column], count: int, *, fit_width: bool) -> None:
    """Widths, a frozen and filtered header row, then the (wrapping) header.

    Printed on A4 landscape with grid lines, the header row and the name and code columns on
    every page; ``fit_width`` scales the sheet to the fewest pages across that keep it legible
    (:data:`LEGIBLE_PAGE_WIDTH`; pages then run down only).
    """
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "C2"
    pages = math.ceil(sum(c.width for c in columns) / LEGIBLE_PAGE_WIDTH)
    print_on_a4(ws, landscape=True, header_row=1, pages_wide=pages if fit_width else None)
    ws.print_title_cols = PRINT_TITLE_COLUMNS
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    ws.row_dimensions[1].height = wrapped_height((c.header, c.width) for c in columns)
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, column.header)
        cell.font = BOLD
        cell.alignment = HEADING
        header.append(cell)
    ws.append(header)


def _guarded(
    ws: WriteOnlyWorksheet, guard: TextGuard, columns: list[_Column], row: int, values: list[Value]
) -> list[Value]:
    return [
        _wrapped(ws, guard.streamed(ws, v, row, c.header), c.wrap) if isinstance(v, str) else v
        for v, c in zip(values, columns, strict=True)
    ]


def _wrapped(ws: WriteOnlyWorksheet, value: str | Cell, wrap: bool) -> Value:
    """Text of a wrapping column as a cell that wraps (others stay plain, for speed)."""
    if not wrap:
        return value
    cell = WriteOnlyCell(ws, value) if isinstance(value, str) else value
    cell.alignment = WRAPPED
    return cell


def _money(ws: WriteOnlyWorksheet, amount: Decimal | None) -> Value:
    return _formatted(ws, amount, MONEY_FORMAT)


def _formatted(ws: WriteOnlyWorksheet, value: Value, number_format: str | None) -> Value:
    if value is None or number_format is None:
        return value
    cell = WriteOnlyCell(ws, value)
    cell.number_format = number_format
    return cell
