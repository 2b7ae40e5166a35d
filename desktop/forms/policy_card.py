"""政策明白卡 (TASKFORCE.md): one page per enterprise, taken on a visit — every roster-wide
measure with the current result's verdict and amount (or what is missing and where to enter
it), the case's state where one is open, and the enterprise's 包联 leader, team and contact."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from desktop.cases.states import State as CaseState
from desktop.forms.document import (
    Document,
    Grid,
    GridColumn,
    Line,
    Paragraph,
    Title,
    field_grid,
    numbered_heading,
)
from desktop.models import Assignment, Case, Enterprise, ServiceTeam
from desktop.paperwork import PaperworkError
from desktop.progress import Progress
from desktop.rules import catalogue, engine
from desktop.rules.labels import enterprise_label
from desktop.rules.policy import load_policy
from desktop.rules.result import EXPECTED_NOTE, Result, Verdict
from desktop.taskforce.bulletin_tables import day_text

TITLE = "政策明白卡"
ASKS = "请"  # an incomplete result's lines saying what to enter where ask for it: 请在…补录
PER_CASE = "第二、六、七、九、十四条等措施按企业申请逐案办理，可向包联服务人员咨询。"
NO_CASE = "未立案"
UNASSIGNED = "未安排"
RESULT_COLUMNS = (
    GridColumn("条款", 5), GridColumn("支持事项", 9), GridColumn("期间", 5),
    GridColumn("测算结论", 5), GridColumn("金额（元）", 7, "right"), GridColumn("说明", 15),
    GridColumn("兑现进度", 8),
)  # fmt: skip


@dataclass(frozen=True)
class CardSelection:
    """The cards to print, and a line for each requested code the roster does not hold."""

    cards: list[Document]
    skipped: list[str]


def policy_cards(
    session: Session, usccs: Sequence[str], on: date, progress: Progress | None = None
) -> CardSelection:
    """The card of each enterprise of ``usccs`` (in that order) as decided now; PaperworkError
    when the roster holds none of them."""
    wanted = list(dict.fromkeys(usccs))
    firms = _enterprises(session, wanted)
    skipped = [f"{enterprise_label('uscc')} {c} 不在企业名录中" for c in wanted if c not in firms]
    if not firms:
        raise PaperworkError("；".join(skipped) if skipped else "没有要打印政策明白卡的企业")
    results = _results(session, list(firms.values()), progress)
    cases = _cases(session, list(firms.values()))
    cards = [
        _card(session, firm, results.get(firm.uscc, []), cases, on)
        for code in wanted
        if (firm := firms.get(code)) is not None
    ]
    return CardSelection(cards, skipped)


def _enterprises(session: Session, usccs: list[str]) -> dict[str, Enterprise]:
    query = (
        select(Enterprise).where(Enterprise.uscc.in_(usccs)).options(joinedload(Enterprise.county))
    )
    return {e.uscc: e for e in session.scalars(query)}


def _results(
    session: Session, firms: list[Enterprise], progress: Progress | None
) -> dict[str, list[Result]]:
    """The current results of ``firms``, evaluated county by county."""
    found: dict[str, list[Result]] = {}
    codes = {f.uscc for f in firms}
    for county in sorted({f.county.name for f in firms}):
        for r in engine.evaluate_roster(session, county=county, progress=progress):
            if r.uscc in codes:
                found.setdefault(r.uscc, []).append(r)
    return found


def _cases(session: Session, firms: list[Enterprise]) -> dict[tuple[int, str, str], Case]:
    """The latest case of each (enterprise, measure, period)."""
    query = (
        select(Case).where(Case.enterprise_id.in_([f.id for f in firms])).order_by(Case.sequence)
    )
    return {(c.enterprise_id, c.measure, c.period): c for c in session.scalars(query)}


def _card(
    session: Session,
    firm: Enterprise,
    results: list[Result],
    cases: dict[tuple[int, str, str], Case],
    on: date,
) -> Document:
    policy = load_policy()
    rows = tuple(_result_row(r, cases.get((firm.id, r.measure, r.period))) for r in results)
    return Document(
        f"{TITLE}（{firm.name}）",
        (
            Title(TITLE),
            Line(f"《{policy.title}》（{policy.number}）", "center"),
            numbered_heading(1, "企业基本情况"),
            field_grid(_enterprise_pairs(firm)),
            numbered_heading(2, "可享受的政策及测算结果"),
            Grid(RESULT_COLUMNS, rows),
            Paragraph(PER_CASE),
            numbered_heading(3, "包联服务"),
            field_grid(_service_pairs(session, firm)),
            Line(f"测算日期：{day_text(on)}　　金额为按现有数据测算，以主管部门审核为准", "right"),
        ),
    )


def _enterprise_pairs(firm: Enterprise) -> list[tuple[str, str]]:
    label = enterprise_label
    return [
        (label("name"), firm.name),
        (label("uscc"), firm.uscc),
        (label("county_id"), firm.county.name),
        (label("size"), firm.size or "—"),
        (label("above_scale"), "是" if firm.above_scale else "否"),
        (label("contact"), firm.contact or "—"),
        (label("phone"), firm.phone or "—"),
    ]


def _service_pairs(session: Session, firm: Enterprise) -> list[tuple[str, str]]:
    a = session.scalar(select(Assignment).where(Assignment.enterprise_id == firm.id))
    leader = a.leader if a else None
    team = a.team if a else None
    commissioner = a.commissioner if a else None
    return [
        ("包联领导", _person(leader.name, leader.post) if leader else UNASSIGNED),
        ("领导电话", (leader.phone if leader else None) or "—"),
        ("服务小组", team.name if team else UNASSIGNED),
        ("小组成员", _members(team) if team else "—"),
        ("服务专员", commissioner.name if commissioner else UNASSIGNED),
        ("联系电话", (a.phone if a else None) or (commissioner.phone if commissioner else None)
         or "—"),
    ]  # fmt: skip


def _person(name: str, post: str | None) -> str:
    return f"{name}（{post}）" if post else name


def _members(team: ServiceTeam) -> str:
    names = [m.person.name for m in sorted(team.members, key=lambda m: m.id)]
    return "、".join(names) or "—"


def _result_row(r: Result, case: Case | None) -> tuple[str, ...]:
    info = catalogue.measure(r.measure)
    if r.verdict is Verdict.ELIGIBLE and r.amount is not None:
        amount = f"{r.amount:,.2f}"
        note = EXPECTED_NOTE if r.expected else "符合条件，可申报"
    elif r.verdict is Verdict.INCOMPLETE:
        amount = "—"
        note = "\n".join([line for line in r.explanation if ASKS in line] or r.explanation)
    else:
        amount, note = "—", r.explanation[-1] if r.explanation else ""
    progress = f"{case.number}\n{CaseState(case.state).label}" if case else NO_CASE
    return (r.clause, info.subject, r.period, r.verdict.label, amount, note, progress)
