"""The filing sheet (申报汇总表) of one measure: the eligible enterprises, their amounts, a total,
the signatures, set up to print on A4 landscape."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop.filing.cells import (
    IDENTITY_HEADERS,
    MONEY_FORMAT,
    CellWarning,
    TextGuard,
    display_width,
    fact_cell,
    print_on_a4,
    wrapped_height,
)
from desktop.paperwork import replacing
from desktop.rules import catalogue
from desktop.rules.labels import AMOUNT_UNIT
from desktop.rules.measure import Measure
from desktop.rules.result import EXPECTED_NOTE, Result, Verdict
from desktop.sheets.faces import font
from desktop.taskforce.figures import unit_key

HEADER_ROW = 4
SUBTOTAL, TOTAL = "小计", "合计"
SIGNATURES = ("填报人：", "联系电话：", "审核人：", "单位负责人：")
SAMPLE_TITLE = "（含示例数据，不得上报）"  # after the title of a sheet listing sample enterprises
SAMPLE_NOTE = "示例数据（虚构企业）"  # the 备注 of a sample enterprise's row
MAX_WIDTH = 36
THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="center", wrap_text=True)
Group = tuple[str | None, Sequence[Result]]  # a unit's rows (None: the rows of no 小计)


def write_filing_sheet(
    results: Sequence[Result],
    out: Path,
    *,
    measure: str,
    filing_unit: str,
    county: str | None = None,
    on: date | None = None,
    phone: str = "",
    samples: frozenset[str] = frozenset(),
    units: Sequence[str] = (),
) -> list[CellWarning]:
    """Write the filing sheet of ``measure`` to ``out`` (replaced atomically).

    Only eligible results of ``measure`` (and of ``county``, when given) are listed; amounts
    are in 元 with two decimals. The city's sheet (no ``county``, results of more than one
    county-level unit) groups the rows by unit, in the order of ``units`` (the city's; others
    after by name), each unit's rows closed by its 小计 (a unit with none eligible has no
    group); 合计 last. The rows of the sample enterprises (credit codes ``samples``) say so,
    and so does the title when there is one. Returns what had to change to fit into cells.
    """
    info = catalogue.measure(measure)
    decided = [r for r in results if r.measure == measure]
    listed = [
        r
        for r in decided
        if r.verdict is Verdict.ELIGIBLE and (county is None or r.county == county)
    ]
    guard = TextGuard(Path(out).name)
    wb = Workbook()
    ws = wb.active
    ws.title = info.clause
    headers = _headers(info, decided)
    scope = (f"（{county}）" if county else "") + (
        SAMPLE_TITLE if any(r.uscc in samples for r in listed) else ""
    )
    _write_heading(ws, guard, info, filing_unit, scope, on or date.today(), len(headers))
    groups = _groups(decided, listed, county, units)
    _write_table(ws, guard, info, headers, groups, samples)
    _set_up_printing(ws, len(headers))
    _write_signatures(ws, guard, filing_unit, phone, len(headers))
    with replacing(Path(out)) as temporary:
        wb.save(temporary)
    return guard.warnings


def _headers(info: Measure, decided: Sequence[Result]) -> list[str]:
    """The table's columns; the fact labels are the same for every result of a measure."""
    facts = [label for label, _ in decided[0].facts] if decided else []
    period = [info.period_label] if info.period_label else []
    return [*IDENTITY_HEADERS, *period, *facts, info.amount_header, "备注"]


def _write_heading(
    ws: Worksheet,
    guard: TextGuard,
    info: Measure,
    filing_unit: str,
    scope: str,
    on: date,
    width: int,
) -> None:
    _merged(ws, guard, 1, 1, width, info.filing_title + scope, font(16, bold=True))
    _merged(ws, guard, 2, 1, width, f"依据：{info.basis}", font(10))
    third = max(width // 3, 1)
    _merged(ws, guard, 3, 1, third, f"填报单位：{filing_unit}", font(10))
    filed = f"填报日期：{on.year}年{on.month}月{on.day}日"
    _merged(ws, guard, 3, third + 1, width - 1, filed, font(10))
    _merged(ws, guard, 3, width, width, f"金额单位：{AMOUNT_UNIT}", font(10))
    ws.row_dimensions[1].height = 30


def _merged(
    ws: Worksheet, guard: TextGuard, row: int, first: int, last: int, text: str, face: Font
) -> None:
    cell = ws.cell(row, first)
    guard.put(cell, text, "表头")
    cell.font = face
    cell.alignment = CENTER if row == 1 else Alignment(vertical="center")
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _write_table(
    ws: Worksheet,
    guard: TextGuard,
    info: Measure,
    headers: list[str],
    groups: Sequence[Group],
    samples: frozenset[str],
) -> None:
    """The header, then each group's rows (numbered on through the groups), closed by its
    小计 where the group is a unit's; 合计 over them all last."""
    for column, header in enumerate(headers, start=1):
        cell = ws.cell(HEADER_ROW, column)
        guard.put(cell, _header_lines(header), header)
        cell.font = font(bold=True)
        cell.alignment = CENTER
        cell.border = GRID
    row, number = HEADER_ROW, 0
    for unit, listed in groups:
        for result in listed:
            row, number = row + 1, number + 1
            _write_row(ws, guard, info, headers, row, number, result, samples)
        if unit is not None:
            row += 1
            subtotal = _total_cells(SUBTOTAL, listed, len(headers), unit)
            _fill_row(ws, guard, headers, row, subtotal, bold=True)
    everything = [r for _, listed in groups for r in listed]
    _fill_row(ws, guard, headers, row + 1, _total_cells(TOTAL, everything, len(headers)), bold=True)


def _header_lines(header: str) -> str:
    """``header`` as its cell shows it: a bracketed tail (the unit, as in 配套奖励（元）, or a
    gloss, as in 所属县（市、区）) on a line of its own, so a wrapped header never splits it."""
    head, bracket, tail = header.rpartition("（")
    return f"{head}\n{bracket}{tail}" if head and tail.endswith("）") else header


def _total_cells(
    label: str, listed: Sequence[Result], width: int, unit: str | None = None
) -> list[tuple[object, str | None]]:
    """A 小计 (of ``unit``) or 合计 row ``width`` cells wide: the label, the 户数 and the sum of
    the amount column (the measure's one; the facts beside it are an enterprise's own)."""
    total = sum((r.amount or Decimal(0) for r in listed), Decimal("0.00"))
    codes = {r.uscc for r in listed}
    households = f"{len(codes)}户"  # an enterprise of two tax years is one 户
    if len(listed) != len(codes):
        households += f"（{len(listed)}条）"
    cells: list[tuple[object, str | None]] = [(label, None), (households, None), (None, None)]
    cells.append((unit, None))  # under 所属县（市、区）
    cells += [(None, None)] * (width - 6) + [(total, MONEY_FORMAT), (None, None)]
    return cells


def _groups(
    decided: Sequence[Result], listed: Sequence[Result], county: str | None, units: Sequence[str]
) -> list[Group]:
    """The rows as the sheet groups them: by unit (each to get its 小计) when the sheet is the
    whole city's and more than one unit was decided; else one group without a 小计."""
    if county is not None or len({r.county for r in decided}) < 2:
        return [(None, listed)]
    by_unit: dict[str, list[Result]] = {}
    for result in listed:
        by_unit.setdefault(result.county, []).append(result)
    return [(unit, by_unit[unit]) for unit in sorted(by_unit, key=unit_key(units))]


def _write_row(
    ws: Worksheet,
    guard: TextGuard,
    info: Measure,
    headers: list[str],
    row: int,
    number: int,
    result: Result,
    samples: frozenset[str],
) -> None:
    values: list[tuple[object, str | None]] = [
        (number, None),
        (result.name, None),
        (result.uscc, None),
        (result.county, None),
    ]
    if info.period_label:
        values.append((result.period, None))
    values += [fact_cell(label, value) for label, value in result.facts]
    values.append((result.amount, MONEY_FORMAT))
    notes = ((EXPECTED_NOTE, result.expected), (SAMPLE_NOTE, result.uscc in samples))
    values.append(("；".join(note for note, applies in notes if applies) or None, None))
    _fill_row(ws, guard, headers, row, values)


def _fill_row(
    ws: Worksheet,
    guard: TextGuard,
    headers: list[str],
    row: int,
    values: list[tuple[object, str | None]],
    *,
    bold: bool = False,
) -> None:
    for column, ((value, number_format), header) in enumerate(
        zip(values, headers, strict=True), start=1
    ):
        cell = ws.cell(row, column)
        guard.put(cell, value, header)
        cell.border = GRID
        cell.alignment = CENTER if column == 1 else WRAP  # 序号, 小计, 合计
        if number_format:
            cell.number_format = number_format
        if bold:
            cell.font = font(bold=True)


def _write_signatures(
    ws: Worksheet, guard: TextGuard, filing_unit: str, phone: str, width: int
) -> None:
    row = ws.max_row + 2
    spans = _spans(width, len(SIGNATURES))
    filled = {"联系电话：": phone}
    for (first, last), label in zip(spans, SIGNATURES, strict=True):
        _merged(ws, guard, row, first, last, label + filled.get(label, ""), font(11))
    half = _spans(width, 2)[1]
    _merged(ws, guard, row + 2, *half, f"填报单位（盖章）：{filing_unit}", font(11))
    _merged(ws, guard, row + 4, *half, "年    月    日", font(11))
    for r in (row, row + 2, row + 4):
        ws.row_dimensions[r].height = 24


def _spans(width: int, parts: int) -> list[tuple[int, int]]:
    """``width`` columns cut into ``parts`` runs of (first, last), as even as they come."""
    bounds = [1 + width * i // parts for i in range(parts + 1)]
    return [(bounds[i], max(bounds[i], bounds[i + 1] - 1)) for i in range(parts)]


def _set_up_printing(ws: Worksheet, width: int) -> None:
    """A4 landscape, one page wide, the column headers on every page; columns sized to the
    table written so far."""
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    print_on_a4(ws, landscape=True, header_row=HEADER_ROW)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    headers = []
    for column in range(1, width + 1):
        column_width = _width(ws, column)
        ws.column_dimensions[get_column_letter(column)].width = column_width
        headers.append((ws.cell(HEADER_ROW, column).value, column_width))
    ws.row_dimensions[HEADER_ROW].height = wrapped_height(headers)


def _width(ws: Worksheet, column: int) -> float:
    """Wide enough for the longest value of the table and each line of the header (CJK counts
    double)."""
    longest = max(
        (
            display_width(cell.value, cell.number_format)
            for (cell,) in ws.iter_rows(min_row=HEADER_ROW + 1, min_col=column, max_col=column)
        ),
        default=0,
    )
    header = max(map(display_width, str(ws.cell(HEADER_ROW, column).value).split("\n")))
    return min(max(longest, header, 6) + 2, MAX_WIDTH)
