"""Reading files for the officer to check before importing: each sheet's kind, header row and
which header was read for each field, with the corrections made (by the officer, or remembered
for the layout). The files are read once; the preview and the import take them as read."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop.importing.memory import ColumnMemory
from desktop.sheets import Corrections, SheetChoice, read_workbook
from desktop.sheets.choice import NO_CORRECTION, Correction
from desktop.sheets.errors import SheetFileError
from desktop.sheets.fields import SPECS
from desktop.sheets.parsed import ParsedFile, ParsedSheet

UNREADABLE = "无法读取"
UNRECOGNISED = "未识别"
Progress = Callable[[int, int], None]


def kind_title(kind: object) -> str:
    """The kind's sheet title (企业名录…), or 未识别."""
    spec = SPECS.get(kind) if kind is not None else None  # type: ignore[call-overload]
    return spec.title if spec else UNRECOGNISED


@dataclass
class MappingRow:
    """One field of one recognised sheet and the header read for it (editable where
    ``field_name`` is set), or a line saying why a file or sheet was not read."""

    file: str
    sheet: str
    kind: str
    header_row: int | None
    field_label: str
    header: str | None
    field_name: str = ""
    key: str = ""


@dataclass
class SheetRead:
    """One sheet as read: its kind (a ``SheetKind`` value) and header row, the key its layout
    is remembered by ("" when it was not recognised on its own), the correction it was read
    with, and what else the officer should see (columns not used, county from its name)."""

    file: str
    sheet: str
    kind: str | None
    header_row: int | None
    key: str
    correction: Correction = NO_CORRECTION
    unused: list[str] = field(default_factory=list)
    county_from_sheet: str | None = None


@dataclass
class FilesRead:
    """The files as read with ``corrections``: the mapping rows, the sheets, the parsed files."""

    rows: list[MappingRow] = field(default_factory=list)
    sheets: list[SheetRead] = field(default_factory=list)
    files: list[ParsedFile] = field(default_factory=list)
    corrections: Corrections = field(default_factory=Corrections)

    @property
    def choices(self) -> dict[str, SheetChoice]:
        """The kind and header row each sheet was read with, by sheet name, where any."""
        return {s.sheet: s.correction.choice for s in self.sheets if s.correction.choice}


def corrections_for(
    memory: ColumnMemory | None,
    edited: Mapping[str, Mapping[str, str]],
    chosen: Mapping[str, SheetChoice],
) -> Corrections:
    """The officer's ``edited`` headers and ``chosen`` kinds and header rows (by sheet name),
    over the corrections ``memory`` holds (none without a memory)."""
    remembered = memory.corrections() if memory is not None else {}
    return Corrections(dict(edited), dict(chosen), remembered)


def read_files(paths: Sequence[Path], corrections: Corrections, progress: Progress) -> FilesRead:
    """Read each file once with ``corrections`` and list every recognised field's header."""
    found = FilesRead(corrections=corrections)
    for done, path in enumerate(paths):
        progress(done, len(paths))
        try:
            parsed = read_workbook(path, corrections=corrections)
        except SheetFileError as exc:
            found.rows.append(MappingRow(path.name, "", UNREADABLE, None, str(exc), None))
            continue
        found.files.append(parsed)
        for sheet in parsed.sheets:
            found.sheets.append(_sheet_read(path, sheet))
            found.rows += _mapping_rows(path, sheet)
    progress(len(paths), len(paths))
    return found


def _sheet_read(path: Path, sheet: ParsedSheet) -> SheetRead:
    return SheetRead(path.name, sheet.name, sheet.kind, sheet.header_row, sheet.layout_key,
                     sheet.correction, sheet.unused, sheet.county_from_sheet)  # fmt: skip


def _mapping_rows(path: Path, sheet: ParsedSheet) -> list[MappingRow]:
    """A row per field of the sheet's kind, one per column not used, or why it was not read."""
    if sheet.kind is None:
        return [MappingRow(path.name, sheet.name, UNRECOGNISED, None, sheet.reason, None)]
    kind, key, at = kind_title(sheet.kind), sheet.layout_key, sheet.header_row
    rows = [
        MappingRow(path.name, sheet.name, kind, at, f.header, sheet.columns.get(f.name), f.name,
                   key)
        for f in SPECS[sheet.kind].fields
    ]  # fmt: skip
    if sheet.county_from_sheet:
        county = next(r for r in rows if r.field_name == "county")
        county.header = f"（取自工作表名：{sheet.county_from_sheet}）"
        county.field_name = ""  # not a header to edit
    rows += [MappingRow(path.name, sheet.name, kind, at, "（未使用的列）", text)
             for text in sheet.unused]  # fmt: skip
    return rows


def edited_headers(rows: Sequence[MappingRow]) -> dict[str, dict[str, str]]:
    """The headers the mapping rows give for each field, by sheet name."""
    edited: dict[str, dict[str, str]] = {}
    for row in rows:
        if row.field_name and row.header:
            edited.setdefault(row.sheet, {})[row.field_name] = row.header
    return edited


def remember_corrections(memory: ColumnMemory, found: FilesRead, sheets: set[str]) -> None:
    """Keep, for each of ``sheets`` (the sheets the officer corrected) that was recognised,
    the correction it was read with, under its layout's key."""
    for s in found.sheets:
        if s.key and s.kind is not None and s.sheet in sheets:
            memory.remember(s.key, s.correction.columns, s.correction.choice)


def read_and_remember(
    paths: Sequence[Path],
    memory: ColumnMemory,
    edited: Mapping[str, Mapping[str, str]],
    chosen: Mapping[str, SheetChoice],
    progress: Progress,
) -> FilesRead:
    """Read ``paths`` with the officer's ``edited`` headers and ``chosen`` kinds and header
    rows over what ``memory`` holds, and remember the officer's for each layout they leave
    recognised."""
    found = read_files(paths, corrections_for(memory, edited, chosen), progress)
    remember_corrections(memory, found, set(edited) | set(chosen))
    return found
