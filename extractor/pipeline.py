"""One report in, one report document (the docs/output.md shape) out.

readers -> sections and metadata -> tables -> checks -> export
"""

from __future__ import annotations

import gc
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .checks import run_checks
from .completeness import missing_warnings, template_of
from .export.document import build_document, report_template
from .metadata import read_metadata
from .model import Document, Paragraph
from .readers import ocr, read_document
from .recognise import check_is_report
from .sections import body_text, find_sections
from .source import DEFAULT_MAX_SIZE, read_input
from .tables.assemble import rebuild_tables
from .tables.damaged_rows import damage_warnings
from .tables.result import ReportWarning, TableResult
from .tables.scan import scanner
from .tables.units import build_units
from .templates import load


def extract_file(path: Path, max_size: int = DEFAULT_MAX_SIZE, provenance: bool = True) -> dict:
    """Read and extract one file; raises ExtractError when it is not a report
    (or not a regular file, or larger than max_size bytes)."""
    return extract_bytes(read_input(path, max_size), path, provenance)


def extract_bytes(data: bytes, path: Path, provenance: bool = True) -> dict:
    # (The document is dropped while the collector's threshold is still
    # raised: its characters and cells are freed then, not scanned by the
    # collection that putting the threshold back sets off.)
    with _fewer_collections():
        return _read_and_extract(data, path, provenance)[1]


def read_and_extract(data: bytes, path: Path, provenance: bool = True) -> tuple[Document, dict]:
    """The document read and its report document. Where a national table is
    not whole and a PDF page holds a picture the text layer does not cover
    (a table pasted as a screenshot), the file is read again with those pages
    read by OCR, and that reading kept if its tables are more complete; if
    they cannot be read so, a warning names the pages. An HTML page whose
    article shows images, with a table not whole, is said to have them."""
    with _fewer_collections():
        return _read_and_extract(data, path, provenance)


# While reports are read, the cycle collector's youngest generation is
# collected after this many new objects, not Python's 700: an extraction makes
# tens of thousands of short-lived objects (the solver's cells, spans and
# pieces), and the collections they set off cost a twentieth of a report's
# time; the cycles it leaves are still collected, so memory stays bounded.
_EXTRACTING_THRESHOLD = 20_000
_collector_lock = threading.Lock()
_extracting = 0  # extractions running (threads), for the threshold's owner
_threshold_before: tuple[int, int, int] = (700, 10, 10)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The collector's threshold raised while any extraction runs (the
    first to start raises it, the last to end puts back what it was)."""
    global _extracting, _threshold_before
    with _collector_lock:
        if _extracting == 0:
            _threshold_before = gc.get_threshold()
            if _threshold_before[0] and _threshold_before[0] < _EXTRACTING_THRESHOLD:
                gc.set_threshold(_EXTRACTING_THRESHOLD, *_threshold_before[1:])
        _extracting += 1
    try:
        yield
    finally:
        with _collector_lock:
            _extracting -= 1
            if _extracting == 0:
                gc.set_threshold(*_threshold_before)


def _read_and_extract(data: bytes, path: Path, provenance: bool) -> tuple[Document, dict]:
    sha256 = hashlib.sha256(data).hexdigest()
    doc = read_document(path, data)
    result = extract_document(doc, path, sha256, provenance)
    if not (doc.picture_pages or doc.pictures) or _wholeness(result) == _WHOLE \
            or result["report"]["template"] == "freeform":
        return doc, result  # (a report before 2019 has no national tables to look for)
    readable = ocr.can_read()
    if doc.picture_pages and readable:
        again = read_document(path, data, pictures=True)
        retried = extract_document(again, path, sha256, provenance)
        if _wholeness(retried) > _wholeness(result):
            return again, retried
    doc.warnings.append(("picture_not_read", _pictures_unread(doc, readable)))
    return doc, extract_document(doc, path, sha256, provenance)


def _pictures_unread(doc: Document, readable: bool) -> str:
    """What the picture_not_read warning says of the document's pictures
    (`readable`: OCR read the PDF's picture pages, and found no more of the tables)."""
    if doc.pictures:
        many = doc.pictures > 1
        shown = f"{doc.pictures if many else 'an'} image{'s' if many else ''}"
        if doc.format == "html":
            return (f"the page shows {shown} in its text, which may be a table printed as an image: an image is "
                    "a file of its own, not part of the page, and is not read")
        return (f"the document shows {shown}, which may be a table pasted as a picture: pictures in a Word file "
                "are not read")
    many = len(doc.picture_pages) > 1
    pages = ", ".join(str(n) for n in doc.picture_pages)
    return (f"page{'s' if many else ''} {pages} hold{'' if many else 's'} a picture with no text layer over it, "
            "which may be a table printed as an image; "
            + ("OCR read no more of the tables from it" if readable else f"it is not read: {ocr.why_unread()}"))


_STATUS_RANK = {"complete": 2, "partial": 1}
_WHOLE = 2 * 3  # the three national tables complete


def _wholeness(result: dict) -> int:
    """How whole the report's national tables are: complete counts 2, partial 1."""
    return sum(_STATUS_RANK.get(table["status"], 0) for table in result["tables"].values())


def extract_document(doc: Document, path: Path, sha256: str, provenance: bool = True) -> dict:
    """The report document of a document read; without `provenance` its cells
    carry no `source` (what the bench compares against)."""
    templates = load()
    warnings = [ReportWarning(code, message) for code, message in doc.warnings]
    units, evidence = build_units(doc, scanner())
    tables = rebuild_tables(units, evidence, templates, warnings)
    warnings.extend(damage_warnings(tables, units, templates))
    text = body_text(doc)
    sections = find_sections(text)
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    meta = read_metadata(doc, sections, path, paragraphs)
    check_is_report(meta, sections, tables, text[:_OPENING], paragraphs)
    warnings += meta.warnings
    template = template_of(tables, meta.year, report_template(tables))
    warnings += missing_warnings(tables, units, evidence, sections, template, text)
    if _blank_form(tables):
        warnings.append(ReportWarning(
            "blank_form", "every cell of the three tables is blank: this is an empty form, not a filled-in report"))
    checks = run_checks(tables, templates)
    return build_document(path=path, sha256=sha256, fmt=doc.format, meta=meta, sections=sections,
                          tables=tables, checks=checks, warnings=warnings, template=template,
                          doc=doc if provenance else None)


# The opening of the body where a report states what it is.
_OPENING = 6000


def _blank_form(tables: dict[str, TableResult]) -> bool:
    cells = [cell for t in tables.values() for cols in t.rows.values() for cell in cols.values()]
    return bool(cells) and all(cell is not None and cell.value is None and not cell.raw for cell in cells)
