"""What the task force's sheets (TASKFORCE.md) write beside their own table, in the same
transaction, batch and change log as the sheet.

- 包联企业: the people and teams it names are added by name (``kinds.NAME_TARGETS``); each row's
  服务专员 becomes a member of its 服务小组.
- 走访记录: a row whose 反映问题 is filled opens a problem (source 走访, category 其他, state
  待交办, no 主办单位 yet, due :data:`VISIT_PROBLEM_DAYS` days after the visit until 交办 sets
  its deadline); a problem already recorded under the same key is left as it is.
- 问题清单: 办理状态 is read by its Chinese name (blank: 待交办, or the state recorded). A problem
  being handled (past 待交办) changes state and deadline only through its moves, with who and
  why (``taskforce.problems``): a row changing them is refused.
- 运行监测: a month's output is the same fact as 月度产值 and is kept once, there (as
  ``taskforce.monitoring.record_report`` keeps it); a week's stays on the monitoring row. A
  month given both here and on a 月度产值 sheet of the same file is refused here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, select

from desktop.changes import Changes
from desktop.importing.checks import RowChecker, first_taken
from desktop.importing.kinds import TARGETS, TEAM_MEMBERS, VISIT_PROBLEMS, Target
from desktop.importing.merge import Merged, merge
from desktop.importing.report import FileReport
from desktop.importing.stage import Stage, StagedColumns
from desktop.models import Enterprise, Problem, Visit
from desktop.sheets.parsed import CellProblem, ParsedRows, ParsedSheet, SheetKind
from desktop.store.changelog import AuditContext
from desktop.taskforce.monitoring import output_kept_as_monthly
from desktop.taskforce.periods import period
from desktop.taskforce.problem_states import LABELS, State

VISIT_PROBLEM_DAYS = 15  # a visit's problem is due this many days later until it is assigned
VISIT_SOURCE, VISIT_CATEGORY = "走访", "其他"
IN_CLAUSE = 900  # names bound in one IN (…)
STATE_OF = {label: state for state, label in LABELS.items()}
PROBLEM_FIELDS = (
    *VISIT_PROBLEMS.key, "visit_id", "source", "category", "lead_unit", "deadline",
)  # fmt: skip


class SheetWrites:
    """A sheet that writes its own table only: the staged fields are the fields read."""

    def __init__(
        self, checker: RowChecker, sheet: ParsedSheet, fields: tuple[str, ...], read: Sequence[str]
    ) -> None:
        self.checker, self.sheet, self.fields, self.read = checker, sheet, fields, tuple(read)
        self.wanted = fields  # what each passing row gives: the staged fields, then any extra

    def screen(self, rows: ParsedRows) -> ParsedRows:
        """``rows`` with what this kind refuses marked as cell problems (before the checks)."""
        return rows

    def take(self, passed: StagedColumns) -> StagedColumns:
        """The staged fields of the rows passed (``wanted``); what else they write is kept."""
        return passed

    def finish(self, conn: Connection, ctx: AuditContext, report: FileReport) -> None:
        """Write what the sheet's rows write beside their own table (after it is merged)."""

    def _column(self, passed: StagedColumns, name: str) -> list[Any]:
        return passed[1][self.wanted.index(name)]


def _merge(
    conn: Connection,
    ctx: AuditContext,
    target: Target,
    fields: tuple[str, ...],
    rows: StagedColumns,
) -> Merged:
    """Stage ``rows`` (their numbers, a column per field) and merge them into ``target``."""
    with Stage(conn, target, fields) as stage:
        stage.add(rows)
        return merge(conn, ctx, target, stage)


class AssignmentWrites(SheetWrites):
    """Each row's 服务专员 joins its 服务小组 (once per pair)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.pairs: dict[tuple[str, str], int] = {}

    def take(self, passed: StagedColumns) -> StagedColumns:
        if "team" in self.fields and "commissioner" in self.fields:
            teams, people = self._column(passed, "team"), self._column(passed, "commissioner")
            for row, team, person in zip(passed[0], teams, people, strict=True):
                if team and person:
                    self.pairs.setdefault((team, person), row)
        return passed

    def finish(self, conn: Connection, ctx: AuditContext, report: FileReport) -> None:
        if not self.pairs:
            return
        teams, people = zip(*self.pairs, strict=True)
        staged = (list(self.pairs.values()), [list(teams), list(people)])
        merged = _merge(conn, ctx, TEAM_MEMBERS, TEAM_MEMBERS.key, staged)
        if merged.created:
            report.written |= Changes.TASKFORCE
            report.notes.append(
                f"工作表「{self.sheet.name}」：服务小组新增成员 {merged.created} 人"
            )


class VisitWrites(SheetWrites):
    """A visit whose 反映问题 is filled opens a problem."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.wanted = (*self.fields, "problem") if "problem" in self.read else self.fields
        self.raised: dict[tuple[str, date, str], tuple[int, str]] = {}  # key → row, people

    def take(self, passed: StagedColumns) -> StagedColumns:
        if "problem" not in self.wanted:
            return passed
        names = ("uscc", "visited_on", "people", "problem")
        visits = zip(passed[0], *(self._column(passed, f) for f in names), strict=True)
        for row, uscc, day, people, problem in visits:
            if problem:
                self.raised.setdefault((uscc, day, problem), (row, people))
        return passed[0], passed[1][: len(self.fields)]

    def finish(self, conn: Connection, ctx: AuditContext, report: FileReport) -> None:
        if not self.raised:
            return
        visit_ids = _visit_ids(conn, sorted({uscc for uscc, _, _ in self.raised}))
        keys = list(self.raised)
        rows = [self.raised[k][0] for k in keys]
        columns: list[list[Any]] = [
            [k[0] for k in keys],
            [k[1] for k in keys],
            [k[2] for k in keys],
            [visit_ids[(k[0], k[1], self.raised[k][1])] for k in keys],
            [VISIT_SOURCE] * len(keys),
            [VISIT_CATEGORY] * len(keys),
            [""] * len(keys),
            [k[1] + timedelta(days=VISIT_PROBLEM_DAYS) for k in keys],
        ]
        merged = _merge(conn, ctx, VISIT_PROBLEMS, PROBLEM_FIELDS, (rows, columns))
        if merged.created:
            report.written |= Changes.TASKFORCE
        kept = f"，{merged.unchanged} 个已登记过" if merged.unchanged else ""
        report.notes.append(
            f"工作表「{self.sheet.name}」：按“反映问题”登记问题 {merged.created} 个"
            f"（来源走访，状态待交办，请交办并确定主办单位和办理时限）{kept}"
        )


def _visit_ids(conn: Connection, codes: list[str]) -> dict[tuple[str, date, str], int]:
    """The visits of the enterprises ``codes``, by code, date and people."""
    found: dict[tuple[str, date, str], int] = {}
    for start in range(0, len(codes), IN_CLAUSE):
        query = (
            select(Visit.id, Enterprise.uscc, Visit.visited_on, Visit.people)
            .join(Enterprise, Visit.enterprise_id == Enterprise.id)
            .where(Enterprise.uscc.in_(codes[start : start + IN_CLAUSE]))
        )
        found.update({(uscc, day, people): id_ for id_, uscc, day, people in conn.execute(query)})
    return found


class ProblemWrites(SheetWrites):
    """办理状态 by its Chinese name; a problem being handled keeps its state and deadline."""

    def __init__(self, conn: Connection, *args: Any) -> None:
        super().__init__(*args)
        query = select(
            Enterprise.uscc, Problem.raised_on, Problem.description, Problem.state, Problem.deadline
        ).join(Enterprise, Problem.enterprise_id == Enterprise.id)
        self.recorded = {(u, r, d): (State(s), due) for u, r, d, s, due in conn.execute(query)}

    def screen(self, rows: ParsedRows) -> ParsedRows:
        if "state" not in rows.fields:
            rows.fields += ("state",)
            rows.columns.append([None] * len(rows))
        keys = zip(*map(rows.column, ("uscc", "raised_on", "description")), strict=True)
        states, deadlines = rows.column("state"), rows.column("deadline")
        for i, key in enumerate(keys):
            recorded, due = self.recorded.get(key, (State.NEW, None))
            if states[i] is None:
                states[i] = recorded.label
            if recorded is State.NEW or due is None:
                continue
            found = [*self._refusals(rows.numbers[i], recorded, due, states[i], deadlines[i])]
            if found:
                rows.problems[i] = [*rows.problems.get(i, ()), *found]
        return rows

    def _refusals(
        self, row: int, recorded: State, due: date, state: str, deadline: date | None
    ) -> list[CellProblem]:
        said = f"该问题已登记，当前「{recorded.label}」"
        how = "须在程序中按办理流程改动（记录经办人和原因），导入时不改"
        found = []
        if STATE_OF.get(state) is not recorded:
            found.append(CellProblem(row, self._header("state"), state, f"{said}；办理状态{how}"))
        if deadline is not None and deadline != due:
            message = f"{said}，办理时限为 {due.isoformat()}；办理时限经延期审批改动，{how}"
            found.append(CellProblem(row, self._header("deadline"), deadline.isoformat(), message))
        return found

    def _header(self, name: str) -> str:
        return TARGETS[SheetKind.problems].header(self.sheet, name)

    def take(self, passed: StagedColumns) -> StagedColumns:
        if "state" in self.fields:
            index = self.fields.index("state")
            passed[1][index] = [STATE_OF[label].value for label in passed[1][index]]
        return passed


class MonitoringWrites(SheetWrites):
    """A month's output goes to 月度产值 (kept once); a week's stays on the monitoring row."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.monthly: list[tuple[int, str, int, int, Any]] = []  # row, code, year, month, yuan

    def screen(self, rows: ParsedRows) -> ParsedRows:
        if "output" not in rows.fields:
            return rows
        seen = self.checker.seen[SheetKind.monthly]
        given = zip(*map(rows.column, ("uscc", "period", "output")), strict=True)
        for i, (uscc, code, output) in enumerate(given):
            found = period(code) if code and output is not None else None
            if found is None or not output_kept_as_monthly(found):
                continue
            first = first_taken(seen, (uscc, found.year, found.number))
            if first is not None:
                message = (
                    f"该月产值已在工作表「{first[0]}」第{first[1]}行的月度产值中填写"
                    "（同一事实只保存一份），请只填一处"
                )
                problem = CellProblem(
                    rows.numbers[i], TARGETS[SheetKind.monitoring].header(self.sheet, "output"),
                    str(output), message,
                )  # fmt: skip
                rows.problems[i] = [*rows.problems.get(i, ()), problem]
        return rows

    def take(self, passed: StagedColumns) -> StagedColumns:
        if "output" not in self.fields:
            return passed
        outputs = list(self._column(passed, "output"))
        given = zip(
            passed[0], self._column(passed, "uscc"), self._column(passed, "period"), strict=True
        )
        for i, (row, uscc, code) in enumerate(given):
            found = period(code)
            if outputs[i] is not None and output_kept_as_monthly(found):
                self.monthly.append((row, uscc, found.year, found.number, outputs[i]))
                outputs[i] = None
        columns = list(passed[1])
        columns[self.fields.index("output")] = outputs
        return passed[0], columns

    def finish(self, conn: Connection, ctx: AuditContext, report: FileReport) -> None:
        if not self.monthly:
            return
        rows, *columns = (list(c) for c in zip(*self.monthly, strict=True))
        monthly = TARGETS[SheetKind.monthly]
        merged = _merge(conn, ctx, monthly, (*monthly.key, "output"), (rows, columns))
        if merged.created or merged.updated:
            report.written |= Changes.FIGURES
        report.notes.append(
            f"工作表「{self.sheet.name}」：月报产值记入月度产值，新增 {merged.created} 条、"
            f"更新 {merged.updated} 条、未变 {merged.unchanged} 条"
        )


def sheet_writes(
    conn: Connection,
    checker: RowChecker,
    sheet: ParsedSheet,
    fields: tuple[str, ...],
    read: Sequence[str],
) -> SheetWrites:
    """How ``sheet`` (staging ``fields`` of the fields ``read``) writes."""
    args = (checker, sheet, fields, read)
    if sheet.kind is SheetKind.assignments:
        return AssignmentWrites(*args)
    if sheet.kind is SheetKind.visits:
        return VisitWrites(*args)
    if sheet.kind is SheetKind.problems:
        return ProblemWrites(conn, *args)
    if sheet.kind is SheetKind.monitoring:
        return MonitoringWrites(*args)
    return SheetWrites(*args)
