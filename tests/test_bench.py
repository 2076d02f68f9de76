"""bench/run.py keeps going whatever this build or this machine lacks: a format
the build cannot read yet, a comparison tool that is not installed, a tool
that fails on a file. (The figures themselves are not asserted: benchmarks are
scripts, not timed tests.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import CORPUS

BENCH = Path(__file__).parent.parent / "bench"
sys.path.insert(0, str(BENCH))

from contenders import BASELINE, EXTRACT, LXML, PDFIUM_TEXT, PDFPLUMBER, READ_HTML, Contender  # noqa: E402
from render import Measured, figures, targets  # noqa: E402
from timing import NOT_SUPPORTED, Timing, measure  # noqa: E402

from extractor.errors import ExtractError  # noqa: E402
from extractor.pipeline import extract_file  # noqa: E402

SAMPLE_HTML = Path(__file__).parent.parent / "samples" / "synthetic-2021-template.html"
PDF = CORPUS / "synthetic" / "sample_report_2021_template.libreoffice.pdf"


def pdf_supported() -> bool:
    try:
        extract_file(PDF)
    except ExtractError as exc:
        assert exc.code == "unsupported", exc
        return False
    return True


def test_html_page_is_timed_by_extract_lxml_and_read_html():
    timings = measure(SAMPLE_HTML, [EXTRACT, LXML, READ_HTML], runs=2)
    assert all(t.seconds is not None and t.seconds > 0 for t in timings.values()), timings
    assert timings[READ_HTML.name].tables == 3  # the page's three <table>s, as pandas sees them
    m = Measured(SAMPLE_HTML, "synthetic.html", "html", SAMPLE_HTML.stat().st_size, None, timings=timings)
    text = "\n".join(figures([m], runs=2))
    assert "beyond lxml.html's parse of the same bytes (1 pages)" in text
    assert "| **all HTML pages** (1) | html | 8 |" in text


def test_pdf_row_says_what_is_missing_and_still_times_the_others():
    absent = Contender("camelot lattice", frozenset({"pdf"}), lambda p: 0, "no_such_module_for_this_test")
    broken = Contender("broken tool", frozenset({"pdf"}), lambda p: 1 / 0, "pdfplumber")
    timings = measure(PDF, [EXTRACT, PDFPLUMBER, absent, broken], runs=1)
    assert timings[PDFPLUMBER.name].seconds > 0
    assert timings[PDFPLUMBER.name].tables == 4
    assert timings["camelot lattice"].note == "camelot lattice not installed (pip install -e '.[bench]')"
    assert timings["broken tool"].note == "fails: ZeroDivisionError: division by zero"
    if pdf_supported():
        assert timings[EXTRACT.name].seconds > 0
    else:
        assert timings[EXTRACT.name].note == NOT_SUPPORTED
    m = Measured(PDF, "synthetic.pdf", "pdf", PDF.stat().st_size, 2, timings=timings)
    text = "\n".join(figures([m], runs=1))
    assert "| synthetic.pdf | 2 |" in text
    assert "camelot lattice not installed (pip install -e '.[bench]')" in text
    assert ("PDF input is not supported in this build" in text) != pdf_supported()


def test_the_command_writes_results(tmp_path):
    out = tmp_path / "RESULTS.md"
    command = [sys.executable, str(BENCH / "run.py"), "--runs", "1", "--baseline", "HEAD", "--out", str(out)]
    proc = subprocess.run([*command, str(SAMPLE_HTML)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    results = out.read_text(encoding="utf-8")
    assert results.startswith("# Accuracy and speed")
    assert "| samples/synthetic-2021-template.html | html | 8 |" in results
    assert "### Reports per second, by input format" in proc.stdout
    # The targets, read off this run: the committed build timed beside the working tree's.
    assert "- HTML pages (1): the whole extraction takes a median" in results
    assert "| html | 1 |" in results.split("### Today's build against `HEAD`")[1]


def test_the_targets_are_read_off_the_figures():
    def timing(ms: float, values: int | None = 7) -> Timing:
        return Timing(seconds=ms / 1000, tables=values)

    glued = Measured(SAMPLE_HTML, "glued.txt", "text", 1, None, {"glued_cells_split"}, 7,
                     {EXTRACT.name: timing(10), BASELINE: timing(25)})
    plain = Measured(SAMPLE_HTML, "plain.txt", "text", 1, None, set(), 7,
                     {EXTRACT.name: timing(12), BASELINE: timing(10)})
    pdf = Measured(PDF, "a.pdf", "pdf", 1, 4, set(), 7, {EXTRACT.name: timing(30), PDFIUM_TEXT.name: timing(10)})
    # The old build read 3 of its cells, today's 7: more work, left out of the comparison.
    more = Measured(SAMPLE_HTML, "more.txt", "text", 1, None, set(), 7,
                    {EXTRACT.name: timing(50), BASELINE: timing(5, 3)})
    text = "\n".join(targets([glued, plain, pdf, more], "abc123"))
    assert "Glued text dumps (1, the text reports whose tables are split by position): a median **2.50×**" in text
    assert "aim ≥ 2×: **met**" in text
    assert "report by report (2 that both builds read alike): the slowest is plain.txt at **1.20×**" in text
    assert "(aim: none slower than 1.10×: **not met**)" in text
    assert "takes **3.00×** pdfium's bare text of the same pages (7.50 against 2.50 ms a page" in text
    assert "aim ≤ 2.5×: **not met**" in text
