"""OCR of scanned PDF pages: the `ocr` extra (rapidocr-onnxruntime, which
ships PP-OCRv4's Chinese models and pulls OpenCV).

The PDF reader hands over the pages that are scans (no text layer, or one
image covering the page), the pages whose text layer lost characters (a
missing or damaged Unicode map) and, where a table is not whole, the pages
holding a picture of one; each is rendered, straightened, its ruled tables
read cell by cell and its running text line by line, into the same page
layout a text page gives (`page`). Every value read so carries `ocr` and
the recogniser's confidence into the report, and the cells it is not sure
of are flagged.

`--ocr auto` (the default) reads scanned pages when the extra is installed,
`never` leaves them unread, `always` reads every page by OCR. The mode is
kept in the environment (EXTRACTOR_OCR) so that a batch's worker processes
see it too.
"""

from __future__ import annotations

import importlib.util
import os
import re
from typing import TYPE_CHECKING

from ...errors import ExtractError

if TYPE_CHECKING:
    import pypdfium2 as pdfium

    from ..pdf.layout import PageLayout
    from ..pdf.parse import PageContent

MODES = ("auto", "never", "always")
_ENV = "EXTRACTOR_OCR"
INSTALL_HINT = 'install the OCR extra: pip install -e ".[ocr]"'
# The PDF reader's warnings about a page's text layer ("page 3 ...", "page 3: ...").
_PAGE_WARNINGS = ("page_without_text", "page_text_undecodable", "page_text_unmeasured")
_PAGE = re.compile(r"^page (\d+)\b")


def mode() -> str:
    value = os.environ.get(_ENV, "auto").strip().lower() or "auto"
    return value if value in MODES else "auto"


def set_mode(value: str) -> None:
    if value not in MODES:
        raise ValueError(f"--ocr must be one of {', '.join(MODES)}, not {value!r}")
    os.environ[_ENV] = value


def available() -> bool:
    """Is the `ocr` extra installed?"""
    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr_onnxruntime", "cv2", "numpy"))


def wanted(page: pdfium.PdfPage, content: PageContent, pictures: bool = False) -> bool:
    """Is this page to be read by OCR (if OCR can be had)? A scan; a page
    whose text layer lost characters (glyphs its fonts give no Unicode
    value: the page as printed is read instead); `pictures`: also a text
    page that holds a picture (scope.holds_picture)."""
    from .scope import holds_picture, is_scan

    current = mode()
    return current == "always" or (current == "auto" and (
        is_scan(page, content) or content.text_lost or (pictures and holds_picture(content))))


def can_read() -> bool:
    """Would a page be read by OCR here (the mode allows it, the extra is installed)?"""
    return mode() != "never" and available()


def why_unread() -> str:
    """Why a scanned page has no content: for the messages about it."""
    if mode() == "never":
        return "OCR is turned off (--ocr never)"
    if not available():
        return f"OCR is not installed ({INSTALL_HINT})"
    return "OCR read no text on it"


def read_pages(pdf: pdfium.PdfDocument, pages: list[tuple[int, int]], layouts: list[PageLayout],
               warnings: list[tuple[str, str]]) -> list[int]:
    """Read the pages (page index, place in `layouts`) by OCR into `layouts`,
    replacing what the text layer gave, and say so in `warnings` (the unread-page
    warnings of those pages are dropped). The numbers of the pages on which
    OCR read something; none when OCR is off or not installed (with --ocr
    always, that is an error)."""
    if not pages or mode() == "never":
        return []
    if not available():
        if mode() == "always":
            raise ExtractError(f"--ocr always: {why_unread()}", code="ocr")
        return []
    from .engine import engine
    from .image import UnreadablePage
    from .page import read_scanned_page

    reader = engine()
    numbers = []
    place = {}
    notes: list[tuple[str, str]] = []
    failed: dict[int, tuple[int, str]] = {}  # page: (its place in layouts, why)
    for index, at in pages:
        page = pdf[index]
        try:
            layouts[at] = read_scanned_page(page, index + 1, reader, notes)
        except UnreadablePage as exc:
            failed[index + 1] = (at, str(exc))
            continue
        finally:
            page.close()
        numbers.append(index + 1)
        place[index + 1] = at
    # What the text layer of those pages could not read no longer matters;
    # a page on which OCR read nothing is said, and so is a page left out.
    replaced = numbers + [n for n, (at, _) in failed.items() if not layouts[at].items]
    warnings[:] = [(code, message) for code, message in warnings
                   if not (code in _PAGE_WARNINGS and _page_of(message) in replaced)]
    # (With --ocr always, a text page keeps what its text layer gave.)
    warnings += [("page_not_read", f"page {n} could not be read by OCR: {why}; "
                                   + ("only its text layer is read" if layouts[at].items else "it is left out"))
                 for n, (at, why) in failed.items()]
    warnings += notes
    warnings += [("page_without_text", f"page {n} is an image with no text layer, and OCR read no text on it")
                 for n in numbers if not layouts[place[n]].items]
    numbers = [n for n in numbers if layouts[place[n]].items]
    if not numbers:
        return []
    pages = ", ".join(str(n) for n in numbers)
    warnings.append(("read_by_ocr", f"page{'s' if len(numbers) > 1 else ''} {pages} read by OCR (PP-OCRv4): every "
                                    'table cell read there carries "ocr": true and the recogniser\'s confidence; '
                                    "cells it is not sure of are flagged (ocr_uncertain)"))
    return numbers


def _page_of(message: str) -> int | None:
    m = _PAGE.match(message)
    return int(m.group(1)) if m else None
