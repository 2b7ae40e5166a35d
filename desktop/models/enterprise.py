"""The enterprise roster (企业名录) and the figures recorded against each enterprise."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.models.base import Base, Money
from desktop.models.reference import County, KeyChain, Zone


class Enterprise(Base):
    """An industrial enterprise, keyed by its unified social credit code."""

    __tablename__ = "enterprise"

    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("county.id", ondelete="RESTRICT"), index=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zone.id", ondelete="SET NULL"))
    industry_code: Mapped[str | None] = mapped_column(String(10))
    above_scale: Mapped[bool] = mapped_column(Boolean, default=False)
    white_list: Mapped[bool] = mapped_column(Boolean, default=False)
    chain_id: Mapped[int | None] = mapped_column(ForeignKey("key_chain.id", ondelete="SET NULL"))
    chain_leader: Mapped[bool] = mapped_column(Boolean, default=False)
    chain_role_confirmed: Mapped[bool | None] = mapped_column(Boolean)
    legal_representative: Mapped[str | None] = mapped_column(String(50))
    contact: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(String(300))
    bank: Mapped[str | None] = mapped_column(String(100))
    bank_account: Mapped[str | None] = mapped_column(String(50))
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)

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


class MonthlyOutput(Base):
    """Gross industrial output (工业总产值) of one calendar month, in yuan."""

    __tablename__ = "monthly_output"
    __table_args__ = (UniqueConstraint("enterprise_id", "year", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    output: Mapped[Decimal] = mapped_column(Money)

    enterprise: Mapped[Enterprise] = relationship(back_populates="monthly_outputs")


class AnnualFigures(Base):
    """One enterprise's figures for one year (年度数据); every figure may be unknown."""

    __tablename__ = "annual_figures"
    __table_args__ = (UniqueConstraint("enterprise_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    output: Mapped[Decimal | None] = mapped_column(Money)
    taxable_income: Mapped[Decimal | None] = mapped_column(Money)
    employees: Mapped[int | None] = mapped_column(Integer)
    total_assets: Mapped[Decimal | None] = mapped_column(Money)
    restricted_industry: Mapped[bool] = mapped_column(Boolean, default=False)

    enterprise: Mapped[Enterprise] = relationship(back_populates="annual_figures")


class Lease(Base):
    """A factory lease in a development zone (厂房租赁); key: enterprise + zone + start."""

    __tablename__ = "lease"
    __table_args__ = (UniqueConstraint("enterprise_id", "zone_id", "start_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id", ondelete="RESTRICT"))
    standard_factory: Mapped[bool] = mapped_column(Boolean, default=False)
    area: Mapped[Decimal | None] = mapped_column(Money)
    monthly_rent: Mapped[Decimal | None] = mapped_column(Money)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)

    enterprise: Mapped[Enterprise] = relationship(back_populates="leases")
    zone: Mapped[Zone] = relationship()


class ProvincialAward(Base):
    """The provincial award actually granted to a white-list enterprise (第十二条)."""

    __tablename__ = "provincial_award"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), unique=True
    )
    amount: Mapped[Decimal] = mapped_column(Money)
    granted_on: Mapped[date | None] = mapped_column(Date)
    document: Mapped[str | None] = mapped_column(String(200))

    enterprise: Mapped[Enterprise] = relationship(back_populates="provincial_award")
