"""Damage to the file itself: a flipped byte, a download cut inside a
character, a lost cell boundary, a broken embedded font, a missing cell.
What can be read is read, and every number read from damaged text is flagged,
never delivered silently wrong. Damaged inputs are built here from the
fixtures, seeded."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from conftest import CORPUS, SEED, SEED_LABEL, extract, labelled_reports, pair_id, value_of
from pdfgen import damaged_stream

from extractor.errors import ExtractError
from extractor.evaluate import load_label, score
from extractor.model import Cell
from extractor.pipeline import extract_bytes, extract_document
from extractor.readers import read_document
from extractor.readers.encoding import MAX_UNDECODABLE_SHARE
from extractor.tables.damage import CELL_DAMAGE, MARKUP, SHORT, UNDECODABLE, grid_row_damage, text_damage

PINGTAN_PAGE = CORPUS / "github" / "015_pingtan_2023_page.html"
HUAIAN_PDF = CORPUS / "github" / "001_huaian_city_2024.pdf"


def cells_of(doc: dict) -> dict[str, object]:
    return {f"{t}.{r}.{c}": cell["value"] for t, table in doc["tables"].items()
            for r, cols in table["rows"].items() for c, cell in cols.items()}


def assert_nothing_silent(damaged: dict, undamaged: dict) -> int:
    """Every cell whose value differs from the undamaged reading is flagged;
    returns how many differ."""
    result = score(damaged, {"cells": cells_of(undamaged)})
    assert result.silent == 0, result.silent_cells[:5]
    return result.cells - result.right


def warnings_of(doc: dict, code: str) -> list[dict]:
    return [w for w in doc["warnings"] if w["code"] == code]


def table_zone(data: bytes) -> tuple[int, int]:
    """The bytes from table 二's heading to section 五."""
    start = data.index("二、主动公开".encode())
    return start, data.index("五、".encode(), start)


# -- 7: damaged bytes in UTF-8 text and HTML ------------------------------------


def test_a_damaged_byte_in_a_table_cell_of_a_text_report_is_read_and_flagged():
    data = SEED.read_bytes()
    row = data.index("(二)部分公开".encode())
    cell = data.index(b"\n1\n", row) + 1  # partially_granted.natural_person, printed 1
    damaged = data[:cell] + b"\xff" + data[cell + 1:]
    doc = extract_bytes(damaged, SEED)
    (note,) = warnings_of(doc, "undecodable_bytes")
    line = data.count(b"\n", 0, cell) + 1
    assert f"byte {cell} (line {line})" in note["message"]
    assert [w["where"] for w in warnings_of(doc, UNDECODABLE)] == ["applications.partially_granted"]
    # The lost 1 is recovered from the row's total and the column identities, and said so.
    cell = doc["tables"]["applications"]["rows"]["partially_granted"]["natural_person"]
    assert value_of(cell) == {"value": 1, "raw": "", "inferred": True}
    # ... from the row's total: the identity and the cells it used are named.
    assert cell["source"]["kind"] == "inferred"
    assert cell["source"]["identity"] == "applications.row_total.partially_granted"
    assert "applications.partially_granted.total" in cell["source"]["from"]
    assert_nothing_silent(doc, extract(SEED))
    assert doc["valid"] is False


def test_a_download_cut_inside_a_character_is_read():
    data = SEED.read_bytes()
    cut = data.rindex("商务局".encode()) + 2  # inside 商, two of its three bytes kept
    doc = extract_bytes(data[:cut], SEED)
    (note,) = warnings_of(doc, "undecodable_bytes")
    assert "2 bytes" in note["message"] and f"bytes {cut - 2}-{cut - 1}" in note["message"]
    undamaged = extract(SEED)
    assert cells_of(doc) == cells_of(undamaged)
    assert doc["valid"] is undamaged["valid"] is True


def test_a_damaged_byte_in_an_html_table_cell_is_flagged():
    data = PINGTAN_PAGE.read_bytes()
    row = data.index("一、本年新收政府信息公开申请数量".encode())
    cell = data.index(b">80<", row) + 1  # new_received.natural_person
    damaged = data[:cell] + b"\xe4" + data[cell + 1:]  # a lead byte with no continuation
    doc = extract_bytes(damaged, PINGTAN_PAGE)
    assert warnings_of(doc, "undecodable_bytes")
    assert [w["where"] for w in warnings_of(doc, UNDECODABLE)] == ["applications.new_received"]
    assert assert_nothing_silent(doc, extract(PINGTAN_PAGE)) > 0
    assert doc["valid"] is False


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", b""), ("utf-16-be", b""), ("utf-16-le", b"\xff\xfe"),
                                          ("gb18030", b""), ("utf-8", b"\xef\xbb\xbf")])
def test_a_text_report_in_every_encoding_windows_tools_write(tmp_path: Path, encoding: str, bom: bytes):
    # The seed report re-encoded (synthetic bytes of the real text): UTF-16 with or without its
    # byte-order mark (tools that leave it out wrote files taken for binary data), GB18030, UTF-8 with a BOM.
    text = SEED.read_text(encoding="utf-8")
    path = tmp_path / "report.txt"
    path.write_bytes(bom + text.encode(encoding))
    assert score(extract_bytes(path.read_bytes(), path), load_label(SEED_LABEL)).right == 200


def test_a_file_undecodable_in_more_than_a_few_percent_of_its_bytes_is_refused():
    data = bytearray(SEED.read_bytes())
    rng = random.Random(7)
    for pos in rng.sample(range(len(data)), int(len(data) * MAX_UNDECODABLE_SHARE * 2)):
        data[pos] = 0xFF
    with pytest.raises(ExtractError) as refused:
        extract_bytes(bytes(data), SEED)
    assert refused.value.code == "encoding"


@pytest.mark.parametrize("report", [SEED, PINGTAN_PAGE], ids=lambda p: p.name[:20])
def test_seeded_byte_mutants_in_the_tables_are_read_and_leave_nothing_silent(report: Path):
    data = report.read_bytes()
    undamaged = extract(report)
    start, end = table_zone(data)
    rng = random.Random(10)
    for _ in range(25):
        pos = rng.randrange(start, end)
        damaged = data[:pos] + bytes([rng.randrange(0x80, 0x100)]) + data[pos + 1:]
        assert_nothing_silent(extract_bytes(damaged, report), undamaged)


# -- 14: markup printed as a cell's text ----------------------------------------


def test_a_lost_cell_boundary_in_html_is_flagged():
    text = PINGTAN_PAGE.read_text(encoding="utf-8")
    row = text.index("行政规范性文件", text.index("二、主动公开"))
    boundary = text.index("</td><td ", text.index(">132<", row))  # between 132 and 470
    damaged = text[:boundary] + text[boundary + len("</td><td "):]
    doc = extract_bytes(damaged.encode(), PINGTAN_PAGE)
    (markup,) = warnings_of(doc, MARKUP)
    assert markup["where"] == "proactive.normative_documents"
    assert 'style="' in markup["message"]
    cells = doc["tables"]["proactive"]["rows"]["normative_documents"]
    assert cells["repealed"]["value"] != 470  # the next cell's number is not taken for this one
    # The merged cell's two numbers are read back into their cells (77/132/470 as
    # printed), and the row is still flagged: right or flagged, never silent.
    assert [c["value"] for c in cells.values()] == [77, 132, 470]
    assert_nothing_silent(doc, extract(PINGTAN_PAGE))
    assert doc["valid"] is False


@pytest.mark.parametrize("text", ['132 style="padding: 0px 7px" valign="center"> 470', "&lt;td&gt;5",
                                  "0</", '3 <td width="43">', "12 align=center> 3"])
def test_markup_in_a_cell_is_damage(text: str):
    assert MARKUP in text_damage([text], markup=True)


@pytest.mark.parametrize("text", ['3.危及"三安全一稳定"', "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
                                  "55(含自然失效29件)", "251000元", "本年收费金额(单位:万元)", "a=b 无"])
def test_template_text_is_not_markup(text: str):
    assert text_damage([text], markup=True) == {}


# -- 15: text a PDF page could not give -------------------------------------------


def test_text_unread_on_a_pdf_page_flags_every_row_read_there():
    doc = read_document(HUAIAN_PDF, HUAIAN_PDF.read_bytes())
    doc.unread_pages = {3}
    out = extract_document(doc, HUAIAN_PDF, "0" * 64)
    (warning,) = warnings_of(out, "page_text_unread")
    # Table 二 runs over pages 3 and 4: only the rows printed on page 3 are named.
    assert out["tables"]["proactive"]["pages"] == [3, 4]
    assert warning["message"].startswith("proactive (regulations, normative_documents, licensing):")
    assert "(page 3)" in warning["message"]
    assert out["valid"] is False


def test_a_damaged_embedded_font_leaves_no_cell_silent():
    damaged = damaged_stream(HUAIAN_PDF.read_bytes(), b"FontFile2", 0, seed=1, insert=True)
    doc = extract_bytes(damaged, HUAIAN_PDF)
    if not warnings_of(doc, "page_text_unmeasured"):
        pytest.skip("an installed font stands in for the damaged one here: its text is read")
    # Tables 二 and 四 read blank where their text was lost.
    assert assert_nothing_silent(doc, extract(HUAIAN_PDF)) >= 25
    flagged = " ".join(w["message"] for w in warnings_of(doc, "page_text_unread"))
    assert "proactive (regulations" in flagged and "review_litigation (review" in flagged
    assert doc["valid"] is False


def test_a_damaged_unicode_map_leaves_no_cell_silent(monkeypatch):
    # Two bytes written over the (compressed) ToUnicode map of the font the
    # tables' digits use: pdfium gives the glyphs' own codes (control codes),
    # and every digit of tables 三 and 四 (pages 4, 5) was dropped as if it
    # were a space. Read from the text layer alone (with OCR, test_ocr reads
    # those pages as printed).
    monkeypatch.setenv("EXTRACTOR_OCR", "never")
    damaged = damaged_stream(HUAIAN_PDF.read_bytes(), b"ToUnicode", 5, seed=0, insert=False, count=2)
    doc = extract_bytes(damaged, HUAIAN_PDF)
    assert [w["message"].split(":")[0] for w in warnings_of(doc, "page_text_undecodable")] == [
        "page 3", "page 4", "page 5", "page 6"]
    assert assert_nothing_silent(doc, extract(HUAIAN_PDF)) >= 175
    assert warnings_of(doc, "page_text_unread")
    assert doc["valid"] is False


# -- 16: a row printed with a cell missing ------------------------------------------


def _without_cell(text: str, label: str, k: int) -> str:
    """The page with the k-th cell printing 0 of the row labelled `label` removed."""
    start = text.index(label, text.index("三、收到和处理"))
    end = text.index("</tr>", start)
    zeros = [m for m in re.finditer(r"<td\b[^>]*>(?:(?!</td>).)*</td>", text[start:end], re.S)
             if re.sub(r"<[^>]+>", "", m.group(0)).strip() == "0"]
    m = zeros[k]
    return text[:start + m.start()] + text[start + m.end():]


def test_a_row_missing_a_cell_is_flagged():
    text = PINGTAN_PAGE.read_text(encoding="utf-8")
    doc = extract_bytes(_without_cell(text, "2.其他法律行政法规禁止公开", 0).encode(), PINGTAN_PAGE)
    (short,) = warnings_of(doc, SHORT)
    assert short["where"] == "applications.denied_prohibited_by_law"
    total = doc["tables"]["applications"]["rows"]["denied_prohibited_by_law"]["total"]
    assert total["value"] is None  # 0 in the source: unknown here, and said
    assert assert_nothing_silent(doc, extract(PINGTAN_PAGE)) > 0
    assert doc["valid"] is False


def test_a_short_row_that_prints_all_its_cells_is_not_flagged():
    text = PINGTAN_PAGE.read_text(encoding="utf-8")
    licensing = text.index("行政许可", text.index("二、主动公开"))
    span = text.index('colspan="3"', licensing)
    doc = extract_bytes((text[:span] + text[span + len('colspan="3"'):]).encode(), PINGTAN_PAGE)
    undamaged = extract(PINGTAN_PAGE)
    assert doc["tables"] == undamaged["tables"]
    assert doc["warnings"] == undamaged["warnings"]


def test_seeded_cell_and_boundary_deletions_in_html_leave_nothing_silent():
    text = PINGTAN_PAGE.read_text(encoding="utf-8")
    undamaged = extract(PINGTAN_PAGE)
    start = text.index("二、主动公开")
    end = text.index("五、", start)
    rng = random.Random(3)
    for pattern in (r"</td>\s*<td\b", r"<td\b[^>]*>(?:(?!</td>).)*</td>"):
        found = list(re.finditer(pattern, text[start:end], re.S))
        for m in rng.sample(found, 10):
            damaged = text[:start + m.start()] + text[start + m.end():]
            assert_nothing_silent(extract_bytes(damaged.encode(), PINGTAN_PAGE), undamaged)


def test_a_grid_row_short_of_cells_is_marked():
    row = [Cell("规章", (0, 0)), Cell("1", (0, 1)), Cell("", (0, 2), missing=True)]
    assert grid_row_damage(row, None, set()) == {SHORT: "2 of the table's 3 columns"}
    assert grid_row_damage([Cell("", (0, 0), missing=True)] * 3, None, set()) == {}


# -- undamaged inputs ------------------------------------------------------------


@pytest.mark.parametrize("pair", labelled_reports((".html", ".pdf", ".txt", ".md", ".docx")), ids=pair_id)
def test_undamaged_reports_have_no_damage_warnings(pair: tuple[Path, Path]):
    doc = extract(pair[0])
    assert not [w for w in doc["warnings"] if w["code"] in CELL_DAMAGE | {"undecodable_bytes"}]
