"""Finding a sheet's header row and kind from the columns present, never from the sheet's name
(which only gives a roster without a county column its county)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from desktop import values
from desktop.sheets.choice import NO_CHOICE, SheetChoice
from desktop.sheets.fields import IGNORED_HEADERS, KINDS, PRECEDENCE, SPECS, Field, KindSpec
from desktop.sheets.parsed import SheetKind
from desktop.sheets.raw import RawSheet
from desktop.values import MONEY_UNITS
from desktop.values.numbers import ENERGY_UNITS

HEADER_SEARCH_ROWS = 30
UNITS = frozenset(MONEY_UNITS) | frozenset(ENERGY_UNITS) | {"平方米", "m2", "人", "个", "户"}
_BRACKETS = str.maketrans("【〔[{「『】〕]}」』", "(((((())))))", "*※ \n\r\t")
_BRACKET_GROUP = re.compile(r"\(([^()]*)\)")
_MONTH_HEADER = re.compile(r"(\d{4})(?:年|[-/.]|(?=\d{1,2}月))(\d{1,2})月?份?(.*)")
_MONTH_SUFFIXES = frozenset({"", "产值", "工业总产值", "总产值", "当月产值"})
_SHEET_UNIT = re.compile(r"单位[:：]\s*(元|千元|万元|亿元)")


@dataclass(frozen=True, slots=True)
class Header:
    """A header cell's matching key (normalised, unit taken out) and its unit, if written."""

    key: str
    unit: str | None


def normalise_header(raw: Any) -> Header:
    """``工业总产值（亿元）*`` → key ``工业总产值``, unit ``亿元``; full width, brackets, spaces."""
    text = unicodedata.normalize("NFKC", str(raw)).translate(_BRACKETS)
    unit = None

    def take_unit(match: re.Match[str]) -> str:
        nonlocal unit
        inner = match[1].removeprefix("单位").lstrip(":").split("/")[0]  # 万元/月 → 万元
        if inner in UNITS:
            unit = inner
            return ""
        return match[0]

    key = _BRACKET_GROUP.sub(take_unit, text)
    return Header(key, unit)


def _index(spec: KindSpec) -> dict[str, Field]:
    index: dict[str, Field] = {}
    for f in spec.fields:
        for name in (f.header, *f.synonyms):
            index.setdefault(normalise_header(name).key, f)
    return index


_INDEXES: dict[SheetKind, dict[str, Field]] = {spec.kind: _index(spec) for spec in KINDS}


def match_field(kind: SheetKind, key: str) -> Field | None:
    """The field of ``kind`` a header key names, also without bracketed notes or a 是否 (是否属于)
    prefix."""
    index = _INDEXES[kind]
    asked = key.removeprefix("是否")
    for variant in (key, _BRACKET_GROUP.sub("", key), asked, asked.removeprefix("属于")):
        found = index.get(variant)
        if found is not None:
            return found
    return None


def month_of_header(raw: Any, key: str) -> tuple[int, int] | None:
    """The (year, month) of a wide monthly column: ``2023年1月``, ``2023年1月产值`` or a date."""
    if isinstance(raw, date):
        return raw.year, raw.month
    match = _MONTH_HEADER.fullmatch(key)
    if not match or match[3] not in _MONTH_SUFFIXES:
        return None
    year, month = int(match[1]), int(match[2])
    return (year, month) if 1990 <= year <= 2100 and 1 <= month <= 12 else None


@dataclass(frozen=True, slots=True)
class Column:
    """A recognised column: its index in the raw rows, header text as found, and unit."""

    index: int
    header: str
    unit: str | None


@dataclass(frozen=True, slots=True)
class MonthColumn:
    """A column of the wide monthly layout."""

    index: int
    header: str
    unit: str | None
    year: int
    month: int


@dataclass(slots=True)
class Layout:
    """What a sheet's header says: its kind, where data starts, which column holds which field."""

    kind: SheetKind
    header_index: int
    header_rows: int
    columns: dict[str, Column]
    months: list[MonthColumn] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    sheet_unit: str | None = None
    sheet_county: str | None = None  # a roster without a county column, named after its county

    @property
    def data_index(self) -> int:
        """Index of the first row below the header."""
        return self.header_index + self.header_rows

    def headers(self) -> list[str]:
        """The header texts of the columns read, month columns included."""
        return [c.header for c in self.columns.values()] + [m.header for m in self.months]


@dataclass(slots=True)
class _Candidate:
    index: int
    rows: int
    cells: list[tuple[int, str]]  # (column, header text as found)
    fields: dict[SheetKind, dict[str, Column]] = field(default_factory=dict)
    months: list[MonthColumn] = field(default_factory=list)

    @property
    def score(self) -> int:
        return max((len(f) for f in self.fields.values()), default=0) + len(self.months)


Try = tuple[str, Any]  # a header text to try, and the raw cell it is (None for joined text)


class NotRecognised(Exception):
    """No kind fits the sheet; ``str()`` says why, in Chinese."""


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if value is not None else ""


def _filled_upper(
    sheet: RawSheet, index: int, upper: list[Any], lower: list[Any]
) -> tuple[list[Any], set[int]]:
    """The upper header row with merged (or visibly grouping) cells spread over their columns,
    and the columns such a group header covers."""
    filled = list(upper)
    grouped: set[int] = set()
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 <= index <= r1 and c0 < len(filled) and c1 > c0:
            for c in range(c0 + 1, min(c1 + 1, len(filled))):
                filled[c] = upper[c0]
            grouped.update(range(c0, min(c1 + 1, len(filled))))
    if not sheet.merged:  # no merge information (.ods, .csv): a group header spans blank cells
        for c in range(1, len(filled)):
            if filled[c] == "" and c < len(lower) and lower[c] != "" and lower[c - 1] != "":
                filled[c] = filled[c - 1]
                grouped.update((c - 1, c))
    return filled, grouped


def _header_cells(sheet: RawSheet, index: int, rows: int) -> list[tuple[int, list[Try]]]:
    """Per column: the header texts to try (with the raw cell each stands for, if one).

    Of a two-row header the joined text comes first; the lower cell alone only under a group
    header spanning several columns (else the lower row is data, and a date there, under
    「租赁终止日期」, would be read as a month column), then the upper cell alone.
    """
    first = sheet.rows[index]
    if rows == 1:
        return [(c, [(_cell_text(v), v)]) for c, v in enumerate(first) if _cell_text(v)]
    lower = sheet.rows[index + 1]
    upper, grouped = _filled_upper(sheet, index, first, lower)
    cells = []
    for c in range(max(len(upper), len(lower))):
        up = _cell_text(upper[c]) if c < len(upper) else ""
        low = _cell_text(lower[c]) if c < len(lower) else ""
        if up and low and up != low:
            tries: list[Try] = [(up + low, None)]
            if c in grouped:
                tries.append((low, lower[c]))
            tries.append((up, upper[c]))
        elif up or low:
            tries = [(up or low, upper[c] if up else lower[c])]
        else:
            continue
        cells.append((c, tries))
    return cells


def _evaluate(sheet: RawSheet, index: int, rows: int) -> _Candidate:
    candidate = _Candidate(index, rows, [])
    taken: dict[SheetKind, dict[str, Column]] = {spec.kind: {} for spec in KINDS}
    for c, tries in _header_cells(sheet, index, rows):
        text, header, month, hits = _match_tries(tries, taken)
        candidate.cells.append((c, text))
        if month:
            candidate.months.append(MonthColumn(c, text, header.unit, *month))
        for kind, f in hits:
            taken[kind][f.name] = Column(c, text, header.unit)
    candidate.fields = {kind: cols for kind, cols in taken.items() if cols}
    return candidate


def _match_tries(
    tries: Sequence[Try], taken: dict[SheetKind, dict[str, Column]]
) -> tuple[str, Header, tuple[int, int] | None, list[tuple[SheetKind, Field]]]:
    """The first of ``tries`` naming a month or a field not yet taken: text, header, month, hits.

    A header names a field only as a whole (its name or a synonym), and a month only as a whole
    (``2023年1月产值``, or a date cell standing alone).
    """
    for text, raw in tries:
        header = normalise_header(text)
        month = month_of_header(raw, header.key)
        if month:
            return text, header, month, []
        hits = [(kind, f) for kind in _INDEXES
                if (f := match_field(kind, header.key)) is not None
                and f.name not in taken[kind]]  # fmt: skip
        if hits:
            return text, header, None, hits
    shown = tries[1][0] if len(tries) == 3 else tries[0][0]  # under a group: its own cell
    return shown, normalise_header(shown), None, []


def _complete_kinds(
    candidate: _Candidate, sheet_county: str | None, chosen: bool
) -> list[SheetKind]:
    """The kinds whose required columns the candidate has (a roster's county may be the
    sheet's name instead) and, unless the officer ``chosen`` them, that no kind subsumes."""
    complete = []
    for kind in PRECEDENCE:
        have = candidate.fields.get(kind, {})
        required = set(SPECS[kind].required)
        if kind is SheetKind.monthly and candidate.months:
            required -= {"month", "output"}
        if kind is SheetKind.roster and sheet_county is not None:
            required -= {"county"}
        enough = not SPECS[kind].any_of or bool(set(SPECS[kind].any_of) & set(have))
        if required <= set(have) and enough and (chosen or not _subsumed(candidate, kind)):
            complete.append(kind)
    return complete


def _subsumed(candidate: _Candidate, kind: SheetKind) -> bool:
    """True when another kind reads more of the columns, among them all that ``kind`` reads:
    a lease sheet lacking one column is not a 开发区 sheet for its 开发区 column, nor a roster
    lacking its county one."""
    used = {col.index for col in candidate.fields[kind].values()}
    if kind is SheetKind.monthly:
        used |= {m.index for m in candidate.months}
    return any(
        len(cols) > len(used) and used <= {col.index for col in cols.values()}
        for other, cols in candidate.fields.items()
        if other is not kind
    )


def county_of_sheet(name: str) -> str | None:
    """The county a sheet is named after (忻府, 忻府区, 原平市…), exactly; else None."""
    try:
        return values.county(name.strip())
    except values.ValueProblem:
        return None


def _candidates(sheet: RawSheet, header_row: int | None = None) -> list[_Candidate]:
    """Header candidates from the first rows, or only at the chosen spreadsheet row."""
    found = []
    if header_row is None:
        indexes = range(min(HEADER_SEARCH_ROWS, len(sheet.rows)))
    else:
        index = header_row - sheet.first_row
        indexes = range(index, index + 1) if 0 <= index < len(sheet.rows) else range(0)
    for index in indexes:
        found.append(_evaluate(sheet, index, 1))
        if index + 1 < len(sheet.rows):
            found.append(_evaluate(sheet, index, 2))
    return found


def _apply_overrides(candidate: _Candidate, overrides: Mapping[str, str]) -> None:
    """Force ``field → header text`` onto the columns whose header reads so."""
    wanted = {normalise_header(text).key: name for name, text in overrides.items()}
    for c, text in candidate.cells:
        header = normalise_header(text)
        name = wanted.pop(header.key, None)
        if name is None:
            continue
        for kind, spec in SPECS.items():
            if any(f.name == name for f in spec.fields):
                cols = candidate.fields.setdefault(kind, {})
                for other in [n for n, col in cols.items() if col.index == c]:
                    del cols[other]
                cols[name] = Column(c, text, header.unit)
    if wanted:
        missing = "、".join(f"「{overrides[name]}」" for name in wanted.values())
        raise NotRecognised(f"指定的列{missing}在表头中找不到")


def _sheet_unit(sheet: RawSheet, header_index: int) -> str | None:
    """A ``单位：万元`` note above the header, which applies to money columns without a unit."""
    for row in sheet.rows[:header_index]:
        for value in row:
            match = _SHEET_UNIT.search(unicodedata.normalize("NFKC", str(value)))
            if match:
                return match[1]
    return None


def _closest_miss(candidates: Sequence[_Candidate], kind: SheetKind | None = None) -> str:
    """Which kind the candidates come closest to (or ``kind``, if chosen) and what it lacks."""
    best: tuple[int, SheetKind, list[str]] | None = None
    for candidate in candidates:
        for found, cols in candidate.fields.items():
            if kind is not None and found is not kind:
                continue
            missing = [f.template_header.rstrip("*") for f in SPECS[found].fields
                       if f.required and f.name not in cols]  # fmt: skip
            if (len(cols) > 1 or kind) and (best is None or len(missing) < best[0]):
                best = (len(missing), found, missing)
    if best is None and kind is not None:
        return f"表头中没有「{SPECS[kind].title}」的列"
    if best is None:
        return f"前{HEADER_SEARCH_ROWS}行中没有可识别的表头（如「企业名称」「统一社会信用代码」）"
    _, found, missing = best
    verb = "是" if kind is not None else "最接近"
    return f"{verb}「{SPECS[found].title}」，但缺少列{'、'.join(f'「{m}」' for m in missing)}"


def recognise(
    sheet: RawSheet,
    overrides: Mapping[str, str] | None = None,
    choice: SheetChoice = NO_CHOICE,
) -> Layout:
    """The sheet's layout; ``NotRecognised`` when no kind has all its required columns.

    ``choice`` forces the header row (only it, or it and the row below, is tried) and the kind.
    """
    if not sheet.rows:
        raise NotRecognised("工作表是空的")
    unknown = set(overrides or ()) - {f.name for spec in KINDS for f in spec.fields}
    if unknown:
        raise NotRecognised(f"指定了未知的字段：{'、'.join(sorted(unknown))}")
    kind = _chosen_kind(choice)
    candidates = _candidates(sheet, choice.header_row)
    if not candidates:
        raise NotRecognised(f"指定的表头行第{choice.header_row}行不在表中")
    if overrides:
        wanted = {normalise_header(t).key for t in overrides.values()}
        candidates = [c for c in candidates
                      if wanted <= {normalise_header(t).key for _, t in c.cells}]  # fmt: skip
        if not candidates:
            raise NotRecognised("指定的列名在表头中找不到")
    ranked = sorted(candidates, key=lambda c: (-c.score, c.rows, c.index))
    chosen = bool(overrides) or bool(choice)
    if not chosen:  # the best-matching header row decides, never a weaker one
        ranked = [c for c in ranked if c.score == ranked[0].score]
    sheet_county = county_of_sheet(sheet.name)
    for candidate in ranked:
        if overrides:
            _apply_overrides(candidate, overrides)
        kinds = [k for k in _complete_kinds(candidate, sheet_county, chosen) if kind in (None, k)]
        if kinds:
            return _layout(sheet, candidate, kinds[0], sheet_county)
    if not choice:
        raise NotRecognised("无法判断表格类型：" + _closest_miss(candidates))
    where = "" if choice.header_row is None else f"以第{choice.header_row}行为表头，"
    raise NotRecognised(f"无法按所选读取：{where}" + _closest_miss(candidates, kind))


def _chosen_kind(choice: SheetChoice) -> SheetKind | None:
    """The chosen kind; ``NotRecognised`` for a value that names none."""
    if choice.kind is None:
        return None
    try:
        return SheetKind(choice.kind)
    except ValueError:
        raise NotRecognised(f"指定了未知的表格类型：{choice.kind}") from None


def column_letter(index: int) -> str:
    """The spreadsheet's letters of 0-based column ``index``: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _headerless(sheet: RawSheet, candidate: _Candidate) -> list[str]:
    """Columns holding data below the header but no header text: named by their letter."""
    headed = {c for c, _text in candidate.cells}
    data = sheet.rows[candidate.index + candidate.rows :]
    width = max(map(len, data), default=0)
    return [
        f"{column_letter(sheet.first_col + c)}列（无表头）"
        for c in range(width)
        if c not in headed and any(c < len(row) and not values.is_blank(row[c]) for row in data)
    ]


def _layout(
    sheet: RawSheet, candidate: _Candidate, kind: SheetKind, sheet_county: str | None
) -> Layout:
    columns = candidate.fields[kind]
    used = {col.index for col in columns.values()}
    months = candidate.months if kind is SheetKind.monthly and "month" not in columns else []
    used |= {m.index for m in months}
    ignored = [text for c, text in candidate.cells
               if c not in used and normalise_header(text).key not in IGNORED_HEADERS]  # fmt: skip
    ignored += _headerless(sheet, candidate)
    return Layout(
        kind=kind,
        header_index=candidate.index,
        header_rows=candidate.rows,
        columns=columns,
        months=months,
        ignored=ignored,
        sheet_unit=_sheet_unit(sheet, candidate.index),
        sheet_county=sheet_county if kind is SheetKind.roster and "county" not in columns else None,
    )
