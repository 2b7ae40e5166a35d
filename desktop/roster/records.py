"""One enterprise with everything recorded against it, checked, loaded, saved and deleted.

Records name their county, zone and chain (not ids), so a deleted enterprise can be put back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop import values
from desktop.changes import Changes
from desktop.models import (
    AnnualFigures,
    Base,
    County,
    Enterprise,
    KeyChain,
    Lease,
    MonthlyOutput,
    ProvincialAward,
    Zone,
    table_label,
)
from desktop.roster.fields import (
    ANNUAL_FIELDS,
    AWARD_FIELDS,
    ENTERPRISE_FIELDS,
    LEASE_FIELDS,
    MONTHLY_FIELDS,
    EditorField,
)
from desktop.store import Database, StoreError, dialects
from desktop.store.versions import based_on

TEXT_FIELDS = (
    "size", "legal_representative", "contact", "phone", "address", "bank", "bank_account",
)  # fmt: skip
FLAG_FIELDS = ("above_scale", "white_list", "chain_leader")


@dataclass
class MonthlyRow:
    """Output of one calendar month, yuan."""

    year: int
    month: int
    output: Decimal | None = None


@dataclass
class AnnualRow:
    """Figures of one year; money in yuan."""

    year: int
    output: Decimal | None = None
    taxable_income: Decimal | None = None
    employees: int | None = None
    total_assets: Decimal | None = None
    restricted_industry: bool | None = None  # None: not given


@dataclass
class LeaseRow:
    """A factory lease in a named zone."""

    zone: str
    standard_factory: bool = False
    area: Decimal | None = None
    monthly_rent: Decimal | None = None
    start_date: date | None = None
    end_date: date | None = None


@dataclass
class AwardRow:
    """The provincial award granted (第十二条)."""

    amount: Decimal
    granted_on: date | None = None
    document: str | None = None


@dataclass
class EnterpriseRecord:
    """An enterprise as the editor shows it."""

    uscc: str
    name: str
    county: str
    zone: str | None = None
    industry_code: str | None = None
    above_scale: bool = False
    white_list: bool = False
    chain: str | None = None
    chain_leader: bool = False
    chain_role_confirmed: bool | None = None
    size: str | None = None  # 企业规模: 大型 / 中型 / 小型 / 微型
    legal_representative: str | None = None
    contact: str | None = None
    phone: str | None = None
    address: str | None = None
    bank: str | None = None
    bank_account: str | None = None
    is_sample: bool = False
    monthly: list[MonthlyRow] = field(default_factory=list)
    annual: list[AnnualRow] = field(default_factory=list)
    leases: list[LeaseRow] = field(default_factory=list)
    award: AwardRow | None = None
    # The enterprise row's version this was read at (None: not read, so not checked); a save
    # over a row saved meanwhile is refused (RowChanged). Not a fact: records compare without it.
    version: int | None = field(default=None, compare=False)


Pair = tuple[EnterpriseRecord | None, EnterpriseRecord | None]  # (current, target) of a change
NAMED_BY_ID = {"county_id": "county", "zone_id": "zone", "chain_id": "chain"}


def record_field(column: str) -> str:
    """The record's field holding ``column`` of the enterprise table (its county by name)."""
    return NAMED_BY_ID.get(column, column)


def _duplicates(keys: Iterable[object]) -> list[object]:
    seen: set[object] = set()
    return [k for k in keys if k in seen or seen.add(k)]  # type: ignore[func-returns-value]


def _field_problems(where: str, row: object, checked: Mapping[str, EditorField]) -> list[str]:
    """Each field of ``row`` read by its one parser, as the import reads it; why not, if not."""
    found = []
    for name, f in checked.items():
        value = getattr(row, name)
        if values.is_blank(value):
            if f.required:
                found.append(f"{where}{f.label}必填")
            continue
        try:
            f.parse(value)
        except values.ValueProblem as problem:
            found.append(f"{where}{f.label}「{values.quoted(value)}」{problem}")
    return found


def _figure_problems(record: EnterpriseRecord) -> list[str]:
    problems = [
        f"月度产值：{y}年{m}月重复"
        for y, m in _duplicates((r.year, r.month) for r in record.monthly)
    ]
    problems += [f"年度数据：{y}年重复" for y in _duplicates(r.year for r in record.annual)]
    for r in record.monthly:
        problems += _field_problems(f"月度产值：{r.year}年{r.month}月 ", r, MONTHLY_FIELDS)
    for r in record.annual:
        problems += _field_problems(f"年度数据：{r.year}年 ", r, ANNUAL_FIELDS)
    for r in record.leases:
        problems += _field_problems(f"厂房租赁：{r.zone or ''} ", r, LEASE_FIELDS)
        if r.start_date and r.end_date and r.end_date < r.start_date:
            problems.append(f"厂房租赁：{r.zone} 到期日期早于起租日期")
    keys = _duplicates((r.zone, r.start_date) for r in record.leases)
    problems += [f"厂房租赁：{z} {d or ''} 重复（同一开发区同一起租日期）" for z, d in keys]
    if record.award is not None:
        problems += _field_problems("省级奖励：", record.award, AWARD_FIELDS)
    return problems


def problems(record: EnterpriseRecord) -> list[str]:
    """Everything wrong with ``record``, each field read as on import (empty when it may be
    saved)."""
    return _field_problems("", record, ENTERPRISE_FIELDS) + _figure_problems(record)


def normalised(record: EnterpriseRecord) -> EnterpriseRecord:
    """``record`` with its fields as the import would store them (``3311`` → ``C3311``, a
    blank or ``-`` as nothing)."""
    given = {name: getattr(record, name) for name in ENTERPRISE_FIELDS}
    read = {
        n: None if values.is_blank(v) else ENTERPRISE_FIELDS[n].parse(v) for n, v in given.items()
    }
    return replace(record, **read)


def load_record(session: Session, uscc: str) -> EnterpriseRecord:
    """The enterprise with credit code ``uscc`` and everything recorded against it."""
    ent = session.scalar(select(Enterprise).where(Enterprise.uscc == uscc))
    if ent is None:
        raise StoreError(f"企业名录中没有统一社会信用代码为 {uscc} 的企业")
    award = ent.provincial_award
    return EnterpriseRecord(
        uscc=ent.uscc,
        name=ent.name,
        county=ent.county.name,
        zone=ent.zone.name if ent.zone else None,
        chain=ent.chain.name if ent.chain else None,
        industry_code=ent.industry_code,
        chain_role_confirmed=ent.chain_role_confirmed,
        is_sample=ent.is_sample,
        **{f: getattr(ent, f) for f in (*FLAG_FIELDS, *TEXT_FIELDS)},
        monthly=sorted(
            (MonthlyRow(m.year, m.month, m.output) for m in ent.monthly_outputs),
            key=lambda r: (r.year, r.month),
        ),
        annual=sorted((_copy(AnnualRow, a) for a in ent.annual_figures), key=lambda r: r.year),
        leases=[_copy(LeaseRow, x, zone=x.zone.name) for x in ent.leases],
        award=AwardRow(award.amount, award.granted_on, award.document) if award else None,
        version=ent.version,
    )


def _copy(row_type: type, obj: object, **given: object) -> object:
    names = [f.name for f in fields(row_type) if f.name not in given]
    return row_type(**given, **{n: getattr(obj, n) for n in names})


def _named(session: Session, model: type, name: str | None, what: str) -> object | None:
    if not name:
        return None
    found = session.scalar(select(model).where(model.name == name))
    if found is None:
        raise StoreError(f"{what}「{name}」不存在，请先在设置中添加")
    return found


def _sync(
    session: Session,
    children: list,
    rows: list,
    keys: tuple[Callable, Callable],
    model: type,
    values: Callable[[object], dict],
) -> None:
    """Make ``children`` hold exactly ``rows``: update matches, add the new, drop the rest.

    ``keys`` gives the identity of a child and of a row; ``values`` a row's column values.
    Dropped children are deleted explicitly: the change log does not see orphan deletes.
    """
    key_child, key_row = keys
    existing = {key_child(c): c for c in children}
    wanted = {key_row(r): r for r in rows}
    for key, child in existing.items():
        if key not in wanted:
            children.remove(child)
            session.delete(child)
    for key, row in wanted.items():
        child = existing.get(key)
        if child is None:
            children.append(model(**values(row)))
        else:
            for name, value in values(row).items():
                setattr(child, name, value)


def _lease_values(zones: dict[str, Zone]) -> Callable[[LeaseRow], dict]:
    def values(row: LeaseRow) -> dict:
        zone = zones.get(row.zone)
        if zone is None:
            raise StoreError(f"厂房租赁的开发区「{row.zone}」不存在，请先在设置中添加")
        return {**asdict(row), "zone": zone}

    return values


def _write(session: Session, ent: Enterprise, record: EnterpriseRecord) -> None:
    ent.uscc, ent.name = record.uscc, record.name.strip()
    county = _named(session, County, record.county, "所属县（市、区）")
    if county is None:
        raise StoreError("所属县（市、区）必填")
    ent.county = county
    ent.zone = _named(session, Zone, record.zone, "开发区")
    ent.chain = _named(session, KeyChain, record.chain, "产业链")
    ent.industry_code = record.industry_code or None
    ent.chain_role_confirmed = record.chain_role_confirmed
    ent.is_sample = record.is_sample
    for name in (*FLAG_FIELDS, *TEXT_FIELDS):
        setattr(ent, name, getattr(record, name))
    zones = {z.name: z for z in session.scalars(select(Zone))}
    by_month = (lambda m: (m.year, m.month), lambda r: (r.year, r.month))
    _sync(session, ent.monthly_outputs, record.monthly, by_month, MonthlyOutput, asdict)
    by_year = (lambda a: a.year, lambda r: r.year)
    _sync(session, ent.annual_figures, record.annual, by_year, AnnualFigures, asdict)
    by_start = (lambda x: (x.zone.name, x.start_date), lambda r: (r.zone, r.start_date))
    _sync(session, ent.leases, record.leases, by_start, Lease, _lease_values(zones))
    _write_award(session, ent, record.award)


def _write_award(session: Session, ent: Enterprise, award: AwardRow | None) -> None:
    if award is None:
        if ent.provincial_award is not None:
            session.delete(ent.provincial_award)
            ent.provincial_award = None
    elif ent.provincial_award is None:
        ent.provincial_award = ProvincialAward(**asdict(award))
    else:
        for name, value in asdict(award).items():
            setattr(ent.provincial_award, name, value)


def save_record(db: Database, record: EnterpriseRecord, original_uscc: str | None) -> None:
    """Save ``record`` (new when ``original_uscc`` is None), logged as a window edit."""
    current = None if original_uscc is None else replace(record, uscc=original_uscc)
    _in_one_transaction(db, [(current, record)])


def delete_enterprise(db: Database, uscc: str) -> EnterpriseRecord:
    """Delete the enterprise and its figures (each row logged); returns what was deleted.

    Refused (StoreError) while records that are kept point at it: its subsidy cases and the
    task force's rows (their foreign keys restrict the delete; such records are never deleted).
    """
    with db.reader() as session:
        record = load_record(session, uscc)
    _in_one_transaction(db, [(record, None)])
    return record


def _in_one_transaction(db: Database, pairs: Sequence[Pair]) -> None:
    """Turn each ``current`` into its ``target`` (None: added or deleted) in one transaction,
    logged as window edits: all of them, or (StoreError) none."""
    for _, target in pairs:
        found = problems(target) if target is not None else []
        if found:
            raise StoreError("；".join(found))
    try:
        with db.session(source="window") as session:
            saved = [_apply(session, current, target) for current, target in pairs]
    except IntegrityError as exc:
        if dialects.breaks_unique(exc, "enterprise", "uscc"):
            codes = "、".join(t.uscc for _, t in pairs if t)
            raise StoreError(f"统一社会信用代码 {codes} 已属于名录中的另一家企业") from exc
        raise StoreError(f"数据不完整或重复，未保存（{exc.orig}）") from exc
    for (_, target), ent in zip(pairs, saved, strict=True):
        if target is not None and ent is not None:
            target.version = ent.version  # what a later save (an undo) rests on


def _apply(
    session: Session, current: EnterpriseRecord | None, target: EnterpriseRecord | None
) -> Enterprise | None:
    """Turn ``current`` into ``target`` (a save rests on ``current``'s version); the enterprise
    saved (None when deleted)."""
    ent, original_uscc = None, current.uscc if current else None
    if current is not None:
        ent = session.scalar(select(Enterprise).where(Enterprise.uscc == original_uscc))
        if ent is None:
            raise StoreError(f"企业 {original_uscc} 已不在名录中（可能已被删除）")
        based_on(ent, current.version)
    if target is None:
        if ent is not None:
            kept = _kept_records(session, ent.id)
            if kept:
                raise StoreError(
                    f"企业「{ent.name}」（{original_uscc}）已有{'、'.join(kept)}，不能从名录中删除；"
                    "这些记录须保留"
                )
            session.delete(ent)
        return None
    ent = ent or Enterprise()
    with session.no_autoflush:
        _write(session, ent, normalised(target))
    session.add(ent)
    return ent


def _kept_records(session: Session, enterprise_id: int) -> list[str]:
    """The kept records of the enterprise, by table: 兑现事项 2 条 (none: it may be deleted)."""
    found = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is Enterprise.__table__ and fk.ondelete == "RESTRICT":
                query = select(func.count()).select_from(table).where(fk.parent == enterprise_id)
                count = session.scalar(query)
                if count:
                    found.append(f"{table_label(table.name)} {count} 条")
    return found


def record_changes(current: EnterpriseRecord | None, target: EnterpriseRecord | None) -> Changes:
    """What turning ``current`` into ``target`` changes (an enterprise added or deleted: all)."""
    if current is None or target is None:
        return Changes.ENTERPRISES | Changes.FIGURES | Changes.LEASES
    parts = {Changes.FIGURES: ("monthly", "annual"), Changes.LEASES: ("leases",)}
    found = Changes.NONE
    for kind, names in parts.items():
        if any(getattr(current, n) != getattr(target, n) for n in names):
            found |= kind
    rest: dict[str, list] = {"monthly": [], "annual": [], "leases": []}
    if replace(current, **rest) != replace(target, **rest):
        found |= Changes.ENTERPRISES
    return found


def apply_change(
    db: Database, current: EnterpriseRecord | None, target: EnterpriseRecord | None
) -> Changes:
    """Turn the roster from ``current`` into ``target`` (either may be None: add or delete)."""
    return apply_changes(db, [(current, target)])


def apply_changes(db: Database, pairs: Sequence[Pair]) -> Changes:
    """Turn each ``current`` into its ``target`` (several enterprises deleted or edited at
    once) in one transaction."""
    pairs = [(c, t) for c, t in pairs if c is not None or t is not None]
    if not pairs:
        return Changes.NONE
    _in_one_transaction(db, pairs)
    found = Changes.NONE
    for current, target in pairs:
        found |= record_changes(current, target)
    return found
