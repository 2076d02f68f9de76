"""The Word/PDF matrix: the official template filled with the real values of
the labelled corpus, varied as producers vary it, converted by LibreOffice
(.pdf, .doc) and, for the corpus's HTML pages, printed by Chromium; every
file extracted and scored cell by cell against the generator's truth.
Writes bench/MATRIX.md.

    .venv/bin/python bench/matrix.py                 # the whole matrix (about half an hour on 2 cores)
    .venv/bin/python bench/matrix.py --families borders_none,t3_break --no-doc
    .venv/bin/python bench/matrix.py --snapshot      # refresh tests/fixtures/matrix/sections.json

Generated files go to --work (default: a folder under the system's temp
directory); files already converted there are reused unless --fresh.
Needs LibreOffice, Debian's CJK fonts and Chromium (see the README).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from matrixgen import convert, htmlprint  # noqa: E402
from matrixgen.docxgen import Variant, build  # noqa: E402
from matrixgen.labelsets import SECTIONS, by_name, snapshot  # noqa: E402
from matrixgen.pagebreak import table_break  # noqa: E402
from matrixgen.variants import matrix  # noqa: E402

from extractor.evaluate import score  # noqa: E402

FORMATS = ("docx", "doc", "pdf")


@dataclass(slots=True)
class Result:
    variant: str
    family: str
    label_set: str
    layout: str
    format: str
    cells: int = 0
    right: int = 0
    flagged: int = 0
    silent: int = 0
    failed: int = 0
    error: str | None = None
    wrong: list[str] = field(default_factory=list)
    silent_cells: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _score_file(job: tuple[str, str, str, str, str, str]) -> Result:
    variant, family, label_set, layout, fmt, path = job
    from extractor.errors import ExtractError
    from extractor.pipeline import extract_file

    labels = by_name(label_set)
    result = Result(variant, family, label_set, layout, fmt)
    start = time.perf_counter()
    try:
        doc = extract_file(Path(path))
        error = None
    except ExtractError as exc:
        doc, error = None, f"{exc.code}: {exc}"
    except Exception as exc:  # an extractor bug is a result here
        doc, error = None, f"internal: {type(exc).__name__}: {exc}"
    result.seconds = time.perf_counter() - start
    s = score(doc, {"cells": labels.cells})
    result.cells, result.right, result.flagged, result.silent, result.failed = (
        s.cells, s.right, s.flagged, s.silent, s.failed)
    result.wrong, result.silent_cells, result.error = s.wrong_cells, s.silent_cells, error
    return result


def generate(variants: list[Variant], work: Path, fresh: bool) -> None:
    (work / "docx").mkdir(parents=True, exist_ok=True)
    for v in variants:
        path = work / "docx" / f"{v.id}.docx"
        data = build(v, by_name(v.label_set))
        if fresh or not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
            for fmt in ("pdf", "doc"):
                (work / fmt / f"{v.id}.{fmt}").unlink(missing_ok=True)
        (work / "variants").mkdir(exist_ok=True)
        (work / "variants" / f"{v.id}.json").write_text(json.dumps(asdict(v), ensure_ascii=False, indent=1))


def convert_all(variants: list[Variant], work: Path, formats: tuple[str, ...], jobs: int) -> None:
    for fmt in formats:
        if fmt == "docx":
            continue
        todo = [work / "docx" / f"{v.id}.docx" for v in variants if not (work / fmt / f"{v.id}.{fmt}").is_file()]
        if todo:
            start = time.perf_counter()
            convert.convert(todo, fmt, work / fmt, jobs=jobs)
            print(f"  {len(todo)} files to .{fmt} in {time.perf_counter() - start:.0f} s", file=sys.stderr)


def speed(pdfs: list[Path], runs: int) -> dict:
    """extract_file against pdfplumber's extract_tables and pypdfium2's bare
    text extraction, on the same files, each timed in turn (medians)."""
    import pypdfium2 as pdfium
    from contenders import run_pdfium_text, run_pdfplumber

    from extractor.pipeline import extract_file

    tools = {"extract": lambda p: extract_file(p), "pdfplumber": run_pdfplumber, "pypdfium2_text": run_pdfium_text}
    totals = dict.fromkeys(tools, 0.0)
    pages = 0
    logging.disable(logging.WARNING)
    for path in pdfs:
        for run in tools.values():
            run(path)  # warm-up
        samples: dict[str, list[float]] = {name: [] for name in tools}
        for _ in range(runs):
            for name, run in tools.items():
                start = time.perf_counter()
                run(path)
                samples[name].append(time.perf_counter() - start)
        for name in tools:
            totals[name] += statistics.median(samples[name])
        pdf = pdfium.PdfDocument(path.read_bytes())
        pages += len(pdf)
        pdf.close()
    return {"files": len(pdfs), "pages": pages, "runs": runs, **{f"{k}_s": v for k, v in totals.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "extractor-matrix")
    parser.add_argument("--families", help="comma-separated families (default: all)")
    parser.add_argument("--no-doc", action="store_true", help="skip the legacy .doc path")
    parser.add_argument("--no-html", action="store_true", help="skip Chromium's prints of the HTML reports")
    parser.add_argument("--fresh", action="store_true", help="regenerate and reconvert every file")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--speed-files", type=int, default=40, help="matrix PDFs timed for the speed ratios")
    parser.add_argument("--speed-runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "MATRIX.md")
    parser.add_argument("--json", type=Path, help="also write every result as JSON")
    parser.add_argument("--snapshot", action="store_true", help="refresh the section-text snapshot and stop")
    parser.add_argument("--samples", action="store_true",
                        help="copy the committed sample (tests/fixtures/matrix/samples) from this run's files")
    args = parser.parse_args(argv)
    if args.snapshot:
        SECTIONS.write_text(json.dumps(snapshot(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return 0
    started = time.perf_counter()
    families = args.families.split(",") if args.families else None
    variants = matrix(args.seed, families)
    formats = tuple(f for f in FORMATS if not (f == "doc" and args.no_doc))
    print(f"{len(variants)} variants, formats {formats}, in {args.work}", file=sys.stderr)
    generate(variants, args.work, args.fresh)
    convert_all(variants, args.work, formats, args.jobs)
    jobs = [(v.id, v.family, v.label_set, by_name(v.label_set).layout, fmt, str(args.work / fmt / f"{v.id}.{fmt}"))
            for v in variants for fmt in formats]
    prints = [] if args.no_html or families else htmlprint.print_all(args.work / "html")
    jobs += [(p.id, "chromium_print", p.label_set, by_name(p.label_set).layout, "pdf", str(p.pdf)) for p in prints]
    results: list[Result] = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for result in pool.map(_score_file, jobs, chunksize=4):
            results.append(result)
            if result.silent or result.error or result.right < result.cells:
                print(f"  {result.variant}.{result.format}: {result.right}/{result.cells} right, "
                      f"{result.flagged} flagged, {result.silent} silent {result.error or ''}", file=sys.stderr)
    breaks = {v.id: table_break(args.work / "pdf" / f"{v.id}.pdf") for v in variants
              if v.t3_new_page and (args.work / "pdf" / f"{v.id}.pdf").is_file()}
    pdfs = sorted((args.work / "pdf").glob("*.pdf"))
    step = max(len(pdfs) // max(args.speed_files, 1), 1)
    timing = speed(pdfs[::step][: args.speed_files], args.speed_runs) if pdfs and args.speed_files else None
    from matrixgen.report import write_report

    write_report(args.out, variants, results, breaks, timing, seed=args.seed,
                 minutes=(time.perf_counter() - started) / 60, prints=prints)
    if args.samples:
        from matrixgen.samples import copy_samples

        copy_samples(args.work, {v.id: v for v in variants})
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1))
    silent = sum(r.silent for r in results)
    print(f"written {args.out}: {sum(r.right for r in results)}/{sum(r.cells for r in results)} right, "
          f"{silent} silent", file=sys.stderr)
    return 1 if silent else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
