"""The OCR path under pages no report prints: threads in a batch's worker,
a page too large to render at full resolution, a page pdfium cannot render
or whose image cannot be read. Synthetic files, built here: a ruled table
of made-up numbers drawn with OpenCV (or PDF operators) and wrapped as a
scanned page."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra is not installed")

import cv2
import numpy as np
from scans import image_pdf

from extractor.model import Grid
from extractor.readers import read_document

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
    the CPU time (clock ticks) each thread of the process has used."""
    read_document(Path("synthetic.pdf"), data)
    ticks = []
    for task in sorted(os.listdir("/proc/self/task")):
        fields = Path(f"/proc/self/task/{task}/stat").read_text().rsplit(")", 1)[1].split()
        ticks.append(int(fields[11]) + int(fields[12]))  # utime, stime
    return cv2.getNumThreads(), ticks


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
