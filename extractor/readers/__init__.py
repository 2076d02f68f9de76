"""Readers: one per input format, all producing the same `Document`."""

from __future__ import annotations

from pathlib import Path

from ..errors import ExtractError
from ..model import Document
from .encoding import decode_notes, looks_binary, utf16_without_bom
from .mhtml import looks_like_mhtml

_PDF = b"%PDF-"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Word (.doc) and WPS files


def sniff(path: Path, data: bytes) -> str:
    """The input's format, from its bytes first and its name second."""
    if data.startswith(_PDF):
        return "pdf"
    if data.startswith(_ZIP):
        return "docx"  # (before a PDF header inside it: an archive may store PDFs)
    if data.startswith(_OLE):
        return "doc"
    if data[:1024].find(_PDF) >= 0:  # a PDF after a few bytes of junk (readers accept that)
        return "pdf"
    suffix = path.suffix.lower()
    head = data[:4096]
    if utf16 := ("utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else utf16_without_bom(head)):
        head = head[: len(head) // 2 * 2].decode(utf16, "replace").encode("utf-8")  # (markup looked for as bytes)
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if looks_like_mhtml(head):
        return "mhtml"
    if suffix in (".html", ".htm", ".shtml", ".xhtml") or head.startswith((b"<!doctype", b"<html", b"<?xml")):
        return "html"
    if head.startswith(b"<") and any(tag in head for tag in (b"<p", b"<div", b"<table", b"<body", b"<span")):
        return "html"
    return "text"


def read_document(path: Path, data: bytes, pictures: bool = False) -> Document:
    """The document of a file's bytes; `pictures`: a PDF's pictures of text
    are read by OCR too (pdf.read_pdf)."""
    if not data or data.isspace():  # not data.strip(), which copies the file
        raise ExtractError("the file is empty", code="empty")
    kind = sniff(path, data)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, pictures)
    if kind == "docx":
        from .docx import read_word_archive

        return read_word_archive(path, data)
    if kind == "doc":
        from .docx import read_legacy_word

        return read_legacy_word(path, data)
    if looks_binary(data):
        raise ExtractError("the file is binary data, not a report (expected HTML, PDF, Word or text)",
                           code="binary")
    # Bytes the decoder had to replace are said in the document's warnings.
    with decode_notes() as notes:
        if kind == "html":
            from .html import read_html

            doc = read_html(data)
        elif kind == "mhtml":
            from .mhtml import read_mhtml

            doc = read_mhtml(data)
        else:
            from .text import read_text

            doc = read_text(data)
    doc.warnings.extend(notes)
    return doc
