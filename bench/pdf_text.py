"""The text a PDF-to-text tool gives of a report's PDF, read as a text report.

    .venv/bin/python bench/pdf_text.py [--work /tmp/extractor-matrix] [--out bench/PDF_TEXT.md]

A user often has a PDF's text, not the PDF: a crawler that stored the text
of an attachment, a pipeline that ran pdftotext. For every PDF of the matrix
(bench/matrix.py's work folder: run it first) and the labelled real PDFs of
tests/fixtures, this takes the text two tools give, pdfium's text layer
(`get_text_range`, page after page: what pdftotext gives without -layout)
and pdfplumber's `extract_text(layout=True)` (pdftotext -layout's layout),
extracts it as a .txt report and scores it cell by cell against the PDF's
truth: right, flagged, silent. Such text has lost what the PDF's positions
said (which column a value stood in, where a blank cell was), so it is read
less often right than the PDF itself; what must hold is 0 silent.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from matrixgen.labelsets import by_name  # noqa: E402

from extractor.errors import ExtractError  # noqa: E402
from extractor.evaluate import load_label, score  # noqa: E402
from extractor.pipeline import extract_bytes  # noqa: E402

REAL = ROOT / "tests" / "fixtures" / "corpus"


def pdfium_text(pdf: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf.read_bytes())
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def layout_text(pdf: Path) -> str:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return "\n".join((page.extract_text(layout=True) or "") for page in doc.pages)


TOOLS = {"pdfium text": pdfium_text, "pdfplumber layout": layout_text}


def cases(work: Path) -> list[tuple[str, str, Path, dict]]:
    """(family, name, pdf, label) of every PDF with a truth."""
    out = []
    for folder in sorted(REAL.iterdir()):
        labels = folder / "labels"
        for pdf in sorted(folder.glob("*.pdf")):
            label = labels / f"{pdf.name[:3]}.json"
            if label.is_file():
                out.append(("real", f"{folder.name}/{pdf.name}", pdf, load_label(label)))
    for spec in sorted((work / "variants").glob("*.json")):
        variant = json.loads(spec.read_text(encoding="utf-8"))
        pdf = work / "pdf" / f"{variant['id']}.pdf"
        if pdf.is_file():
            out.append((variant["family"], variant["id"], pdf, {"cells": by_name(variant["label_set"]).cells}))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "extractor-matrix")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "PDF_TEXT.md")
    args = ap.parse_args()
    found = cases(args.work)
    if not any(family != "real" for family, *_ in found):
        ap.error(f"no matrix PDFs in {args.work}: run bench/matrix.py first")
    started = time.perf_counter()
    totals: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    by_family: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    silent: list[str] = []
    worst: dict[str, list[tuple[int, str]]] = collections.defaultdict(list)
    for n, (family, name, pdf, label) in enumerate(found, 1):
        for tool, text_of in TOOLS.items():
            try:
                doc = extract_bytes(text_of(pdf).encode("utf-8"), Path(pdf.stem + ".txt"))
            except ExtractError:
                doc = None
            s = score(doc, label)
            for counter in (totals[tool], by_family[(tool, family)]):
                counter.update(files=1, cells=s.cells, right=s.right, flagged=s.flagged, silent=s.silent,
                               failed=s.failed)
            if s.silent:
                silent.append(f"{tool}: {name}: {'; '.join(s.silent_cells[:3])}")
            if s.right < s.cells:
                worst[tool].append((s.cells - s.right, name))
        if n % 50 == 0:
            print(f"  {n}/{len(found)} PDFs", file=sys.stderr)

    def row(label: str, c: collections.Counter) -> str:
        share = 100 * c["right"] / c["cells"] if c["cells"] else 0.0
        return (f"| {label} | {c['files']} | {c['cells']:,} | {c['right']:,} ({share:.2f}%) | {c['flagged']:,} | "
                f"{c['silent']} | {c['failed']} |")

    head = "| {} | files | cells | right | flagged | silent | failed |\n|---|---:|---:|---:|---:|---:|---:|"
    lines = ["# A PDF's text read as a text report", "",
             f"Written by `python bench/pdf_text.py` in {(time.perf_counter() - started) / 60:.1f} minutes: every "
             "matrix PDF (synthetic: see MATRIX.md) and every labelled real PDF of tests/fixtures, its text as two "
             "tools give it, extracted as a .txt report and scored against the PDF's truth. The text has lost "
             "the positions (which column a value stood in, where a blank cell was): what must hold is **0 "
             "silent**.", "", head.format("tool"), *(row(t, c) for t, c in totals.items()), ""]
    for tool in TOOLS:
        lines += [f"## {tool}, by family", "", head.format("family"),
                  *(row(f, c) for (t, f), c in sorted(by_family.items()) if t == tool), "",
                  "Least right: " + ", ".join(f"{name} ({lost})" for lost, name in sorted(worst[tool])[::-1][:8]),
                  ""]
    lines += ["## Silent cells", "", *(f"- {s}" for s in silent)] if silent else ["No silent cell.", ""]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {args.out}: {sum(c['silent'] for c in totals.values())} silent", file=sys.stderr)
    return 1 if silent else 0


if __name__ == "__main__":
    sys.exit(main())
