"""An editable table model over a list of dataclass rows (the editor's figures and leases)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from desktop import values
from desktop.qt.core import QAbstractTableModel, QModelIndex, Qt, Signal
from desktop.roster.fields import EditorField
from desktop.roster.search import name_key
from desktop.rules.labels import AMOUNT_UNIT
from desktop.ui.paged_model import Index, display
from desktop.values import MONEY_UNITS, ValueProblem, money_text


def _optional_text(text: str) -> str | None:
    return values.text(text) or None


@dataclass(frozen=True)
class Column:
    """A column: the row attribute, its heading, how typed text becomes a value (raising
    :class:`~desktop.values.ValueProblem`); flags are check boxes, ``choices`` a drop-down of
    fixed words; a column not ``editable`` is shown only."""

    attr: str
    label: str
    parse: Callable[[str], Any] = _optional_text
    is_flag: bool = False
    editable: bool = True
    choices: Sequence[str] = ()
    is_money: bool = False  # an amount: headed with its unit, shown in 元 or 万元

    @classmethod
    def of(cls, field: EditorField) -> Column:
        """The column editing ``field``, headed by its label and unit, read by its parser, a
        drop-down where it has fixed choices."""
        return cls(field.name, field.heading, field.parse, field.is_flag, choices=field.choices)


class RowListModel(QAbstractTableModel):
    """Rows of one dataclass, edited in place; ``rejected`` carries why an entry was refused.

    A view with sorting on sorts the rows by any column (:meth:`sort`: amounts as numbers, text
    by pinyin, blanks last), and keeps that order for rows set later; money columns show in
    ``money_unit`` (元 or 万元)."""

    rejected = Signal(str)
    edited = Signal()

    def __init__(
        self,
        columns: Sequence[Column],
        new_row: Callable[[list[Any]], Any] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._new_row = new_row
        self._rows: list[Any] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.money_unit = AMOUNT_UNIT

    def rows(self) -> list[Any]:
        """The rows as edited."""
        return list(self._rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = self._sorted(list(rows))
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by ``column`` (-1: as they were given, from then on)."""
        self._sort = (column, order) if 0 <= column < len(self._columns) else None
        if self._sort is None:
            return
        self.layoutAboutToBeChanged.emit()
        before = list(self._rows)
        self._rows = self._sorted(self._rows)
        moved = {id(row): i for i, row in enumerate(self._rows)}
        old = self.persistentIndexList()
        new = [self.index(moved[id(before[i.row()])], i.column()) for i in old]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _sorted(self, rows: list[Any]) -> list[Any]:
        if self._sort is None:
            return rows
        column, order = self._sort
        attr = self._columns[column].attr
        blank = [r for r in rows if getattr(r, attr) is None]
        known = sorted(
            (r for r in rows if getattr(r, attr) is not None),
            key=lambda r: _sort_key(getattr(r, attr)),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        return known + blank

    def show_money_in(self, unit: str) -> None:
        """Show the money columns in ``unit`` (元 or 万元), headers too."""
        self.money_unit = unit
        if self._columns:
            last = len(self._columns) - 1
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, last)
            if self._rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, last))

    def append_row(self) -> int:
        """Add a new row (made from the rows so far) at the end; returns its number."""
        assert self._new_row is not None, "a shown-only table has no new rows"
        row = len(self._rows)
        added = self._new_row(list(self._rows))
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(added)
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        self.edited.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def columns(self) -> list[Column]:
        """The columns, in order."""
        return list(self._columns)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = self._columns[index.column()]
        if not column.editable:
            return base
        if column.is_flag:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self._columns[index.column()]
        value = getattr(self._rows[index.row()], column.attr)
        if role == Qt.ItemDataRole.TextAlignmentRole and type(value) in (Decimal, int):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column.is_flag:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if column.is_money and isinstance(value, Decimal):
                return money_text(value / MONEY_UNITS[self.money_unit])
            return display(value)
        if role == Qt.ItemDataRole.EditRole:
            return "" if value is None else str(value)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        column = self._columns[index.column()]
        if not column.editable:
            return False
        if column.is_flag and role == Qt.ItemDataRole.CheckStateRole:
            parsed: Any = Qt.CheckState(value) == Qt.CheckState.Checked
        elif not column.is_flag and role == Qt.ItemDataRole.EditRole:
            try:
                parsed = column.parse(str(value))
            except ValueProblem as exc:
                self.rejected.emit(f"{column.label}「{str(value).strip()}」：{exc}")
                return False
        else:
            return False
        row = index.row()
        self._rows[row] = replace(self._rows[row], **{column.attr: parsed})
        self.dataChanged.emit(index, index, [role])
        self.edited.emit()
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._columns):
                return None
            column = self._columns[section]
            return f"{column.label}（{self.money_unit}）" if column.is_money else column.label
        return str(section + 1)


def _sort_key(value: Any) -> Any:
    """Text by pinyin (the roster's order of names), anything else as it compares."""
    return name_key(value) if isinstance(value, str) else value
