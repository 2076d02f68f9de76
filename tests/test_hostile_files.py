"""Damaged or hostile files are one line and exit 2, never an internal error
(exit 3), a traceback or a silent loss: damaged Word archives, an unknown
declared charset, markup nested too deep, tables too large (synthetic
damage done to the fixtures, in memory)."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import hostile
import pytest
from pdfgen import Page, build

from extractor.errors import ExtractError
from extractor.pipeline import extract_bytes
from extractor.readers import read_document
from extractor.readers.grid import MAX_GRID_CELLS

SAMPLE_PAGE = Path(__file__).parent.parent / "samples" / "synthetic-2021-template.html"


def refused(path: Path, *words: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "extractor", str(path)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, lines
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# -- Word archives ---------------------------------------------------------------


def _patched_document_xml(edit) -> bytes:
    """The blank template .docx with the headers of its word/document.xml
    entry (local and central) edited in place: edit(buffer, header offset, is_central)."""
    data = bytearray(hostile.DOCX.read_bytes())
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    edit(data, archive.getinfo("word/document.xml").header_offset, False)
    pos = archive.start_dir
    while data[pos:pos + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack("<HHH", data[pos + 28:pos + 34])
        if data[pos + 46:pos + 46 + name_len] == b"word/document.xml":
            edit(data, pos, True)
        pos += 46 + name_len + extra_len + comment_len
    return bytes(data)


def _set_method(method: int):
    def edit(data: bytearray, at: int, central: bool) -> None:
        field = at + (10 if central else 8)
        data[field:field + 2] = struct.pack("<H", method)
    return edit


def _set_encrypted(data: bytearray, at: int, central: bool) -> None:
    field = at + (8 if central else 6)
    data[field:field + 2] = struct.pack("<H", struct.unpack("<H", data[field:field + 2])[0] | 1)


def _broken_deflate(data: bytearray, at: int, central: bool) -> None:
    if central:
        return
    name_len, extra_len = struct.unpack("<HH", data[at + 26:at + 30])
    start = at + 30 + name_len + extra_len
    for i in range(start + 50, start + 120):
        data[i] ^= 0x5A


@pytest.mark.parametrize("edit,words", [
    (_broken_deflate, ("damaged",)),
    (_set_method(99), ("encrypted",)),
    (_set_encrypted, ("encrypted",)),
    (_set_method(97), ("compression method 97",)),
], ids=["broken-deflate", "method-99-aes", "encryption-flag", "unknown-method"])
def test_a_damaged_word_archive_is_one_line(tmp_path: Path, edit, words: tuple[str, ...]):
    # Before: zlib.error, NotImplementedError, RuntimeError: exit 3.
    path = tmp_path / "report.docx"
    path.write_bytes(_patched_document_xml(edit))
    refused(path, *words)


def test_a_word_zip_bomb_is_refused_before_it_inflates(tmp_path: Path):
    # document.xml inflating to 100 MB (from 100 KB) of paragraphs; at 1 GiB it peaked at 2.1 GB.
    path = tmp_path / "bomb.docx"
    path.write_bytes(hostile.docx_inflating(100 << 20))
    run = hostile.run_extract(path)
    assert run.code == 2 and "word/document.xml inflates to 100 MB" in run.stderr, run.stderr
    assert run.peak_mb < 200 and run.seconds < 30


@pytest.mark.parametrize("attribute", ["gridSpan", "gridBefore"])
def test_a_huge_word_span_is_capped_as_in_html(attribute: str):
    # Before: one span of 2,000,000,000 took 3 GB and more than a minute.
    doc = extract_bytes(hostile.docx_span(attribute, 2_000_000_000), Path("span.docx"))
    assert doc["source"]["format"] == "docx"


# -- HTML ------------------------------------------------------------------------


def test_an_unknown_declared_charset_is_not_an_internal_error(tmp_path: Path):
    # Before: UnicodeError ("undefined" is a codec that refuses everything): exit 3.
    page = SAMPLE_PAGE.read_bytes().replace(b"<head>", b'<head><meta charset="undefined">', 1)
    doc = extract_bytes(page, Path("page.html"))
    assert doc["tables"]["applications"]["status"] == "complete"


@pytest.mark.parametrize("depth", [260, 2000])
def test_a_page_nested_hundreds_of_levels_deep_keeps_its_tables(depth: int):
    # Before: from 254 levels lxml dropped everything below, with exit 0 and no warning.
    doc = extract_bytes(hostile.nested_html(depth), Path("deep.html"))
    assert doc["tables"]["applications"]["status"] == "complete"
    assert doc["valid"]


def test_a_page_nested_beyond_what_the_parser_reads_is_refused(tmp_path: Path):
    path = tmp_path / "deeper.html"
    path.write_bytes(hostile.nested_html(5000))
    refused(path, "nested more than 2048")


def _page_with(table: str) -> bytes:
    page = SAMPLE_PAGE.read_text(encoding="utf-8")
    cut = page.index("</body>")
    return (page[:cut] + table + page[cut:]).encode()


def test_cells_spanning_millions_of_slots_are_refused_at_once():
    # 5,000 cells of rowspan and colspan 200: 2.4 GB, then a MemoryError (exit 3).
    page = _page_with("<table><tr>" + '<td rowspan="200" colspan="200">0</td>' * 5000 + "</tr></table>")
    with pytest.raises(ExtractError, match="span more than"):
        extract_bytes(page, Path("spans.html"))


def test_a_table_of_millions_of_slots_is_refused_at_once():
    # One row of 10,000 cells under 10,000 rows of one: 3 GB, then a MemoryError.
    rows = MAX_GRID_CELLS // 1000 + 10
    page = _page_with("<table>" + "<tr><td>1</td></tr>" * rows + "<tr>" + "<td>0</td>" * 1000 + "</tr></table>")
    with pytest.raises(ExtractError, match=f"{rows + 1:,} rows and 1,000 columns"):
        extract_bytes(page, Path("wide.html"))


def test_a_table_of_millions_of_slots_is_refused_in_a_word_file_too():
    table = "<w:tbl>" + "<w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>" * 300 + "<w:tr>" + (
        '<w:tc><w:tcPr><w:gridSpan w:val="200"/></w:tcPr><w:p/></w:tc>' * 10) + "</w:tr></w:tbl>"
    source = hostile.DOCX.read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as z:
        xml = z.read("word/document.xml")
    cut = xml.rindex(b"</w:body>")
    data = hostile._rezip(source, {"word/document.xml": xml[:cut] + table.encode() + xml[cut:]})
    with pytest.raises(ExtractError, match="2,000 columns"):
        extract_bytes(data, Path("wide.docx"))


# -- PDF -------------------------------------------------------------------------


def test_a_pdf_decompression_bomb_is_refused_before_pdfium_inflates_it(tmp_path: Path):
    # A content stream inflating to 256 MB (from 256 KB); at 1 GiB it peaked at 2.1 GB.
    path = tmp_path / "bomb.pdf"
    path.write_bytes(hostile.pdf_inflating(256 << 20))
    run = hostile.run_extract(path)
    assert run.code == 2 and "inflates to more than 64 MB" in run.stderr, run.stderr
    assert run.peak_mb < 200 and run.seconds < 30


def test_a_page_with_more_characters_than_any_report_is_not_read_and_said():
    crowded = Page()
    crowded.ops.append("BT /F1 1 Tf 10 10 Td " + f"({'0' * 31_000}) Tj " * 10 + "ET")  # pdfium: 32,767 a string
    doc = read_document(Path("crowded.pdf"), build([_titled_page(), crowded]))
    assert [w for w in doc.warnings if w[0] == "page_not_read"] == [
        ("page_not_read", "page 2 holds 310,000 characters, more than any report's page (300,000); it is not read")]


def _titled_page() -> Page:
    page = Page()
    page.text(72, 72, "政府信息公开工作年度报告")
    return page


def test_a_pdf_whose_pages_hold_more_than_any_report_is_refused(monkeypatch):
    # Each page under the page limit, together beyond the document's: the
    # characters are walked one by one, so their number bounds the time.
    from extractor.readers.pdf import bounds

    monkeypatch.setattr(bounds, "MAX_DOCUMENT_CHARS", 50_000)
    page = Page()
    page.ops.append("BT /F1 1 Tf 10 10 Td " + f"({'0' * 30_000}) Tj " + "ET")
    with pytest.raises(ExtractError, match="more than 50,000 characters"):
        read_document(Path("long.pdf"), build([_titled_page(), page, page]))
    monkeypatch.setattr(bounds, "MAX_PAGES", 2)
    with pytest.raises(ExtractError, match="3 pages"):
        read_document(Path("long.pdf"), build([_titled_page()] * 3))
