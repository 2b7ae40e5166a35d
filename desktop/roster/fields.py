"""The fields the editor edits, each with the schema's label and the import's parser.

A field's kind of value is the import template's (``desktop.sheets.fields``), so the editor
accepts and refuses what the import does; money is shown in 元 (a unit typed wins, ``12.5万元``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop import values
from desktop.models import Base, column_label
from desktop.sheets.fields import SPECS
from desktop.sheets.parsed import SheetKind
from desktop.values import ValueType

EDITOR_UNIT = "元"


@dataclass(frozen=True)
class EditorField:
    """One edited field: its label, the unit it is shown in, its parser (blank → None)."""

    name: str
    label: str
    unit: str | None
    parse: Callable[[Any], Any]
    required: bool = False
    is_flag: bool = False
    choices: tuple[str, ...] = ()  # the fixed words, for a drop-down

    @property
    def heading(self) -> str:
        """The label with its unit, as a table's column heading: ``月租金（元）``."""
        return f"{self.label}（{self.unit}）" if self.unit else self.label


def _fields(
    table: str,
    kind: SheetKind | None,
    names: tuple[str, ...],
    own: Mapping[str, tuple[ValueType, bool]] | None = None,
) -> dict[str, EditorField]:
    """``names`` of ``table``, typed as the template's ``kind`` (or by ``own``: type, required)."""
    spec = {f.name: f for f in SPECS[kind].fields} if kind else {}
    own = own or {}
    found = {}
    for name in names:
        kind_of, required = own.get(name) or (spec[name].type, spec[name].required)
        column = Base.metadata.tables[table].columns[name]
        unit = EDITOR_UNIT if kind_of.is_money else column.info.get("unit")
        is_flag = kind_of in values.typed.FLAGS
        parse = values.optional(kind_of, EDITOR_UNIT)
        label = column_label(table, name)
        found[name] = EditorField(
            name, label, unit, parse, required and not is_flag, is_flag, values.words(kind_of)
        )
    return found


_YEAR = (ValueType.year, True)
ENTERPRISE_FIELDS = _fields("enterprise", SheetKind.roster, (
    "name", "uscc", "industry_code", "above_scale", "white_list", "chain_leader",
    "chain_role_confirmed", "size", "legal_representative", "contact", "phone", "address", "bank",
    "bank_account",
)) | {  # county, zone and chain are chosen from lists, named as the enterprise's fields
    name: EditorField(name, column_label("enterprise", f"{name}_id"), None, parse, required)
    for name, parse, required in (
        ("county", values.county, True), ("zone", values.text, False),
        ("chain", values.text, False),
    )
}  # fmt: skip
MONTHLY_FIELDS = _fields("monthly_output", SheetKind.monthly, ("year", "month", "output"), {
    "year": _YEAR, "month": (ValueType.calendar_month, True),
})  # fmt: skip
ANNUAL_FIELDS = _fields("annual_figures", SheetKind.annual, (
    "year", "output", "taxable_income", "employees", "total_assets", "restricted_industry",
))  # fmt: skip
_LEASE_ZONE = EditorField("zone", column_label("lease", "zone_id"), None, values.text, True)
LEASE_FIELDS = {"zone": _LEASE_ZONE} | _fields("lease", SheetKind.leases, (
    "standard_factory", "area", "monthly_rent", "start_date", "end_date",
))  # fmt: skip
AWARD_FIELDS = _fields("provincial_award", None, ("amount", "granted_on", "document"), {
    "amount": (ValueType.money, True), "granted_on": (ValueType.date, False),
    "document": (ValueType.text, False),
})  # fmt: skip
ZONE_FIELDS = _fields("zone", SheetKind.zones, ("name", "level", "kind"))
