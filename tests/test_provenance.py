"""Every cell says where its value was read (docs/output.md, "Provenance"),
and what it points at holds the cell's raw text: in a text file the offsets
of the decoded file, in an HTML page the element its XPath names in the
page as published, in a Word file the table cell python-docx finds at its
table, row and column, in a PDF the characters pypdfium2 reads inside its
box."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import CORPUS, FIXTURES, extract, labelled_reports, pair_id
from lxml import etree

from extractor.normalize import normalize
from extractor.readers.encoding import declared_html_charset, decode
from extractor.readers.html import cell_text

TEXT_REPORTS = labelled_reports((".txt", ".md"))
HTML_REPORTS = labelled_reports((".html", ".htm"))
PDF_REPORTS = [r for r, _ in labelled_reports((".pdf",))] + sorted((FIXTURES / "matrix" / "samples").glob("*.pdf"))
DOCX_REPORTS = [r for r, _ in labelled_reports((".docx",))] + sorted((FIXTURES / "matrix" / "samples").glob("*.docx"))


def located_cells(doc: dict):
    """(name, cell, source) of every cell with printed text that was read from the file."""
    for table, spec in doc["tables"].items():
        for row, cells in spec["rows"].items():
            for column, cell in cells.items():
                source = cell.get("source")
                if cell["raw"].strip() and source and source["kind"] == doc["source"]["format"]:
                    yield f"{table}.{row}.{column}", cell, source


def squeezed(text: str) -> str:
    return re.sub(r"\s", "", normalize(text))


@pytest.mark.parametrize("pair", TEXT_REPORTS, ids=pair_id)
def test_a_text_cell_source_is_its_raw_text_in_the_decoded_file(pair: tuple[Path, Path]):
    report, _ = pair
    doc = extract(report)
    text = decode(report.read_bytes())[0]
    cells = list(located_cells(doc))
    assert cells or doc["report"]["template"] in ("freeform", None)
    for name, cell, source in cells:
        assert normalize(text[source["start"]:source["end"]]) == cell["raw"], name
        assert text.count("\n", 0, source["start"]) + 1 == source["line"], name


@pytest.mark.parametrize("pair", HTML_REPORTS, ids=pair_id)
def test_an_html_cell_source_names_its_element_in_the_page_as_published(pair: tuple[Path, Path]):
    report, _ = pair
    doc = extract(report)
    data = report.read_bytes()
    page = etree.fromstring(decode(data, declared_html_charset(data))[0].encode("utf-8"),
                            etree.HTMLParser(remove_comments=True, encoding="utf-8")).getroottree()
    cells = list(located_cells(doc))
    assert cells
    for name, cell, source in cells:
        (element,) = page.xpath(source["xpath"])
        assert element.sourceline == source["line"], name
        text = cell_text(element) if "row" in source else normalize("".join(element.itertext()))
        if "start" in source:
            text = text[source["start"]:source["end"]]
        assert text == cell["raw"], name


def test_an_xpath_counts_the_hidden_and_dropped_elements_of_the_page():
    # Synthetic: the seed's figures in a page that hides a paragraph and a
    # table row before the ones read (an XPath computed after they are
    # removed would name the wrong element of the published page).
    page = ("<html><body><div><p style='display:none'>旧稿</p><p>一、总体情况</p>"
            "<table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
            "<tr style='display:none'><td>草稿</td><td>9</td><td>9</td><td>9</td></tr>"
            "<tr><td>规章</td><td>2</td><td>1</td><td>30</td></tr>"
            "<tr><td>行政规范性文件</td><td>5</td><td>0</td><td>41</td></tr></table></div></body></html>")
    from extractor.model import Grid
    from extractor.readers.html import read_html

    doc = read_html(page.encode("utf-8"))
    grid = next(b for b in doc.blocks if isinstance(b, Grid))
    published = etree.fromstring(page, etree.HTMLParser()).getroottree()
    cell = grid.rows[1][3]  # 规章's 现行有效件数: the second row read, the third printed
    assert cell.text == "30"
    (element,) = published.xpath(cell.source.element_xpath())
    assert element.text == "30"
    paragraph = doc.blocks[0]
    (element,) = published.xpath(paragraph.source.element_xpath())
    assert element.text == paragraph.text == "一、总体情况"


@pytest.mark.parametrize("report", PDF_REPORTS, ids=lambda p: p.name[:40])
def test_a_pdf_cell_box_holds_its_raw_text(report: Path):
    doc = extract(report)
    pdf = pdfium.PdfDocument(report)
    pages: dict[int, pdfium.PdfTextPage] = {}

    def text_in(page: int, box: list[float]) -> str:
        if page not in pages:
            pages[page] = pdf[page - 1].get_textpage()
        return pages[page].get_text_bounded(*box)

    cells = list(located_cells(doc))
    assert cells
    for name, cell, source in cells:
        # The box is in PDF user space, inside the page and the cell's grid cell.
        x0, y0, x1, y1 = source["box"]
        width, height = pdf[source["page"] - 1].get_size()
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height, name
        if "cell_box" in source:
            cx0, cy0, cx1, cy1 = source["cell_box"]
            assert cx0 <= x0 and x1 <= cx1 + 0.5 and cy0 - 0.5 <= y0 and y1 <= cy1 + 0.5, name
        # A cell a page break cut in two has a box on each page.
        printed = text_in(source["page"], source["box"]) + "".join(
            text_in(part["page"], part["box"]) for part in source.get("continued", []))
        assert squeezed(printed) == squeezed(cell["raw"]), name
    pdf.close()


@pytest.mark.parametrize("report", DOCX_REPORTS, ids=lambda p: p.name[:40])
def test_a_word_cell_source_is_its_table_row_and_column(report: Path):
    import docx

    doc = extract(report)
    tables = docx.Document(str(report)).tables
    cells = list(located_cells(doc))
    assert cells or doc["valid"] is False
    for name, cell, source in cells:
        printed = tables[source["table"]].cell(source["row"], source["column"]).text
        assert squeezed(printed) == squeezed(cell["raw"]), name


def test_a_glued_value_names_the_token_it_was_cut_from_and_the_split():
    # pingtan-depts/004: table 三's rows are digit runs glued to their labels.
    report = CORPUS / "pingtan-depts" / "004_guanweihuibangongshi-2025.txt"
    doc = extract(report)
    text = decode(report.read_bytes())[0]
    row = doc["tables"]["applications"]["rows"]["partially_granted"]
    sources = [row[c]["source"] for c in row]
    assert {s["token"] for s in sources} == {"7000007"}
    assert {s["split"] for s in sources} == {"7/0/0/0/0/0/7"}
    # The values are the token's characters, one after the other.
    assert "".join(text[s["start"]:s["end"]] for s in sources) == "7000007"
    assert [s["start"] for s in sources] == list(range(sources[0]["start"], sources[0]["start"] + 7))


def test_an_undetermined_cell_points_at_the_values_its_row_printed():
    # kiro/004: the flattening does not say where two of a row's values belong.
    report = next(r for r, _ in TEXT_REPORTS if r.name.startswith("004_shanghai-office"))
    doc = extract(report)
    text = decode(report.read_bytes())[0]
    undetermined = [(name, cell) for table, spec in doc["tables"].items() for row, cells in spec["rows"].items()
                    for column, cell in cells.items() if cell["value"] is None and cell["raw"]
                    for name in [f"{table}.{row}.{column}"]]
    assert undetermined
    for name, cell in undetermined:
        source = cell["source"]
        assert source["kind"] == "undetermined", name
        printed = [normalize(text[p["start"]:p["end"]]) for p in source["printed"]]
        assert printed and all(printed), name
