"""Subcommands of subsidy cases (CASES.md): cases, case open/show/move/refresh. Each write is
one transaction: a refused case refuses the command (exit 2, nothing written)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop import values
from desktop.cases.deadlines import Alert, state_alert
from desktop.cases.errors import CaseError
from desktop.cases.listing import CaseLine, case_lines
from desktop.cases.moves import Move, move_cases
from desktop.cases.opening import (
    CHANGED_LABEL,
    basis_of,
    changed,
    open_cases,
    open_eligible_numbers,
    refresh,
)
from desktop.cases.opening import snapshot_parameters as parameters_of
from desktop.cases.parameters import CaseParameters, load_case_parameters
from desktop.cases.progress import yuan_json
from desktop.cases.reversal import reversal_text
from desktop.cases.states import State, parse_state
from desktop.cases.timeline import timeline
from desktop.cli.common import (
    EXIT_OK,
    CliContext,
    CliError,
    print_json,
    printable,
)
from desktop.models import Case
from desktop.paperwork import PaperworkError
from desktop.rules import engine
from desktop.rules.catalogue import CATALOGUE, ScopeError, check_county, measure
from desktop.rules.measure import Measure
from desktop.rules.policy import PolicyError, load_policy
from desktop.rules.result import Result, Verdict

SOURCE = "command"  # the change log's source
MEASURES = "、".join(CATALOGUE)
STATES = "、".join(s.value for s in State)
T = TypeVar("T")


def today() -> date:
    """The day the commands work on (deadlines, publicity dates, the lists' date)."""
    return date.today()


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``cases`` and ``case`` (open, show, move, refresh)."""
    p = sub.add_parser("cases", help="兑现事项列表")
    p.add_argument("--measure", help=f"措施（{MEASURES}）")
    p.add_argument("--state", action="append", default=[], type=_state,
                   help=f"办理状态（{STATES}，可重复）")  # fmt: skip
    p.add_argument("--county")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_cases)
    case = sub.add_parser("case", help="兑现事项：立案、查看、办理、刷新测算")
    _register_case(case.add_subparsers(dest="action", required=True))


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
    p.add_argument("--amount", type=yuan_argument, help="审核金额（元；默认为测算金额）")
    p.add_argument("--date", type=_day, help="日期 YYYY-MM-DD（受理日期、公示开始日期；默认今天）")
    p.add_argument(
        "--override-budget", action="store_true", help="超出预算仍审核通过（须填写理由）"
    )
    p.set_defaults(run=run_move)
    p = sub.add_parser("refresh", help="以当前测算结果替换测算快照")
    p.add_argument("cases", nargs="+", metavar="CASE")
    p.set_defaults(run=run_refresh)


def _argument(parse: Callable[[str], T], text: str) -> T:
    """``parse(text)`` as an argparse type: a bad value is the parser's own words."""
    try:
        return parse(text)
    except values.ValueProblem as problem:
        raise argparse.ArgumentTypeError(f"「{text}」{problem}") from None


def yuan_argument(text: str) -> Decimal:
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
def refusals() -> Iterator[None]:
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
    with ctx.db.reader() as session, refusals():
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
    info = measure_of(args.measure)
    basis = basis_of(load_policy(info.document))
    parameters = load_case_parameters()
    with ctx.db.session(source=SOURCE) as session, refusals():
        results = list(_results(session, [info.key]).values())
        if args.all_eligible:  # by number: the cases are not read back as objects
            opened, already = open_eligible_numbers(session, results, basis, parameters)
        else:
            chosen = _chosen(results, args.uscc, info.clause)
            opened, already = [c.number for c in open_cases(session, chosen, basis, parameters)], 0
    for number in opened:
        print(number)
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


def measure_of(key: str) -> Measure:
    """The measure ``key``, or the command line's one line naming the others."""
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
             "voucher": p.voucher, "level": p.level, "reversed_on": _iso(p.reversed_on),
             "reversal_reason": p.reversal_reason}
            for p in case.payments
        ],
    }  # fmt: skip


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def run_show(args: argparse.Namespace, ctx: CliContext) -> int:
    """``case show``: one case, its snapshot, history and payments."""
    parameters, on = load_case_parameters(), today()
    with ctx.db.reader() as session, refusals():
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
        on = paid["reversed_on"] and date.fromisoformat(paid["reversed_on"])
        reversal = reversal_text(on, paid["reversal_reason"])
        lines.append(
            f"  {paid['paid_on']}  {paid['amount']}  凭证号 {paid['voucher']}  {paid['level']}"
            + (f"  {reversal}" if reversal else "")
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
    with ctx.db.session(source=SOURCE) as session, refusals():
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
    with ctx.db.session(source=SOURCE) as session, refusals():
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
