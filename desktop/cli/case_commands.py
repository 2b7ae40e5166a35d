"""Subcommands of subsidy cases (CASES.md): cases, case open/show/move/refresh, funds, fund set,
publicity, progress. Each write is one transaction: a refused case refuses the command."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop import values
from desktop.cases.deadlines import Alert, state_alert
from desktop.cases.errors import CaseError
from desktop.cases.funds import approved_total, fund_name
from desktop.cases.funds import set_fund as record_fund
from desktop.cases.listing import CaseLine, case_lines
from desktop.cases.moves import Move, move_cases
from desktop.cases.opening import (
    CHANGED_LABEL,
    basis_of,
    changed,
    open_cases,
    open_eligible,
    refresh,
)
from desktop.cases.opening import snapshot_parameters as parameters_of
from desktop.cases.parameters import CaseParameters, load_case_parameters
from desktop.cases.progress import MeasureProgress, progress_board, yuan_json
from desktop.cases.publicity import publicity_list
from desktop.cases.states import State, parse_state
from desktop.cases.timeline import timeline
from desktop.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    CliContext,
    CliError,
    add_force,
    output_path,
    print_json,
    printable,
    written,
)
from desktop.filing.progress_sheet import write_progress_board
from desktop.filing.publicity import write_publicity_workbook
from desktop.models import LEVELS, Case, Fund
from desktop.paperwork import PaperworkError
from desktop.rules import engine
from desktop.rules.catalogue import CATALOGUE, ScopeError, check_county, measure
from desktop.rules.measure import Measure
from desktop.rules.policy import PolicyError, load_policy
from desktop.rules.result import Result, Verdict

SOURCE = "command"  # the change log's source
MEASURES = "、".join(CATALOGUE)
STATES = "、".join(s.value for s in State)


def today() -> date:
    """The day the commands work on (deadlines, publicity dates, the lists' date)."""
    return date.today()


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``cases``, ``case``, ``funds``, ``fund``, ``publicity`` and ``progress``."""
    p = sub.add_parser("cases", help="兑现事项列表")
    p.add_argument("--measure", help=f"措施（{MEASURES}）")
    p.add_argument("--state", action="append", default=[], type=_state,
                   help=f"办理状态（{STATES}，可重复）")  # fmt: skip
    p.add_argument("--county")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_cases)
    case = sub.add_parser("case", help="兑现事项：立案、查看、办理、刷新测算")
    _register_case(case.add_subparsers(dest="action", required=True))
    p = sub.add_parser("funds", help="资金（各措施、各级预算）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_funds)
    fund = sub.add_parser("fund", help="登记资金")
    p = fund.add_subparsers(dest="action", required=True).add_parser(
        "set", help="登记或修改一项资金的预算"
    )
    p.add_argument("--measure", required=True, help=f"措施（{MEASURES}）")
    p.add_argument("--level", required=True, help=f"资金级别（{'、'.join(LEVELS)}）")
    p.add_argument("--budget", required=True, type=_yuan, help="预算金额（元，可写 300万）")
    p.add_argument("--document", help="资金文件")
    p.add_argument("--pre-allocated", action="store_true", help="预拨（默认：清算）")
    p.set_defaults(run=run_fund_set)
    p = sub.add_parser("publicity", help="公示名单（.xlsx 或 .pdf）")
    p.add_argument("--measure", required=True, help=f"措施（{MEASURES}）")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--county", help="只列出该县（市、区）的企业")
    add_force(p)
    p.set_defaults(run=run_publicity)
    p = sub.add_parser("progress", help="兑现进度表")
    p.add_argument("-o", "--output", type=Path)
    p.add_argument("--json", action="store_true")
    add_force(p)
    p.set_defaults(run=run_progress)


def _register_case(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``case open``, ``case show``, ``case move`` and ``case refresh``."""
    p = sub.add_parser("open", help="按当前测算结果立案")
    p.add_argument("--measure", required=True, help=f"措施（{MEASURES}）")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--uscc", nargs="+", type=_code, help="为这些企业立案")
    which.add_argument("--all-eligible", action="store_true", help="为全部符合条件的企业立案")
    p.set_defaults(run=run_open)
    p = sub.add_parser("show", help="查看一项兑现事项：测算快照、办理记录、拨付记录")
    p.add_argument("case")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_show)
    p = sub.add_parser("move", help="办理兑现事项（全部成功或全部不办）")
    p.add_argument("cases", nargs="+", metavar="CASE")
    p.add_argument("--to", required=True, type=_state, help=f"新状态（{STATES}）")
    p.add_argument("--reason", default="", help="理由")
    p.add_argument("--amount", type=_yuan, help="审核金额（元；默认为测算金额）")
    p.add_argument("--date", type=_day, help="日期 YYYY-MM-DD（受理日期、公示开始日期；默认今天）")
    p.add_argument(
        "--override-budget", action="store_true", help="超出预算仍审核通过（须填写理由）"
    )
    p.set_defaults(run=run_move)
    p = sub.add_parser("refresh", help="以当前测算结果替换测算快照")
    p.add_argument("cases", nargs="+", metavar="CASE")
    p.set_defaults(run=run_refresh)


def _argument(parse: Any, text: str) -> Any:
    try:
        return parse(text)
    except values.ValueProblem as problem:
        raise argparse.ArgumentTypeError(f"「{text}」{problem}") from None


def _yuan(text: str) -> Decimal:
    """An argparse type: an amount in yuan, not negative (``300万`` as well)."""
    return _argument(values.amount, text)


def _day(text: str) -> date:
    """An argparse type: a date."""
    return _argument(values.day, text)


def _code(text: str) -> str:
    """An argparse type: a credit code, checked."""
    return _argument(values.uscc, text)


def _state(text: str) -> State:
    """An argparse type: a state by its JSON or Chinese name."""
    try:
        return parse_state(text)
    except CaseError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


@contextlib.contextmanager
def _refusals() -> Iterator[None]:
    """A refusal of the cases domain or the rules as the command line's one line (exit 2)."""
    try:
        yield
    except (CaseError, ScopeError, PolicyError, PaperworkError) as exc:
        raise CliError(str(exc)) from exc


def _results(
    session: Session, measures: Sequence[str] | None
) -> dict[tuple[str, str, str], Result]:
    """The current results of ``measures`` (None: all), by credit code, measure and period."""
    found = engine.evaluate_roster(session, measures=measures)
    return {(r.uscc, r.measure, r.period): r for r in found}


def line_json(
    line: CaseLine, parameters: CaseParameters, on: date, current: Result | None
) -> dict[str, Any]:
    """One case as the ``cases --json`` object of CLI.md."""
    warning = state_alert(line.measure, line.state, parameters, on)
    return {
        "case": line.number, "measure": line.measure, "period": line.period,
        "uscc": line.uscc, "name": line.name, "county": line.county, "state": line.state.value,
        "snapshot_amount": yuan_json(line.snapshot_amount),
        "approved_amount": yuan_json(line.approved_amount),
        "paid_amount": yuan_json(line.paid_amount),
        "deadline": parameters.deadline(line.measure).isoformat(),
        "warning": None if warning is None else warning.value,
        "changed": current is not None and changed(line, current) is not None,
    }  # fmt: skip


def run_cases(args: argparse.Namespace, ctx: CliContext) -> int:
    """``cases``: the list, with warnings and 测算已变化 against the current results."""
    parameters, on = load_case_parameters(), today()
    with ctx.db.reader() as session, _refusals():
        if args.measure:
            measure(args.measure)
        check_county(session, args.county)
        lines = case_lines(session, measure=args.measure, states=args.state, county=args.county)
        current = _results(session, sorted({line.measure for line in lines})) if lines else {}
    found = [line_json(line, parameters, on, current.get(line.key)) for line in lines]
    if args.json:
        print_json(found)
        return EXIT_OK
    for item, line in zip(found, lines, strict=True):
        marks = [Alert(item["warning"]).label] if item["warning"] else []
        marks += [CHANGED_LABEL] if item["changed"] else []
        cells = (line.number, line.county, line.uscc, line.name, line.state.label,
                 _money(line.snapshot_amount), _money(line.approved_amount),
                 _money(line.paid_amount), "、".join(marks))  # fmt: skip
        print("\t".join(map(printable, cells)))
    print(f"共 {len(lines)} 项")
    return EXIT_OK


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:,.2f}"


def _find(session: Session, numbers: Sequence[str]) -> list[Case]:
    """The cases numbered ``numbers``, in that order; an unknown number refuses them all."""
    wanted = list(dict.fromkeys(n.strip() for n in numbers))
    found = {c.number: c for c in session.scalars(select(Case).where(Case.number.in_(wanted)))}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise CliError(f"没有兑现事项 {'、'.join(missing)}；未作任何改动")
    return [found[n] for n in wanted]


def run_open(args: argparse.Namespace, ctx: CliContext) -> int:
    """``case open``: cases from the current results of one measure, all or none."""
    info = _measure(args.measure)
    basis = basis_of(load_policy(info.document))
    parameters = load_case_parameters()
    with ctx.db.session(source=SOURCE) as session, _refusals():
        results = list(_results(session, [info.key]).values())
        if args.all_eligible:
            opened, already = open_eligible(session, results, basis, parameters)
        else:
            chosen = _chosen(results, args.uscc, info.clause)
            opened, already = open_cases(session, chosen, basis, parameters), 0
    for case in opened:
        print(case.number)
    if already:
        print(f"{already} 项符合条件的测算结果已有兑现事项，未重复立案", file=sys.stderr)
    if not opened:
        print(f"{info.clause}没有可立案的符合条件企业", file=sys.stderr)
    return EXIT_OK


def _chosen(results: Sequence[Result], codes: Sequence[str], clause: str) -> list[Result]:
    """The enterprises' eligible results; an enterprise with none gives its first result (which
    opening refuses, saying its verdict), or is refused here when it has no result at all."""
    chosen: list[Result] = []
    for code in dict.fromkeys(codes):
        mine = [r for r in results if r.uscc == code]
        if not mine:
            raise CliError(f"统一社会信用代码 {code} 不在企业名录中（{clause}没有其测算结果）")
        eligible = [r for r in mine if r.verdict is Verdict.ELIGIBLE]
        chosen += eligible or mine[:1]
    return chosen


def _measure(key: str) -> Measure:
    try:
        return measure(key)
    except ScopeError as exc:
        raise CliError(str(exc)) from exc


def case_json(session: Session, case: Case, parameters: CaseParameters, on: date,
              current: Result | None) -> dict[str, Any]:  # fmt: skip
    """``case show --json``: the list's object, then the level, dates, snapshot, current
    result, history and payments."""
    (line,) = case_lines(session, number=case.number)
    found = changed(case, current) if current is not None else None
    return {
        **line_json(line, parameters, on, current),
        "level": case.level,
        "received_on": _iso(case.received_on),
        "publicity_start": _iso(case.publicity_start),
        "publicity_end": _iso(case.publicity_end),
        "approval_reason": case.approval_reason,
        "snapshot": {
            "verdict": case.snapshot_verdict, "amount": yuan_json(case.snapshot_amount),
            "expected": case.snapshot_expected,
            "explanation": case.snapshot_explanation.splitlines(),
            "document": case.snapshot_document, "parameters": parameters_of(case),
            "at": case.snapshot_at.isoformat(),
        },
        "current": None if current is None else {
            "verdict": current.verdict.value, "amount": yuan_json(current.amount),
            "expected": current.expected,
        },
        "changed_text": None if found is None else found.text(),
        "history": [
            {"from": step.from_state.value, "to": step.to_state.value,
             "on": step.moved_on.isoformat(), "reason": step.reason,
             "amount": yuan_json(step.amount), "budget_override": step.budget_override,
             "operator": step.operator, "at": step.at.isoformat()}
            for step in timeline(session, case)
        ],
        "payments": [
            {"amount": yuan_json(p.amount), "paid_on": p.paid_on.isoformat(),
             "voucher": p.voucher, "level": p.level}
            for p in case.payments
        ],
    }  # fmt: skip


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def run_show(args: argparse.Namespace, ctx: CliContext) -> int:
    """``case show``: one case, its snapshot, history and payments."""
    parameters, on = load_case_parameters(), today()
    with ctx.db.reader() as session, _refusals():
        (case,) = _find(session, [args.case])
        current = _results(session, [case.measure]).get(
            (case.enterprise.uscc, case.measure, case.period)
        )
        shown = case_json(session, case, parameters, on, current)
    if args.json:
        print_json(shown)
        return EXIT_OK
    _print_case(shown)
    return EXIT_OK


def _print_case(shown: dict[str, Any]) -> None:
    state = State(shown["state"]).label
    lines = [
        f"兑现事项 {shown['case']}  {state}",
        f"企业：{shown['name']}（{shown['uscc']}），{shown['county']}",
        f"措施：{measure(shown['measure']).heading}，期间 {shown['period']}，"
        f"资金级别 {shown['level']}",
        f"测算金额：{shown['snapshot_amount'] or '—'}  审核金额：{shown['approved_amount'] or '—'}"
        f"  已拨付：{shown['paid_amount']}  拨付期限：{shown['deadline']}",
    ]
    if shown["warning"]:
        lines.append(f"预警：{Alert(shown['warning']).label}")
    if shown["changed_text"]:
        lines.append(shown["changed_text"])
    if shown["publicity_start"]:
        lines.append(f"公示期：{shown['publicity_start']} 至 {shown['publicity_end']}")
    lines.append("测算说明：")
    lines += [f"  {x}" for x in shown["snapshot"]["explanation"]]
    lines.append("办理记录：")
    for step in shown["history"]:
        why = f"，理由：{step['reason']}" if step["reason"] else ""
        over = f"，超预算理由：{step['budget_override']}" if step["budget_override"] else ""
        amount = f"，金额 {step['amount']}" if step["amount"] else ""
        moved = f"{State(step['from']).label} → {State(step['to']).label}"
        lines.append(f"  {step['on']}  {moved}{amount}{why}{over}（{step['operator']}）")
    lines.append("拨付记录：" + ("" if shown["payments"] else "无"))
    for paid in shown["payments"]:
        lines.append(
            f"  {paid['paid_on']}  {paid['amount']}  凭证号 {paid['voucher']}  {paid['level']}"
        )
    for line in lines:
        print(printable(line))


def run_move(args: argparse.Namespace, ctx: CliContext) -> int:
    """``case move``: every case or none (exit 2 with the first refusal)."""
    if args.amount is not None and args.to is not State.APPROVED:
        raise CliError(f"参数错误：--amount 只用于改为「{State.APPROVED.label}」（approved）")
    if args.override_budget and args.to is not State.APPROVED:
        raise CliError(
            f"参数错误：--override-budget 只用于改为「{State.APPROVED.label}」（approved）"
        )
    if args.override_budget and not args.reason.strip():
        raise CliError("超出预算审核通过须填写理由（--reason）")
    override = args.reason if args.override_budget else ""
    move = Move(
        args.to, reason=args.reason, on=args.date, amount=args.amount, override_budget=override
    )
    with ctx.db.session(source=SOURCE) as session, _refusals():
        moved = move_cases(
            session, _find(session, args.cases), move, load_case_parameters(), today()
        )
        numbers = [m.case.number for m in moved]
        notes = [(m.case.number, m.note) for m in moved if m.note]
    print(f"已改为「{args.to.label}」：{'、'.join(numbers)}")
    for number, note in notes:
        print(printable(f"{number}：{note}"))
    return EXIT_OK


def run_refresh(args: argparse.Namespace, ctx: CliContext) -> int:
    """``case refresh``: the current results as the snapshots, all or none."""
    with ctx.db.session(source=SOURCE) as session, _refusals():
        cases = _find(session, args.cases)
        current = _results(session, sorted({c.measure for c in cases}))
        said = []
        for case in cases:
            key = (case.enterprise.uscc, case.measure, case.period)
            result = current.get(key)
            if result is None:
                raise CaseError(
                    f"兑现事项 {case.number} 没有当前测算结果（企业不在名录中或期间不符），未刷新"
                )
            difference = changed(case, result)
            refresh(session, case, result, basis_of(load_policy(measure(case.measure).document)))
            said.append(
                f"{case.number}：{difference.text() if difference else '测算结果未变化'}，已刷新"
            )
    for line in said:
        print(printable(line))
    return EXIT_OK


def fund_json(session: Session, fund: Fund) -> dict[str, Any]:
    """One fund as ``funds --json`` prints it."""
    approved = approved_total(session, fund.measure, fund.level)
    return {
        "measure": fund.measure, "level": fund.level, "budget": yuan_json(fund.budget),
        "document": fund.document, "pre_allocated": fund.pre_allocated,
        "approved": yuan_json(approved), "remaining": yuan_json(fund.budget - approved),
    }  # fmt: skip


def run_funds(args: argparse.Namespace, ctx: CliContext) -> int:
    """``funds``: every fund with what the approvals hold of it."""
    order = list(CATALOGUE)
    with ctx.db.reader() as session:
        funds = sorted(
            session.scalars(select(Fund)),
            key=lambda f: (
                order.index(f.measure) if f.measure in order else len(order),
                LEVELS.index(f.level),
            ),
        )
        found = [fund_json(session, f) for f in funds]
    if args.json:
        print_json(found)
        return EXIT_OK
    for f in found:
        kind = "预拨" if f["pre_allocated"] else "清算"
        figures = f"预算 {f['budget']}，已审核 {f['approved']}，剩余 {f['remaining']}"
        document = f["document"] or "未填资金文件"
        print(printable(f"{fund_name(f['measure'], f['level'])}：{figures}，{kind}，{document}"))
    if not found:
        print("尚未登记资金")
    return EXIT_OK


def run_fund_set(args: argparse.Namespace, ctx: CliContext) -> int:
    """``fund set``: record or change a fund."""
    info = _measure(args.measure)
    with ctx.db.session(source=SOURCE) as session, _refusals():
        fund = record_fund(
            session,
            info.key,
            args.level,
            args.budget,
            document=args.document,
            pre_allocated=args.pre_allocated,
        )
        line = f"已登记{fund_name(fund.measure, fund.level)}：预算 {fund.budget:,.2f} 元"
    print(line)
    return EXIT_OK


def run_publicity(args: argparse.Namespace, ctx: CliContext) -> int:
    """``publicity``: the 公示名单 as a workbook, or a PDF for ``.pdf``."""
    out = output_path(args.output, ctx, force=args.force)
    pdf = out.suffix.lower() == ".pdf"
    if not pdf and out.suffix.lower() != ".xlsx":
        raise CliError(f"公示名单应写为 .xlsx 或 .pdf：{out.name}")
    with ctx.db.reader() as session, _refusals():
        notice = publicity_list(session, args.measure, args.county, today())
    with written(out, "公示名单") as temporary, _refusals():
        if pdf:
            from desktop.printing.publicity import write_publicity_pdf  # Qt only for a PDF

            warnings = []
            write_publicity_pdf(notice, temporary)
        else:
            warnings = write_publicity_workbook(notice, temporary)
    print(f"已写出 {out}：公示名单 {len(notice.rows)} 户，拟支持金额合计 {notice.total:,.2f} 元")
    for warning in warnings:
        print(warning, file=sys.stderr)
    return EXIT_PARTIAL if warnings else EXIT_OK


def run_progress(args: argparse.Namespace, ctx: CliContext) -> int:
    """``progress``: the 兑现进度表 written to ``-o`` and/or printed as JSON."""
    if args.output is None and not args.json:
        raise CliError("参数错误：请用 -o OUT.xlsx 写出兑现进度表，或用 --json 输出")
    out = args.output and output_path(args.output, ctx, force=args.force)
    on = today()
    with ctx.db.reader() as session, _refusals():
        board = progress_board(session, on)
    if out:
        with written(out, "兑现进度表") as temporary:
            write_progress_board(board, temporary, on)
    if args.json:
        print_json(progress_json(board, on))
    else:
        _print_progress(board)
    if out:
        print(f"已写出 {out}：兑现进度表", file=sys.stderr if args.json else sys.stdout)
    return EXIT_OK


def progress_json(board: Sequence[MeasureProgress], on: date) -> dict[str, Any]:
    """``progress --json``: ``{"date", "measures": [MEASURE]}``."""
    return {"date": on.isoformat(), "measures": [m.to_json() for m in board]}


def _print_progress(board: Sequence[MeasureProgress]) -> None:
    for m in board:
        remaining = (
            "未登记资金" if m.remaining_budget is None else f"剩余预算 {m.remaining_budget:,.2f}"
        )
        for row in [*m.counties, m.total]:
            print(
                printable(
                    f"{measure(m.measure).clause} {row.county or '合计'}：符合 {row.eligible}，"
                    f"立案 {row.cases}，审核通过 {row.approved:,.2f}，已拨付 {row.paid:,.2f}，"
                    f"超期 {row.red}，临近 {row.yellow}"
                    + (f"，{remaining}" if row.county is None else "")
                )
            )
