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
from desktop.models.taskforce import (
    Assignment,
    Monitoring,
    Person,
    Problem,
    ServiceTeam,
    TeamMember,
    Visit,
)

__all__ = [
    "CENT",
    "INDUSTRIAL_KIND",
    "PROVINCIAL_LEVEL",
    "AnnualFigures",
    "Assignment",
    "Base",
    "ChangeRecord",
    "County",
    "Enterprise",
    "ImportBatch",
    "KeyChain",
    "Lease",
    "Money",
    "Monitoring",
    "MonthlyOutput",
    "Person",
    "Problem",
    "ProvincialAward",
    "ServiceTeam",
    "Setting",
    "TeamMember",
    "Visit",
    "Zone",
    "column_label",
    "table_label",
    "utcnow",
]
