"""The ORM tables of Relief Desk (SQLAlchemy 2 typed declarative); no Qt here."""

from desktop.models.audit import ChangeRecord, ImportBatch, Setting
from desktop.models.base import CENT, Base, Money, column_label, table_label, utcnow
from desktop.models.enterprise import (
    AnnualFigures,
    Enterprise,
    Lease,
    MonthlyOutput,
    ProvincialAward,
)
from desktop.models.reference import INDUSTRIAL_KIND, PROVINCIAL_LEVEL, County, KeyChain, Zone

__all__ = [
    "CENT",
    "INDUSTRIAL_KIND",
    "PROVINCIAL_LEVEL",
    "AnnualFigures",
    "Base",
    "ChangeRecord",
    "County",
    "Enterprise",
    "ImportBatch",
    "KeyChain",
    "Lease",
    "Money",
    "MonthlyOutput",
    "ProvincialAward",
    "Setting",
    "Zone",
    "column_label",
    "table_label",
    "utcnow",
]
