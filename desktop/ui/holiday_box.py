"""The holiday list the officer keeps (设置): the days besides Saturdays and Sundays that a
publicity's working days skip. It starts empty; adding or removing a day is saved at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from desktop import values
from desktop.cases.errors import CaseError
from desktop.cases.workdays import add_holiday, remove_holiday
from desktop.changes import Changes
from desktop.models import Holiday
from desktop.qt.widgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout
from desktop.store import Database
from desktop.ui.icons import with_icon
from desktop.ui.row_list_model import RowListModel
from desktop.ui.tables import shown_columns, table_view
from desktop.ui.validators import read_value
from desktop.values import ValueProblem

HOLIDAY_COLUMNS = shown_columns(("day", "日期"), ("weekday", "星期"), ("name", "名称"))
WEEKDAYS = "一二三四五六日"
TITLE = "节假日（公示期按工作日计算：周六、周日和这里列出的日期不计）"


@dataclass(frozen=True)
class HolidayLine:
    """One listed day."""

    day: date
    name: str

    @property
    def weekday(self) -> str:
        return f"星期{WEEKDAYS[self.day.weekday()]}"


class HolidayBox(QGroupBox):
    """The list, a date and a name to add, and removing the days selected."""

    def __init__(self, database: Callable[[], Database], publish: Callable[[Changes], None]):
        super().__init__(TITLE)
        self._database, self._publish = database, publish
        self.days = RowListModel(HOLIDAY_COLUMNS, parent=self)
        self.table = table_view(self.days)
        self.day, self.name = QLineEdit(), QLineEdit()
        self.day.setPlaceholderText("日期，如 2023-06-22")
        self.name.setPlaceholderText("名称，如 端午节")
        self.add_button = with_icon(QPushButton("添加节假日"), "add")
        self.remove_button = with_icon(QPushButton("删除所选"), "delete")
        self.add_button.clicked.connect(self.add)
        self.day.returnPressed.connect(self.add)
        self.remove_button.clicked.connect(self.remove_selected)
        self.message = QLabel("添加、删除即时保存，记入操作记录；已开始的公示期不随之改变。")
        self.message.setWordWrap(True)
        fields, buttons = QHBoxLayout(), QHBoxLayout()
        fields.addWidget(self.day, 1)
        fields.addWidget(self.name, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(fields)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    def reload(self) -> None:
        """Read the list again."""
        with self._database().reader() as s:
            listed = s.scalars(select(Holiday).order_by(Holiday.day))
            self.days.set_rows([HolidayLine(h.day, h.name or "") for h in listed])

    def _say(self, text: str, problem: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020" if problem else "color: #2e7d32")

    def add(self) -> None:
        """List the day typed; a date that cannot be read, or one listed already, is said."""
        try:
            day = read_value("节假日日期", self.day.text(), values.day)
            with self._database().session(source="window") as s:
                add_holiday(s, day, self.name.text())
        except (ValueProblem, CaseError) as exc:
            self._say(str(exc), problem=True)
            return
        self.day.clear()
        self.name.clear()
        self._publish(Changes.CASES)
        self._say(f"已添加节假日 {day.isoformat()}", problem=False)

    def remove_selected(self) -> None:
        """Take the selected days off the list."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        chosen = [self.days.rows()[row].day for row in rows]
        if not chosen:
            self._say("请先在表中选中要删除的日期", problem=True)
            return
        try:
            with self._database().session(source="window") as s:
                for day in chosen:
                    remove_holiday(s, day)
        except CaseError as exc:  # another program took it off meanwhile
            self._say(str(exc), problem=True)
            self.reload()
            return
        self._publish(Changes.CASES)
        self._say(f"已删除节假日 {'、'.join(d.isoformat() for d in chosen)}", problem=False)
