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
ALL = (EXTRACT, UNSOURCED, LXML, READ_HTML, PDFPLUMBER, CAMELOT)


def page_count(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)
