"""The words for an enterprise's fields on results and paperwork: the schema's labels
(``info={"label": …}`` in ``desktop.models``), with the unit a column of money shows."""

from __future__ import annotations

from desktop.models import column_label

AMOUNT_UNIT = "元"


def in_yuan(label: str) -> str:
    """A money column's header: ``资产总额`` → ``资产总额（元）``."""
    return f"{label}（{AMOUNT_UNIT}）"


def enterprise_label(column: str) -> str:
    """The label of a column of the enterprise roster (企业名录)."""
    return column_label("enterprise", column)


def annual_label(column: str) -> str:
    """The label of a column of an enterprise's annual figures (年度数据)."""
    return column_label("annual_figures", column)
