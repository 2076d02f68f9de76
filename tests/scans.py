"""Scanned copies of real PDF reports, made for the OCR tests (synthetic
scans of real reports: the numbers are the reports' own).

A page is rendered at a resolution, optionally degraded the way a paper copy
is when it is signed, sealed and scanned (a red seal over the table, grey
paper, a small rotation, blur, noise, JPEG at quality 60) and wrapped, one
JPEG a page, into a PDF with no text layer. Everything is drawn from a
seeded random generator: the same arguments give the same bytes.

Needs the `ocr` extra (numpy, OpenCV).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium
from pdfgen import edit_pages

from extractor.readers.pdf.parse import read_page
from extractor.readers.pdf.rulings import find_tables


@dataclass(frozen=True, slots=True)
class Condition:
    dpi: int
    degraded: bool

    @property
    def name(self) -> str:
        return f"{self.dpi}dpi-{'degraded' if self.degraded else 'clean'}"


CONDITIONS = (Condition(200, False), Condition(200, True), Condition(150, True))


def render(pdf: pdfium.PdfDocument, index: int, dpi: int) -> np.ndarray:
    """Page `index` as an RGB array at `dpi`."""
    page = pdf[index]
    try:
        bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
        return np.array(bitmap.to_numpy()[:, :, :3])
    finally:
        page.close()


def table_boxes(pdf: pdfium.PdfDocument, index: int) -> list[tuple[float, float, float, float]]:
    """The ruled tables of a page (points, top-left origin)."""
    page = pdf[index]
    try:
        return [t.bbox for t in find_tables(read_page(page, index + 1).edges)]
    finally:
        page.close()


@dataclass(frozen=True, slots=True)
class PrintedCell:
    """A cell of a ruled table as the PDF prints it: where (points) and its text."""

    table: int
    row: int
    col: int
    bbox: tuple[float, float, float, float]
    text: str


def printed_cells(pdf: pdfium.PdfDocument, index: int) -> list[PrintedCell]:
    """The cells of the ruled tables of page `index`, with their text layer."""
    page = pdf[index]
    try:
        content = read_page(page, index + 1)
    finally:
        page.close()
    tables = find_tables(content.edges)
    texts: dict[tuple[int, int], list] = {}
    for ch in content.chars:
        for t, table in enumerate(tables):
            cell = table.cell_at(ch.cx, ch.cy)
            if cell is not None:
                texts.setdefault((t, table.cells.index(cell)), []).append(ch)
                break
    out = []
    for t, table in enumerate(tables):
        for c, cell in enumerate(table.cells):
            chars = sorted(texts.get((t, c), []), key=lambda ch: (round(ch.cy / 4), ch.x0))
            bbox = (table.xs[cell.col], table.ys[cell.row], table.xs[cell.col + cell.colspan],
                    table.ys[cell.row + cell.rowspan])
            out.append(PrintedCell(t, cell.row, cell.col, bbox, "".join(ch.text for ch in chars)))
    return out


Edit = tuple[tuple[float, float, float, float], str]  # (box in points, what to do)


def edit(image: np.ndarray, dpi: int, edits: list[Edit]) -> np.ndarray:
    """Change cells of a rendered page: "erase" (paper where the ink was: a
    blank cell), "scribble" (a blot that is no character), "stop" (the ink
    replaced by a small circle on the baseline, as 。 prints), "no_bottom"
    (the cell's bottom ruling painted over, so that its row runs into the
    next one)."""
    out = image.copy()
    scale = dpi / 72
    paper = [int(v) for v in np.median(image[:20, :20].reshape(-1, 3), axis=0)]
    for (x0, y0, x1, y1), what in edits:
        a, b, c, d = (int(v * scale) for v in (x0, y0, x1, y1))
        inset = max(dpi // 50, 3)
        if what == "no_bottom":
            out[d - inset:d + inset, a + inset:c - inset] = paper
            continue
        out[b + inset:d - inset, a + inset:c - inset] = paper
        cx, cy, h = (a + c) // 2, (b + d) // 2, (d - b)
        if what == "scribble":
            pts = np.array([[cx - h // 4, cy - h // 5], [cx + h // 5, cy - h // 4], [cx - h // 6, cy],
                            [cx + h // 4, cy + h // 8], [cx - h // 5, cy + h // 5]], np.int32)
            cv2.polylines(out, [pts], False, (20, 20, 20), max(dpi // 60, 2))
            cv2.circle(out, (cx + h // 6, cy - h // 8), max(dpi // 40, 3), (20, 20, 20), -1)
        elif what == "stop":
            cv2.circle(out, (cx - h // 10, cy + h // 8), max(dpi // 45, 3), (20, 20, 20), max(dpi // 100, 1))
    return out


def _seal(size: int, rng: np.random.Generator) -> np.ndarray:
    """A round official seal (a ring, a star, a ring of characters): an
    alpha mask of size x size, 1 where the red ink is."""
    mask = np.zeros((size, size), np.uint8)
    c = size // 2
    cv2.circle(mask, (c, c), int(size * 0.46), 255, max(3, size // 28))
    star = []
    for k in range(10):
        r = size * (0.16 if k % 2 == 0 else 0.065)
        a = -math.pi / 2 + k * math.pi / 5
        star.append((c + r * math.cos(a), c + r * math.sin(a)))
    cv2.fillPoly(mask, [np.array(star, np.int32)], 255)
    # The agency's name around the ring: blocks of strokes standing for characters.
    for k in range(14):
        a = math.radians(200 + k * 10.5)
        x, y = c + size * 0.34 * math.cos(a), c + size * 0.34 * math.sin(a)
        for _ in range(4):
            dx, dy = rng.uniform(-size * 0.03, size * 0.03, 2)
            cv2.line(mask, (int(x - dx), int(y - dy)), (int(x + dx), int(y + dy)), 255, max(2, size // 70))
    cv2.line(mask, (int(c - size * 0.2), int(c + size * 0.3)), (int(c + size * 0.2), int(c + size * 0.3)), 255,
             max(3, size // 40))
    # Uneven ink: the seal is lighter in places.
    ink = (mask.astype(np.float32) / 255) * rng.uniform(0.55, 0.95, (size, size)).astype(np.float32)
    return cv2.GaussianBlur(ink, (0, 0), 1.0)


def degrade(image: np.ndarray, dpi: int, tables: list[tuple[float, float, float, float]],
            rng: np.random.Generator) -> np.ndarray:
    """A signed, sealed and scanned copy of a clean page."""
    h, w = image.shape[:2]
    out = image.astype(np.float32)
    scale = dpi / 72
    if tables:
        # The seal over the right half of the page's largest table.
        x0, y0, x1, y1 = max(tables, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
        size = int(min(1.6 * dpi, w * 0.3))
        cx = int(scale * (x0 + 0.6 * (x1 - x0))) + int(rng.integers(-dpi // 4, dpi // 4))
        cy = int(scale * (y0 + 0.5 * (y1 - y0))) + int(rng.integers(-dpi // 4, dpi // 4))
        ink = _seal(size, rng)
        top, left = max(cy - size // 2, 0), max(cx - size // 2, 0)
        ink = ink[: h - top, : w - left]
        region = out[top:top + ink.shape[0], left:left + ink.shape[1]]
        red = np.array([205, 35, 40], np.float32) / 255
        # Multiplied, as ink over print: black stays black under the seal.
        region *= 1 - ink[:, :, None] * (1 - red[None, None, :])
    # Grey, slightly uneven paper.
    paper = rng.uniform(0.80, 0.88)
    blotch = cv2.resize(rng.uniform(-0.04, 0.04, (8, 6)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    out *= (paper + blotch)[:, :, None]
    angle = float(rng.uniform(0.5, 1.5) * rng.choice([-1, 1]))
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    fill = float(np.median(out[:20, :20]))
    out = cv2.warpAffine(out, matrix, (w, h), flags=cv2.INTER_CUBIC, borderValue=(fill, fill, fill))
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.6, 0.9) * dpi / 200)
    out += rng.normal(0, 9, out.shape).astype(np.float32)
    return np.clip(out, 0, 255).astype(np.uint8)


def _jpeg(image: np.ndarray, quality: int) -> bytes:
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return data.tobytes()


def image_pdf(pages: list[tuple[bytes, float, float]]) -> bytes:
    """A PDF of one JPEG per page, (jpeg, width pt, height pt): no text layer."""
    pdf = pdfium.PdfDocument.new()
    for jpeg, width, height in pages:
        page = pdf.new_page(width, height)
        image = pdfium.PdfImage.new(pdf)
        image.load_jpeg(io.BytesIO(jpeg), inline=True)
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        page.insert_obj(image)
        page.gen_content()
        page.close()
    buf = io.BytesIO()
    pdf.save(buf)
    pdf.close()
    return buf.getvalue()


def scan(source: bytes, condition: Condition, seed: int = 0, pages: list[int] | None = None,
         edits: dict[int, list[Edit]] | None = None) -> bytes:
    """An image-only PDF of the source PDF's pages (all, or the 0-based
    `pages`) under the scan condition, the `edits` of each page made first."""
    pdf = pdfium.PdfDocument(source)
    try:
        wanted = range(len(pdf)) if pages is None else pages
        out = []
        for index in wanted:
            rng = np.random.default_rng([seed, index, condition.dpi])
            image = render(pdf, index, condition.dpi)
            if edits and index in edits:
                image = edit(image, condition.dpi, edits[index])
            if condition.degraded:
                image = degrade(image, condition.dpi, table_boxes(pdf, index), rng)
            page = pdf[index]
            width, height = page.get_size()
            page.close()
            out.append((_jpeg(image, 60 if condition.degraded else 92), width, height))
    finally:
        pdf.close()
    return image_pdf(out)


def mixed(source: bytes, scanned: bytes, image_pages: list[int]) -> bytes:
    """The source PDF with the pages `image_pages` (0-based) replaced by the
    pages of `scanned` (one for each, in order): text pages and scanned pages
    in one file."""
    pdf = pdfium.PdfDocument(source)
    scans = pdfium.PdfDocument(scanned)
    out = pdfium.PdfDocument.new()
    try:
        for index in range(len(pdf)):
            if index in image_pages:
                out.import_pages(scans, [image_pages.index(index)])
            else:
                out.import_pages(pdf, [index])
        buf = io.BytesIO()
        out.save(buf)
        return buf.getvalue()
    finally:
        out.close()
        scans.close()
        pdf.close()


def pictured(source: bytes, pages: list[int], dpi: int = 200) -> bytes:
    """The source PDF with the ruled tables of the pages `pages` (0-based)
    printed as pictures: each table's text and lines taken out of the page
    and an image of the table (rendered at `dpi`) put in their place, as a
    table pasted into a report as a screenshot is; the rest of the page keeps
    its text layer."""
    scale = dpi / 72
    source_pdf = pdfium.PdfDocument(source)
    try:
        shown = {index: (table_boxes(source_pdf, index), render(source_pdf, index, dpi)) for index in pages}
    finally:
        source_pdf.close()

    def as_picture(pdf: pdfium.PdfDocument, page: pdfium.PdfPage, index: int) -> None:
        boxes, image = shown[index]
        _, height = page.get_size()
        for x0, top, x1, bottom in boxes:
            x0, top, x1, bottom = x0 - 2, top - 2, x1 + 2, bottom + 2
            for obj in list(page.get_objects(max_depth=1)):
                left, low, right, high = obj.get_bounds()
                if x0 <= (left + right) / 2 <= x1 and top <= height - (low + high) / 2 <= bottom:
                    page.remove_obj(obj)
            crop = image[int(top * scale):int(bottom * scale), int(x0 * scale):int(x1 * scale)]
            picture = pdfium.PdfImage.new(pdf)
            picture.load_jpeg(io.BytesIO(_jpeg(np.ascontiguousarray(crop), 92)), inline=True)
            picture.set_matrix(pdfium.PdfMatrix().scale(x1 - x0, bottom - top).translate(x0, height - bottom))
            page.insert_obj(picture)

    return edit_pages(source, pages, as_picture)
