"""Triggers by which the database itself refuses an update or delete of rows that are kept for
good (the change log, cases, case moves, payments), written for SQLite and for PostgreSQL.

Both raise an integrity error carrying ``message``; migrations create and drop them here."""

from __future__ import annotations


def trigger_name(table: str, action: str) -> str:
    """The trigger refusing ``action`` (UPDATE or DELETE) on ``table``."""
    return f"{table}_no_{action.lower()}"


def refuse(table: str, action: str, message: str, dialect: str) -> list[str]:
    """The statements creating the trigger that refuses ``action`` on ``table``."""
    name = trigger_name(table, action)
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER {name} BEFORE {action} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        ]
    return [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation'; "
        f"END$$",
        f"CREATE TRIGGER {name} BEFORE {action} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]


def allow(table: str, action: str, dialect: str) -> list[str]:
    """The statements dropping that trigger (and, on PostgreSQL, its function)."""
    name = trigger_name(table, action)
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}"]
    return [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
