"""The package file: a zip of JSON lines (``manifest.json`` and ``rows.jsonl``), its digest and
the fingerprint of the policy it was made under.

The digest (SHA-256) covers the rows and every member of the manifest but itself, so a package
altered anywhere, or damaged, is refused. Values are the change log's texts
(:func:`desktop.store.changelog.encode_value`), references the referred row's global key.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from desktop import values
from desktop.paperwork import replacing
from desktop.rules.policy import DEFAULT_DOCUMENT, Policy, load_policy

FORMAT = "relief-desk-package"
FORMAT_VERSION = 2  # 2: an enterprise's figures keyed by enterprise and period (migration 0013)
MANIFEST, ROWS = "manifest.json", "rows.jsonl"
CITY = "忻州市"
"""The unit the counties send to, and that sends back to them."""
UPSERT, DELETE = "upsert", "delete"


class PackageRefused(Exception):
    """Nothing of the package was applied; ``str()`` is the officer's reason."""


def unit_name(text: str) -> str:
    """The canonical name of a unit: one of the county-level units, or the city."""
    raw = str(text).strip()
    if raw in (CITY, "全市", "市级"):
        return CITY
    try:
        return values.county(raw)
    except values.ValueProblem:
        raise PackageRefused(f"单位「{raw}」不是忻州市或其所辖县（市、区）") from None


def policy_fingerprint(policy: Policy | None = None) -> str:
    """A SHA-256 of the policy's parameters as written (document, every key and value text)."""
    policy = policy or load_policy(DEFAULT_DOCUMENT)
    shape = {
        "document": policy.document,
        "parameters": {k: p.text for k, p in sorted(policy.parameters.items())},
        "tax_years": [repr(t) for t in policy.tax_years],
    }
    return hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field the sender changed since the base: the base text, and who changed it when."""

    base: str | None
    by: str
    at: str


@dataclass(frozen=True, slots=True)
class RowChange:
    """One row: its whole values now (for a deletion: at the base), and what changed.

    ``changed`` is ``None`` for a row new since the last package (its values are all new).
    ``decided`` holds, for each field an officer's resolution of a conflict at the sender
    decided, the values that decision overrides (the base and both sides): a receiver holding
    any of them takes the decision. A decided upsert of a row the receiver no longer has puts
    it back (the row was kept); a decided deletion removes a row holding any of them.
    """

    table: str
    key: str
    action: str  # UPSERT or DELETE
    label: str  # as the sender's change log names the row
    values: dict[str, str | None]
    changed: dict[str, FieldChange] | None
    version: int | None
    base_version: int | None
    by: str
    at: str
    decided: dict[str, list[str | None]] | None = None

    def to_line(self) -> dict[str, Any]:
        changed = None
        if self.changed is not None:
            changed = {f: [c.base, c.by, c.at] for f, c in self.changed.items()}
        return {
            "table": self.table, "key": self.key, "action": self.action, "label": self.label,
            "values": self.values,
            "changed": changed,
            "version": self.version, "base_version": self.base_version, "by": self.by,
            "at": self.at, "decided": self.decided,
        }  # fmt: skip

    @classmethod
    def of_line(cls, line: dict[str, Any]) -> RowChange:
        changed = line["changed"]
        if changed is None:  # a new row's: the line as it is (no copy)
            return cls(**line)
        return cls(**{**line, "changed": {f: FieldChange(*c) for f, c in changed.items()}})


@dataclass(frozen=True)
class Manifest:
    """Who sent the package to whom, its number, the policy and the digest of the content."""

    sender: str
    destination: str
    sequence: int
    operator: str
    created_at: str
    policy_document: str
    policy_fingerprint: str
    rows: int
    settings: dict[str, str] = field(default_factory=dict)  # the city's shared settings
    sha256: str = ""
    format: str = FORMAT
    format_version: int = FORMAT_VERSION


@dataclass(frozen=True)
class Package:
    """A package read (or about to be written)."""

    manifest: Manifest
    rows: list[RowChange]


def _digest(manifest: dict[str, Any], rows: bytes) -> str:
    unsigned = {k: v for k, v in manifest.items() if k != "sha256"}
    head = json.dumps(unsigned, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(head + b"\n" + rows).hexdigest()


LINE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""A package line's JSON encoding."""


def line_of(row: RowChange) -> str:
    """The package line of ``row`` (its JSON, as the package writes it)."""
    return LINE(row.to_line())


def package_bytes(manifest: Manifest, lines: list[str]) -> tuple[bytes, str]:
    """The file's bytes and its digest, for the package ``lines`` (see :func:`line_of`)."""
    body = ("\n".join(lines) + "\n").encode() if lines else b""
    head = asdict(manifest)
    head["sha256"] = _digest(head, body)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(MANIFEST, json.dumps(head, ensure_ascii=False, indent=1))
        archive.writestr(ROWS, body)
    return buffer.getvalue(), head["sha256"]


def write_package(path: Path, manifest: Manifest, lines: list[str]) -> str:
    """Write the package of ``lines`` to ``path`` atomically; returns its digest."""
    data, digest = package_bytes(manifest, lines)
    with replacing(path) as temporary:
        temporary.write_bytes(data)
    return digest


def read_package(data: bytes, name: str) -> Package:
    """The package in ``data`` (the file ``name``); refused when damaged or altered."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            head = json.loads(archive.read(MANIFEST))
            body = archive.read(ROWS)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError):
        raise PackageRefused(f"{name} 不是完整的数据包（文件已损坏），未导入") from None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise PackageRefused(f"{name} 不是 Relief Desk 数据包，未导入")
    version = head.get("format_version")
    if version != FORMAT_VERSION:
        why = "由旧版程序导出，请对方升级后重新导出" if version == 1 else "本程序不认识"
        raise PackageRefused(f"{name} 的格式版本 {version} {why}，未导入")
    if _digest(head, body) != head.get("sha256"):
        raise PackageRefused(f"{name} 的内容与其摘要不符（已损坏或被改动），未导入")
    try:
        manifest = Manifest(**head)
        lines = b",".join(line for line in body.split(b"\n") if line)  # one parse, not one a line
        rows = [RowChange.of_line(line) for line in json.loads(b"[" + lines + b"]")]
    except (TypeError, ValueError, KeyError):
        raise PackageRefused(f"{name} 的内容格式有误，未导入") from None
    return Package(manifest, rows)
