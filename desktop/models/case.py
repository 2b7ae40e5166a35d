"""Subsidy cases (兑现事项), their moves, funds, payments and the officer's holiday list."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.models.base import Base, Money, UtcDateTime, Versioned, labelled, non_negative, one_of
from desktop.models.enterprise import Enterprise
from desktop.values.choices import FUND_LEVEL

LEVELS = tuple(FUND_LEVEL.words)
"""The levels of government a fund comes from and a payment is made by."""

# The database's backstop for the state table, which lives above the models in
# desktop.cases.states: its JSON names, and those of the states where a case has ended
# (tests/cases/test_states.py keeps both equal to the table).
STATES = ("open", "received", "returned", "approved", "rejected", "publicity", "objected",
          "publicized", "paid", "reconciled", "withdrawn")  # fmt: skip
ENDED_STATES = ("rejected", "withdrawn")


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class Case(Versioned, Base):
    """One enterprise × measure × period, from the result it was opened on to its payment.

    The snapshot columns keep that result as it was; ``approved_amount`` and the dates are
    filled by the moves (see ``desktop.cases.moves``). Never deleted (a trigger refuses it).
    """

    __tablename__ = "subsidy_case"
    __table_args__ = (
        UniqueConstraint("measure", "period", "sequence"),
        one_of("state", STATES, "state_known"),
        one_of("level", LEVELS, "level_known"),
        non_negative("snapshot_amount"),
        non_negative("approved_amount"),
        # At most one standing case per enterprise, measure and period.
        Index(
            "ix_subsidy_case_standing",
            "enterprise_id",
            "measure",
            "period",
            unique=True,
            sqlite_where=text(f"state NOT IN ({_listed(ENDED_STATES)})"),
            postgresql_where=text(f"state NOT IN ({_listed(ENDED_STATES)})"),
        ),
        {"info": labelled("兑现事项")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True, info=labelled("兑现事项编号"))
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="RESTRICT"), index=True, info=labelled("企业")
    )
    measure: Mapped[str] = mapped_column(String(4), info=labelled("支持事项"))
    period: Mapped[str] = mapped_column(String(12), info=labelled("期间"))
    sequence: Mapped[int] = mapped_column(Integer, info=labelled("序号"))
    level: Mapped[str] = mapped_column(String(4), info=labelled("资金级别"))
    state: Mapped[str] = mapped_column(String(12), default=STATES[0], info=labelled("办理状态"))
    snapshot_verdict: Mapped[str] = mapped_column(String(12), info=labelled("测算结论"))
    snapshot_amount: Mapped[Decimal | None] = mapped_column(Money, info=labelled("测算金额"))
    snapshot_expected: Mapped[bool] = mapped_column(
        Boolean, default=False, info=labelled("预计金额（待省级确认）")
    )
    snapshot_explanation: Mapped[str] = mapped_column(Text, info=labelled("测算说明"))
    snapshot_document: Mapped[str] = mapped_column(String(60), info=labelled("政策文件"))
    snapshot_parameters: Mapped[str] = mapped_column(Text, info=labelled("测算参数"))  # JSON
    snapshot_at: Mapped[datetime] = mapped_column(UtcDateTime, info=labelled("测算时间"))
    approved_amount: Mapped[Decimal | None] = mapped_column(Money, info=labelled("审核金额"))
    approval_reason: Mapped[str | None] = mapped_column(Text, info=labelled("审核金额说明"))
    received_on: Mapped[date | None] = mapped_column(Date, info=labelled("受理日期"))
    publicity_start: Mapped[date | None] = mapped_column(Date, info=labelled("公示开始日期"))
    publicity_end: Mapped[date | None] = mapped_column(Date, info=labelled("公示结束日期"))

    enterprise: Mapped[Enterprise] = relationship()
    moves: Mapped[list[CaseMove]] = relationship(
        back_populates="case", order_by="CaseMove.id", passive_deletes="all"
    )
    payments: Mapped[list[Payment]] = relationship(
        back_populates="case", order_by="Payment.id", passive_deletes="all"
    )

    @property
    def log_key(self) -> str:
        """How the change log names it: its number."""
        return self.number

    @property
    def paid_amount(self) -> Decimal:
        """The sum of its payments still standing (a reversed one no longer counts)."""
        return sum((p.amount for p in self.payments if p.reversed_on is None), Decimal("0.00"))


class CaseMove(Base):
    """One move of a case from a state to another, with its reason, date and amount.

    Who made it and when is the change log's line for its insert (see ``desktop.cases.timeline``).
    Never updated or deleted (triggers refuse both).
    """

    __tablename__ = "case_move"
    __table_args__ = (
        one_of("from_state", STATES, "from_state_known"),
        one_of("to_state", STATES, "to_state_known"),
        non_negative("amount"),
        {"info": labelled("兑现办理记录")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("subsidy_case.id", ondelete="RESTRICT"), index=True, info=labelled("兑现事项")
    )
    from_state: Mapped[str] = mapped_column(String(12), info=labelled("原状态"))
    to_state: Mapped[str] = mapped_column(String(12), info=labelled("新状态"))
    moved_on: Mapped[date] = mapped_column(Date, info=labelled("日期"))
    reason: Mapped[str | None] = mapped_column(Text, info=labelled("理由"))
    amount: Mapped[Decimal | None] = mapped_column(Money, info=labelled("审核金额"))
    budget_override: Mapped[str | None] = mapped_column(Text, info=labelled("超预算理由"))

    case: Mapped[Case] = relationship(back_populates="moves")

    @property
    def log_key(self) -> str:
        """How the change log names it: the case and the state it moved to."""
        return f"{self.case.number} {self.to_state}"


class Fund(Versioned, Base):
    """The money one level of government put up for one measure (资金)."""

    __tablename__ = "fund"
    __table_args__ = (
        UniqueConstraint("measure", "level"),
        one_of("level", LEVELS, "level_known"),
        non_negative("budget"),
        {"info": labelled("资金")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure: Mapped[str] = mapped_column(String(4), info=labelled("支持事项"))
    level: Mapped[str] = mapped_column(String(4), info=labelled("资金级别"))
    budget: Mapped[Decimal] = mapped_column(Money, info=labelled("预算金额"))
    document: Mapped[str | None] = mapped_column(String(200), info=labelled("资金文件"))
    pre_allocated: Mapped[bool] = mapped_column(Boolean, default=False, info=labelled("预拨"))

    @property
    def log_key(self) -> str:
        """How the change log names it: measure and level."""
        return f"{self.measure} {self.level}"


class Payment(Versioned, Base):
    """Money paid on a case (拨付记录), identified by its voucher and the enterprise's code.

    Never deleted (a trigger refuses it). A payment taken back (undoing its import) is kept and
    marked reversed (``reversed_on``, ``reversal_reason``): it no longer counts, and its voucher
    may be recorded again; one standing payment per case and voucher.
    """

    __tablename__ = "payment"
    __table_args__ = (
        Index(
            "ix_payment_standing_voucher",
            "case_id",
            "voucher",
            unique=True,
            sqlite_where=text("reversed_on IS NULL"),
            postgresql_where=text("reversed_on IS NULL"),
        ),
        CheckConstraint("amount > 0", name="amount_positive"),
        one_of("level", LEVELS, "level_known"),
        {"info": labelled("拨付记录")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("subsidy_case.id", ondelete="RESTRICT"), index=True, info=labelled("兑现事项")
    )
    amount: Mapped[Decimal] = mapped_column(Money, info=labelled("拨付金额"))
    paid_on: Mapped[date] = mapped_column(Date, info=labelled("拨付日期"))
    voucher: Mapped[str] = mapped_column(String(60), info=labelled("凭证号"))
    level: Mapped[str] = mapped_column(String(4), info=labelled("资金级别"))
    reversed_on: Mapped[date | None] = mapped_column(Date, info=labelled("冲销日期"))
    reversal_reason: Mapped[str | None] = mapped_column(Text, info=labelled("冲销理由"))

    case: Mapped[Case] = relationship(back_populates="payments")

    @property
    def log_key(self) -> str:
        """How the change log names it: the case and the voucher."""
        return f"{self.case.number} {self.voucher}"


class Holiday(Versioned, Base):
    """A day the officer lists as no working day (besides Saturdays and Sundays)."""

    __tablename__ = "holiday"
    __table_args__ = ({"info": labelled("节假日")},)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True, info=labelled("日期"))
    name: Mapped[str | None] = mapped_column(String(40), info=labelled("名称"))

    @property
    def log_key(self) -> str:
        """How the change log names it: the date."""
        return self.day.isoformat()
