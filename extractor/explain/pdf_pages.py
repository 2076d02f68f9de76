"""The pages of a PDF as images for the explain page, and the boxes of the
cells' sources in their pixels.

pypdfium2 renders each page a cell is on, in grey (the page's colours add
nothing to checking a number, and grey PNGs are a third the size); the PNG
is written here with zlib, so no imaging library is needed.
"""

from __future__ import annotations

import base64
import struct
import zlib

import pypdfium2 as pdfium

from ..readers.pdf import PDFIUM_LOCK
from ..readers.pdf.parse import PageView

# Pixels per point: 144 dpi, where a table's 9-point digits are 18 pixels high.
SCALE = 2.0
# Pages rendered at most: a report's tables are on a few pages; a 300-page
# file is not turned into a 300-image page.
MAX_PAGES = 40
# Pixels a page is rendered at most (an A4 page at SCALE is 2.0 million): a
# page of absurd size is rendered smaller, not into gigabytes.
MAX_PIXELS = 8_000_000


def render_pages(data: bytes, pages: set[int]) -> dict[int, dict]:
    """page -> {"src": a PNG data URL, "width", "height" (pixels), "view"
    (what turns user space into top-down points), "scale" (pixels per
    point)} for each page asked for."""
    with PDFIUM_LOCK:
        return _render(data, pages)


def _render(data: bytes, pages: set[int]) -> dict[int, dict]:
    out: dict[int, dict] = {}
    pdf = pdfium.PdfDocument(data)
    try:
        for number in sorted(pages)[:MAX_PAGES]:
            if not 1 <= number <= len(pdf):
                continue
            page = pdf[number - 1]
            try:
                width_pt, height_pt = page.get_size()
                # (a little under the cap: pdfium rounds the bitmap's sides up)
                scale = min(SCALE, 0.999 * (MAX_PIXELS / max(width_pt * height_pt, 1.0)) ** 0.5)
                try:
                    bitmap = page.render(scale=scale, grayscale=True)
                except pdfium.PdfiumError:
                    continue  # the page's cells are listed without its picture
                width, height = bitmap.width, bitmap.height
                png = _png(bytes(bitmap.buffer), width, height, bitmap.stride)
                out[number] = {"src": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
                               "width": width, "height": height, "view": PageView(page), "scale": scale}
            finally:
                page.close()
    finally:
        pdf.close()
    return out


def pixel_box(page: dict, box: list[float] | None) -> list[int] | None:
    """A box in PDF user space as [left, top, right, bottom] pixels of the
    page `render_pages` rendered."""
    if not box:
        return None
    scale = page["scale"]
    x0, top, x1, bottom = page["view"].box(*box)
    return [round(x0 * scale), round(top * scale), round(x1 * scale), round(bottom * scale)]


def _png(pixels: bytes, width: int, height: int, stride: int) -> bytes:
    """A greyscale PNG (8 bits) of rows `stride` bytes apart."""
    rows = b"".join(b"\x00" + pixels[y * stride:y * stride + width] for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b"")
