"""Paperwork speed: the ledger against bare openpyxl, and application forms per second.

    python -m benchmarks.bench_export [ENTERPRISES] [FORMS]      # default 50000 500

The ledger of ENTERPRISES enterprises (five results each: 第五条 for two tax years, 第十一条,
第十二条, 第十三条) must be written within 1.5× the floor: openpyxl write-only writing the same
cells, unguarded and unstyled, in the same run (each timed REPEAT times, interleaved; the best
of each compared). Memory: the peak resident size while writing, above the size before it,
for a tenth of the enterprises and for all of them: the workbook is streamed to disk, so what
grows is only the grouping of results by enterprise (a few hundred bytes each). Then FORMS
application forms go into one PDF, reported in forms per second.

Results are built synthetically (the rules engine is not what is measured).
"""

from __future__ import annotations

import gc
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from benchmarks.synth import COUNTY_CODES, COUNTY_NAMES, make_uscc
from desktop.filing import write_ledger
from desktop.forms import Applicant, form_for
from desktop.printing import ensure_gui_application, write_pdf
from desktop.rules.result import Result, Verdict

LIMIT = 1.5
REPEAT = 2
VERDICTS = (Verdict.ELIGIBLE, Verdict.INELIGIBLE, Verdict.INCOMPLETE)
MEASURES = (("5", "第五条", "2021"), ("5", "第五条", "2022"), ("11", "第十一条", "2023"),
            ("12", "第十二条", "2023-Q1"), ("13", "第十三条", "2022"))  # fmt: skip
FACT_LABELS = ("基期产值（元）", "本期产值（元）", "同比增速", "从业人数")


def synthetic_results(enterprises: int) -> list[Result]:
    """Five results for each of ``enterprises`` fictional enterprises."""
    results = []
    for i in range(enterprises):
        division = COUNTY_CODES[i % len(COUNTY_CODES)]
        uscc, name, county = (
            make_uscc(division, i),
            f"合成企业{i:06d}有限公司",
            COUNTY_NAMES[division],
        )
        base, growth = Decimal(1000000 + i), Decimal(i % 150) / 100
        for measure, clause, period in MEASURES:
            verdict = VERDICTS[(i + len(period)) % 3]
            results.append(
                Result(
                    measure=measure,
                    uscc=uscc,
                    name=name,
                    county=county,
                    period=period,
                    verdict=verdict,
                    amount=Decimal("250000.00") if verdict is Verdict.ELIGIBLE else None,
                    expected=measure == "12",
                    clause=clause,
                    explanation=(
                        f"{clause}：同比增长{growth * 100:.2f}%",
                        "依据忻政办发〔2022〕86号",
                    ),
                    facts=tuple(zip(FACT_LABELS, (base, base + i, growth, i % 300), strict=True)),
                )
            )
    return results


def floor(results: list[Result], out: Path) -> None:
    """Bare openpyxl write-only writing the ledger's cells: no guard, no styles."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("企业总表")
    by_enterprise: dict[str, list[Result]] = {}
    for r in results:
        by_enterprise.setdefault(r.uscc, []).append(r)
    ws.append(["表头"] * (4 + 2 * len(MEASURES)))
    for n, mine in enumerate(by_enterprise.values(), start=1):
        row: list[object] = [n, mine[0].name, mine[0].uscc, mine[0].county]
        for r in mine:
            row += [r.verdict.label, r.amount]
        ws.append(row)
    for measure in dict.fromkeys(r.measure for r in results):
        ws = wb.create_sheet(measure)
        ws.append(["表头"] * (9 + len(FACT_LABELS)))
        for n, r in enumerate((r for r in results if r.measure == measure), start=1):
            row = [n, r.name, r.uscc, r.county, r.period, r.verdict.label, r.amount,
                   "预计，待省级确认" if r.expected else None]  # fmt: skip
            row += [value for _, value in r.facts]
            row.append("\n".join(r.explanation))
            ws.append(row)
    wb.save(out)


def _rss() -> int:
    """The resident size now, in bytes (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


@contextmanager
def peak_growth() -> Iterator[list[int]]:
    """Yields a list that, afterwards, holds the peak resident growth over the block."""
    gc.collect()
    before, peak, done = _rss(), [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _rss() - before)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        done.set()
        sampler.join()
        peak[0] = max(peak[0], _rss() - before)


def timed(write: Callable[[], object]) -> float:
    start = time.perf_counter()
    write()
    return time.perf_counter() - start


def bench_ledger(enterprises: int, folder: Path) -> bool:
    results = synthetic_results(enterprises)
    ledger, bare = [], []
    for _ in range(REPEAT):
        ledger.append(timed(lambda: write_ledger(results, folder / "ledger.xlsx")))
        bare.append(timed(lambda: floor(results, folder / "floor.xlsx")))
    ratio = min(ledger) / min(bare)
    print(f"ledger, {enterprises} enterprises, {len(results)} results: "
          f"{min(ledger):.1f} s (runs {', '.join(f'{t:.1f}' for t in ledger)}); "
          f"floor {min(bare):.1f} s (runs {', '.join(f'{t:.1f}' for t in bare)}); "
          f"ratio {ratio:.2f} (limit {LIMIT})")  # fmt: skip
    return ratio <= LIMIT


def bench_memory(enterprises: int, folder: Path) -> None:
    for n in (enterprises // 10, enterprises):
        results = synthetic_results(n)
        with peak_growth() as peak:
            write_ledger(results, folder / "ledger.xlsx")
        print(
            f"ledger memory, {n} enterprises: peak growth while writing {peak[0] / 2**20:.1f} MiB"
        )
        del results
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10  # KiB on Linux
    print(f"process peak RSS so far {peak:.0f} MiB (mostly the synthetic results themselves)")


def bench_forms(count: int, folder: Path) -> None:
    ensure_gui_application()
    eligible = [r for r in synthetic_results(count * 3) if r.verdict is Verdict.ELIGIBLE]
    forms = [
        form_for(r, Applicant(r.name, r.uscc, r.county, "张三", "李四", "0350-0000000",
                              "山西省忻州市某路1号", "某银行忻州分行", "6200000000000000"))
        for r in eligible[:count]
    ]  # fmt: skip
    seconds = timed(lambda: write_pdf(forms, folder / "forms.pdf"))
    size = (folder / "forms.pdf").stat().st_size / 2**20
    print(f"forms: {len(forms)} in one PDF in {seconds:.1f} s, "
          f"{len(forms) / seconds:.0f} forms/s, {size:.1f} MiB")  # fmt: skip


def main(argv: list[str]) -> int:
    enterprises = int(argv[0]) if argv else 50000
    forms = int(argv[1]) if len(argv) > 1 else 500
    with tempfile.TemporaryDirectory() as folder:
        within = bench_ledger(enterprises, Path(folder))
        bench_memory(enterprises, Path(folder))
        bench_forms(forms, Path(folder))
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
