"""Every row an import writes is in the change log: who, which batch, which spreadsheet row."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, select

from desktop.importing.importer import Importer
from desktop.models import Enterprise, ImportBatch, ImportLine, Lease, Zone
from desktop.roster.history import walked_back
from desktop.sheets.parsed import SheetKind
from desktop.store import Database
from desktop.store.changelog import BOOKKEEPING, LINES, encode_value
from tests.importing.conftest import code, parsed_file, roster_row, sheet

K = SheetKind


def _log(db: Database, batch_id: int) -> list[Row[Any]]:
    with db.reader() as s:
        query = select(LINES).where(LINES.c.batch_id == batch_id)
        return list(s.execute(query.order_by(LINES.c.id)))


def test_inserted_rows_logged_with_operator_batch_and_row(db: Database) -> None:
    monthly = sheet(K.monthly, [{"uscc": code(1), "year": 2023, "month": 3,
                                 "output": Decimal("1500000")}])  # fmt: skip
    report = Importer(db).import_parsed(parsed_file(sheet(K.roster, [roster_row(1)]), monthly))
    log = _log(db, report.batch_id)
    assert [(r.table_name, r.action, r.source_row, r.row_key) for r in log] == [
        ("enterprise", "insert", 2, code(1)),
        ("monthly_output", "insert", 2, f"{code(1)} 2023-03"),
    ]
    assert {(r.operator, r.source) for r in log} == {("测试员", "import")}
    assert [r.new_value for r in log] == [None, None]  # the values are the rows' own
    with db.reader() as s:
        values = json.loads(walked_back(s, log)[log[1].id])
    assert values["output"] == "1500000.00" and values["month"] == "3"
    assert "id" not in values


def test_updated_rows_logged_field_by_field(db: Database) -> None:
    Importer(db).import_parsed(parsed_file(sheet(K.roster, [roster_row(1), roster_row(2)])))
    changed = sheet(K.roster, [roster_row(1), roster_row(2, name="新名", white_list=True)])
    report = Importer(db).import_parsed(parsed_file(changed))
    log = _log(db, report.batch_id)
    assert sorted((r.action, r.field, r.old_value, r.new_value, r.source_row) for r in log) == [
        ("update", "name", "企业2", "新名", 3),
        ("update", "white_list", "0", "1", 3),
    ]


def test_batch_records_file_hash_counts_and_operator(db: Database) -> None:
    parsed = parsed_file(sheet(K.roster, [roster_row(1), {**roster_row(2), "county": "外县"}]))
    report = Importer(db).import_parsed(parsed)
    with db.reader() as s:
        batch = s.get(ImportBatch, report.batch_id)
    assert (batch.file_name, batch.sha256, batch.operator) == ("名录.xlsx", "0" * 64, "测试员")
    (counts,) = json.loads(batch.counts)["sheets"]
    assert counts == {"sheet": "企业名录", "kind": "roster", "created": 1, "updated": 0,
                      "unchanged": 0, "skipped": 0, "rejected": 1}  # fmt: skip


def test_an_imported_row_reads_back_as_the_orm_logged_it(db: Database) -> None:
    lease = {"uscc": code(1), "zone": "某园区", "start_date": date(2023, 1, 5),
             "monthly_rent": Decimal("1234.5"), "standard_factory": True}  # fmt: skip
    roster = sheet(K.roster, [roster_row(1, name='企业"引号"\\斜杠', white_list=True)])
    report = Importer(db).import_parsed(parsed_file(roster, sheet(K.leases, [lease])))
    tables = {"enterprise": Enterprise, "lease": Lease, "zone": Zone}
    with db.reader() as s:
        log = _log(db, report.batch_id)
        rows = walked_back(s, log)
        for record in log:
            stored = s.get(tables[record.table_name], record.row_id)
            columns = [c.key for c in stored.__mapper__.column_attrs if c.key not in BOOKKEEPING]
            expected = {c: encode_value(getattr(stored, c)) for c in columns}
            assert rows[record.id] == json.dumps(expected, ensure_ascii=False)


def test_an_import_line_names_its_row_though_it_keeps_no_key(db: Database) -> None:
    """An enterprise's and its figures' import lines keep their key empty (it is the row's own);
    read, they name the row as it is named now, and as its delete line names it once deleted,
    though its id is given again."""
    monthly = sheet(K.monthly, [{"uscc": code(1), "year": 2023, "month": 3,
                                 "output": Decimal("1500000")}])  # fmt: skip
    report = Importer(db).import_parsed(parsed_file(sheet(K.roster, [roster_row(1)]), monthly))
    expected = [code(1), f"{code(1)} 2023-03"]
    with db.reader() as s:
        kept = s.scalars(select(ImportLine.row_key).where(ImportLine.batch_id == report.batch_id))
        assert list(kept) == ["", ""]
    assert [r.row_key for r in _log(db, report.batch_id)] == expected
    with db.session() as s:
        s.scalars(select(Enterprise)).one().uscc = code(9)
    renamed = [code(9), f"{code(9)} 2023-03"]
    assert [r.row_key for r in _log(db, report.batch_id)] == renamed
    with db.session() as s:
        s.delete(s.scalars(select(Enterprise)).one())
    Importer(db).import_parsed(
        parsed_file(
            sheet(K.roster, [roster_row(2)]),
            sheet(K.monthly, [{"uscc": code(2), "year": 2024, "month": 1, "output": Decimal("1")}]),
        )
    )  # the ids again
    assert [r.row_key for r in _log(db, report.batch_id)] == renamed
