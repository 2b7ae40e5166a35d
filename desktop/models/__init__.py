"""The ORM tables of Relief Desk (SQLAlchemy 2 typed declarative); no Qt here."""

from desktop.models.audit import ChangeRecord, ImportBatch, ImportLine, Setting
from desktop.models.base import CENT, Base, Money, column_label, table_label, utcnow
from desktop.models.case import LEVELS, Case, CaseMove, Fund, Holiday, Payment
from desktop.models.enterprise import (
    AnnualFigures,
    Enterprise,
    Lease,
    MonthlyOutput,
    ProvincialAward,
)
from desktop.models.presence import Presence
from desktop.models.reference import INDUSTRIAL_KIND, PROVINCIAL_LEVEL, County, KeyChain, Zone
from desktop.models.sync import (
    GLOBAL_KEY,
    KEYED_BY_PERIOD,
    OWNER,
    GlobalKeyed,
    PackageReceived,
    PackageSent,
    SyncConflict,
    new_key,
)
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
    "GLOBAL_KEY",
    "INDUSTRIAL_KIND",
    "KEYED_BY_PERIOD",
    "LEVELS",
    "OWNER",
    "PROVINCIAL_LEVEL",
    "AnnualFigures",
    "Assignment",
    "Base",
    "Case",
    "CaseMove",
    "ChangeRecord",
    "County",
    "Enterprise",
    "Fund",
    "GlobalKeyed",
    "Holiday",
    "ImportBatch",
    "ImportLine",
    "KeyChain",
    "Lease",
    "Money",
    "Monitoring",
    "MonthlyOutput",
    "PackageReceived",
    "PackageSent",
    "Payment",
    "Person",
    "Presence",
    "Problem",
    "ProvincialAward",
    "ServiceTeam",
    "Setting",
    "SyncConflict",
    "TeamMember",
    "Visit",
    "Zone",
    "column_label",
    "new_key",
    "table_label",
    "utcnow",
]
