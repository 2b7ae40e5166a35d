"""One case as the 兑现管理 page shows it beside the table: its snapshot (and the current
result side by side when 测算已变化), its dates, its timeline of moves and its payments."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from html import escape

from sqlalchemy.orm import Session

from desktop.cases.errors import yuan_text
from desktop.cases.opening import Outcome, snapshot_of
from desktop.cases.reversal import reversal_text
from desktop.cases.timeline import Step, timeline
from desktop.models import Case, Payment
from desktop.rules.catalogue import CATALOGUE
from desktop.ui.case_model import CaseLine

TABLE = "<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
CHANGED_STYLE = "background:#fff3cd; color:#8a4b00"


def _when(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else yuan_text(amount)


def _table(headings: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headings)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"{TABLE}<tr>{head}</tr>{body}</table>"


def _outcome_cells(outcome: Outcome) -> tuple[str, str, str]:
    return (outcome.verdict.label, _money(outcome.amount), "是" if outcome.expected else "否")


def _snapshot(case: Case, line: CaseLine) -> str:
    """The snapshot alone, or beside the current result when they disagree."""
    taken = _when(case.snapshot_at)
    if line.change is None:
        return f"<p>立案测算（{taken}）：{escape(snapshot_of(case).text())}</p>"
    before, now = _outcome_cells(line.change.snapshot), _outcome_cells(line.change.current)
    rows = zip(("测算结论", "金额", "预计金额"), before, now, strict=True)
    table = _table(("", f"立案时（{taken}）", "现在"), rows)
    return (
        f"<p style='{CHANGED_STYLE}'><b>⚠ {escape(line.change.label)}</b>："
        "最近一次测算与立案时不同，兑现事项未自动改变。</p>" + table
    )


def _dates(case: Case) -> str:
    found = []
    if case.received_on:
        found.append(f"受理日期 {case.received_on.isoformat()}")
    start, end = case.publicity_start, case.publicity_end
    if start and end:
        found.append(f"公示期 {start.isoformat()} 至 {end.isoformat()}")
    if case.approved_amount is not None:
        reason = f"（{case.approval_reason}）" if case.approval_reason else ""
        found.append(f"审核金额 {yuan_text(case.approved_amount)}{reason}")
    return f"<p>{escape('；'.join(found))}</p>" if found else ""


def _step_html(step: Step) -> str:
    """One move as a line of the timeline: the day, the move, then who recorded it and why."""
    details = [f"{step.operator} 记录于 {_when(step.at)}"]
    if step.amount is not None:
        details.append(f"审核金额 {yuan_text(step.amount)}")
    if step.reason:
        details.append(f"理由：{step.reason}")
    if step.budget_override:
        details.append(f"超预算理由：{step.budget_override}")
    return (
        f"<li><b>{step.moved_on.isoformat()} {escape(step.from_state.label)} → "
        f"{escape(step.to_state.label)}</b><br>{escape('；'.join(details))}</li>"
    )


REVERSED_STYLE = "color:#5f6b7a"


def _payment_html(payment: Payment) -> str:
    """A payment as a line of the list, like a move; a reversed one greyed, struck through,
    with its reversal (已冲销, the day, the reason) below."""
    head = f"{payment.paid_on.isoformat()} {yuan_text(payment.amount)}"
    details = escape(f"凭证号 {payment.voucher}；{payment.level}")
    reversal = reversal_text(payment.reversed_on, payment.reversal_reason)
    if not reversal:
        return f"<li><b>{head}</b><br>{details}</li>"
    return (
        f"<li style='{REVERSED_STYLE}'><b><s>{head}</s></b><br>{details}<br>"
        f"<b>{escape(reversal)}</b>，不计入已拨付</li>"
    )


def _payments(case: Case) -> str:
    if not case.payments:
        return "<p>尚无拨付记录。</p>"
    lines = "".join(map(_payment_html, case.payments))
    return f"<ol>{lines}</ol><p>合计已拨付 {yuan_text(case.paid_amount)}</p>"


def case_html(session: Session, line: CaseLine) -> str:
    """The case of ``line``, read again from ``session``."""
    case = session.get(Case, line.case_id)
    if case is None:  # read as the table was; gone only if another program replaced the file
        return ""
    measure = CATALOGUE.get(case.measure)
    subject = measure.heading if measure else case.measure
    steps = timeline(session, case)
    moves = f"<ol>{''.join(map(_step_html, steps))}</ol>" if steps else "<p>尚无办理记录。</p>"
    return (
        f"<h3>{escape(case.number)} {escape(line.name)}</h3>"
        f"<p>{escape(subject)} · {escape(case.period)} · <b>{escape(line.state)}</b>"
        f" · {escape(case.level)}资金 · 拨付期限 {line.deadline.isoformat()}"
        f"{'（' + escape(line.warning) + '）' if line.warning else ''}</p>"
        + _snapshot(case, line)
        + _dates(case)
        + "<h4>办理记录</h4>"
        + moves
        + "<h4>拨付记录</h4>"
        + _payments(case)
    )
