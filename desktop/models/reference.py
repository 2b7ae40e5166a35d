"""Reference data the officer keeps: county-level units, development zones, key chains."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import Base, Versioned, labelled
from desktop.values import INDUSTRIAL_KIND, PROVINCIAL_LEVEL


class County(Versioned, Base):
    """A county-level unit of 忻州市 (GB/T 2260 code where it has one)."""

    __tablename__ = "county"
    __table_args__ = ({"info": labelled("县（市、区）")},)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True, info=labelled("名称"))
    code: Mapped[str | None] = mapped_column(String(6), unique=True, info=labelled("区划代码"))


class Zone(Versioned, Base):
    """A development zone (开发区); level and kind decide 第十一条."""

    __tablename__ = "zone"
    __table_args__ = ({"info": labelled("开发区")},)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True, info=labelled("开发区名称"))
    level: Mapped[str | None] = mapped_column(String(20), info=labelled("级别"))  # ZONE_LEVEL
    kind: Mapped[str | None] = mapped_column(String(20), info=labelled("类型"))  # ZONE_KIND

    @property
    def industrial_provincial(self) -> bool:
        """True for an industrial provincial-level zone (工业类省级开发区)."""
        return self.level == PROVINCIAL_LEVEL and self.kind == INDUSTRIAL_KIND


class KeyChain(Versioned, Base):
    """One of the city's key industrial chains (重点产业链)."""

    __tablename__ = "key_chain"
    __table_args__ = ({"info": labelled("产业链")},)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True, info=labelled("名称"))
