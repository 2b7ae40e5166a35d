"""督办单 (supervision notice, 第十七条): one page per red problem — the problem, its leading and
assisting units, the deadline, the days overdue and a box for the reply."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from desktop.forms.document import Document, Line, Paragraph, Title, WritingBox, field_grid
from desktop.models import Enterprise, Problem, column_label
from desktop.paperwork import PaperworkError
from desktop.rules.labels import enterprise_label
from desktop.rules.policy import load_policy
from desktop.taskforce.bulletin_tables import day_text
from desktop.taskforce.problem_states import State
from desktop.taskforce.problems import problem_lines

TITLE = "问题督办单"
TASK_FORCE = "工业企业复工复产工作专班"
UNASSIGNED = "未确定（尚未交办）"  # a problem raised on a visit, red before its 交办
REPLY = "办理情况反馈（主办单位填写）："
REPLY_FOOTER = "主办单位（盖章）　　　　负责人（签字）：　　　　　　\n\n年　　月　　日"


def notice_number(problem: Problem) -> str:
    """The notice's number: 督办〔2023〕7号 (the problem's id, in its deadline's year)."""
    return f"督办〔{problem.deadline.year}〕{problem.id}号"


def supervision_notices(session: Session, today: date) -> list[Document]:
    """The notice of every problem red on ``today``, by deadline; PaperworkError when none is."""
    red = [line.id for line in problem_lines(session, today, overdue=True)]
    if not red:
        raise PaperworkError(f"截至{day_text(today)}没有超期未办结的问题，无需督办")
    query = (
        select(Problem)
        .where(Problem.id.in_(red))
        .options(joinedload(Problem.enterprise).joinedload(Enterprise.county))
    )
    found = {p.id: p for p in session.scalars(query)}
    return [_notice(found[i], today) for i in red]


def _label(column: str) -> str:
    return column_label("problem", column)


def _who_acts(problem: Problem, assisting: str) -> str:
    """Who the notice asks to act: the 主办单位 (with the 协办), or, before 交办, the task force
    itself to assign it."""
    if not problem.lead_unit:
        return "请抓紧交办，确定主办单位和办理时限后办理"
    helped = f"、协办单位{assisting}配合" if problem.assisting_units else ""
    return f"请主办单位{problem.lead_unit}牵头{helped}，抓紧办理"


def _notice(problem: Problem, today: date) -> Document:
    firm = problem.enterprise
    overdue = (today - problem.deadline).days
    assisting = problem.assisting_units or "—"
    pairs = [
        (enterprise_label("name"), firm.name),
        (enterprise_label("uscc"), firm.uscc),
        (enterprise_label("county_id"), firm.county.name),
        (_label("raised_on"), day_text(problem.raised_on)),
        (_label("source"), problem.source or "—"),
        (_label("category"), problem.category),
        (_label("description"), problem.description),
        (_label("lead_unit"), problem.lead_unit or UNASSIGNED),
        (_label("assisting_units"), assisting),
        (_label("deadline"), day_text(problem.deadline)),
        ("超期天数", f"已超期 {overdue} 天"),
        (_label("state"), State(problem.state).label),
    ]
    issuer = f"{firm.county.name}{TASK_FORCE}"
    ask = (
        f"该问题已超过办理时限{overdue}天仍未办结。依据《{load_policy().title}》第十七条，"
        f"{_who_acts(problem, assisting)}，并将办理情况书面反馈{issuer}。"
    )
    return Document(
        f"{TITLE}（{notice_number(problem)}）",
        (
            Title(TITLE),
            Line(f"{notice_number(problem)}　　　　签发日期：{day_text(today)}", "right"),
            field_grid(pairs),
            Paragraph(ask),
            Line(f"督办单位：{issuer}", "right"),
            WritingBox(REPLY, REPLY_FOOTER, height_mm=60, fill=True),
        ),
    )
