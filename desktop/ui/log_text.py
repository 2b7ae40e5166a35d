"""The change log in the officer's words: field names, flags, money and whole rows in Chinese
(the headers of the import template, so a field reads the same everywhere)."""

from __future__ import annotations

import json

from desktop.roster.history import TABLE_LABELS
from desktop.sheets.fields import SPECS, Field, ValueType
from desktop.sheets.parsed import SheetKind

TABLE_KINDS = {
    "enterprise": SheetKind.roster, "monthly_output": SheetKind.monthly,
    "annual_figures": SheetKind.annual, "lease": SheetKind.leases, "zone": SheetKind.zones,
}  # fmt: skip
STORED_MONTH = {"month": "月份"}  # the template's 年月 is stored as year and month apart
OTHER_LABELS = {
    "year": "年份", "amount": "奖励金额", "granted_on": "下达日期",
    "document": "文件", "name": "名称", "is_sample": "示例数据",
}  # fmt: skip
FLAG_TYPES = (ValueType.flag, ValueType.tristate)
FLAG_WORDS = {"1": "是", "0": "否", "true": "是", "false": "否"}
TABLE_CODES = {word: code for code, word in TABLE_LABELS.items()}


def _field(table: str, name: str) -> Field | None:
    kind = TABLE_KINDS.get(table)
    return next((f for f in SPECS[kind].fields if f.name == name), None) if kind else None


def field_label(table: str, name: str) -> str:
    """The Chinese name of column ``name`` of ``table`` (the name itself when it has none)."""
    found = None if name in STORED_MONTH else _field(table, name)
    return found.header if found else (STORED_MONTH | OTHER_LABELS).get(name, name)


def value_text(table: str, name: str | None, value: str | None) -> str | None:
    """A stored value as read: flags as 是/否, a whole row as 字段：值；… without its ids."""
    if value is None:
        return None
    if name is None and value.startswith("{"):
        try:
            row = json.loads(value)
        except ValueError:
            return value
        if isinstance(row, dict):
            return "；".join(
                f"{field_label(table, k)}：{value_text(table, k, str(v))}"
                for k, v in row.items()
                if v is not None and not k.endswith("_id")
            )
    found = _field(table, name) if name else None
    if found is not None and found.type in FLAG_TYPES:
        return FLAG_WORDS.get(value.lower(), value)
    if found is not None and found.type is ValueType.money:
        return f"{value} 元"  # stored in yuan, whatever unit the sheet used
    return value


def readable(line: tuple) -> tuple:
    """A ``fetch_log_rows`` line with its field and values in Chinese."""
    *head, field, old, new = line
    table = TABLE_CODES.get(head[3], head[3])
    words = field_label(table, field) if field else field
    return (*head, words, value_text(table, field, old), value_text(table, field, new))
