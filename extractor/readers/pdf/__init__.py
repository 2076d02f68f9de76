"""PDF reports: the text layer and ruling lines of each page into the
document model.

Each page is parsed once (`parse`; a page whose text runs sideways as
displayed, its content turned and not the page, is read turned upright),
its ruled tables are found (`rulings`),
its remaining characters become lines (`lines`), and the pages are put
together into paragraphs and grids (`layout`). Scanned pages (no text layer,
or one image) and pages whose text layer lost characters are read by OCR
where the `ocr` extra is installed (`ocr`), and
on request the text pages that hold a picture of text (`read_pdf`'s `pictures`).
"""

from __future__ import annotations

import threading

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from ...errors import ExtractError
from ...model import Document
from ...normalize import normalize
from .. import ocr
from ..ocr.scope import holds_picture
from .bounds import PageTooComplex, check_pages, check_streams, document_limits
from .layout import PageLayout, assemble, page_layout
from .parse import PageContent, read_page

_PDFIUM = threading.Lock()
# For any other use of PDFium in the process (the explain page renders pages).
PDFIUM_LOCK = _PDFIUM
# Below this share of decodable characters the text layer is unusable.
_MIN_MAPPED = 0.5
# Page warnings that mean some of the page's text is missing from what is read.
_TEXT_UNREAD = ("page_text_undecodable", "page_text_unmeasured")


def read_pdf(data: bytes, pictures: bool = False) -> Document:
    """`pictures`: read by OCR, too, the text pages that hold a picture (an
    image with no text over it, ocr.scope.holds_picture); without it such
    pages are listed in the document's `picture_pages`."""
    # PDFium is not thread-safe: a batch run in threads reads one PDF at a
    # time (processes are unaffected).
    with _PDFIUM, document_limits():
        return _read(data, pictures)


def _read(data: bytes, pictures: bool) -> Document:
    check_streams(data)
    pdf = _open(data)
    try:
        check_pages(len(pdf))
        layouts: list[PageLayout] = []
        warnings: list[tuple[str, str]] = []
        unread: set[int] = set()
        chars = unmapped = images = diagonal = 0
        scans: list[tuple[int, int]] = []  # pages for OCR: (page index, its place in layouts)
        picture_pages: list[int] = []
        for index in range(len(pdf)):
            try:
                page = pdf[index]
            except pdfium.PdfiumError as exc:
                raise ExtractError(f"page {index + 1} of the PDF is damaged and cannot be read", code="pdf") from exc
            try:
                content = read_page(page, index + 1)
                if ocr.wanted(page, content, pictures):
                    scans.append((index, len(layouts)))
                elif not pictures and holds_picture(content):
                    picture_pages.append(index + 1)
            except PageTooComplex as exc:
                warnings.append(("page_not_read", f"page {index + 1} holds {exc}; it is not read"))
                continue
            finally:
                page.close()
            chars += len(content.chars)
            unmapped += content.unmapped
            images += content.images
            diagonal += content.diagonal
            page_warnings = _page_warnings(content)
            warnings += page_warnings
            if any(code in _TEXT_UNREAD for code, _ in page_warnings):
                unread.add(content.number)
            layouts.append(page_layout(content, layouts[-1].unruled_columns if layouts else None))
        if not layouts:
            raise ExtractError("the PDF has no pages", code="empty")
        read = ocr.read_pages(pdf, scans, layouts, warnings)
        unread.difference_update(read)
        if chars == 0 and not read:
            if images:
                # Its pages left out (pdfium could not render them): the first one says why.
                if left_out := next((m for c, m in warnings if c == "page_not_read"), None):
                    raise ExtractError(f"the PDF is a scanned image with no text layer, and it cannot be read: "
                                       f"{left_out}", code="scanned")
                raise ExtractError(f"the PDF is a scanned image with no text layer; {ocr.why_unread()}, "
                                   "so it cannot be read", code="scanned")
            if diagonal:
                raise ExtractError("the PDF's text is all set at an angle (turned by more than about 5 degrees, "
                                   "and not by a quarter turn), and it is not read", code="empty")
            raise ExtractError("the PDF has no text", code="empty")
        if len(read) < len(layouts) and chars < _MIN_MAPPED * (chars + unmapped):
            raise ExtractError("the PDF's text layer cannot be decoded (its fonts give no Unicode text)",
                               code="undecodable")
        meta = _meta(pdf)
    finally:
        pdf.close()
    return Document(blocks=assemble(layouts), format="pdf", meta=meta, warnings=warnings, unread_pages=unread,
                    picture_pages=picture_pages)


def _page_warnings(content: PageContent) -> list[tuple[str, str]]:
    """A page of a readable PDF whose content is not read: say so, since a
    table on it is missing for that reason."""
    if not content.chars and content.images:
        return [("page_without_text", f"page {content.number} is an image with no text layer; {ocr.why_unread()}, "
                                      "so its content is not read")]
    out = []
    if content.text_lost:
        out.append(("page_text_undecodable", f"page {content.number}: {content.unmapped} characters have no "
                                             "Unicode value in their font and are not read"))
    if content.unmeasured:
        pieces = "1 piece of text uses" if content.unmeasured == 1 else f"{content.unmeasured} pieces of text use"
        out.append(("page_text_unmeasured", f"page {content.number}: {pieces} a font that is neither embedded in "
                                            "the PDF nor installed, and cannot be read"))
    return out


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
            raise ExtractError("the PDF is encrypted (password protected) and cannot be read",
                               code="encrypted") from exc
        raise ExtractError("the PDF is damaged or incomplete and cannot be read", code="pdf") from exc


def _meta(pdf: pdfium.PdfDocument) -> dict[str, str]:
    """The document's own title, a fallback for the report's title. Its
    dates are when the file was made, not when the report was published."""
    try:
        title = normalize(pdf.get_metadata_value("Title") or "")
    except pdfium.PdfiumError:
        return {}
    return {"标题": title} if title else {}
