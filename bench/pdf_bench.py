"""PDF speed: the whole extraction against pdfplumber's table extraction.

For every PDF under tests/fixtures, the median over several runs of
  - extract: `extract_file` (read, tables, sections, checks, the JSON document);
  - of which read: `read_document` alone (the PDF into the document model);
  - pdfplumber: `page.extract_tables()` over every page of the same file,
    opening included (pdfplumber's own table finding, nothing else).
The aim is extract <= pdfplumber. Prints a Markdown table.

    .venv/bin/python bench/pdf_bench.py [--runs 7]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from extractor.pipeline import extract_file
from extractor.readers import read_document

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def median_ms(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def pdfplumber_tables(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # pdfminer's font warnings on the Chromium print
    paths = sorted(FIXTURES.rglob("*.pdf"))
    extract_file(paths[0])  # load templates and compile patterns once, as a batch run would
    print("| file | pages | extract (ms) | of which read (ms) | pdfplumber extract_tables (ms) | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    total_ours = total_read = total_theirs = 0.0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        ours = median_ms(lambda p=path: extract_file(p), args.runs)
        reading = median_ms(lambda p=path: read_document(p, p.read_bytes()), args.runs)
        theirs = median_ms(lambda p=path: pdfplumber_tables(p), args.runs)
        total_ours += ours
        total_read += reading
        total_theirs += theirs
        print(f"| {path.relative_to(FIXTURES / 'corpus')} | {pages} | {ours:.0f} | {reading:.0f} | {theirs:.0f} | "
              f"{ours / theirs:.2f} |")
    print(f"| **all** | | **{total_ours:.0f}** | **{total_read:.0f}** | **{total_theirs:.0f}** | "
          f"**{total_ours / total_theirs:.2f}** |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
