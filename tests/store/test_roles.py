"""Roles enforced by PostgreSQL (TEAM.md "Who may do what"), tried through raw SQL and through
the store: a county login reads and writes its unit's rows only, the city reads everything and
makes the review's moves, admin does everything; a refusal leaves the data as it was and reaches
the officer as one NotPermitted sentence. Needs the server (``--pg``): skipped without one."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import errors
from sqlalchemy import select

from desktop.models import Case, County, Enterprise, Fund, Problem
from desktop.store import NotPermitted, open_database
from desktop.store.grants import GROUPS, Role, group_roles
from desktop.store.migrate import alembic_config, run_migration
from desktop.store.roles import Login, add_user, current_login, disable_user, list_users
from tests import servers
from tests.team import Team

XINFU, YUANPING = "忻府区", "原平市"
WAITING = "SELECT count(*) FROM pg_stat_activity WHERE pid = %s AND wait_event_type = 'Lock'"


def one(conn: psycopg.Connection[Any], sql: str, *params: Any) -> Any:
    row = conn.execute(sql, params).fetchone()  # type: ignore[arg-type]
    assert row is not None
    return row[0]


def ids(conn: psycopg.Connection[Any], table: str) -> list[int]:
    return [r[0] for r in conn.execute(f"SELECT id FROM {table} ORDER BY id")]  # type: ignore[arg-type]


def test_a_county_login_reads_its_units_rows_and_the_reference_data(team: Team) -> None:
    name = team.login(Role.COUNTY, XINFU)
    own = team.enterprises[XINFU]
    with team.sql(name) as conn:
        assert ids(conn, "enterprise") == [own]
        assert [r[0] for r in conn.execute("SELECT enterprise_id FROM subsidy_case")] == [own]
        assert [r[0] for r in conn.execute("SELECT enterprise_id FROM problem")] == [own]
        moves = one(conn, "SELECT count(*) FROM case_move")
        assert moves == 1  # its case's move, not the other unit's
        with team.sql() as owner:
            for table in ("county", "zone", "fund", "holiday", "setting"):
                everyone = f"SELECT count(*) FROM {table}"
                assert one(conn, everyone) == one(owner, everyone)
        assert one(conn, "SELECT count(*) FROM county") == 16


def test_a_county_login_cannot_write_another_units_rows_by_sql(team: Team) -> None:
    name = team.login(Role.COUNTY, XINFU)
    other, own = team.enterprises[YUANPING], team.enterprises[XINFU]
    yuanping = team.cases[YUANPING]
    before = team.rows()
    with team.sql(name) as conn:
        # Read-modify-write: the other unit's rows are not there to read, nor to change.
        assert conn.execute("SELECT * FROM enterprise WHERE id = %s", (other,)).fetchall() == []
        renamed = conn.execute("UPDATE enterprise SET name = 'x' WHERE id = %s", (other,))
        assert renamed.rowcount == 0
        changed = conn.execute(
            "UPDATE subsidy_case SET state = 'approved' WHERE number = %s", (yuanping,)
        )
        assert changed.rowcount == 0
        problem = team.problems[YUANPING]
        assert conn.execute("DELETE FROM problem WHERE id = %s", (problem,)).rowcount == 0
        # Writing a row into the other unit, or moving one's own there: refused outright.
        refused = [
            ("INSERT INTO visit (enterprise_id, visited_on, people, purpose) "
             "VALUES (%s, current_date, '张三', '走访')", (other,)),
            ("UPDATE enterprise SET county_id = (SELECT id FROM county WHERE name = %s) "
             "WHERE id = %s", (YUANPING, own)),
            ("UPDATE fund SET budget = 0", ()),
            ("INSERT INTO setting (key, value) VALUES ('filing_unit', 'x')", ()),
        ]  # fmt: skip
        for sql, params in refused:
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(sql, params)  # type: ignore[arg-type]
    assert team.rows() == before


def test_a_county_login_writes_its_own_units_rows(team: Team) -> None:
    name = team.login(Role.COUNTY, XINFU)
    db = team.open_as(name)
    with db.session() as s:
        firm = s.get(Enterprise, team.enterprises[XINFU])
        assert firm is not None
        firm.phone = "0350-1234567"
        problem = s.scalar(select(Problem))
        assert problem is not None
        problem.lead_unit = "发改局"
    with team.sql() as conn:
        assert one(conn, "SELECT phone FROM enterprise WHERE id = %s", firm.id) == "0350-1234567"
        logged = conn.execute(
            "SELECT operator, table_name, field FROM change_log WHERE action = 'update' ORDER BY id"
        ).fetchall()
    assert logged == [(name, "enterprise", "phone"), (name, "problem", "lead_unit")]


def test_a_refused_write_through_the_store_is_one_plain_sentence(team: Team) -> None:
    name = team.login(Role.COUNTY, XINFU)
    db = team.open_as(name)
    before = team.rows()
    with pytest.raises(NotPermitted) as moved, db.session() as s:
        firm = s.get(Enterprise, team.enterprises[XINFU])
        assert firm is not None
        firm.county = s.scalars(select(County).where(County.name == YUANPING)).one()
    assert str(moved.value) == (
        f"本账号 {name}（县级，忻府区）只能写入忻府区的企业名录，这一条属于其他单位；数据库未改动"
    )
    with pytest.raises(NotPermitted) as fund, db.session() as s:
        s.add(Fund(measure="12", level="市级", budget=1))
    assert str(fund.value) == f"本账号 {name}（县级，忻府区）无权修改资金；数据库未改动"
    assert team.rows() == before


def test_the_city_reads_everything_and_makes_the_reviews_moves(team: Team) -> None:
    name = team.login(Role.CITY)
    before = team.rows()
    with team.sql(name) as conn:
        assert ids(conn, "enterprise") == sorted(team.enterprises.values())
        assert one(conn, "SELECT count(*) FROM problem") == 2
        for sql, params in [
            ("UPDATE enterprise SET phone = '1' WHERE id = %s", (team.enterprises[XINFU],)),
            ("UPDATE problem SET state = 'closed'", ()),
            # received → returned is the county's, not the city's review
            ("UPDATE subsidy_case SET state = 'returned' WHERE number = %s", (team.cases[XINFU],)),
            ("INSERT INTO case_move (case_id, from_state, to_state, moved_on) "
             "SELECT id, 'received', 'returned', current_date FROM subsidy_case", ()),
        ]:  # fmt: skip
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(sql, params)  # type: ignore[arg-type]
        assert team.rows() == before
        conn.execute(
            "UPDATE subsidy_case SET state = 'approved', approved_amount = 25000000 "
            "WHERE number = %s",
            (team.cases[YUANPING],),
        )
        conn.execute(
            "INSERT INTO case_move (case_id, from_state, to_state, moved_on) SELECT id, "
            "'received', 'approved', current_date FROM subsidy_case WHERE number = %s",
            (team.cases[YUANPING],),
        )
        conn.execute("UPDATE fund SET budget = budget WHERE false")  # reference data: granted
        conn.execute("INSERT INTO holiday (day, name) VALUES ('2031-01-01', '元旦')")
    with team.sql() as conn:
        state = "SELECT state FROM subsidy_case WHERE number = %s"
        assert one(conn, state, team.cases[YUANPING]) == "approved"
        assert one(conn, state, team.cases[XINFU]) == "received"


def test_the_city_is_told_plainly_what_it_may_not_write(team: Team) -> None:
    name = team.login(Role.CITY)
    db = team.open_as(name)
    before = team.rows()
    with pytest.raises(NotPermitted) as problem, db.session() as s:
        s.get(Problem, team.problems[XINFU]).state = "closed"  # type: ignore[union-attr]
    assert str(problem.value) == f"本账号 {name}（市级）无权修改问题清单；数据库未改动"
    with pytest.raises(NotPermitted) as returned, db.session() as s:
        s.scalars(select(Case)).first().state = "returned"  # type: ignore[union-attr]
    assert str(returned.value) == (
        f"本账号 {name}（市级）无权这样做：市级账号只能把案件移入或移出审核通过、不予支持、"
        "公示中、公示无异议；数据库未改动"
    )
    assert team.rows() == before


def test_admin_writes_every_units_rows(team: Team) -> None:
    name = team.login(Role.ADMIN)
    with team.sql(name) as conn:
        assert conn.execute("UPDATE enterprise SET phone = '2'").rowcount == 2
        assert conn.execute("UPDATE problem SET lead_unit = '工信局'").rowcount == 2
        conn.execute("UPDATE fund SET budget = budget")
    db = team.open_as(name)
    assert current_login(db) == Login(name, Role.ADMIN)
    assert current_login(team.db) == Login("postgres", Role.ADMIN)  # the owner, not bound
    # admin manages users: its county login may then read its unit
    added = add_user(db, f"{name}_c", Role.COUNTY, YUANPING, "pw")
    team.logins.append(added.name)
    assert added == Login(added.name, Role.COUNTY, YUANPING)
    with team.sql(added.name) as conn:
        assert ids(conn, "enterprise") == [team.enterprises[YUANPING]]


@pytest.mark.parametrize("role", list(Role))
def test_the_change_log_stays_append_only_for_every_login(team: Team, role: Role) -> None:
    name = team.login(role, XINFU if role is Role.COUNTY else None)
    before = team.rows()
    with team.sql(name) as conn:
        for sql in ("UPDATE change_log SET operator = 'x'", "DELETE FROM change_log",
                    "UPDATE import_line SET row_key = 'x'", "DELETE FROM import_line"):  # fmt: skip
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(sql)  # type: ignore[arg-type]
    assert team.rows() == before


def test_a_county_login_may_not_manage_users(team: Team) -> None:
    name = team.login(Role.COUNTY, XINFU)
    db = team.open_as(name)
    with pytest.raises(NotPermitted) as refused:
        add_user(db, f"{name}_x", Role.ADMIN, None, "pw")
    assert str(refused.value) == (
        f"本账号 {name}（县级，忻府区）无权管理用户（只有管理员账号可以）；数据库未改动"
    )
    with team.sql() as conn:
        assert one(conn, "SELECT count(*) FROM pg_roles WHERE rolname = %s", f"{name}_x") == 0


def test_a_disabled_login_no_longer_connects_and_is_listed_so(team: Team) -> None:
    name = team.login(Role.COUNTY, XINFU)
    assert disable_user(team.db, name) == Login(name, Role.COUNTY, XINFU, enabled=False)
    assert Login(name, Role.COUNTY, XINFU, enabled=False) in list_users(team.db)
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        team.sql(name).close()


def test_a_login_of_another_database_on_the_server_sees_no_row_there(
    team: Team, _pg_migrated: str
) -> None:
    name = team.login(Role.CITY)  # the groups are the server's; the binding is this database's
    with servers.copy_of(team.option, _pg_migrated) as elsewhere:
        dsn = elsewhere.set(drivername="postgresql", username=name)
        with psycopg.connect(dsn.render_as_string(hide_password=False)) as conn:
            assert one(conn, "SELECT count(*) FROM county") == 0
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute("INSERT INTO holiday (day, name) VALUES ('2031-01-01', '元旦')")


def test_every_table_has_row_security_and_the_roles_grants(team: Team) -> None:
    """A table a later migration adds must be given its grants and policies too."""
    with team.sql() as conn:
        rows = conn.execute(
            "SELECT relname, relrowsecurity, has_table_privilege('relief_admin', oid, 'SELECT') "
            "FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace "
            "AND relname <> 'alembic_version' ORDER BY relname"
        ).fetchall()
    assert rows and [r for r in rows if not (r[1] and r[2])] == []


def test_on_a_file_whoever_opens_it_is_admin(db_path: Path) -> None:
    db = open_database(db_path, "李科员")
    try:
        assert current_login(db) == Login("李科员", Role.ADMIN)
    finally:
        db.close()


def test_the_roles_migration_goes_down_and_up_again(team: Team) -> None:
    config = alembic_config()
    policies = "SELECT count(*) FROM pg_policies WHERE schemaname = 'public'"
    with team.sql() as conn:
        before = one(conn, policies)
    run_migration(team.db.engine, config, "0006", downgrade=True)
    with team.sql() as conn:
        assert one(conn, policies) == 0
        assert one(conn, "SELECT to_regclass('login_role') IS NULL") is True
        assert one(conn, "SELECT count(*) FROM pg_roles WHERE rolname = ANY(%s)", list(GROUPS)) == 3
    run_migration(team.db.engine, config, "head")
    with team.sql() as conn:
        assert one(conn, policies) == before > 0


def test_two_databases_migrated_at_once_both_get_the_group_roles(pg_option: str) -> None:
    """Two databases of one server migrated at the same time (two counties, or two test
    workers) both create the cluster's group roles: the second waits for the first's, then
    goes on with it instead of failing on a duplicate."""
    group = f"t{os.getpid()}_group"
    (create,) = group_roles([group])
    errors_seen: list[BaseException] = []
    try:
        with (
            psycopg.connect(servers.admin_dsn(pg_option, "postgres")) as first,
            psycopg.connect(servers.admin_dsn(pg_option)) as second,
            psycopg.connect(servers.admin_dsn(pg_option), autocommit=True) as watcher,
        ):
            first.execute(create)  # made, not committed yet: the second cannot see it

            def migrate_the_other() -> None:
                try:
                    second.execute(create)
                    second.commit()
                except BaseException as exc:  # handed to the test's thread
                    errors_seen.append(exc)

            thread = threading.Thread(target=migrate_the_other)
            thread.start()
            deadline = time.monotonic() + 30
            while not one(watcher, WAITING, second.info.backend_pid):  # it waits for the first
                assert time.monotonic() < deadline and thread.is_alive(), errors_seen
            first.commit()
            thread.join(30)
            assert not thread.is_alive() and errors_seen == []
            assert one(watcher, "SELECT count(*) FROM pg_roles WHERE rolname = %s", group) == 1
    finally:
        servers.drop_roles(pg_option, [group])
