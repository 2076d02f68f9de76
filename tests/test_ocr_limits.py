"""The OCR path under pages no report prints: threads in a batch's worker,
a page too large to render at full resolution, a page pdfium cannot render
or whose image cannot be read. Synthetic files, built here: a ruled table
of made-up numbers drawn with OpenCV (or PDF operators) and wrapped as a
scanned page."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra is not installed")

import cv2
import numpy as np
from scans import image_pdf

from extractor.model import Grid
from extractor.readers import read_document
from extractor.readers.ocr import image


@pytest.fixture(autouse=True)
def ocr_auto(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever mode an earlier test left in the environment."""
    monkeypatch.setenv("EXTRACTOR_OCR", "auto")


# Made-up numbers (synthetic), one list a table row.
ROWS = [["12", "0", "345", "7"], ["8", "1024", "3", "56"], ["0", "0", "19", "260"]]


def table_page(rows: list[list[str]] = ROWS, dpi: int = 200, size: tuple[float, float] = (8.27, 11.69),
               quality: int = 90) -> tuple[bytes, float, float]:
    """A scanned A4 page (JPEG, width and height in points) holding a ruled
    table of `rows`, its cells 1.2 by 0.5 inches, the digits some 11 pt high."""
    width, height = int(size[0] * dpi), int(size[1] * dpi)
    image = np.full((height, width, 3), 250, np.uint8)
    cw, ch, x0, y0 = int(1.2 * dpi), int(0.5 * dpi), int(0.8 * dpi), int(1.0 * dpi)
    line, stroke = max(dpi // 100, 1), max(dpi // 60, 1)
    for r in range(len(rows) + 1):
        cv2.line(image, (x0, y0 + r * ch), (x0 + len(rows[0]) * cw, y0 + r * ch), (0, 0, 0), line)
    for c in range(len(rows[0]) + 1):
        cv2.line(image, (x0 + c * cw, y0), (x0 + c * cw, y0 + len(rows) * ch), (0, 0, 0), line)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            scale = dpi / 100 * 0.9
            (tw, th), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, stroke)
            cv2.putText(image, text, (x0 + c * cw + (cw - tw) // 2, y0 + r * ch + (ch + th) // 2),
                        cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), stroke, cv2.LINE_AA)
    ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return jpeg.tobytes(), size[0] * 72, size[1] * 72


def grids(data: bytes) -> tuple[list[list[list[str]]], list[tuple[str, str]]]:
    """The tables read from a PDF, as their cells' text, and the reader's warnings."""
    doc = read_document(Path("synthetic.pdf"), data)
    return [[[cell.text for cell in row] for row in block.rows] for block in doc.blocks
            if isinstance(block, Grid)], doc.warnings


# -- threads -----------------------------------------------------------------------


def _thread_times(data: bytes) -> tuple[int, list[int]]:
    """In a worker process: read the page, then OpenCV's thread count and
    the CPU time (clock ticks) each thread of the process used while reading
    it, the main thread's first (threads that the imports started, and the
    time they took then, are not the reading's)."""
    before = _ticks()
    read_document(Path("synthetic.pdf"), data)
    after = _ticks()
    main = str(os.getpid())
    tasks = [main, *sorted((task for task in after if task != main), key=int)]
    return cv2.getNumThreads(), [after[task] - before.get(task, 0) for task in tasks]


def _ticks() -> dict[str, int]:
    """Each thread of this process (its task id) and the CPU time it has used."""
    ticks = {}
    for task in os.listdir("/proc/self/task"):
        fields = Path(f"/proc/self/task/{task}/stat").read_text().rsplit(")", 1)[1].split()
        ticks[task] = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="per-thread CPU times are read from /proc")
def test_a_batch_worker_reads_on_one_thread():
    """`extract batch -j 2` on two cores: each worker does its OCR on one
    thread (onnxruntime, OpenCV, and no BLAS threads spinning), so that two
    workers do not fight over the cores."""
    data = image_pdf([table_page()])
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        cv_threads, ticks = pool.submit(_thread_times, data).result(timeout=300)
    assert cv_threads == 1
    main, others = ticks[0], ticks[1:]
    assert main > 0 and sum(others) <= 0.1 * main, ticks


# -- a page too large for the pixel cap -------------------------------------------


def test_the_resolution_that_fits_the_pixel_cap():
    assert image.fitting((595, 842), 200) == (200, None)  # A4: 3.9 million pixels
    assert image.fitting((595, 842), 300) == (300, None)
    assert image.fitting((14400, 14400), 200) == (31, 200)  # 200 by 200 inches: 40 million pixels at 31.6 dpi
    assert image.fitting((2880, 2880), 200) == (150, 200)  # 40 inches square: 158 dpi, two figures kept
    assert image.fitting((14400, 0.5), 200) == (200, None)  # a ribbon: few pixels
    dpi, wanted = image.fitting((1e6, 1e6), 200)  # larger than PDF allows: still some pixels
    assert wanted == 200 and 0 < dpi < 1 and (1e6 / 72 * dpi) ** 2 <= image.MAX_PIXELS


def test_a_page_over_the_pixel_cap_is_read_at_the_resolution_that_fits(monkeypatch: pytest.MonkeyPatch):
    """With a cap of 2 million pixels an A4 scan (3.9 million at 200 dpi) is
    read at 140 dpi, says so, and its table is still read."""
    monkeypatch.setattr(image, "MAX_PIXELS", 2_000_000)
    tables, warnings = grids(image_pdf([table_page()]))
    assert tables == [ROWS]
    assert ("ocr_resolution_lowered", "page 1 is 8.27 by 11.69 inches: read by OCR at 140 dpi, not 200 (that would "
            "be 4 million pixels, more than the 2 million a page is rendered into); small print may not be read"
            ) in warnings


_LARGE = """
import resource, sys
sys.path.insert(0, {tests!r})
from test_ocr_limits import table_page
from scans import image_pdf
from pathlib import Path
from extractor.readers import read_document
from extractor.readers.ocr import image
jpeg, _, _ = table_page()
doc = read_document(Path("synthetic.pdf"), image_pdf([(jpeg, 14400, 14400)]))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
print(doc.warnings[0][1])
"""


def test_a_200_inch_page_is_read_in_bounded_memory():
    """A scanned page of 200 by 200 inches (the largest PDF allows) would be
    1,600 million pixels at 200 dpi, 6.4 GB as pdfium renders it: it is
    rendered at 31 dpi (40 million pixels), and the whole process, models
    and all, stays under 1.5 GB."""
    tests = str(Path(__file__).parent)
    run = subprocess.run([sys.executable, "-c", _LARGE.format(tests=tests)], capture_output=True, text=True,
                         timeout=300, env={**os.environ, "EXTRACTOR_OCR": "auto"})
    assert run.returncode == 0, run.stderr
    peak_kb, warning = run.stdout.splitlines()
    assert int(peak_kb) < 1.5 * 1024 * 1024, peak_kb
    assert warning == ("page 1 is 200 by 200 inches: read by OCR at 31 dpi, not 200 (that would be 1,600 million "
                       "pixels, more than the 40 million a page is rendered into); small print may not be read")


# -- a page that cannot be rendered, or whose image cannot be read ------------------


def _three_pages(middle: tuple[bytes, float, float] | None = None) -> bytes:
    """Three scanned pages, each a table of its own numbers (synthetic)."""
    first, last = [["1", "2"], ["3", "4"]], [["50", "60"], ["70", "80"]]
    return image_pdf([table_page(first), middle or table_page(ROWS), table_page(last)])


def _failing_on_page_2(monkeypatch: pytest.MonkeyPatch, where: object, name: str, error: Exception) -> None:
    """`where.name` raises `error` on its second call: the OCR of page 2."""
    original = getattr(where, name)
    calls = []

    def failing(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise error
        return original(*args, **kwargs)

    monkeypatch.setattr(where, name, failing)


def test_a_page_pdfium_cannot_render_is_left_out(monkeypatch: pytest.MonkeyPatch):
    """pdfium fails to render page 2 (as when it cannot allocate the bitmap):
    the page is left out and named, pages 1 and 3 are read."""
    import pypdfium2 as pdfium

    _failing_on_page_2(monkeypatch, pdfium.PdfPage, "render", pdfium.PdfiumError("Failed to create bitmap."))
    tables, warnings = grids(_three_pages())
    assert tables == [[["1", "2"], ["3", "4"]], [["50", "60"], ["70", "80"]]]
    assert ("page_not_read", "page 2 could not be read by OCR: pdfium could not render it "
            "(Failed to create bitmap.); it is left out") in warnings
    assert not any(code == "page_without_text" for code, _ in warnings)
    assert next(m for c, m in warnings if c == "read_by_ocr").startswith("pages 1, 3 read by OCR")


def test_a_page_whose_image_opencv_cannot_process_is_left_out(monkeypatch: pytest.MonkeyPatch):
    _failing_on_page_2(monkeypatch, image, "skew_angle",
                       cv2.error("OpenCV(5.0.0) resize.cpp:4208: error: (-215:Assertion failed) !ssize.empty()"))
    tables, warnings = grids(_three_pages())
    assert len(tables) == 2
    assert ("page_not_read", "page 2 could not be read by OCR: its image could not be "
            "processed (OpenCV(5.0.0) resize.cpp:4208: error: (-215:Assertion failed) !ssize.empty()); it is left out"
            ) in warnings


def test_a_page_whose_image_cannot_be_decoded_is_named():
    """Page 2's JPEG keeps its headers but its data is zeros: pdfium draws
    it as no picture at all, OCR finds nothing there and says so of page 2;
    pages 1 and 3 are read."""
    jpeg, width, height = table_page()
    data = jpeg.index(b"\xff\xda") + 12
    broken = jpeg[:data] + bytes(len(jpeg) - data - 2) + b"\xff\xd9"
    tables, warnings = grids(_three_pages((broken, width, height)))
    assert tables == [[["1", "2"], ["3", "4"]], [["50", "60"], ["70", "80"]]]
    assert ("page_without_text", "page 2 is an image with no text layer, and OCR read no text on it") in warnings


def test_pages_too_small_to_hold_text_are_named_not_a_traceback():
    """Pages of 1 by 1 point and a tenth of a point (a few pixels, or one),
    and a page 3 points wide."""
    jpeg, width, height = table_page()
    pages = [(jpeg, 1, 1), (jpeg, 0.1, 0.1), (jpeg, 3, height), (jpeg, width, height)]
    tables, warnings = grids(image_pdf(pages))
    assert tables == [ROWS]
    assert [m for c, m in warnings if c == "page_without_text"] == [
        f"page {n} is an image with no text layer, and OCR read no text on it" for n in (1, 2, 3)]


def test_a_scan_no_page_of_which_can_be_rendered_is_one_line_of_error(monkeypatch: pytest.MonkeyPatch):
    import pypdfium2 as pdfium

    from extractor.errors import ExtractError

    def failing(*args: object, **kwargs: object) -> object:
        raise MemoryError

    monkeypatch.setattr(pdfium.PdfPage, "render", failing)
    with pytest.raises(ExtractError) as err:
        read_document(Path("synthetic.pdf"), image_pdf([table_page()]))
    assert err.value.code == "scanned"
    assert str(err.value) == ("the PDF is a scanned image with no text layer, and it cannot be read: page 1 could "
                              "not be read by OCR: pdfium could not render it (out of memory); it is left out")


def test_with_ocr_always_a_text_page_that_cannot_be_rendered_keeps_its_text_layer(monkeypatch: pytest.MonkeyPatch):
    """--ocr always, and page 2 (a ruled table as text) cannot be rendered:
    its text layer is what is read."""
    import pypdfium2 as pdfium
    from pdfgen import Page, build

    page = Page()
    xs, ys = [72, 150, 228], [100, 130, 160]
    page.grid(xs, ys)
    for r, row in enumerate([["5", "6"], ["7", "8"]]):
        for c, text in enumerate(row):
            page.text(xs[c] + 30, ys[r] + 10, text)
    monkeypatch.setenv("EXTRACTOR_OCR", "always")
    _failing_on_page_2(monkeypatch, pdfium.PdfPage, "render", pdfium.PdfiumError("Failed to create bitmap."))
    first = Page()
    first.text(72, 72, "一、总体情况", size=14)
    tables, warnings = grids(build([first, page]))
    assert tables == [[["5", "6"], ["7", "8"]]]
    assert ("page_not_read", "page 2 could not be read by OCR: pdfium could not render it (Failed to create "
            "bitmap.); only its text layer is read") in warnings
