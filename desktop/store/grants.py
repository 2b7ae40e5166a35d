"""Who may do what on a PostgreSQL server (TEAM.md "Who may do what"), as the database itself
enforces it: the three group roles, the table binding each login to its role and county-level
unit, and the SQL of the grants and row-level security policies the migrations write.

The group roles are cluster-wide (every database of a server shares them), so a login is bound
to its role and unit in one database's :data:`LOGIN_TABLE`, and every table but Alembic's has
row-level security asking for that binding: a login of another Relief Desk database on the same
server (a member of the same groups) sees and writes no row here. The grants say which commands
a role may run on a table, the policies which rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Role(StrEnum):
    """A login's role, by its name in ``users add --role``."""

    COUNTY = "county"
    CITY = "city"
    ADMIN = "admin"

    @property
    def group(self) -> str:
        """The PostgreSQL group role a login of this role is a member of."""
        return f"relief_{self.value}"

    @property
    def label(self) -> str:
        """How the officer reads it."""
        return ROLE_LABELS[self]


ROLE_LABELS = {Role.COUNTY: "县级", Role.CITY: "市级", Role.ADMIN: "管理员"}
GROUPS = tuple(role.group for role in Role)
LOGIN_TABLE = "login_role"
"""The binding of a login to its role and unit; on a server only (on SQLite everyone is admin)."""
SERVER_ONLY_TABLES = frozenset({LOGIN_TABLE})
UNIT_STAMPED = ("import_batch", "change_log")
"""Bookkeeping stamped with the unit of the county login that wrote it (``unit_id``, NULL for
the others): a county login sees and changes its own unit's only."""
SERVER_ONLY_COLUMNS = frozenset((table, "unit_id") for table in UNIT_STAMPED)
CITY_STATES = ("approved", "rejected", "publicity", "publicized")
"""The city's review (TEAM.md): the city moves cases to and from these states only."""

# The predicate of a row of the current login's unit, per way a table reaches its enterprise.
UNIT = "(SELECT relief_unit())"
OF_UNIT = {
    "enterprise": f"county_id = {UNIT}",
    "enterprise_id": f"enterprise_id IN (SELECT id FROM enterprise WHERE county_id = {UNIT})",
    "case_id": (
        "case_id IN (SELECT c.id FROM subsidy_case c JOIN enterprise e "
        f"ON e.id = c.enterprise_id WHERE e.county_id = {UNIT})"
    ),
}


def _is(role: Role) -> str:
    return f"(SELECT relief_role()) = '{role.value}'"


def _listed(names: Iterable[str]) -> str:
    return ", ".join(names)


def group_roles(groups: Iterable[str] = GROUPS) -> list[str]:
    """Create the group roles where the server lacks them. Roles are the cluster's: another
    database's migration may be creating one at the same time, and then this one waits for it
    and goes on with the role it made."""
    return [
        f"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{group}') THEN "
        f"CREATE ROLE {group} NOLOGIN; END IF; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END$$"
        for group in groups
    ]


def login_functions() -> list[str]:
    """``relief_role()`` and ``relief_unit()``: the login's role and county id (NULL for a login
    not bound here, or disabled). They read the bindings as their owner (the bindings have row
    security of their own), so they name the login by ``session_user``."""
    body = f"FROM {LOGIN_TABLE} WHERE login = session_user AND enabled"
    head = "LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT"
    return [
        f"CREATE OR REPLACE FUNCTION relief_role() RETURNS text {head} AS $$SELECT role {body}$$",
        f"CREATE OR REPLACE FUNCTION relief_unit() RETURNS integer {head} "
        f"AS $$SELECT county_id {body} AND role = 'county'$$",
    ]


def grant(privileges: str, tables: Iterable[str], *roles: Role) -> str:
    """``GRANT privileges ON tables TO`` the groups of ``roles``."""
    return f"GRANT {privileges} ON {_listed(tables)} TO {_listed(r.group for r in roles)}"


def unit_policies(table: str, reaches: str) -> list[str]:
    """Row-level security on a table of a unit's rows: a county login reads and writes its own
    unit's, the city reads every row, an admin does anything (each bound in this database)."""
    own = OF_UNIT[reaches]  # relief_unit() is NULL but for an enabled county login bound here
    city, admin = _is(Role.CITY), _is(Role.ADMIN)
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY {table}_county ON {table} TO {Role.COUNTY.group} "
        f"USING ({own}) WITH CHECK ({own})",
        f"CREATE POLICY {table}_city ON {table} FOR SELECT TO {Role.CITY.group} USING ({city})",
        f"CREATE POLICY {table}_admin ON {table} TO {Role.ADMIN.group} "
        f"USING ({admin}) WITH CHECK ({admin})",
    ]


def unit_stamp(table: str) -> list[str]:
    """The ``unit_id`` a row of ``table`` is stamped with by the server (the writer's unit), and
    the policies that keep a county login to its unit's rows; the city and admin see all."""
    own = f"unit_id = {UNIT}"
    city, admin = _is(Role.CITY), _is(Role.ADMIN)
    return [
        f"ALTER TABLE {table} ADD COLUMN unit_id integer DEFAULT relief_unit()",
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY {table}_county ON {table} TO {Role.COUNTY.group} "
        f"USING ({own}) WITH CHECK ({own})",
        f"CREATE POLICY {table}_bound ON {table} TO {Role.CITY.group}, {Role.ADMIN.group} "
        f"USING ({city} OR {admin}) WITH CHECK ({city} OR {admin})",
    ]


def batch_policy(table: str) -> list[str]:
    """Row-level security on the lines of import batches (``batch_id``): a login reads and adds
    the lines of the batches it sees (a county login its unit's, see :func:`unit_stamp`)."""
    seen = "batch_id IN (SELECT id FROM import_batch)"
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY {table}_bound ON {table} TO {_listed(GROUPS)} "
        f"USING ({seen}) WITH CHECK ({seen})",
    ]


def bound_policy(table: str) -> list[str]:
    """Row-level security on a table without a unit: any login bound here, for what its grants
    allow."""
    bound = "(SELECT relief_role()) IS NOT NULL"
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY {table}_bound ON {table} TO {_listed(GROUPS)} "
        f"USING ({bound}) WITH CHECK ({bound})",
    ]


def drop_policies(table: str) -> list[str]:
    """Take :func:`unit_policies` or :func:`bound_policy` back."""
    return [
        *(f"DROP POLICY IF EXISTS {table}_{name} ON {table}" for name in (*Role, "bound")),
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
    ]


CITY_MOVE_REFUSED = "市级账号只能把案件移入或移出审核通过、不予支持、公示中、公示无异议"


def city_review() -> list[str]:
    """The city's moves: a case updated, and a move recorded, only to or from its states."""
    states = _listed(f"'{s}'" for s in CITY_STATES)
    city = _is(Role.CITY)
    return [
        f"CREATE POLICY subsidy_case_city_review ON subsidy_case FOR UPDATE "
        f"TO {Role.CITY.group} USING ({city}) WITH CHECK ({city})",
        f"CREATE POLICY case_move_city_review ON case_move FOR INSERT TO {Role.CITY.group} "
        f"WITH CHECK ({city} AND (from_state IN ({states}) OR to_state IN ({states})))",
        # A case's state before and after are both needed: a trigger, not a policy, sees both.
        "CREATE OR REPLACE FUNCTION subsidy_case_city_review() RETURNS trigger "
        "LANGUAGE plpgsql SET search_path FROM CURRENT AS $$BEGIN "
        f"IF relief_role() = 'city' AND NOT (OLD.state IN ({states}) OR NEW.state IN ({states})) "
        f"THEN RAISE EXCEPTION '{CITY_MOVE_REFUSED}' USING ERRCODE = 'insufficient_privilege'; "
        "END IF; RETURN NEW; END$$",
        "CREATE TRIGGER subsidy_case_city_review BEFORE UPDATE ON subsidy_case "
        "FOR EACH ROW EXECUTE FUNCTION subsidy_case_city_review()",
    ]


def drop_city_review() -> list[str]:
    """Take :func:`city_review` back."""
    return [
        "DROP TRIGGER IF EXISTS subsidy_case_city_review ON subsidy_case",
        "DROP FUNCTION IF EXISTS subsidy_case_city_review()",
        "DROP POLICY IF EXISTS subsidy_case_city_review ON subsidy_case",
        "DROP POLICY IF EXISTS case_move_city_review ON case_move",
    ]
