"""Insert lines keep no values, an import's are short: over random imports, edits and undos,
the log reads as before.

What the log used to keep of an inserted row is captured independently: a trigger on each table
writes the row's logged JSON and key (as the log line did) into a side table the moment it is
inserted. The history read from the walked-back rows must be that history, line for line; and
``log --json`` must give each imported row the line the log used to write: its batch's time and
operator, the sheet row it came from (known from the workbook), its key, in the order written.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import Row, select, text

from desktop.cli.admin_commands import log_record_json
from desktop.importing import import_files, undo_batch
from desktop.models import ChangeRecord, Enterprise, ImportBatch, ImportLine, MonthlyOutput
from desktop.roster.history import (
    LogFilter,
    fetch_log_rows,
    log_ids,
    readable,
    reference_names,
    walked_back,
)
from desktop.roster.records import (
    EnterpriseRecord,
    MonthlyRow,
    delete_enterprise,
    load_record,
    save_record,
)
from desktop.store import Database, StoreError, open_database
from desktop.store.changelog import LINES, Entry, logged_columns, row_json_sql, write_entries
from tests.importing.conftest import code, dump

CODES = [code(n) for n in range(1, 4)]
NAMES = ["甲公司", "乙公司", "丙公司"]
WATCHED = (Enterprise.__table__, MonthlyOutput.__table__)
KEYS = {  # each watched table's row key, as the log names the row
    "enterprise": "NEW.uscc",
    "monthly_output": "(SELECT uscc FROM enterprise WHERE id = NEW.enterprise_id) || ' ' || "
    "NEW.year || '-' || printf('%02d', NEW.month)",
}
Rows = dict[tuple[int, str, str], int]  # (batch, table, key) → the sheet row it came from

who = st.sampled_from(range(len(CODES)))
roster = st.lists(st.tuples(who, st.sampled_from(NAMES), st.booleans()), max_size=3,
                  unique_by=lambda r: r[0])  # fmt: skip
monthly = st.lists(st.tuples(who, st.sampled_from([1, 2]), st.integers(1, 900)), max_size=3,
                   unique_by=lambda r: r[:2])  # fmt: skip
operations = st.lists(
    st.one_of(
        st.tuples(st.just("import"), roster, monthly),
        st.tuples(st.just("edit"), who, st.sampled_from(NAMES), st.integers(1, 900)),
        st.tuples(st.just("delete"), who),
        st.tuples(st.just("undo")),
    ),
    min_size=1,
    max_size=6,
)


def _watch(db: Database) -> None:
    """The side table and the triggers keeping each inserted row's JSON as the log kept it; and
    the ids of the log's lines in the order written, to either of its two tables."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE kept (n INTEGER PRIMARY KEY, t TEXT, id INT, row TEXT, key TEXT)"
        )
        conn.exec_driver_sql("CREATE TABLE written (n INTEGER PRIMARY KEY, id INT)")
        for log in (ChangeRecord.__table__, ImportLine.__table__):
            conn.exec_driver_sql(
                f"CREATE TRIGGER written_{log.name} AFTER INSERT ON {log.name} BEGIN "
                "INSERT INTO written (id) VALUES (NEW.id); END"
            )
        for table in WATCHED:
            columns = logged_columns(table)
            row = row_json_sql(columns, "sqlite", lambda c: f'NEW."{c.name}"')
            conn.exec_driver_sql(
                f"CREATE TRIGGER keep_{table.name} AFTER INSERT ON {table.name} BEGIN "
                f"INSERT INTO kept (t, id, row, key) "
                f"VALUES ('{table.name}', NEW.id, {row}, {KEYS[table.name]}); END"
            )


def _workbook(path: Path, people: list[tuple[int, str, bool]], figures: list[tuple]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("企业名录")
    ws.append(["企业名称", "统一社会信用代码", "所属县（市、区）", "白名单企业"])
    for n, name, white in people:
        ws.append([name, CODES[n], "忻府区", "是" if white else "否"])
    ws = wb.create_sheet("月度产值")
    ws.append(["统一社会信用代码", "年月", "工业总产值（万元）"])
    for n, month, output in figures:
        ws.append([CODES[n], f"2023-{month:02d}", output])
    wb.save(path)
    return path


def _exists(db: Database, uscc: str) -> bool:
    with db.reader() as s:
        return s.scalar(select(Enterprise.id).where(Enterprise.uscc == uscc)) is not None


def _edit(db: Database, uscc: str, name: str, output: int) -> None:
    """Rename the enterprise and set (or add) its January figure; add it when it is not there."""
    january = MonthlyRow(2023, 1, Decimal(output) * 10_000)
    if not _exists(db, uscc):
        save_record(db, EnterpriseRecord(uscc, name, "忻府区", monthly=[january]), None)
        return
    with db.reader() as s:
        record = load_record(s, uscc)
    others = [m for m in record.monthly if (m.year, m.month) != (2023, 1)]
    save_record(db, replace(record, name=name, monthly=[january, *others]), uscc)


def _latest_batch(db: Database) -> int | None:
    with db.reader() as s:
        query = select(ImportBatch.id).where(ImportBatch.undone_at.is_(None))
        return s.scalar(query.order_by(ImportBatch.id.desc()).limit(1))


def _business(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    return dump(db, audit=False)


def _kept(db: Database, lines: list[Row[Any]], column: str) -> dict[int, str]:
    """What the side table kept (``column``: row or key) of the row each insert line of a
    watched table, oldest first, inserted: a row id given again (a row undone, another added)
    is kept again, each line taking the next kept of its table and row."""
    with db.engine.connect() as conn:
        kept = conn.execute(text(f"SELECT t, id, {column} FROM kept ORDER BY n")).all()
    queue: dict[tuple[str, int], list[str]] = {}
    for table, row_id, value in kept:
        queue.setdefault((table, row_id), []).append(value)
    return {
        r.id: queue[(r.table_name, r.row_id)].pop(0)
        for r in lines
        if r.action == "insert" and r.table_name in {t.name for t in WATCHED}
    }


def _expected_history(db: Database) -> tuple[dict[int, tuple], dict[int, str]]:
    """Every line as it read when insert lines kept their rows: the kept rows put back."""
    with db.reader() as s:
        records = list(s.execute(select(LINES).order_by(LINES.c.id)))
        names = reference_names(s)
    rows = _kept(db, records, "row")
    assert all(r.new_value is None for r in records if r.action == "insert")
    return {r.id: readable(r, names, rows) for r in records}, {
        r.id: " ".join(
            v for v in (r.row_key, r.field, r.old_value, rows.get(r.id, r.new_value)) if v
        )
        for r in records
    }


def _sheet_rows(batch: int, people: list[tuple], figures: list[tuple]) -> Rows:
    """The sheet row each row of the workbook of ``batch`` is on, by its key."""
    rows = {(batch, "enterprise", CODES[p[0]]): n for n, p in enumerate(people, start=2)}
    return rows | {
        (batch, "monthly_output", f"{CODES[f[0]]} 2023-{f[1]:02d}"): n
        for n, f in enumerate(figures, start=2)
    }


def _expected_json(db: Database, sheet_rows: Rows) -> list[dict[str, Any]]:
    """``log --json`` of every line, oldest first, as the log wrote it when each imported row had
    a full line: its batch's time and operator, source import, its sheet row and key."""
    with db.engine.connect() as conn:
        batches = {b.id: b for b in conn.execute(select(ImportBatch.__table__))}
        lines = list(conn.execute(select(LINES).order_by(LINES.c.id)))
    keys = _kept(db, lines, "key")
    expected = []
    for line in lines:
        shown = log_record_json(line, {})
        if line.action == "insert" and line.source == "import":
            batch = batches[line.batch_id]
            key = keys[line.id]
            shown |= {"at": batch.imported_at.isoformat(), "operator": batch.operator, "key": key,
                      "source_row": sheet_rows[(batch.id, line.table_name, key)]}  # fmt: skip
        expected.append(shown)
    return expected


def _run(db: Database, folder: Path, ops: list[tuple]) -> Rows:
    """Do ``ops``; the sheet rows of the rows imported; each operation's lines follow the
    last's (their ids are given in the order written, to either table, none given twice)."""
    undoable: list[tuple[int, dict]] = []  # batches undo must take back exactly, latest last
    sheet_rows: Rows = {}
    for step, op in enumerate(ops):
        before = _business(db)
        earlier = _written(db)
        if op[0] == "import":
            path = _workbook(folder / f"导入{step}.xlsx", op[1], op[2])
            (report,) = import_files(db, [path]).files
            if report.committed:
                sheet_rows |= _sheet_rows(report.batch_id, op[1], op[2])
            if report.committed and _business(db) != before:
                undoable.append((report.batch_id, before))
        elif op[0] == "edit":
            _edit(db, CODES[op[1]], op[2], op[3])
            undoable.clear()
        elif op[0] == "delete" and _exists(db, CODES[op[1]]):
            delete_enterprise(db, CODES[op[1]])
            undoable.clear()
        elif op[0] == "undo" and (batch := _latest_batch(db)) is not None:
            whole = dump(db)
            try:
                undo_batch(db, batch)
            except StoreError:
                assert dump(db) == whole  # refused: nothing written
                continue
            if undoable and undoable[-1][0] == batch:
                assert _business(db) == undoable.pop()[1]  # taken back exactly
        written = _written(db)
        assert len(written) == len(set(written))  # no id given twice
        since = written[len(earlier) :]
        assert since == sorted(since) and all(i > max(earlier, default=0) for i in since)
    return sheet_rows


def _written(db: Database) -> list[int]:
    """The ids of the log's lines in the order they were written (an import interleaves its
    two tables: a sheet's updated rows in the log, then its new rows in the import lines)."""
    with db.engine.connect() as conn:
        return list(conn.execute(text("SELECT id FROM written ORDER BY n")).scalars())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
@example(  # an import updating and inserting in both sheets: its lines interleave the tables
    [("undo",), ("import", [], [(0, 1, 69), (0, 2, 1)]), ("edit", 2, "甲公司", 421), ("delete", 0),
     ("import", [(0, "甲公司", True), (1, "甲公司", True), (2, "丙公司", True)],
      [(2, 1, 657), (1, 1, 38), (1, 2, 740)])]
)  # fmt: skip
@example(  # an undone import's enterprise id given again to one added in the window
    [("undo",), ("import", [], [(0, 1, 69), (0, 2, 1)]), ("import", [(1, "甲公司", False)], []),
     ("undo",), ("edit", 2, "丙公司", 82)]
)  # fmt: skip
@example(  # an imported enterprise deleted, and its id given again to one added in the window
    [("import", [(2, "甲公司", False)], []), ("delete", 2), ("edit", 0, "甲公司", 1)]
)  # fmt: skip
def test_history_reads_as_with_full_insert_lines(ops: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_database(folder / "relief.sqlite3", operator="测试员")
        try:
            _watch(db)
            sheet_rows = _run(db, folder, ops)
            expected, texts = _expected_history(db)
            with db.reader() as s:
                records = list(s.execute(select(LINES).order_by(LINES.c.id)))
                walked = walked_back(s, records)
            assert [log_record_json(r, walked) | {"new": None} for r in records] == [
                line | {"new": None} for line in _expected_json(db, sheet_rows)
            ]
            with db.reader() as s:
                ids = log_ids(s, LogFilter())
                assert fetch_log_rows(s, ids) == expected
                for name in NAMES:  # the search finds a name inside an inserted row
                    found = log_ids(s, LogFilter(text=name))
                    assert found == sorted((i for i, t in texts.items() if name in t), reverse=True)
        finally:
            db.close()


def test_an_older_files_full_insert_line_reads_and_is_found_as_kept(db: Database) -> None:
    """Before insert lines lost their values, each kept the row's JSON: it is read as it is."""
    _edit(db, CODES[0], "甲公司", 5)  # a new enterprise: a value-less insert line
    row = {"uscc": CODES[1], "name": "旧文件公司", "white_list": "1"}
    kept = json.dumps(row, ensure_ascii=False)
    with db.engine.begin() as conn:
        write_entries(conn, db.audit("import"), [Entry("enterprise", 99, CODES[1], "insert",
                                                       new_value=kept)])  # fmt: skip
    with db.reader() as s:
        (old,) = log_ids(s, LogFilter(text="旧文件"))
        shown = fetch_log_rows(s, log_ids(s, LogFilter(text="公司")))
    assert shown[old][4:6] == (CODES[1], "新增")
    assert shown[old][8] == f"统一社会信用代码：{CODES[1]}；企业名称：旧文件公司；白名单企业：是"
    assert sorted(row[8].split("；")[1] for row in shown.values() if row[5] == "新增") == [
        "企业名称：旧文件公司",
        "企业名称：甲公司",
    ]
