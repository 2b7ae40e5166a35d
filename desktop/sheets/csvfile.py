"""Reading delimited text (.csv, or the tab-separated .txt Excel saves as 「Unicode 文本」 or
「文本文件（制表符分隔）」): UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from desktop.sheets.guard import Refused
from desktop.sheets.raw import LimitExceeded, Limits, RawSheet

SNIFF_BYTES = 16384


def decode(data: bytes) -> str:
    """The text of ``data``: a BOM decides; else UTF-8 if it decodes, else GB18030 (⊃ GBK)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            return data.decode(encoding)
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Refused("无法识别文字编码（应为 UTF-8 或 GBK/GB18030）")


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    """Tabs when the first line has any (as Excel's text files do: a comma there is a thousands
    separator); else what the sample shows."""
    if "\t" in sample.partition("\n")[0]:
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        return csv.excel


def read_csv(path: Path, limits: Limits) -> RawSheet:
    """The file as one sheet named after it; every cell is text."""
    text = decode(path.read_bytes())
    try:
        rows = _records(text, limits)
    except csv.Error as exc:
        raise Refused(f"不是有效的 CSV 文件（{exc}）") from exc
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    width = max(map(len, rows), default=0)
    for record in rows:
        record.extend([""] * (width - len(record)))
    return RawSheet(name=path.stem, first_row=1, first_col=0, rows=rows)


def _records(text: str, limits: Limits) -> list[list[str]]:
    rows: list[list[str]] = []
    for record in csv.reader(io.StringIO(text, newline=""), _dialect(text[:SNIFF_BYTES])):
        if len(record) > limits.max_columns:
            raise LimitExceeded(
                f"第 {len(rows) + 1} 行有 {len(record)} 列，超过上限 {limits.max_columns} 列"
            )
        rows.append(record)
        if len(rows) > limits.max_rows:
            raise LimitExceeded(f"行数超过上限 {limits.max_rows:,} 行")
    return rows
