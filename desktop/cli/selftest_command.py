"""``selftest``: proves an installed copy works end to end, on a scratch database.

For whoever installs Relief Desk on a county PC (and for the Windows bundle's smoke test in
CI): the migrations, the bundled sample and policy files, the import path, evaluation, a
workbook, the window (offscreen) and a printed form with its CJK font. The officer's own
database is not opened.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from desktop.cli.common import EXIT_OK, CliContext, CliError
from desktop.filing.operations import export_ledger
from desktop.rules.engine import evaluate_roster
from desktop.rules.result import Verdict
from desktop.samples import load_sample
from desktop.store import Database, open_database

T = TypeVar("T")
FORM_MEASURE = "12"  # the sample county has eligible enterprises under 第十二条


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``selftest``."""
    p = sub.add_parser("selftest", help="自检：在临时数据库上试一遍导入、测算、导出、窗口和打印")
    p.set_defaults(run=run_selftest)


def run_selftest(args: argparse.Namespace, ctx: CliContext) -> int:
    """Run every step on a scratch database in a temporary folder; stop at the first failure."""
    with tempfile.TemporaryDirectory(prefix="relief-desk-selftest-") as scratch:
        folder = Path(scratch)
        db = _step("数据库：新建并升级", lambda: open_database(folder / "selftest.sqlite3", "自检"))
        try:
            for title, step in _steps(db, folder):
                _step(title, step)
        finally:
            db.close()
    print("自检通过")
    return EXIT_OK


def _steps(db: Database, folder: Path) -> list[tuple[str, Callable[[], str]]]:
    return [
        ("示例数据：导入", lambda: _load(db)),
        ("测算", lambda: _evaluate(db)),
        ("台账：导出", lambda: _ledger(db, folder / "台账.xlsx")),
        ("窗口：打开并关闭", lambda: _window(db)),
        ("申请表：打印", lambda: _forms(db, folder / "申请表.pdf")),
    ]


def _step(title: str, run: Callable[[], T]) -> T:
    try:
        done = run()
    except Exception as exc:  # every failure is the finding: say which step and what
        raise CliError(f"自检失败：{title}：{type(exc).__name__}: {exc}") from exc
    print(f"{title}：{done if isinstance(done, str) else '完成'}")
    return done


def _load(db: Database) -> str:
    load_sample(db)
    return "完成"


def _evaluate(db: Database) -> str:
    with db.reader() as session:
        results = evaluate_roster(session)
    eligible = sum(1 for r in results if r.verdict is Verdict.ELIGIBLE)
    if not eligible:
        raise RuntimeError("示例数据没有符合条件的结果")
    return f"{len(results)} 条结果，{eligible} 条符合条件"


def _ledger(db: Database, out: Path) -> str:
    with db.reader() as session:
        outcome = export_ledger(session, out)
    return f"{outcome.listed} 条，{out.stat().st_size} 字节"


def _window(db: Database) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window flashes on the desk
    from desktop.ui.app import open_and_close  # Qt only for this step

    return open_and_close(db)


def _forms(db: Database, out: Path) -> str:
    from desktop.printing.operations import print_forms  # Qt only for this step

    with db.reader() as session:
        outcome = print_forms(session, FORM_MEASURE, out, [])
    if not outcome.printed:
        raise RuntimeError("没有打印出申请表")
    return f"{outcome.printed} 份，{out.stat().st_size} 字节"
