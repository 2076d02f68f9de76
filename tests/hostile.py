"""Hostile inputs, built in memory: huge, repetitive, deeply nested or
compressed files that a real report never is, for the time and memory bounds
(tests/test_bounds.py) and their benchmark (bench/scaling.py). Everything
here is synthetic, made from the fixtures or from nothing."""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from damage import random_table
from pdfgen import Page, build
from synth import APPLICATION_COLUMNS, render_glued

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed" / "000_7862af51daa0dff0.txt"
PAGE = FIXTURES / "corpus" / "github" / "013_pingtan_2025_page.html"
DOCX = FIXTURES / "corpus" / "github" / "012_template2021_blank_official_format.docx"


def _seed_parts() -> tuple[str, str, str]:
    """The seed report cut into (before table 三, table 三, from table 四 on)."""
    text = SEED.read_text(encoding="utf-8")
    start = text.index("三、收到和处理政府信息公开申请情况")
    end = text.index("四、政府信息公开行政复议、行政诉讼情况")
    return text[:start], text[start:end], text[end:]


def table3_copies(copies: int) -> bytes:
    """The seed report with its table 三 printed `copies` times."""
    head, table, tail = _seed_parts()
    return (head + table * copies + tail).encode()


def zero_lines(lines: int) -> bytes:
    """The seed report with `lines` lines of "0" inside table 三."""
    head, table, tail = _seed_parts()
    cut = table.index("(一)予以公开")
    return (head + table[:cut] + "0\n" * lines + table[cut:] + tail).encode()


def blank_cells(cells: int) -> bytes:
    """The seed report with `cells` bare "|" lines (blank cells) after the
    first row of table 三: more blank tokens than any row has cells."""
    head, table, tail = _seed_parts()
    cut = table.index("(一)予以公开")
    return (head + table[:cut] + "(一)予以公开\n1\n" + "|\n" * cells + "1\n" + table[cut:] + tail).encode()


def glued_row(digits: int, adds_up: bool, seed: int = 1) -> bytes:
    """A crawler dump (all cells glued together) whose 予以公开 row is one
    run of about `digits` digits: seven cells whose total adds up, or random
    digits no split of which adds up."""
    rng = random.Random(seed)
    cells = random_table(rng)
    columns = APPLICATION_COLUMNS[:-1]
    width = max((digits - 1) // len(APPLICATION_COLUMNS), 1)
    values = [rng.randint(10 ** (width - 1), 10 ** width - 1) for _ in columns]
    for column, value in zip(columns, values, strict=True):
        cells[f"applications.granted.{column}"] = value
    cells["applications.granted.total"] = sum(values)
    text = render_glued(cells)
    if not adds_up:
        printed = "(一)予以公开" + "".join(str(v) for v in [*values, sum(values)])
        run = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(digits - 1))
        text = text.replace(printed, "(一)予以公开" + run)
    return text.encode()


def long_page(size: int) -> bytes:
    """A real portal page padded to `size` bytes with paragraphs of running
    text after the article."""
    page = PAGE.read_bytes()
    filler = "<p>本栏目发布政府信息公开工作动态，欢迎社会各界监督并提出意见和建议。</p>\n".encode()
    cut = page.rindex(b"</body>")
    pad = filler * max((size - len(page)) // len(filler), 0)
    return page[:cut] + pad + page[cut:]


def long_line(size: int) -> bytes:
    """A crawler dump whose body is one line of `size` bytes: the seed's
    table text glued together and repeated."""
    head, table, tail = _seed_parts()
    glued = "".join(table.split())
    title = head.splitlines()[0]
    body = glued * max(size // len(glued.encode()), 1)
    return f"{title}\n{body}{''.join(tail.split())}\n".encode()


def nested_html(depth: int) -> bytes:
    """The synthetic sample page with its tables `depth` <div>s deep."""
    page = (Path(__file__).parent.parent / "samples" / "synthetic-2021-template.html").read_text(encoding="utf-8")
    start = page.index("<body>") + len("<body>")
    end = page.index("</body>")
    return (page[:start] + "<div>" * depth + page[start:end] + "</div>" * depth + page[end:]).encode()


def _rezip(source: bytes, replace: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w", method) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info.filename)))
    return out.getvalue()


def docx_inflating(size: int) -> bytes:
    """The blank template .docx whose document.xml inflates to `size` bytes
    of paragraphs holding "0": a zip bomb that parses."""
    source = DOCX.read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as z:
        xml = z.read("word/document.xml")
    cut = xml.rindex(b"</w:body>")
    paragraph = b"<w:p><w:r><w:t>0</w:t></w:r></w:p>"
    padded = xml[:cut] + paragraph * max((size - len(xml)) // len(paragraph), 0) + xml[cut:]
    return _rezip(source, {"word/document.xml": padded})


def docx_span(attribute: str, span: int) -> bytes:
    """The blank template .docx whose first table cell spans `span` grid
    columns (attribute "gridSpan") or whose first row starts after `span`
    empty ones ("gridBefore")."""
    source = DOCX.read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    if attribute == "gridSpan":
        # The first cell with another cell after it in its row: those after it shift right.
        at = 0
        while True:
            at = xml.index("<w:tcPr>", at) + len("<w:tcPr>")
            if xml.find("<w:tc>", at) < xml.find("</w:tr>", at):
                break
        xml = xml[:at] + f'<w:gridSpan w:val="{span}"/>' + xml[at:]
    else:
        tr = xml.index("<w:tr ")
        at = xml.index(">", tr) + 1
        xml = xml[:at] + f'<w:trPr><w:gridBefore w:val="{span}"/></w:trPr>' + xml[at:]
    return _rezip(source, {"word/document.xml": xml.encode()})


def pdf_inflating(size: int) -> bytes:
    """A one-page PDF whose content stream inflates to `size` bytes of
    whitespace around a line of text."""
    page = Page()
    page.text(72, 72, "政府信息公开工作年度报告")
    pdf = build([page])
    content = page.ops[0].encode()
    stream = zlib.compress(content + b" " * max(size - len(content), 0), 9)
    plain = f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream"
    packed = f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream + b"\nendstream"
    assert plain in pdf
    # Offsets in the cross-reference table go stale; pdfium rebuilds it.
    return pdf.replace(plain, packed)


# -- running the command, with its time and peak memory ---------------------------

# A small process between the caller and the command: Linux keeps a process's
# peak memory across exec, so a command started straight from a large process
# (pytest, or a benchmark holding a 1 GiB input) would report that process's
# size as its own peak.
_MEASURE = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(f"{usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


@dataclass(slots=True)
class Run:
    code: int | None  # exit status; None when killed at the timeout
    stderr: str
    seconds: float
    peak_mb: float


def run_extract(*args: str | Path, timeout: float = 120) -> Run:
    """`python -m extractor ARGS` in a fresh process: exit status, stderr,
    wall time and peak resident memory."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "usage"
        start = time.perf_counter()
        # A session of its own, so that a timeout ends the command too.
        proc = subprocess.Popen([sys.executable, "-c", _MEASURE, str(report), "-m", "extractor", *map(str, args)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
                                cwd=Path(__file__).parent.parent,
                                env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            _, stderr = proc.communicate()
            return Run(None, stderr, time.perf_counter() - start, float("nan"))
        seconds = time.perf_counter() - start
        peak_kb, code = report.read_text().split()
    return Run(int(code), stderr, seconds, int(peak_kb) / 1024)


def html_table(cells: int) -> bytes:
    """The synthetic sample page with one more table of `cells` cells "0",
    100 to a row."""
    page = (Path(__file__).parent.parent / "samples" / "synthetic-2021-template.html").read_text(encoding="utf-8")
    cut = page.index("</body>")
    row = "<tr>" + "<td>0</td>" * 100 + "</tr>"
    return (page[:cut] + "<table>" + row * max(cells // 100, 1) + "</table>" + page[cut:]).encode()


def pdf_characters(pages: int, per_page: int = 30_000) -> bytes:
    """A titled PDF with `pages` more pages of `per_page` characters "0" each."""
    title = Page()
    title.text(72, 72, "政府信息公开工作年度报告")
    crowded = Page()
    crowded.ops.append("BT /F1 1 Tf 10 10 Td " + "".join(f"({'0' * min(per_page - done, 30_000)}) Tj "
                                                         for done in range(0, per_page, 30_000)) + "ET")
    return build([title] + [crowded] * pages)
