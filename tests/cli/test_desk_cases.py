"""``desk --json`` lists cases too: past their payment deadline (``case``) and 测算已变化."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from desktop.cases.opening import basis_of, open_eligible
from desktop.cases.parameters import load_case_parameters
from desktop.cli import main
from desktop.rules.engine import evaluate_roster
from desktop.rules.policy import load_policy
from desktop.store import Database
from tests.conftest import cli_db


def test_desk_json_lists_cases_past_their_deadline_and_changed(
    sample_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with sample_db.session(source="command") as s:
        opened, _ = open_eligible(
            s, evaluate_roster(s), basis_of(load_policy()), load_case_parameters()
        )
        opened[0].snapshot_amount = (
            opened[0].snapshot_amount or Decimal(0)
        ) + 1  # a later result differs
        changed = opened[0].number
        count = len(opened)
    path = cli_db(sample_db)
    sample_db.close()
    assert main(["--db", path, "desk", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    cases = [i for i in items if i["kind"] == "case"]
    assert len(cases) == count and all(i["warning"] == "red" for i in cases)  # after 2023-12-31
    (moved,) = [i for i in items if i["kind"] == "changed"]
    assert moved["warning"] is None and moved["text"].startswith(f"兑现事项 {changed}（")
    assert "测算已变化：立案时 符合" in moved["text"]
    assert set(moved) == {"kind", "warning", "uscc", "text"}
