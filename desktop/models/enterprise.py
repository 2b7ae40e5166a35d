"""The enterprise roster (企业名录) and the figures recorded against each enterprise."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.models.base import Base, Money, Versioned, labelled, non_negative, one_of
from desktop.models.reference import County, KeyChain, Zone
from desktop.models.sync import GlobalKeyed
from desktop.values import USCC_LENGTH
from desktop.values.choices import ENTERPRISE_SIZE

AREA = Numeric(12, 2)  # square metres, to the hundredth: not money


class Enterprise(Versioned, Base):
    """An industrial enterprise, keyed by its unified social credit code."""

    __tablename__ = "enterprise"
    __table_args__ = (
        CheckConstraint(f"length(uscc) = {USCC_LENGTH}", name="uscc_length"),
        one_of("size", ENTERPRISE_SIZE.words),
        {"info": labelled("企业名录")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True, info=labelled("统一社会信用代码"))
    name: Mapped[str] = mapped_column(String(200), index=True, info=labelled("企业名称"))
    county_id: Mapped[int] = mapped_column(
        ForeignKey("county.id", ondelete="RESTRICT"), index=True, info=labelled("所属县（市、区）")
    )
    zone_id: Mapped[int | None] = mapped_column(
        ForeignKey("zone.id", ondelete="SET NULL"), info=labelled("所在开发区")
    )
    industry_code: Mapped[str | None] = mapped_column(String(10), info=labelled("行业代码"))
    above_scale: Mapped[bool] = mapped_column(Boolean, default=False, info=labelled("规上企业"))
    size: Mapped[str | None] = mapped_column(String(4), info=labelled("企业规模"))
    white_list: Mapped[bool] = mapped_column(Boolean, default=False, info=labelled("白名单企业"))
    chain_id: Mapped[int | None] = mapped_column(
        ForeignKey("key_chain.id", ondelete="SET NULL"), info=labelled("所属产业链")
    )
    chain_leader: Mapped[bool] = mapped_column(Boolean, default=False, info=labelled("链主企业"))
    chain_role_confirmed: Mapped[bool | None] = mapped_column(
        Boolean, info=labelled("链主作用认定")
    )
    legal_representative: Mapped[str | None] = mapped_column(
        String(50), info=labelled("法定代表人")
    )
    contact: Mapped[str | None] = mapped_column(String(50), info=labelled("联系人"))
    phone: Mapped[str | None] = mapped_column(String(50), info=labelled("联系电话"))
    address: Mapped[str | None] = mapped_column(String(300), info=labelled("注册地址"))
    bank: Mapped[str | None] = mapped_column(String(100), info=labelled("开户银行"))
    bank_account: Mapped[str | None] = mapped_column(String(50), info=labelled("银行账号"))
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False, info=labelled("示例数据"))

    # Children are deleted through the ORM (not passively by the database's cascade) so that
    # every deleted row reaches the change log.
    county: Mapped[County] = relationship()
    zone: Mapped[Zone | None] = relationship()
    chain: Mapped[KeyChain | None] = relationship()
    monthly_outputs: Mapped[list[MonthlyOutput]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan"
    )
    annual_figures: Mapped[list[AnnualFigures]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan"
    )
    leases: Mapped[list[Lease]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan"
    )
    provincial_award: Mapped[ProvincialAward | None] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan"
    )


class MonthlyOutput(Versioned, Base):
    """Gross industrial output (工业总产值) of one calendar month, in yuan; known in packages by
    its enterprise and month (``desktop.sync.keys.BY_PERIOD``: no global key column)."""

    __tablename__ = "monthly_output"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "year", "month"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
        non_negative("output"),
        {"info": labelled("月度产值")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer, info=labelled("年份"))
    month: Mapped[int] = mapped_column(Integer, info=labelled("月份"))
    output: Mapped[Decimal] = mapped_column(Money, info=labelled("工业总产值"))

    enterprise: Mapped[Enterprise] = relationship(back_populates="monthly_outputs")


class AnnualFigures(Versioned, Base):
    """One enterprise's figures for one year (年度数据); every figure may be unknown. Known in
    packages by its enterprise and year (no global key column)."""

    __tablename__ = "annual_figures"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "year"),
        *map(non_negative, ("output", "employees", "total_assets")),
        {"info": labelled("年度数据")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer, info=labelled("年度"))
    output: Mapped[Decimal | None] = mapped_column(Money, info=labelled("工业总产值"))
    taxable_income: Mapped[Decimal | None] = mapped_column(Money, info=labelled("应纳税所得额"))
    employees: Mapped[int | None] = mapped_column(Integer, info=labelled("从业人数"))
    total_assets: Mapped[Decimal | None] = mapped_column(Money, info=labelled("资产总额"))
    # None: the sheet had no such column (not given), which the rules take as 否 and say so.
    restricted_industry: Mapped[bool | None] = mapped_column(
        Boolean, info=labelled("限制或禁止行业")
    )

    enterprise: Mapped[Enterprise] = relationship(back_populates="annual_figures")


class Lease(GlobalKeyed, Versioned, Base):
    """A factory lease in a development zone (厂房租赁); key: enterprise + zone + start."""

    __tablename__ = "lease"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "zone_id", "start_date"),
        *map(non_negative, ("area", "monthly_rent")),
        {"info": labelled("厂房租赁")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    zone_id: Mapped[int] = mapped_column(
        ForeignKey("zone.id", ondelete="RESTRICT"), info=labelled("开发区")
    )
    standard_factory: Mapped[bool] = mapped_column(
        Boolean, default=False, info=labelled("标准化厂房")
    )
    area: Mapped[Decimal | None] = mapped_column(AREA, info=labelled("面积", "平方米"))
    monthly_rent: Mapped[Decimal | None] = mapped_column(Money, info=labelled("月租金"))
    start_date: Mapped[date | None] = mapped_column(Date, info=labelled("起租日期"))
    end_date: Mapped[date | None] = mapped_column(Date, info=labelled("到期日期"))

    enterprise: Mapped[Enterprise] = relationship(back_populates="leases")
    zone: Mapped[Zone] = relationship()


class ProvincialAward(GlobalKeyed, Versioned, Base):
    """The provincial award actually granted to a white-list enterprise (第十二条)."""

    __tablename__ = "provincial_award"
    __table_args__ = (non_negative("amount"), {"info": labelled("省级奖励")})

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), unique=True
    )
    amount: Mapped[Decimal] = mapped_column(Money, info=labelled("奖励金额"))
    granted_on: Mapped[date | None] = mapped_column(Date, info=labelled("下达日期"))
    document: Mapped[str | None] = mapped_column(String(200), info=labelled("文件"))

    enterprise: Mapped[Enterprise] = relationship(back_populates="provincial_award")
