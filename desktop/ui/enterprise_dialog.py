"""The enterprise editor: every field, figures and leases in tables, a chart, delete."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from desktop import values
from desktop.qt.gui import QKeySequence, QShortcut
from desktop.qt.widgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from desktop.roster.fields import (
    ANNUAL_FIELDS,
    AWARD_FIELDS,
    ENTERPRISE_FIELDS,
    LEASE_FIELDS,
    MONTHLY_FIELDS,
)
from desktop.roster.records import (
    TEXT_FIELDS,
    AnnualRow,
    AwardRow,
    EnterpriseRecord,
    LeaseRow,
    MonthlyRow,
    load_record,
    problems,
    record_field,
)
from desktop.store import Database, StoreError
from desktop.store.errors import RowChanged
from desktop.taskforce.monitoring import output_kept_as_monthly
from desktop.taskforce.periods import Period
from desktop.ui.choice_delegate import use_choices
from desktop.ui.enterprise_taskforce import EnterpriseWork
from desktop.ui.icons import with_icon
from desktop.ui.messages import Unsaved, ask_unsaved, confirm, show_error
from desktop.ui.output_chart import OutputChart
from desktop.ui.row_list_model import Column, RowListModel
from desktop.ui.stale_dialog import keep_mine
from desktop.ui.validators import UsccValidator
from desktop.values import ValueProblem

MONTHLY_COLUMNS = tuple(map(Column.of, MONTHLY_FIELDS.values()))
ANNUAL_COLUMNS = tuple(map(Column.of, ANNUAL_FIELDS.values()))
CONFIRMED = (("未认定", None), ("是", True), ("否", False))


def lease_columns(zones: Sequence[str]) -> tuple[Column, ...]:
    """The lease table's columns; its zone is one of ``zones`` (a drop-down, checked)."""
    zone = LEASE_FIELDS["zone"]
    chosen = Column(zone.name, zone.heading, values.zone_names(zones), choices=zones)
    return (chosen, *(Column.of(f) for name, f in LEASE_FIELDS.items() if name != "zone"))


def _label(name: str) -> str:
    """A basic field's label, starred when required."""
    found = ENTERPRISE_FIELDS[name]
    return f"{found.label}*" if found.required else found.label


Commit = Callable[[EnterpriseRecord | None], None]


def with_month(rows: Sequence[MonthlyRow], kept: MonthlyRow) -> list[MonthlyRow]:
    """``rows`` with ``kept``'s month as ``kept`` says: replaced in place, or added in month
    order."""
    month = (kept.year, kept.month)
    if any((r.year, r.month) == month for r in rows):
        return [kept if (r.year, r.month) == month else r for r in rows]
    return sorted([*rows, kept], key=lambda r: (r.year, r.month))


def next_month(rows: list[MonthlyRow]) -> MonthlyRow:
    """A new monthly row: the month after the latest, or January of this year."""
    if not rows:
        return MonthlyRow(date.today().year, 1)
    year, month = max((r.year, r.month) for r in rows)
    return MonthlyRow(year + month // 12, month % 12 + 1)


def next_year(rows: list[AnnualRow]) -> AnnualRow:
    """A new annual row: the year after the latest, or last year."""
    return AnnualRow(max((r.year for r in rows), default=date.today().year - 2) + 1)


def delete_question(record: EnterpriseRecord) -> str:
    """What the officer is asked before an enterprise is deleted."""
    return (
        f"确定删除「{record.name}」（{record.uscc}）及其全部产值、年度数据和租赁记录吗？\n"
        "删除会记入操作记录，可在企业名录中撤销（Ctrl+Z）。"
    )


@dataclass
class EditorChoices:
    """Names the editor offers: counties, zones and chains."""

    counties: Sequence[str]
    zones: Sequence[str] = ()
    chains: Sequence[str] = field(default_factory=tuple)


def _combo(items: Sequence[str], blank: bool) -> QComboBox:
    combo = QComboBox()
    if blank:
        combo.addItem("（无）", None)
    for name in items:
        combo.addItem(name, name)
    return combo


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


class EnterpriseDialog(QDialog):
    """Edit one enterprise (or a new one); ``commit`` saves, or deletes when given None."""

    def __init__(
        self,
        choices: EditorChoices,
        record: EnterpriseRecord | None,
        commit: Commit,
        parent: QWidget | None = None,
        db: Database | None = None,
    ) -> None:
        super().__init__(parent)
        self._commit = commit
        self._db = db
        self._original = record
        self._is_sample = record.is_sample if record else False
        self.setWindowTitle(f"企业信息 — {record.name}" if record else "新增企业")
        self.resize(860, 600)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._basic_tab(choices), "基本信息")
        self.monthly = RowListModel(MONTHLY_COLUMNS, next_month)
        self.annual = RowListModel(ANNUAL_COLUMNS, next_year)
        first_zone = choices.zones[0] if choices.zones else ""
        self.leases = RowListModel(lease_columns(choices.zones), lambda _rows: LeaseRow(first_zone))
        self.chart = OutputChart()
        self.tabs.addTab(self._table_tab(self.monthly, self.chart), "月度产值")
        self.tabs.addTab(self._table_tab(self.annual), "年度数据")
        self.tabs.addTab(self._table_tab(self.leases), "厂房租赁")
        self.tabs.addTab(self._award_tab(), "省级奖励")
        self.work: EnterpriseWork | None = None
        if record and db:  # what the task force keeps of it
            self.work = EnterpriseWork(db, record.uscc)
            self.work.written.connect(self._reported)
            self.tabs.addTab(self.work, "包联与监测")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        for model in (self.monthly, self.annual, self.leases):
            model.rejected.connect(self.message.setText)
        self.monthly.edited.connect(lambda: self.chart.set_rows(self.monthly.rows()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.message)
        layout.addWidget(self._buttons(record is not None))
        if record:
            self._show(record)
        self._shown_first = self._as_typed()

    def _reported(self, written: Period) -> None:
        """A month's report written on 包联与监测: its 月度产值 shown on that tab too (other
        months as edited), so 保存 keeps it rather than what the dialog first read."""
        assert self.work is not None
        line = next(r for r in self.work.lines if r.period == written.code)
        if not output_kept_as_monthly(written) or line.output is None:
            return
        kept = MonthlyRow(written.year, written.number, line.output)
        self.monthly.set_rows(with_month(self.monthly.rows(), kept))
        self.chart.set_rows(self.monthly.rows())
        if self._shown_first is not None:
            monthly = with_month(self._shown_first.monthly, kept)
            self._shown_first = replace(self._shown_first, monthly=monthly)
        if self._original is not None:
            monthly = with_month(self._original.monthly, kept)
            self._original = replace(self._original, monthly=monthly)

    @property
    def stored(self) -> EnterpriseRecord | None:
        """The enterprise as the database now holds it (a report written here included)."""
        return self._original

    def _as_typed(self) -> EnterpriseRecord | None:
        """The enterprise as the dialog shows it (None while an award entry is unreadable)."""
        try:
            return self.record()
        except ValueProblem:
            return None

    def has_changes(self) -> bool:
        """True when anything differs from what the dialog first showed."""
        return self._as_typed() != self._shown_first

    def reject(self) -> None:
        """Esc, 取消 and the close box: with changes, ask whether to save, drop them or stay."""
        if not self.has_changes():
            super().reject()
            return
        answer = ask_unsaved(self, "企业信息", "企业信息")
        if answer is Unsaved.SAVE:
            self.save()  # closes the dialog once saved; a problem keeps it open, said
        elif answer is Unsaved.DROP:
            super().reject()

    def _basic_tab(self, choices: EditorChoices) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.name = QLineEdit()
        self.uscc = QLineEdit()
        self.uscc.setValidator(UsccValidator(self.uscc))
        self.uscc.setPlaceholderText("18位，如 91140902MA0XY0001F")
        self.uscc_hint = QLabel()
        self.uscc.textChanged.connect(self._check_uscc)
        self.county = _combo(choices.counties, blank=False)
        self.zone = _combo(choices.zones, blank=True)
        self.industry_code = QLineEdit()
        self.industry_code.setPlaceholderText("国民经济行业代码，如 C3311")
        self.chain = _combo(choices.chains, blank=True)
        self.confirmed = QComboBox()
        for label, value in CONFIRMED:
            self.confirmed.addItem(label, value)
        flags = QHBoxLayout()
        self.above_scale = QCheckBox(_label("above_scale"))
        self.white_list = QCheckBox(_label("white_list"))
        self.chain_leader = QCheckBox(_label("chain_leader"))
        for box in (self.above_scale, self.white_list, self.chain_leader):
            flags.addWidget(box)
        flags.addStretch()
        form.addRow(_label("name"), self.name)
        form.addRow(_label("uscc"), self.uscc)
        form.addRow("", self.uscc_hint)
        form.addRow(_label("county"), self.county)
        form.addRow(_label("zone"), self.zone)
        form.addRow(_label("industry_code"), self.industry_code)
        form.addRow("", flags)
        form.addRow(_label("chain"), self.chain)
        form.addRow(_label("chain_role_confirmed"), self.confirmed)
        self.texts = {name: QLineEdit() for name in TEXT_FIELDS}
        for name, edit in self.texts.items():
            form.addRow(_label(name), edit)
        return page

    def _table_tab(self, model: RowListModel, extra: QWidget | None = None) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        view = QTableView()
        view.setModel(model)
        use_choices(view, model, blank=False)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        view.verticalHeader().setVisible(False)
        add = with_icon(QPushButton("添加一行"), "add")
        remove = with_icon(QPushButton("删除所选行"), "delete")
        add.clicked.connect(lambda: view.setCurrentIndex(model.index(model.append_row(), 0)))
        remove.clicked.connect(lambda: self._remove_selected(view, model))
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch()
        layout.addWidget(view, 2)
        layout.addLayout(buttons)
        if extra is not None:
            layout.addWidget(extra, 1)
        return page

    def _award_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.award_amount = QLineEdit()
        self.award_amount.setPlaceholderText("省级实际下达的奖励（元）；空表示尚未下达")
        self.award_date = QLineEdit()
        self.award_date.setPlaceholderText("如 2023-06-30")
        self.award_document = QLineEdit()
        fields = (self.award_amount, self.award_date, self.award_document)
        for name, edit in zip(AWARD_FIELDS, fields, strict=True):
            form.addRow(AWARD_FIELDS[name].heading, edit)
        return page

    def _buttons(self, existing: bool) -> QDialogButtonBox:
        box = QDialogButtonBox()
        self.save_button = box.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.delete_button = box.addButton("删除企业…", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.delete_button.setVisible(existing)
        for button in box.buttons():  # Enter in a table or field must not save the dialog
            button.setAutoDefault(False)
            button.setDefault(False)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        box.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        return box

    @staticmethod
    def _remove_selected(view: QTableView, model: RowListModel) -> None:
        rows = sorted({i.row() for i in view.selectionModel().selectedIndexes()}, reverse=True)
        for row in rows:
            model.remove_row(row)

    def _check_uscc(self, text: str) -> None:
        problem = values.uscc_problem(text) if text else None
        self.uscc_hint.setText(problem or ("✓ 校验通过" if text else ""))
        self.uscc_hint.setStyleSheet("color: #b00020" if problem else "color: #2e7d32")

    def _show(self, record: EnterpriseRecord) -> None:
        self.name.setText(record.name)
        self.uscc.setText(record.uscc)
        _select(self.county, record.county)
        _select(self.zone, record.zone)
        _select(self.chain, record.chain)
        _select(self.confirmed, record.chain_role_confirmed)
        self.industry_code.setText(record.industry_code or "")
        self.above_scale.setChecked(record.above_scale)
        self.white_list.setChecked(record.white_list)
        self.chain_leader.setChecked(record.chain_leader)
        for name, edit in self.texts.items():
            edit.setText(getattr(record, name) or "")
        self.monthly.set_rows(record.monthly)
        self.annual.set_rows(record.annual)
        self.leases.set_rows(record.leases)
        self.chart.set_rows(record.monthly)
        if record.award:
            self.award_amount.setText(str(record.award.amount))
            self.award_date.setText(
                record.award.granted_on.isoformat() if record.award.granted_on else ""
            )
            self.award_document.setText(record.award.document or "")

    def _award(self) -> AwardRow | None:
        texts = (self.award_amount.text(), self.award_date.text(), self.award_document.text())
        found = {}
        for (name, f), text in zip(AWARD_FIELDS.items(), texts, strict=True):
            try:
                found[name] = f.parse(text)
            except ValueProblem as exc:
                raise ValueProblem(f"{f.label}「{text.strip()}」：{exc}") from None
        return None if found["amount"] is None else AwardRow(**found)

    def record(self) -> EnterpriseRecord:
        """The enterprise as edited; raises :class:`ValueProblem` for an unreadable award
        entry."""
        return EnterpriseRecord(
            uscc=self.uscc.text().strip().upper(),
            name=self.name.text().strip(),
            county=self.county.currentData() or "",
            zone=self.zone.currentData(),
            chain=self.chain.currentData(),
            industry_code=self.industry_code.text().strip() or None,
            above_scale=self.above_scale.isChecked(),
            white_list=self.white_list.isChecked(),
            chain_leader=self.chain_leader.isChecked(),
            chain_role_confirmed=self.confirmed.currentData(),
            is_sample=self._is_sample,
            **{name: edit.text().strip() or None for name, edit in self.texts.items()},
            monthly=self.monthly.rows(),
            annual=self.annual.rows(),
            leases=self.leases.rows(),
            award=self._award(),
        )

    def save(self) -> None:
        """Check, then commit; problems are listed and the dialog stays open."""
        try:
            record = self.record()
        except ValueProblem as exc:
            self.message.setText(f"省级奖励：{exc}")
            return
        found = problems(record)
        if found:
            self.message.setText("不能保存：" + "；".join(found))
            return
        if record == self._original:
            self.accept()
            return
        while True:
            try:
                self._commit(record)
            except RowChanged as refused:
                merged = self._choose(refused, record)
                if merged is None:
                    self.message.setText("未保存：这家企业在您编辑期间已被他人修改，请选择后再保存")
                    return
                record = merged
                continue
            except StoreError as exc:
                show_error(self, "未保存", exc)
                return
            self.accept()
            return

    def _choose(self, refused: RowChanged, record: EnterpriseRecord) -> EnterpriseRecord | None:
        """The officer's choice, per field saved meanwhile, between ``record`` and what is
        stored now; the record to save over the new version (None: they keep editing)."""
        if self._db is None or self._original is None:
            show_error(self, "未保存", refused)
            return None
        uscc = next((f.theirs for f in refused.fields if f.field == "uscc"), self._original.uscc)
        try:
            with self._db.reader() as s:
                theirs = load_record(s, uscc)
        except StoreError as exc:
            show_error(self, "未保存", exc)
            return None
        edited = {
            f.field
            for f in refused.fields
            if getattr(record, record_field(f.field))
            != getattr(self._original, record_field(f.field))
        }
        kept = keep_mine(self, refused, edited)
        if kept is None:
            return None
        taken = {record_field(f.field) for f in refused.fields if f.field not in kept}
        merged = replace(record, **{name: getattr(theirs, name) for name in taken})
        self._original = theirs  # the save now rests on the version stored meanwhile
        self._show(merged)
        return merged

    def delete(self) -> None:
        """Delete the enterprise after the officer confirms."""
        assert self._original is not None
        if not confirm(self, "删除企业", delete_question(self._original)):
            return
        try:
            self._commit(None)
        except StoreError as exc:
            show_error(self, "未删除", exc)
            return
        self.accept()
