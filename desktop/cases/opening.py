"""Opening cases from results, refreshing their snapshot, and noticing when a result changed.

Results are passed in (``desktop.rules.result.Result``); nothing here evaluates a measure.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.cases.errors import CaseError, yuan_text
from desktop.cases.parameters import CaseParameters
from desktop.cases.states import REFRESHABLE, STANDING, State, labels
from desktop.cases.writes import insert_rows, update_objects
from desktop.gcpause import gc_paused
from desktop.models import Case, Enterprise, utcnow
from desktop.rules.result import Result, Verdict

CHANGED_LABEL = "测算已变化"
CHUNK = 10_000


@dataclass(frozen=True)
class Basis:
    """The policy a result was computed with: its document id and the parameter values used
    (key → the value as written), of which a case keeps its measure's (``12.…`` for 12)."""

    document: str
    parameters: Mapping[str, str]

    def of_measure(self, measure: str) -> dict[str, str]:
        """The parameters of ``measure``."""
        return {k: v for k, v in sorted(self.parameters.items()) if k.split(".")[0] == measure}


class _Parameter(Protocol):
    @property
    def text(self) -> str: ...


class _Policy(Protocol):  # read-only members, so a frozen Policy fits
    @property
    def document(self) -> str: ...
    @property
    def parameters(self) -> Mapping[str, _Parameter]: ...


def basis_of(policy: _Policy) -> Basis:
    """The basis of results computed with ``policy`` (a ``desktop.rules.policy.Policy``)."""
    return Basis(policy.document, {k: p.text for k, p in policy.parameters.items()})


def case_number(measure: str, period: str, sequence: int) -> str:
    """``12-2023Q1-0007``: the measure, the period without its dash, the sequence."""
    return f"{measure}-{period.replace('-', '')}-{sequence:04d}"


def _describe(result: Result) -> str:
    return f"{result.name}（{result.uscc}）{result.clause}{result.period}"


Key = tuple[str, str, str]  # credit code, measure, period


def _standing(session: Session, results: Sequence[Result]) -> dict[Key, Case]:
    """The standing cases of the results' enterprises, measures and periods: one query."""
    query = (
        select(Case, Enterprise.uscc)
        .join(Case.enterprise)
        .where(Case.measure.in_({r.measure for r in results}), Case.state.in_(STANDING))
    )
    found = session.execute(query)
    return {(uscc, c.measure, c.period): c for c, uscc in found}


def _snapshot(
    result: Result, basis: Basis, at: datetime, parameters: str | None = None
) -> dict[str, Any]:
    """The snapshot columns of a case opened (or refreshed) on ``result``; ``parameters`` its
    measure's parameters as JSON, when the caller has them already."""
    if parameters is None:
        parameters = json.dumps(basis.of_measure(result.measure), ensure_ascii=False)
    return {
        "snapshot_verdict": result.verdict.value,
        "snapshot_amount": result.amount,
        "snapshot_expected": result.expected,
        "snapshot_explanation": "\n".join(result.explanation),
        "snapshot_document": basis.document,
        "snapshot_parameters": parameters,
        "snapshot_at": at,
    }


def _enterprises(session: Session, results: Sequence[Result]) -> dict[str, int]:
    """The ids of the results' enterprises in the roster, by credit code."""
    codes = sorted({r.uscc for r in results})
    found: dict[str, int] = {}
    for start in range(0, len(codes), CHUNK):  # within SQLite's limit on bound values
        chunk = codes[start : start + CHUNK]
        query = select(Enterprise.uscc, Enterprise.id).where(Enterprise.uscc.in_(chunk))
        found.update((uscc, id_) for uscc, id_ in session.execute(query))
    return found


def _refusal(result: Result, enterprise: int | None, standing: Case | None) -> str | None:
    if result.verdict is not Verdict.ELIGIBLE:
        return f"{_describe(result)} 测算结论为「{result.verdict.label}」，不能立案"
    if enterprise is None:
        return f"{_describe(result)} 不在企业名录中，不能立案"
    if standing is not None:
        return (
            f"{_describe(result)} 已有兑现事项 {standing.number}（{State(standing.state).label}），"
            f"不能重复立案；该事项不予支持或撤回后方可重新立案"
        )
    return None


def _next_sequence(session: Session, measure: str, period: str) -> int:
    last = session.scalar(
        select(func.max(Case.sequence)).where(Case.measure == measure, Case.period == period)
    )
    return (last or 0) + 1


def _screen(
    session: Session, chosen: Sequence[Result], standing: Mapping[Key, Case] | None = None
) -> tuple[dict[str, int], list[tuple[Result, str | None]]]:
    """The ids of the results' enterprises, and each result with why it may not be opened (or
    ``None``): not eligible, not in the roster, a standing case already (``standing``, when the
    caller has read them), or given twice."""
    enterprises = _enterprises(session, chosen)
    standing = _standing(session, chosen) if standing is None else standing
    seen: set[Key] = set()
    screened: list[tuple[Result, str | None]] = []
    for result in chosen:
        key = (result.uscc, result.measure, result.period)
        problem = _refusal(result, enterprises.get(result.uscc), standing.get(key))
        if problem is None and key in seen:
            problem = f"{_describe(result)} 在本次立案中出现两次"
        if problem is None:
            seen.add(key)
        screened.append((result, problem))
    return enterprises, screened


def open_cases(
    session: Session,
    results: Iterable[Result],
    basis: Basis,
    parameters: CaseParameters,
    at: datetime | None = None,
) -> list[Case]:
    """Open one case per result, all or none: each result must be eligible, of an enterprise
    in the roster, without a standing case for its measure and period (nor twice given)."""
    chosen = list(results)
    return _load(session, [i for i, _ in _open(session, chosen, basis, parameters, at)])


def _open(
    session: Session,
    chosen: Sequence[Result],
    basis: Basis,
    parameters: CaseParameters,
    at: datetime | None,
    standing: Mapping[Key, Case] | None = None,
) -> list[tuple[int, str]]:
    """:func:`open_cases` of ``chosen`` (``standing``: their measures' standing cases, read):
    the ids and numbers of the cases opened."""
    with gc_paused():  # the rows of thousands of cases: many acyclic objects
        enterprises, screened = _screen(session, chosen, standing)
        for _result, problem in screened:
            if problem is not None:
                raise CaseError(problem)
        at = at or utcnow()
        sequences: dict[tuple[str, str], int] = {}
        measures = {r.measure for r in chosen}
        used = {m: json.dumps(basis.of_measure(m), ensure_ascii=False) for m in measures}
        rows = []
        for result in chosen:
            where = (result.measure, result.period)
            sequence = sequences.get(where) or _next_sequence(session, *where)
            sequences[where] = sequence + 1
            rows.append({
                "number": case_number(result.measure, result.period, sequence),
                "enterprise_id": enterprises[result.uscc], "measure": result.measure,
                "period": result.period, "sequence": sequence,
                "level": parameters.level(result.measure), "state": State.OPEN.value,
                **_snapshot(result, basis, at, used[result.measure]), **_UNMOVED,
            })  # fmt: skip
        numbers = [r["number"] for r in rows]
        return list(zip(insert_rows(session, Case, rows, numbers), numbers, strict=True))


_UNMOVED = dict.fromkeys(
    ("approved_amount", "approval_reason", "received_on", "publicity_start", "publicity_end")
)  # what the moves fill in


def _load(session: Session, ids: Sequence[int]) -> list[Case]:
    """The cases just inserted (ids in one run), in order."""
    if not ids:
        return []
    found = session.scalars(select(Case).where(Case.id.between(ids[0], ids[-1])).order_by(Case.id))
    return list(found)


def open_eligible(
    session: Session,
    results: Iterable[Result],
    basis: Basis,
    parameters: CaseParameters,
    at: datetime | None = None,
) -> tuple[list[Case], int]:
    """免申即享: a case for every eligible result that has no standing case yet.

    Returns the cases opened and how many eligible results already had one (left alone).
    """
    opened, had = _open_eligible(session, results, basis, parameters, at)
    return _load(session, [i for i, _ in opened]), had


def open_eligible_numbers(
    session: Session,
    results: Iterable[Result],
    basis: Basis,
    parameters: CaseParameters,
    at: datetime | None = None,
) -> tuple[list[str], int]:
    """:func:`open_eligible`, saying the numbers of the cases opened rather than reading them
    back as objects (which costs as much as opening them)."""
    opened, had = _open_eligible(session, results, basis, parameters, at)
    return [number for _, number in opened], had


def _open_eligible(
    session: Session,
    results: Iterable[Result],
    basis: Basis,
    parameters: CaseParameters,
    at: datetime | None,
) -> tuple[list[tuple[int, str]], int]:
    eligible = [r for r in results if r.verdict is Verdict.ELIGIBLE]
    standing = _standing(session, eligible)
    fresh = [r for r in eligible if (r.uscc, r.measure, r.period) not in standing]
    return _open(session, fresh, basis, parameters, at, standing), len(eligible) - len(fresh)


@dataclass(frozen=True)
class Opening:
    """What opening a selection did: the cases opened, and why each other result was not."""

    opened: list[Case]
    refused: list[str]


def open_selected(
    session: Session,
    results: Iterable[Result],
    basis: Basis,
    parameters: CaseParameters,
    at: datetime | None = None,
) -> Opening:
    """Open a case for each result that may have one (as :func:`open_cases` checks), and say
    why each of the others was left (the window's 「立案」 on a selection)."""
    _, screened = _screen(session, list(results))
    fresh = [r for r, problem in screened if problem is None]
    refused = [problem for _r, problem in screened if problem is not None]
    return Opening(open_cases(session, fresh, basis, parameters, at), refused)


def standing_numbers(session: Session, results: Sequence[Result]) -> dict[Key, str]:
    """The numbers of the standing cases of the results' enterprises, measures and periods,
    by (credit code, measure, period)."""
    return {key: case.number for key, case in _standing(session, results).items()}


def refresh(
    session: Session, case: Case, result: Result, basis: Basis, at: datetime | None = None
) -> None:
    """Take ``result`` as the case's snapshot (only while open, received or returned)."""
    if State(case.state) not in REFRESHABLE:
        raise CaseError(
            f"兑现事项 {case.number} 当前为「{State(case.state).label}」，"
            f"只有{labels(REFRESHABLE)}时可以刷新测算结果"
        )
    if (result.uscc, result.measure, result.period) != (
        case.enterprise.uscc,
        case.measure,
        case.period,
    ):
        raise CaseError(f"{_describe(result)} 不是兑现事项 {case.number} 的测算结果")
    update_objects(session, [(case, _snapshot(result, basis, at or utcnow()))])


@dataclass(frozen=True)
class Outcome:
    """A verdict and an amount, as the snapshot keeps it or a new evaluation gives it."""

    verdict: Verdict
    amount: Decimal | None
    expected: bool

    def text(self) -> str:
        """符合，250,000.00元（预计）."""
        amount = "" if self.amount is None else f"，{yuan_text(self.amount)}"
        return f"{self.verdict.label}{amount}{'（预计）' if self.expected else ''}"


@dataclass(frozen=True)
class Changed:
    """测算已变化: the snapshot and the new result, side by side."""

    snapshot: Outcome
    current: Outcome
    label: str = CHANGED_LABEL

    def text(self) -> str:
        """测算已变化：立案时 符合，250,000.00元；现在 不符合."""
        return f"{self.label}：立案时 {self.snapshot.text()}；现在 {self.current.text()}"


class Snapshotted(Protocol):
    """What has a snapshot: a case, or a line of the case list (``listing.CaseLine``)."""

    @property
    def snapshot_verdict(self) -> str: ...
    @property
    def snapshot_amount(self) -> Decimal | None: ...
    @property
    def snapshot_expected(self) -> bool: ...


def snapshot_of(case: Snapshotted) -> Outcome:
    """What the case was opened (or last refreshed) on."""
    return Outcome(Verdict(case.snapshot_verdict), case.snapshot_amount, case.snapshot_expected)


def changed(case: Snapshotted, result: Result) -> Changed | None:
    """The difference when ``result`` gives another verdict or amount than the snapshot."""
    before = snapshot_of(case)
    if (before.verdict, before.amount) == (result.verdict, result.amount):
        return None
    return Changed(before, Outcome(result.verdict, result.amount, result.expected))


def snapshot_parameters(case: Case) -> dict[str, Any]:
    """The parameter values the snapshot was computed with."""
    return dict(json.loads(case.snapshot_parameters))
