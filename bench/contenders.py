"""What a bench run times: `extract` itself, the parse it cannot do without
(lxml.html), and the tools a user would otherwise reach for to get tables out
of a report: pandas.read_html for HTML, pdfplumber and camelot for PDF.

Each contender takes a path and returns the number of tables it found (None
where that means nothing). Imports happen on first use, i.e. in the warm-up
run, so no timing includes them. A tool that is not installed says so.
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = "pip install -e '.[bench]'"


@dataclass(frozen=True, slots=True)
class Contender:
    name: str
    formats: frozenset[str]  # input formats (extractor.readers.sniff) it applies to
    run: Callable[[Path], int | None]
    module: str  # the import it needs, to tell whether it is installed

    def missing(self) -> str | None:
        if importlib.util.find_spec(self.module) is None:
            return f"{self.name} not installed ({INSTALL_HINT})"
        return None


def run_extract(path: Path) -> None:
    from extractor.pipeline import extract_file

    extract_file(path)


def run_extract_without_sources(path: Path) -> None:
    from extractor.pipeline import extract_file

    extract_file(path, provenance=False)


def run_lxml(path: Path) -> None:
    import lxml.html

    lxml.html.document_fromstring(path.read_bytes())


def run_read_html(path: Path) -> int:
    import pandas as pd

    try:
        # lxml only: pandas' fallback flavour needs html5lib and would time a second parse.
        return len(pd.read_html(io.BytesIO(path.read_bytes()), flavor="lxml"))
    except ValueError:  # "No tables found": a page whose tables were flattened into paragraphs
        return 0


def run_pdfium_text(path: Path) -> None:
    """The floor for any PDF reader: pdfium's text of every page, nothing else."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        for page in pdf:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
    finally:
        pdf.close()


def run_pdfplumber(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return sum(len(page.extract_tables()) for page in pdf.pages)


def run_camelot(path: Path) -> int:
    import camelot

    return len(camelot.read_pdf(str(path), flavor="lattice", pages="all"))


EXTRACT = Contender("extract", frozenset({"html", "text", "pdf", "docx", "doc"}), run_extract, "extractor")
# The same extraction with no cell `source`: what provenance costs.
UNSOURCED = Contender("extract without sources", EXTRACT.formats, run_extract_without_sources, "extractor")
LXML = Contender("lxml.html parse", frozenset({"html"}), run_lxml, "lxml")
READ_HTML = Contender("pandas.read_html", frozenset({"html"}), run_read_html, "pandas")
PDFPLUMBER = Contender("pdfplumber extract_tables", frozenset({"pdf"}), run_pdfplumber, "pdfplumber")
CAMELOT = Contender("camelot lattice", frozenset({"pdf"}), run_camelot, "camelot")
PDFIUM_TEXT = Contender("pdfium bare text", frozenset({"pdf"}), run_pdfium_text, "pypdfium2")
ALL = (EXTRACT, UNSOURCED, LXML, READ_HTML, PDFPLUMBER, CAMELOT, PDFIUM_TEXT)

BASELINE = "extract at baseline"


def values_read(doc: dict) -> int:
    """The cells of a report's tables that hold a value: how much of it a build read."""
    return sum(1 for table in doc.get("tables", {}).values() if isinstance(table, dict)
               for row in table.get("rows", {}).values() if isinstance(row, dict)
               for cell in row.values() if isinstance(cell, dict) and cell.get("value") is not None)


def baseline(rev: str, root: Path, work: Path) -> Contender:
    """`extract` as it was at commit `rev`: its package taken out of git into
    `work` under another name (its imports are relative), so that both builds
    are timed in one process, in turn, on the same files."""
    import importlib
    import subprocess
    import sys

    # Named by the commit, not by what `rev` says: HEAD or a branch moves,
    # and a folder named after it would go on timing an older build.
    commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short=12", f"{rev}^{{commit}}"],
                            capture_output=True, text=True, check=True).stdout.strip()
    name = f"extractor_at_{commit}"
    target = work / name
    if not target.is_dir():
        unpacked = work / f"{name}.tmp"
        unpacked.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(root), "archive", commit, "extractor"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(unpacked)], input=archive, check=True)
        (unpacked / "extractor").rename(target)
        unpacked.rmdir()
    if str(work) not in sys.path:
        sys.path.insert(0, str(work))

    def run(path: Path) -> int:
        return values_read(importlib.import_module(f"{name}.pipeline").extract_file(path))

    return Contender(BASELINE, EXTRACT.formats, run, "extractor")


def page_count(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)
