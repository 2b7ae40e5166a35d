"""``sample load`` / ``sample remove``: the sample county in and out from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.cli import main
from desktop.models import ChangeRecord
from desktop.store import open_database

SAMPLE_LINE = "其中 {} 家是示例数据（虚构企业），不得上报；可在「设置」中删除示例数据"


def _run(capsys: pytest.CaptureFixture[str], db_target: str, *args: str) -> tuple[int, str, str]:
    code = main(["--db", db_target, "--operator", "王科长", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_sample_load_then_remove_logged_under_the_operator(
    db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, db_target, "sample", "load") == (0, "已载入示例数据：14 家企业\n", "")
    code, out, err = _run(capsys, db_target, "sample", "remove")
    assert (code, err) == (0, "")
    assert out.startswith("已删除示例数据：14 家企业及其数据，共 ")
    db = open_database(db_target)
    with db.reader() as s:
        deletes = select(ChangeRecord.operator).where(ChangeRecord.action == "delete")
        deleted_by = list(s.scalars(deletes))
    db.close()
    assert len(deleted_by) > 14 and set(deleted_by) == {"王科长"}
    code, out, err = _run(capsys, db_target, "sample", "remove")
    assert (code, out, err) == (2, "", "没有示例数据可删除\n")


def test_papers_counting_sample_enterprises_say_so(
    db_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp: object
) -> None:
    """The bulletin counts every 规上 enterprise of its units; a policy card names its own."""
    _run(capsys, db_target, "sample", "load")
    out = tmp_path / "bulletin.xlsx"
    code, _, err = _run(capsys, db_target, "bulletin", "--period", "2026-11", "-o", str(out))
    assert code == 0 and err == f"{SAMPLE_LINE.format(14)}\n"
    _, _, err = _run(capsys, db_target, "bulletin", "--period", "2026-11", "--county", "五台县",
                     "-o", str(out), "--force")  # fmt: skip
    assert err == f"{SAMPLE_LINE.format(1)}\n"  # the one sample enterprise of 五台县
    card = tmp_path / "card.pdf"
    code, _, err = _run(capsys, db_target, "policy-card", "--uscc", "91140902MA0XY0001F",
                        "-o", str(card))  # fmt: skip
    assert code == 0 and err == f"{SAMPLE_LINE.format(1)}\n"
    _run(capsys, db_target, "sample", "remove")
    _, _, err = _run(
        capsys, db_target, "bulletin", "--period", "2026-11", "-o", str(out), "--force"
    )
    assert err == ""
