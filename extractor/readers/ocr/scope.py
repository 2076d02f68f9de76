"""Which pages of a PDF are read by OCR, and at what resolution: questions
pdfium answers alone, so they are asked whether or not the `ocr` extra is
installed.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from ..pdf.parse import PageContent

# A page whose largest image covers this share of it, with fewer characters
# of text than this (a page number, a stamp's text), is a scanned page.
_SCAN_COVER = 0.85
_FEW_CHARS = 50
# A text page holds a picture when one image covers this share of it with
# at most this many characters of the text layer over it: a table pasted as
# a screenshot, a scanned page pasted into a typed one (a seal or a logo is
# smaller; a background under the text has the text over it).
_PICTURE_COVER = 0.1
_FEW_CHARS_OVER = 10


def is_scan(page: pdfium.PdfPage, content: PageContent) -> bool:
    """A page with images and no text, or a page that is one image."""
    if not content.images:
        return False
    return not content.chars or (len(content.chars) < _FEW_CHARS and image_cover(page) >= _SCAN_COVER)


def scan_resolution(page: pdfium.PdfPage) -> float | None:
    """The resolution of the largest image on the page (pixels per inch as
    displayed), or None when there is no image."""
    best: tuple[float, float] | None = None
    for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
        try:
            left, bottom, right, top = obj.get_bounds()
            width, height = obj.get_px_size()
        except (pdfium.PdfiumError, AttributeError):
            continue
        shown = (right - left) * (top - bottom)
        if shown <= 0 or width <= 0:
            continue
        dpi = max(width / (right - left), height / (top - bottom)) * 72
        if best is None or shown > best[0]:
            best = (shown, dpi)
    return best[1] if best else None


def image_cover(page: pdfium.PdfPage) -> float:
    """The share of the page the largest image covers."""
    left, bottom, right, top = page.get_bbox()
    width, height = right - left, top - bottom
    area = max(width * height, 1.0)
    largest = 0.0
    for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
        try:
            x0, y0, x1, y1 = obj.get_bounds()
        except pdfium.PdfiumError:
            continue
        largest = max(largest, max(min(x1, right) - max(x0, left), 0) * max(min(y1, top) - max(y0, bottom), 0))
    return min(largest / area, 1.0)


def holds_picture(content: PageContent) -> bool:
    """Does this page, read from its text layer, hold an image with no text
    over it large enough to be a picture of a table? (The images' boxes are
    the ones the page's parse found, in its walk of the drawing objects.)"""
    least = _PICTURE_COVER * content.width * content.height
    for left, top, right, bottom in content.image_boxes:
        if (right - left) * (bottom - top) < least:
            continue
        over = sum(1 for c in content.chars
                   if left <= (c.x0 + c.x1) / 2 <= right and top <= (c.top + c.bottom) / 2 <= bottom)
        if over <= _FEW_CHARS_OVER:
            return True
    return False
