"""Word reports: .docx read with python-docx; legacy .doc and .wps, and
OpenDocument text (.odt), converted to .docx by LibreOffice when it is
installed; any other ZIP archive refused, saying what it is.

The body is walked in order: paragraphs (and the paragraphs of text boxes)
become paragraphs, each table becomes a grid with its merged cells
(gridSpan across, vMerge down) expanded as HTML rowspan/colspan are; a table
that holds tables is a frame around them, read as the body. Hidden text
(<w:vanish/>) is not printed and not read.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import threading
import zipfile
import zlib
from multiprocessing import util as process_util
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from ..errors import ExtractError
from ..model import Block, Document, Grid, Paragraph, Source
from ..normalize import normalize
from ..source import size_text
from .grid import MAX_SPAN, Placed, build_rows, join_lines

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _q(tag: str) -> str:
    return f"{{{_W}}}{tag}"


_P, _TBL, _TR, _TC = (_q(t) for t in ("p", "tbl", "tr", "tc"))
# Wrappers (content controls, custom XML) around paragraphs, tables and rows.
_WRAPPERS = {_q(t) for t in ("sdt", "sdtContent", "customXml")}
# The rows and cells of a layout table, walked as the body is.
_LAYOUT_PARTS = {_TR, _TC}
_TEXT_BOX = _q("txbxContent")
_FALLBACK = f"{{{_MC}}}Fallback"
_VAL = _q("val")
_VANISH = f"{_q('rPr')}/{_q('vanish')}"
# Seconds LibreOffice may take to convert one file.
CONVERT_TIMEOUT = 180


def read_word_archive(path: Path, data: bytes) -> Document:
    """A ZIP archive: a .docx; an OpenDocument text (.odt), converted by
    LibreOffice; anything else refused, saying what it is."""
    names = _member_names(data)
    if names is not None and not _holds_word(names):
        if _is_odf_text(data, names):
            _check_archive(data)  # (LibreOffice inflates it: the same limits)
            return read_legacy_word(path, data, suffix=".odt")
        raise ExtractError(_not_word(names), code="not_docx")
    return read_docx(data)


def read_docx(data: bytes) -> Document:
    _check_archive(data)
    try:
        word = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, zlib.error,
            EOFError) as exc:
        # zlib.error and EOFError: a member's compressed data is damaged or cut short.
        if _zip_without_word(data):
            raise ExtractError(_NOT_WORD, code="not_docx") from exc
        raise ExtractError("the Word file is damaged or incomplete and cannot be read", code="docx") from exc
    except ValueError as exc:
        # python-docx refuses a package whose main part is not a Word document.
        raise ExtractError(_NOT_WORD, code="not_docx") from exc
    blocks: list[Block] = []
    body = word.element.body
    _walk(body, blocks)
    meta = {}
    title = normalize(word.core_properties.title or "")
    if title:
        meta["标题"] = title
    return Document(blocks=blocks, format="docx", meta=meta, pictures=_pictures(body))


_EXTENT = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"
# A picture smaller than this (EMU, either side: 2 cm) is a logo or an icon, never a table.
_SMALL_PICTURE = 720_000


def _pictures(body: etree._Element) -> int:
    """The pictures the document shows (drawings with an extent, icons aside):
    a table pasted as one is not in its text."""
    count = 0
    for extent in body.iter(_EXTENT):
        try:
            if min(int(extent.get("cx", 0)), int(extent.get("cy", 0))) >= _SMALL_PICTURE:
                count += 1
        except ValueError:
            continue
    return count


_NOT_WORD = "the file is a ZIP archive but not a Word (.docx) document"
# Compression methods zipfile reads (stored, deflate, bzip2, lzma); 99 is
# WinZip's AES encryption.
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_AES = 99
# Inflated sizes beyond these are a zip bomb, not a report: python-docx
# reads every part into memory and parses the XML ones whole (a 1 GiB
# document.xml peaked at 2.1 GB; 16 MB of dense XML takes 7 s and 350 MB).
# zipfile never inflates a member beyond the size the archive declares for
# it, so the declared sizes bound the work.
MAX_PART_SIZE = 64 << 20
MAX_UNPACKED_SIZE = 256 << 20
MAX_XML_SIZE = 24 << 20  # all XML parts together; real reports' are a few MB


def _check_archive(data: bytes) -> None:
    """Refuse, before python-docx reads it, an archive that is encrypted,
    compressed in a way zipfile cannot read, or that inflates beyond the
    limits. A damaged archive is left to the reader's own error."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return
    for info in members:
        if info.flag_bits & 0x1 or info.compress_type == _AES:
            raise ExtractError("the Word file is encrypted (password protected) and cannot be read",
                               code="encrypted")
        if info.compress_type not in _METHODS:
            raise ExtractError(f"the Word file is damaged: its part {info.filename} uses compression method "
                               f"{info.compress_type}, which no Word file uses", code="docx")
        if info.file_size > MAX_PART_SIZE:
            raise ExtractError(f"the Word file's part {info.filename} inflates to {size_text(info.file_size)}, "
                               f"more than the {size_text(MAX_PART_SIZE)} any part of a report can be "
                               "(a damaged file or a zip bomb)", code="too_large")
    total = sum(info.file_size for info in members)
    if total > MAX_UNPACKED_SIZE:
        raise ExtractError(f"the Word file inflates to {size_text(total)}, more than the "
                           f"{size_text(MAX_UNPACKED_SIZE)} a report can be (a damaged file or a zip bomb)",
                           code="too_large")
    xml = sum(info.file_size for info in members if info.filename.lower().endswith((".xml", ".rels")))
    if xml > MAX_XML_SIZE:
        raise ExtractError(f"the Word file's text (its XML parts) inflates to {size_text(xml)}, more than the "
                           f"{size_text(MAX_XML_SIZE)} a report's can be (a damaged file or a zip bomb)",
                           code="too_large")


def _zip_without_word(data: bytes) -> bool:
    """A readable ZIP archive with no Word part in it (not a damaged .docx)."""
    names = _member_names(data)
    return names is not None and not _holds_word(names)


def _holds_word(names: list[str]) -> bool:
    return any(name.startswith("word/") for name in names)


# What a ZIP archive that is no Word document is, by a part only it has, and
# what its user can do (the first found is said).
_OTHER_ARCHIVES = (
    ("OFD.xml", "an OFD document (the national fixed-layout format, GB/T 33190), which is not read: export or "
                "print it to PDF with an OFD reader and extract the PDF"),
    ("xl/workbook.xml", "an Excel workbook (.xlsx), not a report: save the report itself (HTML, PDF or Word)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx), not a report: save the report itself "
                             "(HTML, PDF or Word)"),
)
# The first member of an OpenDocument file, stored: its MIME type.
_ODF_TEXT_TYPES = (b"application/vnd.oasis.opendocument.text", b"application/vnd.oasis.opendocument.text-template")


def _member_names(data: bytes) -> list[str] | None:
    """The archive's member names; None where it cannot be read (a damaged
    .docx, left to python-docx's own error)."""
    try:
        return zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None


def _is_odf_text(data: bytes, names: list[str]) -> bool:
    if "mimetype" not in names or "content.xml" not in names:
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > 256:
                return False
            return archive.read(info).strip() in _ODF_TEXT_TYPES
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, zlib.error):
        return False


def _not_word(names: list[str]) -> str:
    """Why a ZIP archive holding no Word document is refused."""
    for part, what in _OTHER_ARCHIVES:
        if part in names or any(name.endswith("/" + part) for name in names):
            return f"the file is {what}"
    files = [name for name in names if not name.endswith("/")]
    if not files:
        return f"{_NOT_WORD}: it is empty"
    shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    return (f"{_NOT_WORD}: it holds {len(files)} file{'s' if len(files) > 1 else ''} ({shown}); unpack it and "
            "extract the reports in it (extract batch reads a folder)")


def _walk(parent: etree._Element, blocks: list[Block]) -> None:
    for child in parent:
        if child.tag == _P:
            for line in _paragraph_lines(child):
                blocks.append(Paragraph(line))
            for box in child.iter(_TEXT_BOX):
                if not any(a.tag == _FALLBACK for a in box.iterancestors()):
                    _walk(box, blocks)
        elif child.tag == _TBL:
            if any(True for _ in child.iterdescendants(_TBL)):
                # A table holding tables lays the page out (the report, or
                # each of its tables, framed in a box): its cells are read
                # as the body, in order, as an HTML page's layout tables are.
                _walk(child, blocks)
                continue
            grid = _table(child)
            if grid.rows:
                # Provenance: the table's place among the document's tables.
                grid.source = Source(table=sum(1 for b in blocks if isinstance(b, Grid)))
                blocks.append(grid)
        elif child.tag in _WRAPPERS or child.tag in _LAYOUT_PARTS:
            _walk(child, blocks)


_LINE_PARTS = {_q(t): t for t in ("t", "tab", "br", "cr", "noBreakHyphen", "softHyphen")}
_OUTSIDE = (_TEXT_BOX, _FALLBACK)


def _paragraph_lines(p: etree._Element, within: etree._Element | None = None) -> list[str]:
    """The paragraph's text, one item per line (a <w:br/> starts a new one);
    deleted revisions, field codes, hidden text and text boxes are not part of it.
    `within`: an ancestor known to be in no text box (its own ancestors are
    not looked at again)."""
    lines = [""]
    # Text inside a text box or a fallback is left out: a paragraph inside
    # one altogether, else each piece inside one within the paragraph (the
    # ancestors above the paragraph are looked at once, not for every piece:
    # 300,000 paragraphs took 6 s).
    for ancestor in p.iterancestors():
        if ancestor is within:
            break
        if ancestor.tag in _OUTSIDE:
            return []
    for el in p.iter(*_LINE_PARTS):
        run = parent = el.getparent()
        while parent is not None and parent is not p and parent.tag not in _OUTSIDE:
            parent = parent.getparent()
        if parent is not p or _hidden(run):
            continue
        tag = _LINE_PARTS[el.tag]
        if tag == "t":
            lines[-1] += el.text or ""
        elif tag == "tab":
            lines[-1] += " "
        elif tag in ("br", "cr"):
            lines.append("")
        elif tag == "noBreakHyphen":
            lines[-1] += "-"
    return [text for text in (normalize(line) for line in lines) if text]


def _hidden(run: etree._Element) -> bool:
    """Is this run hidden text (<w:vanish/> in its own properties): not printed, not read."""
    vanish = run.find(_VANISH)
    return vanish is not None and vanish.get(_VAL, "true") not in ("0", "false", "off")


def _int(el: etree._Element | None, default: int) -> int:
    """A w:val count, between 0 and MAX_SPAN: a span or a run of skipped
    grid columns beyond that is damaged markup, as in HTML (one gridSpan of
    2,000,000,000 took 3 GB and more than a minute)."""
    if el is None:
        return default
    try:
        return min(max(int(el.get(_VAL, default)), 0), MAX_SPAN)
    except ValueError:
        return default


def _cell_text(tc: etree._Element) -> str:
    if any(a.tag in _OUTSIDE for a in tc.iterancestors()):
        return join_lines([])  # a table in a text box: none of its text is read
    lines: list[str] = []
    for p in tc.iter(_P):
        lines += _paragraph_lines(p, within=tc)
    return join_lines(lines)


def _table(tbl: etree._Element) -> Grid:
    """Each cell at its grid column (gridBefore, then the gridSpans before
    it); a vMerge continuation extends the cell above it downwards."""
    # Rows and cells of this table, not of one nested in it (most are its
    # children; content controls may wrap them).
    rows = [tr for tr in tbl.iter(_TR) if tr.getparent() is tbl or next(tr.iterancestors(_TBL)) is tbl]
    placed: list[Placed] = []
    open_cells: dict[int, int] = {}  # grid column -> index in placed of a cell that may continue down
    for r, tr in enumerate(rows):
        col = _int(tr.find(f"{_q('trPr')}/{_q('gridBefore')}"), 0)
        seen: set[int] = set()
        for tc in tr.iter(_TC):
            if tc.getparent() is not tr and next(tc.iterancestors(_TR)) is not tr:
                continue  # a cell of a table nested in this row
            props = tc.find(_q("tcPr"))
            span = max(_int(props.find(_q("gridSpan")) if props is not None else None, 1), 1)
            merge = props.find(_q("vMerge")) if props is not None else None
            if merge is not None and merge.get(_VAL, "continue") == "continue" and col in open_cells:
                above = placed[open_cells[col]]
                placed[open_cells[col]] = Placed(above.row, above.col, above.text, r - above.row + 1, above.colspan)
            else:
                placed.append(Placed(r, col, _cell_text(tc), 1, span))
                open_cells[col] = len(placed) - 1
            seen.add(col)
            col += span
        for column in [c for c in open_cells if c not in seen]:
            del open_cells[column]
    if not any(p.text for p in placed):
        return Grid(rows=[])
    return Grid(rows=build_rows(placed, len(rows)))


def read_legacy_word(path: Path, data: bytes, suffix: str | None = None) -> Document:
    """A .doc or .wps file (or, `suffix` ".odt", an OpenDocument text),
    converted to .docx by LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        files = "OpenDocument text files (.odt)" if suffix == ".odt" else "legacy Word/WPS files (.doc, .wps)"
        raise ExtractError(f"{files} are converted with LibreOffice, which is not installed: install LibreOffice "
                           "(the soffice command) or save the file as .docx or PDF", code="needs_libreoffice")
    if suffix is None:
        suffix = path.suffix.lower() if path.suffix.lower() in (".doc", ".wps", ".wpt", ".dot") else ".doc"
    with tempfile.TemporaryDirectory(prefix="extract-doc-") as tmp:
        folder = Path(tmp)
        source = folder / f"report{suffix}"
        source.write_bytes(data)
        profile = _profile()
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--convert-to", "docx", "--outdir", str(folder / "out"), str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            _drop_profile(profile)
            raise ExtractError(f"LibreOffice could not convert the file ({exc.__class__.__name__})",
                               code="conversion") from exc
        converted = folder / "out" / "report.docx"
        if not converted.is_file():
            _drop_profile(profile)
            raise ExtractError("LibreOffice could not convert the file to .docx (damaged or not a Word file)",
                               code="conversion")
        return read_docx(converted.read_bytes())


# Each thread's LibreOffice profile, by process (a forked worker makes its own).
_PROFILES = threading.local()


def _profile() -> Path:
    """A private LibreOffice profile, so that conversions can run side by
    side and beside a LibreOffice the user has open: one for each thread of
    each process, made at its first conversion and kept for the next (a
    fresh profile costs LibreOffice a quarter of a second to set up, a fifth
    of a conversion), removed when the process ends."""
    held = getattr(_PROFILES, "held", None)
    if held is not None and held[0] == os.getpid() and held[1].is_dir():
        return held[1]
    folder = Path(tempfile.mkdtemp(prefix="extract-libreoffice-"))
    # (multiprocessing's exit hook runs in the main process and in its workers alike.)
    process_util.Finalize(None, shutil.rmtree, args=(str(folder), True), exitpriority=0)
    _PROFILES.held = (os.getpid(), folder)
    return folder


def _drop_profile(folder: Path) -> None:
    """Start the next conversion with a new profile: one that LibreOffice
    failed or was stopped in may be left locked or half written."""
    _PROFILES.held = None
    shutil.rmtree(folder, ignore_errors=True)
