"""Which unit this database speaks for in packages, and the settings the city shares."""

from __future__ import annotations

from sqlalchemy import Connection, select

from desktop.models import Setting
from desktop.store.changelog import AuditContext, write_lines
from desktop.sync.package import PackageRefused, unit_name

UNIT_SETTING = "package_unit"
SHARED_SETTINGS = ("employment_subsidy_per_person",)
"""Policy parameters the city keeps in its database and sends to every county (第六条)."""
SETTING = Setting.__table__


def _stored(conn: Connection, key: str) -> str | None:
    return conn.execute(select(SETTING.c.value).where(SETTING.c.key == key)).scalar()


def store_setting(conn: Connection, ctx: AuditContext, key: str, value: str) -> None:
    """Save ``value`` for ``key``, with a line in the change log saying who and from what."""
    old = _stored(conn, key)
    if old == value:
        return
    if old is None:
        conn.execute(SETTING.insert().values(key=key, value=value))
    else:
        conn.execute(SETTING.update().where(SETTING.c.key == key).values(value=value))
    write_lines(conn, ctx, [(None, "setting", 0, key, "update", "value", old, value)])


def own_unit(conn: Connection, ctx: AuditContext, given: str | None = None) -> str:
    """This database's unit: the one saved, else ``given`` (then saved); one given that differs
    from the saved one is refused."""
    saved = _stored(conn, UNIT_SETTING) or ""
    if given is not None:
        unit = unit_name(given)
        if saved and saved != unit:
            raise PackageRefused(f"本库属于{saved}，不能作为{unit}收发数据包")
        store_setting(conn, ctx, UNIT_SETTING, unit)
        return unit
    if not saved:
        raise PackageRefused(
            "本库尚未指定所属单位：请用 --from 指明（如 --from 忻府区 或 --from 忻州市）"
        )
    return saved


def saved_unit(conn: Connection) -> str | None:
    """The unit saved for this database, if any."""
    return _stored(conn, UNIT_SETTING) or None


def shared_settings(conn: Connection) -> dict[str, str]:
    """The settings the city sends with each package, as saved here."""
    return {k: v for k in SHARED_SETTINGS if (v := _stored(conn, k)) is not None}
