"""Subcommands of the task force (TASKFORCE.md): problems, problem move, coverage, bulletin,
policy-card, notices, desk."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from desktop.cases.attention import DESK_SOURCES
from desktop.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    CliContext,
    CliError,
    add_force,
    output_path,
    print_json,
    printable,
)
from desktop.filing.operations import export_bulletin_workbook
from desktop.paperwork import PaperworkError
from desktop.rules.catalogue import ScopeError, check_county
from desktop.samples import sample_codes, sample_warning
from desktop.taskforce.bulletin import bulletin
from desktop.taskforce.coverage import Share, coverage
from desktop.taskforce.desk import desk_items, desk_json
from desktop.taskforce.errors import TaskforceError
from desktop.taskforce.periods import period
from desktop.taskforce.problem_states import Move, State, parse_state
from desktop.taskforce.problems import move_problem, problem_lines
from desktop.values import ValueProblem
from desktop.values.dates import day

WARNINGS = {"red": "【超期】", "yellow": "【临期】", None: ""}
PDF, XLSX = ".pdf", ".xlsx"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the task force's subcommands."""
    p = sub.add_parser("problems", help="问题清单")
    p.add_argument("--state", action="append", default=[], help="只列出该办理状态（可重复）")
    p.add_argument("--overdue", action="store_true", help="只列出超期未办结的问题")
    p.add_argument("--county")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_problems)
    p = sub.add_parser("problem", help="办理问题")
    moves = p.add_subparsers(dest="action", required=True)
    m = moves.add_parser("move", help="改变问题的办理状态")
    m.add_argument("id", type=int)
    m.add_argument("--to", required=True, help="新状态（如 assigned 或 办理中）")
    m.add_argument("--reason", help="理由：销号原因、延期审批人、办理结果等")
    m.add_argument("--deadline", help="新的办理时限 YYYY-MM-DD（交办或同意延期）")
    m.add_argument("--satisfaction", help="回访满意度：满意、基本满意、不满意")
    m.set_defaults(run=run_problem_move)
    p = sub.add_parser("coverage", help="包联覆盖情况及未覆盖的企业")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_coverage)
    p = sub.add_parser("bulletin", help="运行情况通报（月通报、周调度表），.xlsx 或 .pdf")
    p.add_argument("--period", required=True, help="月份 2023-03 或周 2023-W05")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--county", help="只通报该县（市、区）")
    p.add_argument("--json", action="store_true", help="同时输出通报数据")
    add_force(p)
    p.set_defaults(run=run_bulletin)
    p = sub.add_parser("policy-card", help="政策明白卡（PDF），每户一页")
    p.add_argument("--uscc", action="extend", nargs="+", required=True, help="统一社会信用代码")
    p.add_argument("-o", "--output", type=Path, required=True)
    add_force(p)
    p.set_defaults(run=run_policy_card)
    p = sub.add_parser("notices", help="超期问题督办单（PDF），每个问题一页")
    p.add_argument("-o", "--output", type=Path, required=True)
    add_force(p)
    p.set_defaults(run=run_notices)
    p = sub.add_parser("desk", help="工作台：今天需要处理的事项")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_desk)


@contextlib.contextmanager
def _refusals() -> Iterator[None]:
    """The domain's refusals as the command line's one-line error."""
    try:
        yield
    except (TaskforceError, ScopeError, PaperworkError, ValueProblem) as exc:
        raise CliError(str(exc)) from exc


def run_problems(args: argparse.Namespace, ctx: CliContext) -> int:
    """``problems``: the problem list with each problem's warning today."""
    with _refusals():
        states = frozenset(parse_state(s) for s in args.state)
        with ctx.db.reader() as s:
            check_county(s, args.county)
            lines = problem_lines(
                s, date.today(), states=states, overdue=args.overdue, county=args.county
            )
    if args.json:
        print_json([line.to_json() for line in lines])
        return EXIT_OK
    for line in lines:
        cells = (f"#{line.id}", line.county, line.uscc, line.enterprise, line.state.label,
                 line.deadline.isoformat(), WARNINGS[line.warning] + line.description,
                 f"主办：{line.lead_unit}")  # fmt: skip
        print("\t".join(map(printable, cells)))
    return EXIT_OK


def run_problem_move(args: argparse.Namespace, ctx: CliContext) -> int:
    """``problem move``: one move through the problem state table, or refused (exit 2)."""
    with _refusals():
        deadline = None if args.deadline is None else _deadline(args.deadline)
        move = Move(parse_state(args.to), args.reason, deadline, args.satisfaction)
        with ctx.db.session(source="command") as s:
            problem = move_problem(s, args.id, move)
            state, due = State(problem.state), problem.deadline
    print(f"问题 #{args.id} 已改为「{state.label}」，办理时限 {due.isoformat()}")
    return EXIT_OK


def _deadline(text: str) -> date:
    try:
        return day(text)
    except ValueProblem as exc:
        raise CliError(f"--deadline「{text}」{exc}") from None


def _share_text(what: str, share: Share) -> str:
    rate = share.to_json()["rate"]
    return f"{what}：{share.covered}／{share.of}" + (f"（{rate}）" if rate else "")


def run_coverage(args: argparse.Namespace, ctx: CliContext) -> int:
    """``coverage``: 包联 coverage and the enterprises not covered."""
    with ctx.db.reader() as s:
        found = coverage(s)
    if args.json:
        print_json(found.to_json())
        return EXIT_OK
    print(_share_text("规上企业有服务小组", found.team))
    print(_share_text("大型、中型企业有包联领导", found.leader))
    for u in found.uncovered:
        print("\t".join(map(printable, (u.county, u.uscc, u.name, f"缺{u.missing}"))))
    return EXIT_OK


def _suffix(out: Path, allowed: tuple[str, ...]) -> str:
    suffix = out.suffix.lower()
    if suffix not in allowed:
        raise CliError(f"输出文件应为 {' 或 '.join(allowed)}：{out}")
    return suffix


def run_bulletin(args: argparse.Namespace, ctx: CliContext) -> int:
    """``bulletin``: the period's bulletin as .xlsx or .pdf (and its figures with --json)."""
    suffix = _suffix(args.output, (XLSX, PDF))
    out = output_path(args.output, ctx, force=args.force)
    today = date.today()
    with _refusals():
        chosen = period(args.period)
        with ctx.db.reader() as s:
            found = bulletin(s, chosen, today, args.county)
            samples = sample_warning(len(sample_codes(s, args.county)), marked=False)
        warnings = [] if suffix == PDF else export_bulletin_workbook(found, out)
        if suffix == PDF:
            from desktop.printing.papers import write_bulletin_pdf  # Qt only for the PDF

            what = f"PDF {write_bulletin_pdf(found, out, today).pages} 页"
    if args.json:
        print_json(found.to_json())
    else:
        t = found.total
        what = what if suffix == PDF else "工作簿"
        print(f"已写出 {out}（{what}）：{found.period.label}，报送 {t.reporting} 户，"
              f"产值 {t.output:,.2f} 元")  # fmt: skip
    for warning in warnings:
        print(warning, file=sys.stderr)
    if samples:  # the sample county's enterprises are counted among the units
        print(samples, file=sys.stderr)
    return EXIT_PARTIAL if warnings else EXIT_OK


def run_policy_card(args: argparse.Namespace, ctx: CliContext) -> int:
    """``policy-card``: one page per enterprise; exit 1 when some codes are not in the roster."""
    from desktop.printing.papers import write_policy_cards  # Qt only for printing

    _suffix(args.output, (PDF,))
    out = output_path(args.output, ctx, force=args.force)
    with _refusals(), ctx.db.reader() as s:
        outcome = write_policy_cards(s, args.uscc, out, date.today())
        samples = sample_warning(len(set(args.uscc) & sample_codes(s)), marked=False)
    print(f"已写出 {out}：政策明白卡 {outcome.documents} 份")
    for line in outcome.skipped:
        print(line, file=sys.stderr)
    if samples:
        print(samples, file=sys.stderr)
    return EXIT_PARTIAL if outcome.skipped else EXIT_OK


def run_notices(args: argparse.Namespace, ctx: CliContext) -> int:
    """``notices``: the supervision notice of every red problem, one page each."""
    from desktop.printing.papers import write_notices  # Qt only for printing

    _suffix(args.output, (PDF,))
    out = output_path(args.output, ctx, force=args.force)
    with _refusals(), ctx.db.reader() as s:
        outcome = write_notices(s, out, date.today())
    print(f"已写出 {out}：督办单 {outcome.documents} 份")
    return EXIT_OK


def run_desk(args: argparse.Namespace, ctx: CliContext) -> int:
    """``desk``: what needs attention today."""
    with _refusals(), ctx.db.reader() as s:
        items = desk_items(s, date.today(), DESK_SOURCES)
    if args.json:
        print_json(desk_json(items))
        return EXIT_OK
    for item in items:
        print(printable(WARNINGS[item.warning] + item.text))
    return EXIT_OK
