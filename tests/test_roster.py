"""The roster domain the window stands on: queries, search, records, reference lists, history."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from desktop.cases.opening import Basis, open_cases
from desktop.cases.parameters import load_case_parameters
from desktop.importing.importer import Importer
from desktop.models import ChangeRecord, County, Enterprise, Lease, Visit
from desktop.roster.history import (
    LogFilter,
    distinct_values,
    fetch_log_rows,
    field_label,
    labelled_keys,
    log_ids,
    value_text,
)
from desktop.roster.query import COLUMN_KEYS, RosterFilter, RosterQuery, choices, fetch_rows
from desktop.roster.records import (
    AnnualRow,
    AwardRow,
    EnterpriseRecord,
    LeaseRow,
    MonthlyRow,
    apply_change,
    delete_enterprise,
    load_record,
    problems,
    save_record,
)
from desktop.roster.reference import ZoneRow, list_chains, list_zones, save_chains, save_zones
from desktop.roster.search import SearchIndex, name_key
from desktop.rules.result import Result, Verdict
from desktop.samples import load_sample
from desktop.sheets.parsed import SheetKind
from desktop.store import Database, StoreError
from desktop.values import uscc_problem
from tests.importing.conftest import code, parsed_file, roster_row, sheet

CODE_A = "91140902MA0XY0001F"  # 示例·忻府新材料有限公司 in the sample
NEW_CODE = "91140981MA0NEW0010"


def _valid(code: str) -> str:
    from stdnum.cn import uscc

    return code[:17] + uscc.calc_check_digit(code[:17])


@pytest.fixture
def sample(db: Database) -> Database:
    load_sample(db)
    return db


def _log(db: Database) -> list[ChangeRecord]:
    with db.reader() as s:
        return list(s.scalars(select(ChangeRecord).order_by(ChangeRecord.id)))


def test_search_index_reads_initials_codes_and_names() -> None:
    index = SearchIndex.build({1: "忻州钢铁有限公司", 2: "ABC材料厂"}, {1: CODE_A, 2: NEW_CODE})
    assert index.matching("XZGT") == {1}
    assert index.matching("abccl") == {2}
    assert index.matching(CODE_A[-5:].lower()) == {1}
    assert index.matching("材料") == {2}


def test_search_by_name_code_and_initials(sample: Database) -> None:
    query = RosterQuery()
    with sample.reader() as s:
        by_name = query.ids(s, RosterFilter(text="定襄锻造"))
        by_code = query.ids(s, RosterFilter(text=CODE_A[-6:].lower()))
        by_initials = query.ids(s, RosterFilter(text=" DXDZ "))
        rows = fetch_rows(s, by_name + by_code)
    names = {rows[i][COLUMN_KEYS.index("name")] for i in by_name}
    assert names == {"示例·定襄锻造有限公司"}
    assert rows[by_code[0]][COLUMN_KEYS.index("uscc")] == CODE_A
    assert by_initials == by_name


def test_structured_filters_and_sort_in_sql(sample: Database) -> None:
    query = RosterQuery()
    with sample.reader() as s:
        counties = dict((name, i) for i, name in choices(s, County))
        ids = query.ids(s, RosterFilter(county_id=counties["原平市"]))
        white = query.ids(s, RosterFilter(white_list=True), "name", descending=True)
        rows = fetch_rows(s, ids + white)
        everyone = query.ids(s, RosterFilter())
    assert ids and all(rows[i][COLUMN_KEYS.index("county")] == "原平市" for i in ids)
    white_names = [rows[i][0] for i in white]
    assert white_names == sorted(white_names, key=name_key, reverse=True)  # by pinyin
    assert all(rows[i][COLUMN_KEYS.index("white_list")] for i in white)
    assert len(everyone) == 14


def test_uscc_problems_in_chinese() -> None:
    assert uscc_problem(CODE_A) is None
    assert uscc_problem("9114") == "统一社会信用代码长度应为18位（实为4位）"
    assert uscc_problem(CODE_A[:-1] + "0") == "统一社会信用代码校验位错误"


def test_record_problems_as_on_import() -> None:
    record = EnterpriseRecord(
        uscc="X", name=" ", county="", industry_code="A3311",
        monthly=[MonthlyRow(2023, 1, Decimal(1)), MonthlyRow(2023, 1, Decimal(2)),
                 MonthlyRow(2023, 13, Decimal(-1)), MonthlyRow(2023, 5)],
        leases=[LeaseRow("园区", start_date=date(2023, 5, 1), end_date=date(2023, 1, 1))],
    )  # fmt: skip
    found = problems(record)
    assert "企业名称必填" in found
    assert "所属县（市、区）必填" in found
    assert "月度产值：2023年1月重复" in found
    assert "月度产值：2023年13月 月份「13」月份应在1到12之间" in found
    assert "月度产值：2023年13月 工业总产值「-1」不能为负数" in found
    assert "月度产值：2023年5月 工业总产值必填" in found
    assert "厂房租赁：园区 到期日期早于起租日期" in found
    assert "行业代码「A3311」门类字母与代码不符（33大类属于C门类）" in found


def test_edit_round_trip_is_logged_as_window(sample: Database) -> None:
    with sample.reader() as s:
        record = load_record(s, CODE_A)
    before = len(_log(sample))
    edited = replace(
        record,
        phone="0350-1234567",
        monthly=[*record.monthly[1:], MonthlyRow(2023, 4, Decimal("123.45"))],
        annual=[AnnualRow(2022, output=Decimal("1000000.00"), employees=12)],
        award=AwardRow(Decimal("500000.00"), date(2023, 6, 1), "晋工信〔2023〕1号"),
    )
    save_record(sample, edited, CODE_A)
    with sample.reader() as s:
        again = load_record(s, CODE_A)
    assert again.phone == "0350-1234567"
    assert MonthlyRow(2023, 4, Decimal("123.45")) in again.monthly
    assert record.monthly[0] not in again.monthly
    assert [a.year for a in again.annual] == [2022]
    assert again.award == edited.award
    new_lines = _log(sample)[before:]
    assert {r.source for r in new_lines} == {"window"}
    assert {r.operator for r in new_lines} == {"测试员"}
    phone = [r for r in new_lines if r.field == "phone"]
    assert phone[0].new_value == "0350-1234567" and phone[0].row_key == CODE_A
    assert {"insert", "update", "delete"} <= {r.action for r in new_lines}


def test_delete_and_put_back(sample: Database) -> None:
    with sample.reader() as s:
        record = load_record(s, CODE_A)
    deleted = delete_enterprise(sample, CODE_A)
    assert deleted == record
    with sample.reader() as s, pytest.raises(StoreError, match="没有统一社会信用代码"):
        load_record(s, CODE_A)
    deletes = [r for r in _log(sample) if r.action == "delete"]
    assert {r.table_name for r in deletes} >= {"enterprise", "monthly_output"}
    apply_change(sample, None, deleted)  # undo of a deletion
    with sample.reader() as s:
        assert load_record(s, CODE_A) == record


def test_an_enterprise_with_kept_records_is_not_deleted(sample: Database) -> None:
    """Its cases and the task force's rows are never deleted, so neither is it: a message."""
    with sample.session(source="command") as s:
        ent = s.scalars(select(Enterprise).where(Enterprise.uscc == CODE_A)).one()
        s.add_all([Visit(enterprise=ent, visited_on=date(2023, 6, n), people="专员")
                   for n in (1, 2)])  # fmt: skip
        found = Result("12", CODE_A, ent.name, "忻府区", "2023-Q1", Verdict.ELIGIBLE,
                       Decimal("1000.00"), False, "第十二条", ("说明",))  # fmt: skip
        open_cases(s, [found], Basis("xinzhou-2022-86", {}), load_case_parameters())
    with pytest.raises(StoreError) as refused:
        delete_enterprise(sample, CODE_A)
    assert str(refused.value) == (
        f"企业「示例·忻府新材料有限公司」（{CODE_A}）已有兑现事项 1 条、走访记录 2 条，"
        "不能从名录中删除；这些记录须保留"
    )
    with sample.reader() as s:
        assert load_record(s, CODE_A).name == "示例·忻府新材料有限公司"


def test_new_enterprise_and_duplicate_code(sample: Database) -> None:
    code = _valid(NEW_CODE)
    fresh = EnterpriseRecord(uscc=code, name="新企业有限公司", county="原平市")
    apply_change(sample, None, fresh)
    with sample.reader() as s:
        assert load_record(s, code).name == "新企业有限公司"
    with pytest.raises(StoreError, match="另一家企业"):
        save_record(sample, replace(fresh, uscc=CODE_A), code)
    with pytest.raises(StoreError, match="开发区「无此园区」不存在"):
        lease = LeaseRow("无此园区", True, None, Decimal(1), date(2023, 1, 1), date(2023, 12, 31))
        save_record(sample, replace(fresh, leases=[lease]), code)
    apply_change(sample, fresh, None)
    with sample.reader() as s:
        assert s.scalar(select(Enterprise).where(Enterprise.uscc == code)) is None


def test_zones_and_chains_edited_and_logged(sample: Database) -> None:
    zones = list_zones(sample)
    save_zones(sample, [*zones, ZoneRow("新园区", "省级", "工业类")])
    with pytest.raises(StoreError, match="仍在使用"):
        save_zones(sample, [ZoneRow("新园区", "省级", "工业类")])
    first = replace(zones[0], level="市级")
    save_zones(sample, [first, *zones[1:]])  # 新园区 removed, the first zone edited
    assert list_zones(sample) == [first, *zones[1:]]
    chains = list_chains(sample)
    save_chains(sample, [*chains[1:], (None, "新产业链")])
    assert [n for _, n in list_chains(sample)] == [n for _, n in chains[1:]] + ["新产业链"]
    with pytest.raises(StoreError, match="重复"):
        save_chains(sample, [(None, "甲"), (None, "甲")])
    lines = [r for r in _log(sample) if r.source == "window"]
    assert {"zone", "key_chain"} <= {r.table_name for r in lines}
    with sample.reader() as s:
        assert s.scalar(select(Lease.id).limit(1)) is not None


def test_history_filters(sample: Database) -> None:
    with sample.reader() as s:
        record = load_record(s, CODE_A)
    save_record(sample, replace(record, contact="王新"), CODE_A)
    with sample.reader() as s:
        ids = log_ids(s, LogFilter(text="王新"))
        window = log_ids(
            s, LogFilter(operator="测试员", table_name="enterprise", since=date.today())
        )
        rows = fetch_log_rows(s, ids)
        assert distinct_values(s, "operator") == ["测试员"]
        assert log_ids(s, LogFilter(until=date(2000, 1, 1))) == []
    assert len(ids) == 1
    assert rows[ids[0]][1:] == ("测试员", "窗口编辑", "企业名录", CODE_A, "修改", "联系人",
                                "李联络", "王新")  # fmt: skip
    assert ids[0] in window and window == sorted(window, reverse=True)


def test_log_values_read_in_chinese() -> None:
    assert field_label("enterprise", "white_list") == "白名单企业"
    assert field_label("monthly_output", "month") == "月份"  # not the template's 年月
    assert field_label("annual_figures", "year") == "年度"
    assert field_label("zone", "name") == "开发区名称"
    assert field_label("key_chain", "name") == "名称"
    assert field_label("enterprise", "county_id") == "所属县（市、区）"
    assert field_label("lease", "zone_id") == "开发区"
    assert field_label("lease", "enterprise_id") == "enterprise_id"
    names = {"zone": {"1": "示例园区"}}
    assert value_text("lease", "zone_id", "1", names) == "示例园区"
    assert value_text("lease", "zone_id", "2", names) == "2"  # a zone deleted since
    lease = '{"enterprise_id": "8", "zone_id": "1", "standard_factory": "1"}'
    assert value_text("lease", None, lease, names) == "开发区：示例园区；标准化厂房：是"
    assert value_text("enterprise", "white_list", "0") == "否"
    assert value_text("enterprise", "chain_role_confirmed", "1") == "是"
    assert value_text("lease", "monthly_rent", "20000.00") == "20000.00 元"
    assert value_text("lease", "area", "1200.00") == "1200.00"
    row = '{"enterprise_id": "3", "year": "2023", "month": "1", "output": "12.00", "x": null}'
    assert value_text("monthly_output", None, row) == "年份：2023；月份：1；工业总产值：12.00 元"
    assert value_text("enterprise", None, "not json") == "not json"


def test_chinese_field_names_name_their_columns() -> None:
    assert labelled_keys("规上") == {"enterprise": ["above_scale"]}
    assert labelled_keys("工业总产值") == {
        "monthly_output": ["output"],
        "annual_figures": ["output"],
    }
    assert labelled_keys("没有这个字段") == {}


def test_history_search_by_chinese_field_name(sample: Database) -> None:
    with sample.reader() as s:
        record = load_record(s, CODE_A)
    save_record(sample, replace(record, white_list=False, contact="王新", county="定襄县"), CODE_A)
    with sample.reader() as s:
        ids = log_ids(s, LogFilter(text="白名单"))
        rows = fetch_log_rows(s, ids)
        county = log_ids(s, LogFilter(text="所属县"))
        moved = fetch_log_rows(s, county[:1])[county[0]]
        dingxiang = log_ids(s, LogFilter(text="定襄"))
        found = fetch_log_rows(s, dingxiang)
        assert log_ids(s, LogFilter(text="white_list")) == ids
        assert log_ids(s, LogFilter(text="%")) == []  # typed literally, not a wildcard
    update, *inserted = (rows[i] for i in ids)
    assert update[4:] == (CODE_A, "修改", "白名单企业", "是", "否")
    assert len(inserted) == 14  # every enterprise shows 白名单企业; the contact's update is out
    assert all(r[5] == "新增" and "白名单企业：" in r[8] for r in inserted)
    assert moved[4:] == (CODE_A, "修改", "所属县（市、区）", "忻府区", "定襄县")
    assert len(county) == 15  # and every inserted enterprise, which shows its county
    assert dingxiang[0] == county[0]  # the county's name, though the log keeps its id
    inserted_there = [("企业名录", c, "新增") for c in ("91140921MA0XY00111", "91140921MA0XY00036")]
    assert [found[i][3:6] for i in dingxiang[1:]] == inserted_there


def test_imported_rows_found_and_read_by_chinese_field_name(db: Database) -> None:
    monthly = sheet(SheetKind.monthly, [{"uscc": code(1), "year": 2023, "month": 3,
                                         "output": Decimal("1500000")}])  # fmt: skip
    Importer(db).import_parsed(parsed_file(sheet(SheetKind.roster, [roster_row(1)]), monthly))
    with db.reader() as s:
        (line,) = log_ids(s, LogFilter(text="工业总产值"))
        shown = fetch_log_rows(s, [line])[line]
    assert shown[3:6] == ("月度产值", f"{code(1)} 2023-03", "新增")
    assert shown[8] == "年份：2023；月份：3；工业总产值：1500000.00 元"


def test_zones_saved_with_a_level_outside_the_choices_are_refused(db: Database) -> None:
    with pytest.raises(StoreError) as refused:
        save_zones(db, [ZoneRow("甲园区", "省级开发区", "工业类")])
    assert (
        str(refused.value)
        == "开发区「甲园区」的级别「省级开发区」不可用，应为：国家级、省级、市级、县级"
    )
    assert list_zones(db) == []


def test_saved_industry_codes_are_stored_as_the_import_stores_them(sample: Database) -> None:
    with sample.reader() as s:
        record = load_record(s, CODE_A)
    edited = replace(record, industry_code="3311 金属结构制造", phone=" - ", bank_account="'6222")
    save_record(sample, edited, CODE_A)
    with sample.reader() as s:
        saved = load_record(s, CODE_A)
    assert (saved.industry_code, saved.phone, saved.bank_account) == ("C3311", None, "6222")
