"""Subcommands that decide: evaluate, calc."""

from __future__ import annotations

import argparse

from desktop.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    CliContext,
    CliError,
    print_json,
    printable,
    terminal_progress,
)
from desktop.rules.calculators import CALCULATORS, Calculator, CalculatorError
from desktop.rules.catalogue import ScopeError
from desktop.rules.engine import evaluate_roster
from desktop.rules.policy import PolicyError
from desktop.rules.result import Result, Verdict
from desktop.rules.totals import what_if
from desktop.store.settings import get_setting
from desktop.values import money_text


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``evaluate`` and ``calc``."""
    p = sub.add_parser("evaluate", help="按措施测算全部企业")
    p.add_argument("--measure")
    p.add_argument("--county")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_evaluate)
    p = sub.add_parser("calc", help="逐案计算器（第二、六、七、九、十四条）")
    p.add_argument("name")
    p.add_argument("params", nargs=argparse.REMAINDER)
    p.set_defaults(run=run_calc)


def _overrides(pairs: list[str]) -> dict[str, str]:
    bad = [p for p in pairs if "=" not in p]
    if bad:
        raise CliError(f"--set 应写作「参数=值」，如 12.city_match_ratio=0.6：「{bad[0]}」")
    return dict(p.split("=", 1) for p in pairs)


def result_json(r: Result) -> dict[str, object]:
    """One result as the object of CLI.md."""
    return {
        "measure": r.measure, "uscc": r.uscc, "name": r.name, "county": r.county,
        "period": r.period, "verdict": r.verdict.value,
        "amount": None if r.amount is None else f"{r.amount:.2f}", "expected": r.expected,
        "clause": r.clause, "explanation": list(r.explanation),
    }  # fmt: skip


def run_evaluate(args: argparse.Namespace, ctx: CliContext) -> int:
    """``evaluate``: decide, print, exit 1 when some results are incomplete."""
    measures = [args.measure] if args.measure else None
    overrides = _overrides(args.set)
    try:
        with ctx.db.reader() as session:
            results = evaluate_roster(session, measures=measures, county=args.county,
                                      overrides=overrides,
                                      progress=terminal_progress("测算"))  # fmt: skip
            before = (evaluate_roster(session, measures=measures, county=args.county)
                      if overrides and not args.json else results)  # fmt: skip
    except (PolicyError, ScopeError) as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print_json([result_json(r) for r in results])
    else:
        _print_table(results, before, bool(overrides))
    return EXIT_PARTIAL if any(r.verdict is Verdict.INCOMPLETE for r in results) else EXIT_OK


def _print_table(results: list[Result], before: list[Result], changed: bool) -> None:
    for r in results:
        amount = "" if r.amount is None else money_text(r.amount)
        cells = (r.clause, r.period, r.county, r.uscc, r.name, r.verdict.label, amount)
        print("\t".join(map(printable, cells)))
    print("\n合计（措施／县区：符合／不符合／资料不全／金额）")
    for change in what_if(before, results):
        old, new = change.before, change.after
        c = new.counts
        line = (f"第{change.measure}条 {change.county or '全部'}：{c[Verdict.ELIGIBLE]}／"
                f"{c[Verdict.INELIGIBLE]}／{c[Verdict.INCOMPLETE]}／"
                f"{money_text(new.budget)}")  # fmt: skip
        if changed:
            line += f"（调整前 {old.eligible} 户，{money_text(old.budget)}）"
        print(line)


def _calc_arguments(calc: Calculator, pairs: list[str]) -> dict[str, str]:
    """``["--days", "12"]`` → ``{"days": "12"}``; the calculator reads each by its parameter."""
    if len(pairs) % 2 or not all(k.startswith("--") for k in pairs[::2]):
        raise CliError(f"参数应写作「--名称 值」：{' '.join(pairs)}")
    given: dict[str, str] = {}
    for key, text in zip(pairs[::2], pairs[1::2], strict=True):
        name = key[2:].replace("-", "_")
        if name not in calc.params:
            raise CliError(f"计算器「{calc.title}」没有参数 {key}；可用：{_usage(calc)}")
        given[name] = text
    return given


def _usage(calc: Calculator) -> str:
    return "、".join(f"--{name}（{label}）" for name, label in calc.labels.items())


def run_calc(args: argparse.Namespace, ctx: CliContext) -> int:
    """``calc NAME --key value...``: one calculator's answer."""
    calc = CALCULATORS.get(args.name)
    if calc is None:
        raise CliError(f"没有计算器「{args.name}」；可用：{'、'.join(CALCULATORS)}")
    given = _calc_arguments(calc, args.params)
    if args.name == "employment" and "per_person" not in given:
        with ctx.db.reader() as session:
            given["per_person"] = get_setting(session, "employment_subsidy_per_person")
    missing = [n for n in calc.labels if n not in given]
    if missing:
        raise CliError(f"缺少参数：{'、'.join(f'--{n}（{calc.labels[n]}）' for n in missing)}")
    try:
        answer = calc(**given)
    except CalculatorError as exc:
        raise CliError(str(exc)) from None
    if answer.amount is not None:
        print(f"金额：{answer.amount:.2f} 元")
    print("\n".join(answer.explanation))
    return EXIT_OK
