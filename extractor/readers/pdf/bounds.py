"""Bounds on the work a PDF can cause, for the parts of it that can be bounded.

pdfium parses in C: loading a page inflates its whole content stream in
memory (a stream inflating to 1 GiB peaked at 2.1 GB). So before pdfium sees
the file, its Flate streams are inflated here in bounded memory (the output
is counted, then dropped) and a file whose streams inflate beyond the limits
is refused. Image streams are skipped: pdfium does not decode images to read
text. Then, per page, a count of characters or objects no report's page
comes near means the page is not read (it is said in a warning), and a
document whose pages hold more than any report's is refused: the Python side
walks every character (some 5 µs each) and every drawing object.

Not bounded: streams under other filters (LZW, run-length) or encryption
(they cannot be inflated here without pdfium), and pdfium's own work on the
file's object structure. The input size limit (source.DEFAULT_MAX_SIZE)
bounds those by the size of the file.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from ...errors import ExtractError
from ...source import size_text

MAX_STREAM_SIZE = 64 << 20  # one stream, inflated
MAX_INFLATED_SIZE = 512 << 20  # all of them
MAX_PAGES = 2_000
MAX_PAGE_CHARS = 300_000  # a dense page of a report holds a few thousand
MAX_PAGE_OBJECTS = 500_000
MAX_DOCUMENT_CHARS = 500_000  # a 100-page report holds some 300,000; each takes some 10 µs
MAX_DOCUMENT_OBJECTS = 2_000_000

# (No lookbehind for "endstream": a pattern that starts with a literal is
# searched for fast, some 15 times faster over a file.)
_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
_CHUNK = 1 << 20
# Deflate inflates one byte to at most 1032 (a 258-byte match in two bits):
# a stream shorter than the limit over this cannot inflate beyond it.
_MAX_RATIO = 1032


class PageTooComplex(Exception):
    """The page holds more than any report's page; its message says what."""


def check_streams(data: bytes) -> None:
    """Refuse a file whose Flate streams (images aside) inflate beyond the limits."""
    streams = _flate_streams(data)
    if _MAX_RATIO * sum(len(s) for s in streams) <= MAX_INFLATED_SIZE:
        # Their total cannot go beyond the limit: only a stream long enough
        # to go beyond the limit of one stream is inflated (most are not).
        for stream in streams:
            if _MAX_RATIO * len(stream) > MAX_STREAM_SIZE:
                _inflated(stream, MAX_STREAM_SIZE)
        return
    total = 0
    for stream in streams:
        total += _inflated(stream, MAX_STREAM_SIZE)
        if total > MAX_INFLATED_SIZE:
            raise ExtractError(f"the PDF's streams inflate to more than {size_text(MAX_INFLATED_SIZE)}, more than "
                               "any report's (a damaged file or a decompression bomb)", code="too_large")


def _flate_streams(data: bytes) -> list[memoryview]:
    """The data of every Flate stream but images', in file order (up to its
    "endstream", or the end of the file)."""
    out = []
    view = memoryview(data)
    for m in _STREAM.finditer(data):
        start = m.start()
        if data[max(start - 3, 0):start] == b"end":
            continue
        lo = max(start - 4096, 0)
        obj = data.rfind(b"obj", lo, start)  # the stream's dictionary lies between its "N 0 obj" and here
        head = obj if obj >= 0 else lo
        if data.find(b"/FlateDecode", head, start) < 0 or data.find(b"/Image", head, start) >= 0:
            continue
        end = data.find(b"endstream", m.end())
        out.append(view[m.end():end if end >= 0 else len(data)])
    return out


def _inflated(stream: memoryview, limit: int) -> int:
    """Bytes the zlib stream inflates to; ExtractError beyond limit. A
    damaged stream counts what inflated before the damage (pdfium decides
    what to make of it)."""
    inflater = zlib.decompressobj()
    size = 0
    try:
        for at in range(0, len(stream), _CHUNK):
            pending = stream[at:at + _CHUNK]
            while pending and not inflater.eof:
                size += len(inflater.decompress(pending, _CHUNK))
                if size > limit:
                    raise ExtractError(f"a stream of the PDF inflates to more than {size_text(limit)}, more than "
                                       "any report's (a damaged file or a decompression bomb)", code="too_large")
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass
    return size


def check_pages(count: int) -> None:
    if count > MAX_PAGES:
        raise ExtractError(f"the PDF has {count:,} pages, more than any report's ({MAX_PAGES:,} at most)",
                           code="too_large")


_left: ContextVar[dict[str, int] | None] = ContextVar("pdf_document_left", default=None)


@contextmanager
def document_limits() -> Iterator[None]:
    """Within this, the pages read are one document's: they share its limits."""
    token = _left.set({"characters": MAX_DOCUMENT_CHARS, "drawing objects": MAX_DOCUMENT_OBJECTS})
    try:
        yield
    finally:
        _left.reset(token)


def _spend(what: str, count: int) -> None:
    left = _left.get()
    if left is None:
        return
    left[what] -= count
    if left[what] < 0:
        limit = MAX_DOCUMENT_CHARS if what == "characters" else MAX_DOCUMENT_OBJECTS
        raise ExtractError(f"the PDF's pages hold more than {limit:,} {what}, more than any report's",
                           code="too_large")


def check_page_chars(count: int) -> None:
    """Before the characters of a page are read (count: all of them)."""
    if count > MAX_PAGE_CHARS:
        raise PageTooComplex(f"{count:,} characters, more than any report's page ({MAX_PAGE_CHARS:,})")
    _spend("characters", count)


def check_page_objects(on_page: int, added: int) -> None:
    """Before `added` more drawing objects of a page are walked (on_page: with them)."""
    if on_page > MAX_PAGE_OBJECTS:
        raise PageTooComplex(f"more than {MAX_PAGE_OBJECTS:,} drawing objects, more than any report's page")
    _spend("drawing objects", added)
