"""`extract explain`: the review page of a report, for every input format, its
cells linked to where they are printed; and the same page opened in a real
browser (headless Chromium), a cell opened, its highlighted source checked
against the cell's raw text."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import CORPUS, FIXTURES, SEED
from lxml import html as lxml_html
from pdfgen import tilted

from extractor.explain import explain_bytes, explain_file
from extractor.explain.pdf_pages import MAX_PIXELS, pixel_box, render_pages
from extractor.normalize import normalize

# One report of each format the corpus has, with what makes it worth opening.
REPORTS = {
    "html": CORPUS / "github" / "016_pingtan_2022_page.html",  # Word's HTML: tags over many lines
    "pdf": CORPUS / "github" / "001_huaian_city_2024.pdf",
    "docx": FIXTURES / "matrix" / "samples" / "cell_notes-00.docx",
    "glued text": CORPUS / "pingtan-depts" / "004_guanweihuibangongshi-2025.txt",  # tables glued into one line
    "text": SEED,
    "markdown": next(CORPUS.glob("kiro/004_shanghai-office*.md")),  # two cells undetermined
}


def page_data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S)
    assert found, "the page carries its data"
    return json.loads(found.group(1).replace("<\\/", "</"))


def squeezed(text: str) -> str:
    return re.sub(r"\s", "", normalize(text))


def printed_cells(data: dict):
    """Cells with printed text whose evidence is the file's own text."""
    for name, cell in data["cells"].items():
        evidence = cell["evidence"]
        if cell["raw"].strip() and evidence and evidence["type"] in ("lines", "row", "pdf"):
            yield name, cell, evidence


def text_in_box(report: Path, page: int, box: list[float]) -> str:
    pdf = pdfium.PdfDocument(report)
    try:
        return pdf[page - 1].get_textpage().get_text_bounded(*box)
    finally:
        pdf.close()


@pytest.mark.parametrize("kind", REPORTS)
def test_every_cell_of_the_page_points_at_its_printed_text(kind: str):
    report = REPORTS[kind]
    doc, page = explain_file(report)
    data = page_data(page)
    # Every cell of the three tables is on the page, with its Chinese labels.
    assert len(data["cells"]) == sum(len(cols) for t in doc["tables"].values() for cols in t["rows"].values())
    assert all(c["row_label"] and c["column_label"] for c in data["cells"].values())
    cells = list(printed_cells(data))
    assert cells
    for name, cell, evidence in cells:
        if evidence["type"] == "lines":
            assert squeezed(evidence["mark"]) == squeezed(cell["raw"]), name
        elif evidence["type"] == "row":
            assert squeezed(evidence["cells"][evidence["mark"]]) == squeezed(cell["raw"]), name
        else:
            for part in evidence["parts"]:
                assert str(part["page"]) in data["pages"] and part["box_px"], name
    # The page needs no network: no external script, style, font or image.
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert data["pages"] if kind == "pdf" else not data["pages"]


def test_a_pdf_page_is_rendered_once_and_each_box_is_its_text():
    report = REPORTS["pdf"]
    _, page = explain_file(report)
    data = page_data(page)
    assert all(p["src"].startswith("data:image/png;base64,") for p in data["pages"].values())
    _, cell, evidence = next(printed_cells(data))
    part = evidence["parts"][0]
    assert squeezed(text_in_box(report, part["page"], part["box"])) == squeezed(cell["raw"])
    left, top, right, bottom = part["box_px"]
    page_px = data["pages"][str(part["page"])]
    assert 0 <= left < right <= page_px["width"] and 0 <= top < bottom <= page_px["height"]


def _grey_rows(page_px: dict) -> list[bytes]:
    """The rows of pixels of a page's PNG as the explain page writes it
    (8-bit grey, each row filtered "none")."""
    png = base64.b64decode(page_px["src"].split(",", 1)[1])
    at, chunks = 8, b""
    while at < len(png):
        length = int.from_bytes(png[at:at + 4], "big")
        if png[at + 4:at + 8] == b"IDAT":
            chunks += png[at + 8:at + 8 + length]
        at += 12 + length
    pixels, width = zlib.decompress(chunks), page_px["width"]
    return [pixels[y * (width + 1) + 1:(y + 1) * (width + 1)] for y in range(page_px["height"])]


def test_a_tilted_page_is_shown_straightened_under_its_boxes():
    """A real report's pages turned by 4.5 degrees (synthetic, from the real
    file): they are read straightened, so their cells' boxes are in the
    straightened frame; the explain page shows the pages straightened too,
    and every value's box holds the ink of its digits (on the page as
    printed, the boxes far from the page's centre missed them)."""
    report = REPORTS["pdf"]
    _, page = explain_bytes(tilted(report.read_bytes(), -4.5, image=False, lines=True), report)
    data = page_data(page)
    rows = {n: _grey_rows(p) for n, p in data["pages"].items()}
    boxes = [(name, part) for name, cell, evidence in printed_cells(data) if evidence["type"] == "pdf"
             and re.fullmatch(r"\d+", cell["raw"].strip()) for part in evidence["parts"]]
    assert len(boxes) > 100
    for name, part in boxes:
        left, top, right, bottom = part["box_px"]
        dark = sum(px < 128 for row in rows[str(part["page"])][top:bottom] for px in row[left:right])
        assert dark >= 0.05 * (right - left) * (bottom - top), name


def test_a_page_of_absurd_size_is_rendered_within_the_pixel_cap():
    # Synthetic: one blank page of 200 x 200 inches (PDF's largest page size).
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(14400, 14400)
    buffer = io.BytesIO()
    pdf.save(buffer)
    pdf.close()
    page = render_pages(buffer.getvalue(), {1})[1]
    assert page["width"] * page["height"] <= MAX_PIXELS
    assert page["width"] == page["height"] > 2000  # smaller, not unreadable
    assert pixel_box(page, [0, 0, 14400, 14400]) == [0, 0, page["width"], page["height"]]


def test_failed_checks_name_their_cells_and_undetermined_cells_are_marked():
    # kiro/004: the flattening leaves four cells undetermined; the label records two readings.
    _, page = explain_file(REPORTS["markdown"])
    data = page_data(page)
    states = {c["state"] for c in data["cells"].values()}
    assert {"ambiguous", "unreadable"} & states
    undetermined = [c for c in data["cells"].values() if c["state"] in ("ambiguous", "unreadable")]
    assert all(c["evidence"]["type"] == "printed" and c["evidence"]["items"] for c in undetermined)
    # The seed holds: no failed check; a report with failed checks lists each with its cells.
    failed_doc, failed_page = explain_file(CORPUS / "github" / "009_shanghai_gov_office_2019.html")
    failed = [c for c in failed_doc["checks"] if not c["ok"]]
    assert failed
    for check in failed:
        assert check["message"] in lxml_html.fromstring(failed_page).text_content()
        for name in check["cells"]:
            assert f'data-goto="{name}"' in failed_page
    assert any(c["failed"] for c in page_data(failed_page)["cells"].values())


def run_extract(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_the_command_writes_the_page_and_refuses_bad_input_in_one_line(tmp_path: Path):
    out = tmp_path / "review.html"
    proc = run_extract("explain", SEED, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert "朝阳市商务局 2023" in proc.stderr and str(out) in proc.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    # Without -o: the report's name, in the current folder.
    assert run_extract("explain", SEED, cwd=tmp_path).returncode == 0
    assert (tmp_path / f"{SEED.stem}.review.html").exists()
    not_report = tmp_path / "notice.html"
    not_report.write_text("<html><body><p>今天天气晴，气温二十度。</p></body></html>", encoding="utf-8")
    for args in ([not_report, "-o", tmp_path / "x.html"], [SEED, "-o", tmp_path / "x.json"],
                 [tmp_path / "missing.pdf"]):
        proc = run_extract("explain", *args)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_a_batch_writes_a_review_page_per_report_and_an_index(tmp_path: Path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEED, inputs / "seed.txt")
    shutil.copy(REPORTS["glued text"], inputs / "glued.txt")
    (inputs / "notice.txt").write_text("今天天气晴，气温二十度。\n", encoding="utf-8")
    # A first run without --explain; resumed with it, the stored reports get their pages.
    assert run_extract("batch", inputs, "-o", tmp_path / "ds", "-j", "1", "-q").returncode == 0
    explain = tmp_path / "ds" / "explain"
    assert not explain.exists()
    proc = run_extract("batch", inputs, "-o", tmp_path / "ds", "--explain", "--resume", "-j", "1")
    assert proc.returncode == 0, proc.stderr
    assert "explain/index.html" in proc.stderr
    pages = sorted(p.name for p in explain.glob("*.html") if p.name != "index.html")
    assert len(pages) == 2
    index = (explain / "index.html").read_text(encoding="utf-8")
    for name in pages:
        assert f'href="{name}"' in index
    assert "notice.txt" in index  # the file that is not a report, with why
    # Resumed again, nothing is extracted and the pages stay.
    assert run_extract("batch", inputs, "-o", tmp_path / "ds", "--explain", "--resume").returncode == 0
    assert sorted(p.name for p in explain.glob("*.html") if p.name != "index.html") == pages


# -- in a browser ------------------------------------------------------------------------------

CHROMIUM = next((found for name in ("chromium", "chromium-browser", "google-chrome") if (found := shutil.which(name))),
                None)
BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-extensions"]
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (CI installs Debian's `chromium` package; "
                             "apt-get install chromium to run this test)")


def opened_in_browser(page: Path, cell: str, profile: Path) -> lxml_html.HtmlElement:
    """The page's DOM after Chromium opened it at one cell (as a link #cell=... does)."""
    proc = subprocess.run([CHROMIUM, *BROWSER_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=10000",
                           "--dump-dom", f"{page.as_uri()}#cell={cell}"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return lxml_html.fromstring(proc.stdout)


@needs_chromium
@pytest.mark.parametrize("kind", ["html", "pdf", "glued text", "docx"])
def test_a_cell_opened_in_chromium_highlights_its_raw_text(kind: str, tmp_path: Path):
    report = REPORTS[kind]
    out = tmp_path / "review.html"
    assert run_extract("explain", report, "-o", out, "-q").returncode == 0
    data = page_data(out.read_text(encoding="utf-8"))
    # A cell of table 三 and one of table 四 (or of table 二 where 四 is blank).
    chosen = {}
    for name, cell, evidence in printed_cells(data):
        chosen.setdefault(name.split(".")[0], (name, cell, evidence))
    assert "applications" in chosen
    for name, cell, evidence in list(chosen.values())[-2:]:
        dom = opened_in_browser(out, name, tmp_path / "profile")
        (panel,) = dom.xpath('//div[@id="detail"]')
        assert panel.get("data-cell") == name
        assert panel.xpath('.//*[@id="cell-raw"]')[0].text_content() == cell["raw"]
        assert dom.xpath(f'//td[@data-cell="{name}"]')[0].get("class").split().count("selected") == 1
        if evidence["type"] == "lines":
            (mark,) = panel.xpath('.//mark[@class="src-mark"]')
            assert squeezed(mark.text_content()) == squeezed(cell["raw"]), name
        elif evidence["type"] == "row":
            (mark,) = panel.xpath('.//td[@class="src-mark"]')
            assert squeezed(mark.text_content()) == squeezed(cell["raw"]), name
        else:
            box = panel.xpath('.//div[@class="box"]')[0]
            assert panel.xpath(".//img")[0].get("src").startswith("data:image/png;base64,")
            user_box = [float(v) for v in box.get("data-box").split(",")]
            printed = text_in_box(report, int(box.get("data-page")), user_box)
            assert squeezed(printed) == squeezed(cell["raw"]), name
