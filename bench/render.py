"""The bench figures as Markdown tables (printed as they are, and written to RESULTS.md)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path

from contenders import BASELINE, CAMELOT, EXTRACT, LXML, PDFIUM_TEXT, PDFPLUMBER, READ_HTML, UNSOURCED
from timing import NOT_SUPPORTED, Timing

DASH = "—"


@dataclass(slots=True)
class Measured:
    path: Path
    shown: str  # the name in the tables
    fmt: str  # extractor.readers.sniff
    size: int
    pages: int | None
    warnings: set[str] = field(default_factory=set)  # the codes of extract's warnings on it
    values: int | None = None  # the cells extract read a value in
    timings: dict[str, Timing] = field(default_factory=dict)

    @property
    def glued(self) -> bool:
        """A text dump whose tables lost their separators (their digits run together)."""
        return self.fmt == "text" and "glued_cells_split" in self.warnings

    def seconds(self, tool: str) -> float | None:
        timing = self.timings.get(tool)
        return timing.seconds if timing else None


def ms(seconds: float | None) -> str:
    if seconds is None:
        return DASH
    return f"{seconds * 1000:.2f}" if seconds < 0.01 else f"{seconds * 1000:.1f}"


def timed(m: Measured, tool: str) -> str:
    """Milliseconds (and tables found), or why there is no time."""
    timing = m.timings.get(tool)
    if timing is None:
        return DASH
    if timing.seconds is None:
        return timing.note
    return ms(timing.seconds) + (f" ({timing.tables})" if timing.tables is not None else "")


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a is not None and b else DASH


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def total(files: list[Measured], tool: str) -> float | None:
    """Sum of the per-file medians, over files where the tool ran; None if it ran on none."""
    times = [m.seconds(tool) for m in files]
    return sum(t for t in times if t is not None) if any(t is not None for t in times) else None


def both(files: list[Measured], *tools: str) -> list[Measured]:
    """The files every one of the tools was timed on, so that a ratio compares like with like."""
    return [m for m in files if all(m.seconds(t) is not None for t in tools)]


def throughput(files: list[Measured]) -> list[str]:
    rows = []
    for fmt in sorted({m.fmt for m in files}):
        group = [m for m in files if m.fmt == fmt]
        timed_files = [m for m in group if m.seconds(EXTRACT.name) is not None]
        if not timed_files:
            notes = sorted({m.timings[EXTRACT.name].note for m in group})
            rows.append([fmt, str(len(group)), "; ".join(notes), DASH, DASH])
            continue
        seconds = [m.seconds(EXTRACT.name) for m in timed_files]
        pages = sum(m.pages or 0 for m in timed_files)
        per_page = ms(sum(seconds) / pages) if fmt == "pdf" and pages else DASH
        rows.append([fmt, str(len(timed_files)), ms(statistics.median(seconds)),
                     f"{len(timed_files) / sum(seconds):.1f}", per_page])
    return table(["format", "reports", "extract ms per report (median)", "reports/s", "ms per PDF page"], rows)


def provenance_table(files: list[Measured]) -> list[str]:
    """What every cell's `source` costs: extract against the same extraction without it, by format."""
    rows = []
    for fmt in sorted({m.fmt for m in files}):
        group = both([m for m in files if m.fmt == fmt], EXTRACT.name, UNSOURCED.name)
        if group:
            with_sources, without = total(group, EXTRACT.name), total(group, UNSOURCED.name)
            per_file = statistics.median(m.seconds(EXTRACT.name) / m.seconds(UNSOURCED.name) for m in group)
            rows.append([fmt, str(len(group)), ms(with_sources), ms(without), ratio(with_sources, without),
                         f"{per_file:.2f}×"])
    return table(["format", "reports", "extract ms (all)", "without sources ms", "ratio", "median per report"],
                 rows)


def pages_table(files: list[Measured]) -> list[str]:
    """HTML and text reports: extract against lxml's parse of the same bytes and pandas.read_html."""
    rows = []
    for m in files:
        extract, parse = m.seconds(EXTRACT.name), m.seconds(LXML.name)
        overhead = ms(extract - parse) if extract is not None and parse is not None else DASH
        rows.append([m.shown, m.fmt, f"{m.size / 1024:.0f}", timed(m, EXTRACT.name), timed(m, LXML.name), overhead,
                     timed(m, READ_HTML.name), ratio(extract, m.seconds(READ_HTML.name))])
    tools = (EXTRACT.name, LXML.name, READ_HTML.name)
    same = both([m for m in files if m.fmt == "html"], *tools)
    if same:
        extract, parse, read_html = (total(same, t) for t in tools)
        rows.append([f"**all HTML pages** ({len(same)})", "html", f"{sum(m.size for m in same) / 1024:.0f}",
                     ms(extract), ms(parse), ms(extract - parse), ms(read_html), ratio(extract, read_html)])
    return table(["report", "format", "KB", "extract ms", "lxml.html parse ms", "extract − parse ms",
                  "pandas.read_html ms (tables)", "extract ÷ read_html"], rows)


def overhead_line(files: list[Measured]) -> str:
    html = both([m for m in files if m.fmt == "html"], EXTRACT.name, LXML.name)
    if not html:
        return "No HTML page was timed by both extract and lxml.html."
    beyond = statistics.median(m.seconds(EXTRACT.name) - m.seconds(LXML.name) for m in html)
    verdict = "met" if beyond < 0.010 else "not met"
    return (f"HTML pages: extract takes a median **{ms(beyond)} ms** per page beyond lxml.html's parse of the same "
            f"bytes ({len(html)} pages). Aim: under 10 ms per typical page: **{verdict}**.")


def pdf_table(files: list[Measured]) -> list[str]:
    rows = []
    for m in files:
        extract = m.seconds(EXTRACT.name)
        per_page = ms(extract / m.pages) if extract is not None and m.pages else DASH
        rows.append([m.shown, str(m.pages or DASH), timed(m, EXTRACT.name), per_page, timed(m, PDFPLUMBER.name),
                     timed(m, CAMELOT.name), ratio(extract, m.seconds(PDFPLUMBER.name)),
                     ratio(extract, m.seconds(CAMELOT.name))])
    pages = sum(m.pages or 0 for m in files)
    per_page = []
    for tool in (EXTRACT.name, PDFPLUMBER.name, CAMELOT.name):
        ran = [m for m in files if m.seconds(tool) is not None]
        ran_pages = sum(m.pages or 0 for m in ran)
        per_page.append(f"{ms(total(ran, tool) / ran_pages)} ms/page" if ran and ran_pages else DASH)
    ratios = [ratio(total(both(files, EXTRACT.name, t), EXTRACT.name), total(both(files, EXTRACT.name, t), t))
              for t in (PDFPLUMBER.name, CAMELOT.name)]
    rows.append([f"**all PDFs** ({len(files)})", str(pages), per_page[0], DASH, per_page[1], per_page[2], *ratios])
    return table(["report", "pages", "extract ms", "extract ms/page", "pdfplumber extract_tables ms (tables)",
                  "camelot lattice ms (tables)", "extract ÷ pdfplumber", "extract ÷ camelot"], rows)


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def like_for_like(files: list[Measured]) -> list[Measured]:
    """The files the baseline build read as much of as today's (the same
    number of cells with a value): on the others it did less work."""
    return [m for m in both(files, EXTRACT.name, BASELINE) if m.timings[BASELINE].tables == m.values]


def median_ratio(files: list[Measured], a: str, b: str) -> float | None:
    """The median over files of a's time ÷ b's time (each file timed by both)."""
    same = both(files, a, b)
    return statistics.median(m.seconds(a) / m.seconds(b) for m in same) if same else None


def targets(files: list[Measured], rev: str | None) -> list[str]:
    """The speed targets, each read off this run's figures."""
    lines = []
    html = [m for m in files if m.fmt == "html"]
    by_read_html = median_ratio(html, EXTRACT.name, READ_HTML.name)
    by_lxml = median_ratio(html, EXTRACT.name, LXML.name)
    if by_read_html is not None and by_lxml is not None:
        lines.append(f"- HTML pages ({len(both(html, EXTRACT.name, READ_HTML.name))}): the whole extraction takes a "
                     f"median **{by_read_html:.2f}×** `pandas.read_html` on the same bytes (aim ≤ 1.0×: "
                     f"{verdict(by_read_html <= 1.0)}) and **{by_lxml:.2f}×** lxml's parse (aim ≤ 4×: "
                     f"{verdict(by_lxml <= 4.0)}).")
    pdfs = both([m for m in files if m.fmt == "pdf"], EXTRACT.name, PDFIUM_TEXT.name)
    if pdfs:
        pdf_ratio = total(pdfs, EXTRACT.name) / total(pdfs, PDFIUM_TEXT.name)
        pages = sum(m.pages or 0 for m in pdfs)
        per_page = total(pdfs, EXTRACT.name) / pages, total(pdfs, PDFIUM_TEXT.name) / pages
        lines.append(f"- PDF ({len(pdfs)} files, {pages} pages): the whole extraction takes **{pdf_ratio:.2f}×** "
                     f"pdfium's bare text of the same pages ({ms(per_page[0])} against {ms(per_page[1])} ms a page; "
                     f"aim ≤ 2.5×: {verdict(pdf_ratio <= 2.5)}).")
    if rev:
        glued = like_for_like([m for m in files if m.glued])
        if glued:
            speedup = statistics.median(m.seconds(BASELINE) / m.seconds(EXTRACT.name) for m in glued)
            lines.append(f"- Glued text dumps ({len(glued)}, the text reports whose tables are split by position): "
                         f"a median **{speedup:.2f}×** faster than the build of `{rev}` in this run (aim ≥ 2×: "
                         f"{verdict(speedup >= 2.0)}).")
        timed_both = like_for_like(files)
        if timed_both:
            slowest = max(timed_both, key=lambda m: m.seconds(EXTRACT.name) / m.seconds(BASELINE))
            worst = slowest.seconds(EXTRACT.name) / slowest.seconds(BASELINE)
            lines.append(f"- Against `{rev}`, report by report ({len(timed_both)} that both builds read alike): the "
                         f"slowest is {slowest.shown} at **{worst:.2f}×** its old time (aim: none slower than "
                         f"1.10×: {verdict(worst <= 1.10)}).")
    return lines


def baseline_table(files: list[Measured], rev: str) -> list[str]:
    """Today's build against the baseline commit's, by format: both timed in this run."""
    rows = []
    for fmt in sorted({m.fmt for m in files}):
        group = like_for_like([m for m in files if m.fmt == fmt])
        if group:
            per_file = [m.seconds(EXTRACT.name) / m.seconds(BASELINE) for m in group]
            rows.append([fmt, str(len(group)), ms(total(group, BASELINE)), ms(total(group, EXTRACT.name)),
                         ratio(total(group, EXTRACT.name), total(group, BASELINE)),
                         f"{statistics.median(per_file):.2f}×", f"{max(per_file):.2f}×"])
    glued = like_for_like([m for m in files if m.glued])
    if glued:
        per_file = [m.seconds(EXTRACT.name) / m.seconds(BASELINE) for m in glued]
        rows.append(["text: glued dumps", str(len(glued)), ms(total(glued, BASELINE)), ms(total(glued, EXTRACT.name)),
                     ratio(total(glued, EXTRACT.name), total(glued, BASELINE)),
                     f"{statistics.median(per_file):.2f}×", f"{max(per_file):.2f}×"])
    failed = sum(1 for m in files if m.timings.get(BASELINE) and m.timings[BASELINE].seconds is None)
    unlike = len(both(files, EXTRACT.name, BASELINE)) - len(like_for_like(files))
    lines = table(["format", "reports", f"`{rev}` ms (all)", "today ms (all)", "today ÷ then",
                   "median per report", "slowest report"], rows)
    lines += ["", f"Only the reports both builds read alike (the same number of cells with a value) are compared: "
                  f"{unlike} that today's build reads more of (or otherwise) and {failed} that the `{rev}` build "
                  "could not read (refused as not a report, or no reader then) are left out."]
    return lines


def word_table(files: list[Measured]) -> list[str]:
    return table(["report", "KB", "extract ms"], [[m.shown, f"{m.size / 1024:.0f}", timed(m, EXTRACT.name)]
                                                 for m in files])


def accuracy_table(by_format: dict[str, dict]) -> list[str]:
    rows = [[fmt, str(t["reports"]), str(t["cells"]), str(t["right"]), str(t["flagged"]), str(t["silent"]),
             str(t["failed"]), f"{t['meta_right']}/{t['meta']}"] for fmt, t in sorted(by_format.items())]
    return table(["format", "labelled reports", "cells", "right", "flagged", "silent", "failed", "metadata right"],
                 rows)


def figures(files: list[Measured], runs: int, rev: str | None = None) -> list[str]:
    """Everything measured, as Markdown: what the command prints and RESULTS.md holds."""
    lines = ["### The speed targets", "", *targets(files, rev), "",
             f"Times are medians of {runs} run(s) after one warm-up, in milliseconds; each ratio compares two "
             "tools on the same files in the same run (below 1×: extract is faster). The comparison tools only cut "
             "tables into strings; extract also finds the sections, metadata and canonical keys and checks every "
             "identity.", "", "### Reports per second, by input format", "", *throughput(files), ""]
    pages = [m for m in files if m.fmt in ("html", "text")]
    if pages:
        lines += ["### HTML and text reports: time beyond parsing, and pandas.read_html", "",
                  overhead_line(files), "", *pages_table(pages), "",
                  "Text reports have no markup to parse, so their lxml and read_html columns are empty; "
                  "read_html's table count is what a user would get without extract (0: the portal turned the "
                  "tables into paragraphs).", ""]
    pdfs = [m for m in files if m.fmt == "pdf"]
    if pdfs:
        lines += ["### PDF reports: extract, pdfplumber and camelot on the same files", "", *pdf_table(pdfs), "",
                  "pdfium's bare text of the same pages (`get_textpage().get_text_range()` of every page, "
                  "the floor for reading a PDF at all): "
                  f"{ms(total(both(pdfs, PDFIUM_TEXT.name), PDFIUM_TEXT.name))} ms for all of them.", ""]
        if any(m.timings[EXTRACT.name].note == NOT_SUPPORTED for m in pdfs):
            lines += ["PDF input is not supported in this build: the same command fills the extract columns "
                      "once the PDF reader is merged.", ""]
    if rev:
        lines += [f"### Today's build against `{rev}`", "",
                  f"The extractor of commit `{rev}` (taken out of git by bench/run.py) timed in turn with today's on "
                  "the same files:", "", *baseline_table(files, rev), ""]
    lines += ["### What provenance costs", "",
              "extract against the same extraction with no cell `source` (`extract_file(path, provenance=False)`), "
              "same files, same run:", "", *provenance_table(files), ""]
    words = [m for m in files if m.fmt in ("docx", "doc")]
    if words:
        lines += ["### Word reports", "", *word_table(words), ""]
    notes = sorted({t.note for m in files for t in m.timings.values()
                    if t.note and t.note != NOT_SUPPORTED and "not installed" in t.note})
    if notes:
        lines += ["Not measured here: " + "; ".join(notes) + ".", ""]
    return lines
