"""Settings kept in the database, with their defaults."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import Setting

DEFAULTS: dict[str, str] = {
    "operator": "",
    "filing_unit": "",  # the county office named on filing sheets (填报单位)
    "filing_phone": "",  # the filing unit's phone: filing sheets (联系电话), the publicity list
    "backup_keep": "5",  # the newest kept; older ones by day and week (store.backups)
    "employment_subsidy_per_person": "",  # 第六条: set by provincial policy, unset until known
    "problems.warn_days": "3",  # TASKFORCE.md: a problem is yellow this many days before it is due
    "package_unit": "",  # the unit this database speaks for in packages: a county, or 忻州市
}


def get_setting(session: Session, key: str) -> str:
    """The saved value of ``key``, or its default."""
    value = session.scalar(select(Setting.value).where(Setting.key == key))
    return DEFAULTS[key] if value is None else value


def set_setting(session: Session, key: str, value: str) -> None:
    """Save ``value`` for ``key`` (the caller commits)."""
    if key not in DEFAULTS:
        raise KeyError(key)
    session.merge(Setting(key=key, value=value))
