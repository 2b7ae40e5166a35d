"""Reference data the officer keeps: county-level units, development zones, key chains."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base

PROVINCIAL_LEVEL = "省级"
INDUSTRIAL_KIND = "工业类"


class County(Base):
    """A county-level unit of 忻州市 (GB/T 2260 code where it has one)."""

    __tablename__ = "county"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    code: Mapped[str | None] = mapped_column(String(6), unique=True)


class Zone(Base):
    """A development zone (开发区); level and kind decide 第十一条."""

    __tablename__ = "zone"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    level: Mapped[str | None] = mapped_column(String(20))
    kind: Mapped[str | None] = mapped_column(String(20))

    @property
    def industrial_provincial(self) -> bool:
        """True for an industrial provincial-level zone (工业类省级开发区)."""
        return self.level == PROVINCIAL_LEVEL and self.kind == INDUSTRIAL_KIND


class KeyChain(Base):
    """One of the city's key industrial chains (重点产业链)."""

    __tablename__ = "key_chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
