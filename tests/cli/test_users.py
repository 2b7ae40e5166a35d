"""``users add|list|disable`` (CLI.md), and what a login of each role may do through the command
line on a server (``--db postgresql://LOGIN@…``): a refusal is exit 2 with one line, and the data
as it was. Needs the server (``--pg``) but for the file's refusal."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from desktop.cli import main
from desktop.importing.undo import undo_batch
from desktop.sheets.fields import SPECS
from desktop.sheets.parsed import SheetKind
from desktop.store import StoreError
from desktop.store.grants import Role
from desktop.store.location import shown
from tests.cases.conftest import code
from tests.team import Team

XINFU, YUANPING = "忻府区", "原平市"
NO_USERS = "本机数据库文件没有用户：打开它的人都是管理员（用户和角色只用于服务器上的数据库）\n"


def roster(path: Path, *rows: tuple[str, str, str]) -> Path:
    """A roster workbook at ``path`` of (name, credit code, county) rows."""
    spec = SPECS[SheetKind.roster]
    headers = {f.name: f.header for f in spec.fields}
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = spec.title
    sheet.append([headers["name"], headers["uscc"], headers["county"]])
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def run_as(team: Team, name: str | None, *args: str) -> int:
    """The command line on the team's database as ``name`` (the owner when None)."""
    url = team.url_of(name) if name else team.url
    return main(["--db", shown(url), *args])


@pytest.mark.parametrize(
    "args",
    [["users", "list"], ["users", "add", "wang", "--role", "city"], ["users", "disable", "x"]],
)
def test_a_file_has_no_users(
    db_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db_path), *args]) == 2
    assert capsys.readouterr().err == NO_USERS
    assert not db_path.exists()


def test_users_add_list_and_disable(
    team: Team, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELIEF_DESK_PASSWORD", "secret-2")
    county, city = f"{team.login(Role.ADMIN)}_c", f"{team.logins[0]}_m"
    team.logins += [county, city]
    assert run_as(team, None, "users", "add", county, "--role", "county", "--county", XINFU) == 0
    where = shown(team.url).split("@", 1)[1]
    assert capsys.readouterr().out == (
        f"已添加用户 {county}（县级，忻府区）；连接：postgresql://{county}@{where}\n"
    )
    assert run_as(team, team.logins[0], "users", "add", city, "--role", "city") == 0  # an admin
    assert run_as(team, None, "users", "disable", city) == 0
    capsys.readouterr()
    assert run_as(team, None, "users", "list") == 0
    assert capsys.readouterr().out.splitlines() == [
        "登录名  角色  所属单位  状态",
        f"{team.logins[0]}  管理员  —  启用",
        f"{county}  县级  忻府区  启用",
        f"{city}  市级  —  已停用",
    ]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--role", "county"], "县级账号须用 --county 指明所属县（市、区）"),
        (["--role", "city", "--county", XINFU], "市级账号不属于某个县级单位，不要给出 --county"),
        (["--role", "county", "--county", "北京"], "「北京」不是忻州市的县级单位（可选："),
    ],
)
def test_users_add_refuses_a_wrong_unit(
    team: Team,
    args: list[str],
    error: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RELIEF_DESK_PASSWORD", "secret-2")
    name = f"t{os.getpid()}_refused_{len(args)}"
    team.logins.append(name)
    assert run_as(team, None, "users", "add", name, *args) == 2
    assert capsys.readouterr().err.startswith(error)
    assert run_as(team, None, "users", "list") == 0
    assert name not in capsys.readouterr().out


def test_users_add_needs_a_password_and_a_free_name(
    team: Team, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RELIEF_DESK_PASSWORD", raising=False)
    nameless = f"t{os.getpid()}_nopass"
    team.logins.append(nameless)
    assert run_as(team, None, "users", "add", nameless, "--role", "city") == 2
    assert "RELIEF_DESK_PASSWORD" in capsys.readouterr().err
    monkeypatch.setenv("RELIEF_DESK_PASSWORD", "secret-2")
    taken = team.login(Role.CITY)
    assert run_as(team, None, "users", "add", taken, "--role", "city") == 2
    assert capsys.readouterr().err == (
        f"服务器上已有登录名「{taken}」（登录名是整个服务器共用的），请换一个\n"
    )
    assert run_as(team, None, "users", "add", "Wang", "--role", "city") == 2
    assert capsys.readouterr().err.startswith("登录名「Wang」无法使用")


def test_a_county_login_cannot_touch_another_units_case_or_problem(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    name = team.login(Role.COUNTY, XINFU)
    before = team.rows()
    case, problem = team.cases[YUANPING], str(team.problems[YUANPING])
    assert run_as(team, name, "case", "move", case, "--to", "withdrawn", "--reason", "x") == 2
    assert run_as(team, name, "problem", "move", problem, "--to", "closed", "--reason", "重复") == 2
    assert (
        run_as(team, name, "fund", "set", "--measure", "12", "--level", "市级", "--budget", "1")
        == 2
    )
    # Another unit's case and problem are not there for this login to read, nor to move.
    assert capsys.readouterr().err.splitlines() == [
        f"没有兑现事项 {case}；未作任何改动",
        f"没有编号为 {problem} 的问题",
        f"本账号 {name}（县级，忻府区）无权修改资金；数据库未改动",
    ]
    assert team.rows() == before


def test_a_county_login_cannot_import_an_enterprise_into_another_unit(
    team: Team, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = team.login(Role.COUNTY, XINFU)
    before = team.rows()
    other = roster(tmp_path / "原平市.xlsx", ("原平市新企业", code(9), YUANPING))
    assert run_as(team, name, "import", str(other)) == 2
    err = capsys.readouterr().err
    assert f"本账号 {name}（县级，忻府区）只能写入忻府区的企业名录，这一条属于其他单位" in err
    # 原平市's enterprise, given as 忻府区's: this login cannot see it, nor take it over
    taken = roster(tmp_path / "忻府区.xlsx", ("改名", code(2), XINFU))
    assert run_as(team, name, "import", str(taken)) == 2
    assert capsys.readouterr().err.endswith(
        f"本账号 {name}（县级，忻府区）要写入的企业名录已经存在，"
        "它属于其他单位（本账号看不到也不能修改），或刚由别人写入；数据库未改动\n"
    )
    assert team.rows() == before


def test_a_county_login_works_on_its_own_units_rows(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    name = team.login(Role.COUNTY, XINFU)
    own = str(team.problems[XINFU])
    assert run_as(team, name, "problem", "move", own, "--to", "closed", "--reason", "重复") == 0
    assert run_as(team, name, "case", "move", team.cases[XINFU], "--to", "returned",
                  "--reason", "缺营业执照") == 0  # fmt: skip
    with team.sql() as conn:
        states = dict(conn.execute("SELECT number, state FROM subsidy_case").fetchall())
        assert conn.execute("SELECT state FROM problem WHERE id = %s", (int(own),)).fetchone() == (
            "closed",
        )
    assert states == {team.cases[XINFU]: "returned", team.cases[YUANPING]: "received"}


def test_the_city_moves_cases_in_its_review_and_edits_no_problem(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    name = team.login(Role.CITY)
    assert run_as(team, name, "case", "move", *team.cases.values(), "--to", "approved") == 0
    before = team.rows()
    problem = str(team.problems[XINFU])
    assert run_as(team, name, "problem", "move", problem, "--to", "closed", "--reason", "重复") == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"本账号 {name}（市级）无权修改问题清单；数据库未改动"
    )
    assert team.rows() == before
    with team.sql() as conn:
        assert {r[0] for r in conn.execute("SELECT state FROM subsidy_case")} == {"approved"}


def test_a_county_login_sees_and_undoes_its_own_units_imports_only(
    team: Team, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xinfu, yuanping = team.login(Role.COUNTY, XINFU), team.login(Role.COUNTY, YUANPING)
    added = roster(tmp_path / "名录.xlsx", ("忻府区新企业", code(7), XINFU))
    assert run_as(team, xinfu, "import", str(added)) == 0
    with team.sql() as conn:
        (batch,) = conn.execute("SELECT max(id) FROM import_batch").fetchone() or (0,)
    capsys.readouterr()
    assert run_as(team, yuanping, "batches", "--json") == 0
    assert capsys.readouterr().out == "[]\n"
    # undo as the window makes it (the command line's takes a file backup first: pgops's part)
    before = team.rows()
    with pytest.raises(StoreError, match=f"^没有编号为 {batch} 的导入批次$"):
        undo_batch(team.open_as(yuanping), batch)
    assert team.rows() == before
    undo_batch(team.open_as(xinfu), batch)
    with team.sql() as conn:
        assert conn.execute("SELECT count(*) FROM enterprise").fetchone() == (2,)
        undone = conn.execute("SELECT undone_by FROM import_batch WHERE id = %s", (batch,))
        assert undone.fetchone() == (xinfu,)
        stamped = conn.execute(
            "SELECT DISTINCT unit_id = (SELECT id FROM county WHERE name = %s) FROM change_log "
            "WHERE operator = %s",
            (XINFU, xinfu),
        )
        assert stamped.fetchall() == [(True,)]


def test_a_county_login_cannot_back_up_the_whole_database(
    team: Team, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Row-level security shows a county login its unit's rows only: no whole backup by it."""
    name = team.login(Role.COUNTY, XINFU)
    out = tmp_path / "全库.dump"
    assert run_as(team, name, "backup", str(out)) == 2
    assert "本账号只能读取本单位的数据，不能备份整个数据库" in capsys.readouterr().err
    assert not out.exists()
