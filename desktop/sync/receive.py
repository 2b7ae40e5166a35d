"""``package import``: each package checked, then applied in order of its sender's numbers.

A package already applied is a no-op; one that skips a number is kept, waiting, and applied
when the missing one comes; a damaged or altered one, one made under another policy, one for
another unit or one numbered again with other content is refused. Each package is applied in
one transaction, its changes logged under an import batch of its own (source ``package``), which
is how the next package to its sender leaves them out. A dry run does the same and rolls back.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import IntegrityError

from desktop.gcpause import gc_paused
from desktop.models import ImportBatch, PackageReceived, utcnow
from desktop.oserrors import os_error_text
from desktop.rules.policy import DEFAULT_DOCUMENT
from desktop.store import Database
from desktop.store.changelog import AuditContext
from desktop.sync.merge import Counts, apply_rows
from desktop.sync.package import (
    CITY,
    Package,
    PackageRefused,
    policy_fingerprint,
    read_package,
)
from desktop.sync.units import SHARED_SETTINGS, UNIT_SETTING, saved_unit, store_setting

RECEIVED = PackageReceived.__table__
BATCHES = ImportBatch.__table__
SOURCE = "package"
APPLIED, ALREADY, WAITING, REFUSED = "applied", "already", "waiting", "refused"


@dataclass
class Received:
    """What became of one file: its status, counts, the numbers still missing, the reason it
    was refused, and the waiting packages it let through."""

    file: str
    status: str
    sender: str | None = None
    destination: str | None = None
    sequence: int | None = None
    counts: Counts = field(default_factory=Counts)
    missing: list[int] = field(default_factory=list)
    reason: str | None = None
    released: list[tuple[int, Counts]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "status": self.status,
            "sender": self.sender,
            "destination": self.destination,
            "sequence": self.sequence,
            **self.counts.to_json(),
            "waiting": 1 if self.status == WAITING else 0,
            "missing": self.missing,
            "reason": self.reason,
            "released": [{"sequence": n, **c.to_json()} for n, c in self.released],
        }


def import_packages(db: Database, paths: list[Path], *, dry_run: bool = False) -> list[Received]:
    """Import each file of ``paths`` in turn (with ``dry_run``, say what would happen)."""
    with gc_paused():  # a package's rows are many small objects, none cyclic
        return [_import_one(db, Path(p), dry_run) for p in paths]


def _import_one(db: Database, path: Path, dry_run: bool) -> Received:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Received(path.name, REFUSED, reason=f"无法读取 {path.name}：{os_error_text(exc)}")
    try:
        package = read_package(data, path.name)
        _check_policy(package, path.name)
    except PackageRefused as refused:
        return Received(path.name, REFUSED, reason=str(refused))
    head = package.manifest
    outcome = Received(path.name, APPLIED, head.sender, head.destination, head.sequence)
    conn = db.engine.connect()
    try:
        with conn.begin() as transaction:
            _receive(db, conn, package, data, outcome)
            if dry_run:
                transaction.rollback()
        if outcome.status == APPLIED and not dry_run:
            _release(db, conn, head.sender, head.destination, outcome)
    except PackageRefused as refused:
        outcome.status, outcome.reason = REFUSED, str(refused)
        outcome.counts = Counts()
    except IntegrityError as clash:  # e.g. a zone of the same name made apart on both sides
        outcome.status, outcome.counts = REFUSED, Counts()
        outcome.reason = f"{path.name} 与本库的数据冲突（{clash.orig}），未导入"
    finally:
        conn.close()
    return outcome


def _check_policy(package: Package, name: str) -> None:
    head, mine = package.manifest, policy_fingerprint()
    if (head.policy_document, head.policy_fingerprint) != (DEFAULT_DOCUMENT, mine):
        raise PackageRefused(
            f"{name} 按政策参数「{head.policy_document}」（指纹 {head.policy_fingerprint[:12]}）"
            f"制作，本库为「{DEFAULT_DOCUMENT}」（指纹 {mine[:12]}），两者不同，未导入"
        )


def _receive(db: Database, conn: Connection, package: Package, data: bytes, out: Received) -> None:
    """Check the package's place in its sender's sequence; apply it, keep it waiting, or pass."""
    head = package.manifest
    me = saved_unit(conn)
    if me is None:  # a new database takes the unit its first package is sent to
        store_setting(conn, db.audit(SOURCE), UNIT_SETTING, head.destination)
    elif head.destination != me:
        raise PackageRefused(f"{out.file} 是发给{head.destination}的，本库属于{me}，未导入")
    if head.sender == head.destination:
        raise PackageRefused(f"{out.file} 是本单位自己发出的数据包，未导入")
    known = _known(conn, head.sender, head.destination)
    digest = hashlib.sha256(data).hexdigest()
    if head.sequence in known:
        state, sha = known[head.sequence]
        if sha != digest:
            raise PackageRefused(
                f"{out.file} 的序号 {head.sequence} 已收到过，但内容不同（可能重复导出），未导入"
            )
        out.status = ALREADY if state == APPLIED else WAITING
        out.missing = _missing(known, head.sequence)
        return
    last = max((n for n, (s, _) in known.items() if s == APPLIED), default=0)
    if head.sequence > last + 1:
        _record(conn, db, package, digest, WAITING, data, None)
        out.status, out.missing = WAITING, _missing(known, head.sequence)
        return
    out.counts = _apply(db, conn, package, digest, out.file)


def _known(conn: Connection, sender: str, destination: str) -> dict[int, tuple[str, str]]:
    query = select(RECEIVED.c.sequence, RECEIVED.c.state, RECEIVED.c.sha256).where(
        RECEIVED.c.sender == sender, RECEIVED.c.destination == destination
    )
    return {n: (state, sha) for n, state, sha in conn.execute(query)}


def _missing(known: dict[int, tuple[str, str]], upto: int) -> list[int]:
    last = max((n for n, (s, _) in known.items() if s == APPLIED), default=0)
    return [n for n in range(last + 1, upto) if n not in known]


def _apply(db: Database, conn: Connection, package: Package, digest: str, name: str) -> Counts:
    """Apply ``package`` in the caller's transaction, under an import batch of its own."""
    head = package.manifest
    made = conn.execute(
        BATCHES.insert().values(
            file_name=name[:260], sha256=digest, operator=db.operator, imported_at=utcnow(),
            counts="{}",
        )
    ).inserted_primary_key  # fmt: skip
    assert made is not None
    batch = int(made[0])
    ctx = AuditContext(db.operator, SOURCE, batch)
    if head.sender == CITY:
        for key, value in head.settings.items():
            if key in SHARED_SETTINGS:
                store_setting(conn, ctx, key, value)
    counts = apply_rows(conn, ctx, package.rows, head.sender, head.sequence)
    summary = {"package": {"sender": head.sender, "sequence": head.sequence, **counts.to_json()}}
    conn.execute(
        BATCHES.update()
        .where(BATCHES.c.id == batch)
        .values(counts=json.dumps(summary, ensure_ascii=False))
    )
    _record(conn, db, package, digest, APPLIED, None, batch)
    return counts


def _record(
    conn: Connection, db: Database, package: Package, digest: str, state: str,
    content: bytes | None, batch: int | None,
) -> None:  # fmt: skip
    head = package.manifest
    where = (
        RECEIVED.c.sender == head.sender,
        RECEIVED.c.destination == head.destination,
        RECEIVED.c.sequence == head.sequence,
    )
    values = {"state": state, "content": content, "batch_id": batch, "sha256": digest,
              "operator": db.operator, "received_at": utcnow()}  # fmt: skip
    if conn.execute(select(func.count()).select_from(RECEIVED).where(*where)).scalar():
        conn.execute(RECEIVED.update().where(*where).values(**values))
    else:
        conn.execute(
            RECEIVED.insert().values(
                sender=head.sender, destination=head.destination, sequence=head.sequence, **values
            )
        )


def _release(db: Database, conn: Connection, sender: str, destination: str, out: Received) -> None:
    """Apply the packages that were waiting for this one, each in its own transaction."""
    while True:
        with conn.begin():
            known = _known(conn, sender, destination)
            last = max((n for n, (s, _) in known.items() if s == APPLIED), default=0)
            if known.get(last + 1, (None,))[0] != WAITING:
                return
            content = conn.execute(
                select(RECEIVED.c.content).where(
                    RECEIVED.c.sender == sender,
                    RECEIVED.c.destination == destination,
                    RECEIVED.c.sequence == last + 1,
                )
            ).scalar_one()
            package = read_package(content, f"{sender} #{last + 1}")
            digest = hashlib.sha256(content).hexdigest()
            out.released.append(
                (last + 1, _apply(db, conn, package, digest, f"{sender} #{last + 1}"))
            )
