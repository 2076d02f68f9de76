"""The pages of a PDF as images for the explain page, and the boxes of the
cells' sources in their pixels.

pypdfium2 renders each page a cell is on, in grey (the page's colours add
nothing to checking a number, and grey PNGs are a third the size); the PNG
is written here with zlib, so no imaging library is needed.
"""

from __future__ import annotations

import base64
import math
import struct
import zlib

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from ..readers.pdf import PDFIUM_LOCK
from ..readers.pdf.parse import PageView, reading_view

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
    point)} for each page asked for. A page read straightened is rendered
    so, its boxes (in that frame, see readers.pdf.parse.user_box) on it."""
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
                # A page read straightened (its text tilted by a small angle)
                # is shown straightened: its cells' boxes are in that frame.
                read = reading_view(page)
                view = PageView(page, read.rotation) if read.tilted else PageView(page)
                try:
                    bitmap = _render_level(page, read, scale) if read.tilted else page.render(scale=scale,
                                                                                              grayscale=True)
                except pdfium.PdfiumError:
                    continue  # the page's cells are listed without its picture
                width, height = bitmap.width, bitmap.height
                png = _png(bytes(bitmap.buffer), width, height, bitmap.stride)
                out[number] = {"src": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
                               "width": width, "height": height, "view": view, "scale": scale}
            finally:
                page.close()
    finally:
        pdf.close()
    return out


def _render_level(page: pdfium.PdfPage, view: PageView, scale: float) -> pdfium.PdfBitmap:
    """The page rendered in grey as `view` shows it (a tilted page turned
    back), `scale` pixels a point. pdfium applies the matrix it is given
    after its own mapping onto the displayed page (PageView's): the matrix
    is that mapping undone, then the view's, both affine (read off three
    points)."""
    width, height = math.ceil(view.width * scale), math.ceil(view.height * scale)
    bitmap = pdfium.PdfBitmap.new_native(width, height, raw.FPDFBitmap_Gray)
    bitmap.fill_rect((255, 255, 255, 255), 0, 0, width, height)
    undone = _inverse(_affine(PageView(page).point))
    shown = _affine(view.point)
    a, b, c, d, e, f = _affine(lambda x, y: _apply(shown, *_apply(undone, x, y)))
    matrix = raw.FS_MATRIX(a * scale, b * scale, c * scale, d * scale, e * scale, f * scale)
    clip = raw.FS_RECTF(0, 0, width, height)
    raw.FPDF_RenderPageBitmapWithMatrix(bitmap, page, matrix, clip, raw.FPDF_ANNOT | raw.FPDF_GRAYSCALE)
    return bitmap


Affine = tuple[float, float, float, float, float, float]  # x' = a x + c y + e, y' = b x + d y + f


def _affine(point) -> Affine:
    """The affine mapping `point` (x, y) -> (x', y') is."""
    (e, f), (ax, by), (cx, dy) = point(0.0, 0.0), point(1.0, 0.0), point(0.0, 1.0)
    return ax - e, by - f, cx - e, dy - f, e, f


def _inverse(m: Affine) -> Affine:
    a, b, c, d, e, f = m
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return ia, ib, ic, id_, -(ia * e + ic * f), -(ib * e + id_ * f)


def _apply(m: Affine, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


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
