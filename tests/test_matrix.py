"""The Word/PDF matrix (synthetic files: the official template filled with the
labelled real values): the generator, the committed sample of LibreOffice's
conversions, and a regression test for each reader failure the matrix found.

The full matrix (hundreds of variants, LibreOffice and Chromium) runs in
`bench/matrix.py`; see bench/MATRIX.md.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from matrixgen.cells import CellStyle, cell_text
from matrixgen.docxgen import Variant, build
from matrixgen.labelsets import by_name, label_sets
from matrixgen.samples import SAMPLE_IDS, SAMPLES, truth_path
from matrixgen.variants import FAMILIES, matrix
from pdfgen import Page
from pdfgen import build as build_pdf

from extractor.evaluate import score
from extractor.model import Grid
from extractor.pipeline import extract_bytes, extract_file
from extractor.readers import read_document

LAYOUT_SETS = {"2021": "github/001", "2019": "github/009", "hybrid": "kiro/001"}


# -- the generator ---------------------------------------------------------------


def test_matrix_covers_every_family_label_set_and_layout_and_is_deterministic():
    variants = matrix(11)
    assert len(variants) >= 300
    assert {v.family for v in variants} == set(FAMILIES)
    assert len({v.label_set for v in variants}) == len(label_sets()) >= 10
    assert {by_name(v.label_set).layout for v in variants} == {"2021", "2019", "hybrid"}
    assert matrix(11) == variants and matrix(12) != variants
    one = variants[0]
    assert build(one, by_name(one.label_set)) == build(one, by_name(one.label_set))


def test_cell_text_variants_print_the_labelled_value():
    import random

    rng = random.Random(1)
    assert cell_text("proactive.fees.amount_10k_yuan", 96171.6, CellStyle(thousands=True), rng) == "96,171.6"
    assert cell_text("proactive.fees.change", -15, CellStyle(signed=True), random.Random(0)) in (
        "-15", "减少15", "－15")
    assert cell_text("proactive.procurement.amount", 251000, CellStyle(units=1.0), rng) == "25.1万元"
    assert cell_text("applications.granted.total", 5, CellStyle(units=1.0), rng) == "5件"
    assert cell_text("applications.granted.total", None, CellStyle(null_marker="—"), rng) == "—"
    assert cell_text("applications.granted.total", 0, CellStyle(null_marker="/"), rng) == "0"


@pytest.mark.parametrize("layout", sorted(LAYOUT_SETS))
@pytest.mark.parametrize("style", [
    CellStyle(),
    CellStyle(null_marker="/", units=0.6, thousands=True, signed=True),
    CellStyle(null_marker="—", notes=0.3),
    CellStyle(null_marker="无", units=1.0),
], ids=["plain", "units-thousands-signed", "notes", "none-word"])
def test_generated_word_file_reads_every_cell_right(layout: str, style: CellStyle):
    """The .docx itself (no LibreOffice needed): every layout and every cell
    text variant is read exactly."""
    labels = by_name(LAYOUT_SETS[layout])
    variant = Variant(id="t", family="test", label_set=labels.name, seed=3, cells=style, red_head=True,
                      cover=True, seal=True, page_numbers=True, running_header=True)
    doc = extract_bytes(build(variant, labels), Path("report.docx"))
    result = score(doc, {"cells": labels.cells})
    assert (result.right, result.silent) == (result.cells, 0), result.wrong_cells
    assert doc["report"]["template"] == layout
    assert doc["report"]["agency"] == labels.agency and doc["report"]["year"] == labels.year


def test_borders_and_page_setup_do_not_change_the_word_file_s_cells():
    labels = by_name("kiro/006")  # blank legal-person columns
    base = Variant(id="t", family="test", label_set=labels.name, seed=5)
    for variant in (replace(base, borders="none", shading=False), replace(base, borders="frame", landscape=True),
                    replace(base, page_mm=(148.0, 210.0), margins_mm=(10.0, 10.0, 10.0, 10.0))):
        doc = extract_bytes(build(variant, labels), Path("report.docx"))
        assert score(doc, {"cells": labels.cells}).right == 200


# -- the committed sample (LibreOffice's conversions) ----------------------------------


def _sample_files() -> list[tuple[str, Path]]:
    out = []
    for ident, formats in SAMPLE_IDS.items():
        out += [(ident, SAMPLES / f"{ident}.{fmt}") for fmt in formats]
    return out


@pytest.mark.parametrize(("ident", "path"), _sample_files(), ids=[p.name for _, p in _sample_files()])
def test_committed_sample_is_read_right_or_flagged_never_silent(ident: str, path: Path):
    if path.suffix == ".doc" and not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("the .doc path converts with LibreOffice, which is not installed")
    truth = json.loads(truth_path(ident).read_text(encoding="utf-8"))
    doc = extract_file(path)
    result = score(doc, truth)
    assert result.silent == 0, result.silent_cells
    assert result.right == result.cells, result.wrong_cells


# -- a table printed without ruling lines ------------------------------------------------


def test_table_without_ruling_lines_is_one_grid_row_per_table_row():
    """No ruling lines at all (the generator's borders_none): table 三's grid
    is rebuilt from text positions, one row per table row: wrapped labels
    joined, the group labels beside their rows, the 总计 cell set at the top
    of a three-line row joined to the values centred in it."""
    path = SAMPLES / "borders_none-00.pdf"
    grid = next(b for b in read_document(path, path.read_bytes()).blocks
                if isinstance(b, Grid) and any("予以公开" in c.text for row in b.rows for c in row))
    rows = {row[2].text or row[1].text or row[0].text: [c.text for c in row[3:]] for row in grid.rows}
    assert rows["(二)部分公开(区分处理的,只计这一情形,不计其他情形)"] == ["8", "1", "0", "0", "0", "0", "9"]
    other = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    assert rows[other] == ["2", "0", "0", "0", "0", "0", "2"]
    assert rows["1.本机关不掌握相关政府信息"] == ["37", "0", "0", "0", "0", "0", "37"]
    result = score(extract_file(path), json.loads(truth_path("borders_none-00").read_text(encoding="utf-8")))
    assert result.right == result.cells == 200


def _unruled_table(rows: list[tuple[str, list[str]]], pitch: float = 12.0, gap: float = 18.0,
                   column: float = 24.0, header: bool = True) -> bytes:
    return build_pdf([_unruled_page(rows, pitch, gap, column, header)])


def _unruled_page(rows: list[tuple[str, list[str]]], pitch: float = 12.0, gap: float = 18.0,
                  column: float = 24.0, header: bool = True, heading: bool = True) -> Page:
    """Synthetic: table 三's header and rows printed with no ruling lines (8
    pt characters; "/" between the lines of a cell: a value "300/1" is a
    number its narrow cell wrapped over two lines; "^" before a value sets
    it at the top of its row; "|" between a group label and the row label
    beside it). Each row is as tall as its tallest cell, its
    cells centred in it; rows `gap` points apart, lines `pitch`."""
    page = Page()
    if heading:
        page.text(72, 60, "三、收到和处理政府信息公开申请情况", 12)
    xs = [236 + column * i for i in range(7)]  # the value columns' centres
    for x, word in zip(xs, ["自然人", "商业", "科研", "社会", "法律", "其他", "总计"] if header else [], strict=False):
        page.text(x - 4 * len(word), 90, word, 8)
    top = 110.0
    for label, values in rows:
        lines = max(len(v.split("/")) for v in [*label.split("|"), *values])
        height = lines * pitch
        for x, cell in zip((72, 130), label.split("|"), strict=False):
            for i, piece in enumerate(cell.split("/")):
                page.text(x, top + (height - len(cell.split("/")) * pitch) / 2 + i * pitch, piece, 8)
        for x, value in zip(xs, values, strict=True):
            pieces = value.lstrip("^").split("/")
            for i, piece in enumerate(pieces):
                y = top + i * pitch if value.startswith("^") else top + (height - len(pieces) * pitch) / 2 + i * pitch
                # Chinese text is one run, a full em a glyph; else half an em.
                em = 1.0 if any(ch >= "\u2e80" for ch in piece) else 0.55
                page.text(x - em * 8 * len(piece) / 2, y, piece, 8)
        top += height + gap
    if heading:
        page.text(72, top + 20, "四、政府信息公开行政复议、行政诉讼情况", 12)
    return page


def test_synthetic_number_wrapped_in_a_narrow_unruled_cell_is_one_number():
    """No ruling lines, columns too narrow for four digits: 3001 printed
    "300" over "1" (centred on the row, the row's other values between
    them), the next row's values close below; one number, the rows apart."""
    data = _unruled_table([
        ("一、本年新收政府信息公开申请数量", ["300/1", "53", "0", "0", "61", "4", "311/9"]),
        ("二、上年结转政府信息公开申请数量", ["34", "0", "0", "0", "0", "0", "34"]),
        ("(一)予以公开", ["128/8", "21", "0", "0", "50", "3", "136/2"]),
        ("(二)部分公开", ["447", "7", "0", "0", "0", "0", "454"]),
    ], gap=4.0)
    assert [row[1:] for row in _grid_texts(data)] == [
        ["3001", "53", "0", "0", "61", "4", "3119"], ["34", "0", "0", "0", "0", "0", "34"],
        ["1288", "21", "0", "0", "50", "3", "1362"], ["447", "7", "0", "0", "0", "0", "454"]]


def test_synthetic_values_of_narrow_unruled_columns_set_close_are_apart():
    """No ruling lines, columns 16 pt apart: 7100 fills its cell and the 3 of
    the next column stands closer to it than the word gap (Chromium prints
    narrow columns so). The columns (header words, other rows) part them,
    not the gap: "71003" would be a wrong number."""
    data = _unruled_table([
        ("一、本年新收政府信息公开申请数量", ["7100", "3", "0", "0", "0", "0", "7103"]),
        ("二、上年结转政府信息公开申请数量", ["1", "0", "0", "0", "0", "0", "1"]),
        ("(一)予以公开", ["21", "0", "0", "0", "0", "0", "21"]),
    ], column=16.0)
    assert [row[-7:] for row in _grid_texts(data)] == [
        ["7100", "3", "0", "0", "0", "0", "7103"], ["1", "0", "0", "0", "0", "0", "1"],
        ["21", "0", "0", "0", "0", "0", "21"]]
    assert _cells(extract_bytes(data, Path("synthetic.pdf")), "new_received") == [7100, 3, 0, 0, 0, 0, 7103]


def test_synthetic_unruled_rows_close_together_are_not_one_wrapped_number():
    """Rows one line apart: a row of values right under a row whose numbers
    fill their cells is a row of its own when its label starts there (the
    next row's total set at the top of its two-line label, its other values
    centred)."""
    data = _unruled_table([
        ("一、本年新收政府信息公开申请数量", ["300", "53", "0", "0", "61", "4", "311"]),
        ("二、上年结转政府信息公开申请数量", ["1", "", "", "", "", "", "9"]),
        ("(一)予以公开", ["128", "21", "0", "0", "50", "3", "136"]),
        ("(二)部分公开(区分处理的,只计/这一情形,不计其他情形)", ["8", "1", "0", "0", "0", "0", "^9"]),
        ("(三)|1.属于国家秘密", ["8", "", "", "", "", "", "2"]),
        ("|2.其他法律禁止公开", ["1", "0", "0", "0", "0", "0", "1"]),
    ], gap=0.0)
    assert [row[-7:] for row in _grid_texts(data)] == [
        ["300", "53", "0", "0", "61", "4", "311"], ["1", "", "", "", "", "", "9"],
        ["128", "21", "0", "0", "50", "3", "136"], ["8", "1", "0", "0", "0", "0", "9"],
        ["8", "", "", "", "", "", "2"], ["1", "0", "0", "0", "0", "0", "1"]]


def test_synthetic_unruled_label_line_touching_the_first_value_parts_from_it():
    """No ruling lines, a narrow label column set close to the values: the
    middle line of a wrapped row label ends where the row's first value
    starts (Chromium's borderless print of 016: "确认或重新出具" touching
    its "0", one word). The digits in the value column the row's other
    values leave empty are its value; the rest is the label's line."""
    rows = [
        ("一、本年新收政府信息公开申请数量", ["3", "0", "0", "0", "0", "0", "3"]),
        ("二、上年结转政府信息公开申请数量", ["1", "0", "0", "0", "0", "0", "1"]),
        ("(一)予以公开", ["2", "0", "0", "0", "0", "0", "2"]),
        # 13 characters from x=130 end at 234; the "0" centred at 236 starts at 233.8.
        ("|5.要求/行政机关确认或重新出具已获/取信息", ["0", "0", "0", "0", "0", "0", "0"]),
        ("|6.不是《条例》所/指政府信息", ["0", "0", "0", "0", "0", "0", "0"]),
    ]
    data = _unruled_table(rows, gap=4.0)
    row = next(row for row in _grid_texts(data) if "行政机关确认或重新出具已获" in "".join(row[:-7]))
    assert row[-7:] == ["0"] * 7
    doc = extract_bytes(data, Path("synthetic.pdf"))
    assert _cells(doc, "rejected_confirmation") == [0] * 7
    # A label printing a number of its own, touching a full row of values,
    # keeps it: the digits stand left of the first value column.
    rows[3] = ("|5.要求/行政机关确认或重新出具2/取信息", ["0", "0", "0", "0", "0", "0", "0"])
    row = next(row for row in _grid_texts(_unruled_table(rows, gap=4.0)) if "重新出具" in "".join(row[:-7]))
    assert "重新出具2" in "".join(row[:-7]) and row[-7:] == ["0"] * 7


def test_synthetic_unruled_rows_printed_blank_do_not_end_the_table():
    """No ruling lines, most cells blank (the 2019 layout's sparse table 三):
    rows printed blank between rows of values go on with the table (its
    columns those of the header, not the few the values below fill), and a
    row label with a blank label column after it spans it, so that the
    row's blank total is not taken for a shift of its values."""
    data = _unruled_table([
        ("一、本年新收政府信息公开申请数量", ["821", "35", "", "", "2", "1", "859"]),
        ("二、上年结转政府信息公开申请数量", ["18", "", "", "", "", "", "18"]),
        ("(一)予以公开", ["258", "12", "", "", "1", "1", ""]),
        ("(三)|1.属于国家秘密", ["14", "", "", "", "", "", ""]),
        ("|2.其他法律禁止公开", [""] * 7),
        ("|3.危及三安全一稳定", [""] * 7),
        ("|4.保护第三方权益", [""] * 7),
        ("|5.属于内部事务", ["5", "", "", "", "1", "", ""]),
        ("|6.属于过程性信息", ["3", "1", "", "", "", "", ""]),
    ], gap=4.0)
    rows = _grid_texts(data)
    assert [row[:2] for row in rows[2:4]] == [["(一)予以公开", "(一)予以公开"], ["(三)", "1.属于国家秘密"]]
    assert [row[2:] for row in rows[-2:]] == [["5", "", "", "", "1", "", ""], ["3", "1", "", "", "", "", ""]]
    doc = extract_bytes(data, Path("synthetic.pdf"))
    assert _cells(doc, "granted") == [258, 12, None, None, 1, 1, None]
    assert _cells(doc, "denied_internal_affairs") == [5, None, None, None, 1, None, None]


def test_synthetic_unruled_rows_under_no_header_keep_their_blank_columns():
    """Table 三's rows at the top of a page, its header left on the page
    before, two of its columns blank in every row: the values' columns,
    evenly spaced, put the blank ones where a gap is twice the spacing."""
    data = _unruled_table([
        ("一、本年新收政府信息公开申请数量", ["821", "35", "", "", "2", "1", "859"]),
        ("二、上年结转政府信息公开申请数量", ["18", "", "", "", "", "", "18"]),
        ("(一)予以公开", ["258", "12", "", "", "1", "1", "272"]),
    ], header=False)
    assert [row[-7:] for row in _grid_texts(data)] == [
        ["821", "35", "", "", "2", "1", "859"], ["18", "", "", "", "", "", "18"],
        ["258", "12", "", "", "1", "1", "272"]]


def test_synthetic_unruled_table_over_a_page_break_keeps_the_columns_above():
    """No ruling lines, table 三 going on on the next page under no header,
    its rows there filling only the first and last columns: they keep the
    columns of the part above (the values alone cannot place them), though
    a label line the table did not take stands under its last row."""
    first = _unruled_page([
        ("一、本年新收政府信息公开申请数量", ["26", "1", "0", "0", "0", "0", "27"]),
        ("二、上年结转政府信息公开申请数量", ["0", "0", "0", "0", "0", "0", "0"]),
    ], heading=False)
    first.text(72, 60, "三、收到和处理政府信息公开申请情况", 12)
    first.text(72, 170, "政府信息公开申请", 8)  # the rest of a label, under the last row
    second = _unruled_page([
        ("3.补正后申请内容仍不明确", ["0", "", "", "", "", "", "0"]),
        ("1.信访举报投诉类申请", ["2", "", "", "", "", "", "2"]),
    ], header=False, heading=False)
    second.text(72, 200, "四、政府信息公开行政复议、行政诉讼情况", 12)
    data = build_pdf([first, second])
    grids = [b for b in read_document(Path("synthetic.pdf"), data).blocks if isinstance(b, Grid)]
    assert [[c.text for c in row][-7:] for grid in grids for row in grid.rows] == [
        ["26", "1", "0", "0", "0", "0", "27"], ["0", "0", "0", "0", "0", "0", "0"],
        ["0", "", "", "", "", "", "0"], ["2", "", "", "", "", "", "2"]]


def _page_end_blank_rows(below: str | None) -> bytes:
    """Synthetic: table 三 with no ruling lines broken by a page: the page
    ends with rows printed blank, the first one's label wrapped over two
    lines (2.其他法律行政法规 / 禁止公开), and `below` (a line of running
    text) under them, or nothing; the next page starts with 4. printed
    blank, then rows of values."""
    first = _unruled_page([
        ("一、本年新收政府信息公开申请数量", ["821", "35", "", "", "2", "1", "859"]),
        ("二、上年结转政府信息公开申请数量", ["18", "", "", "", "", "", "18"]),
        ("(一)予以公开", ["258", "12", "", "", "1", "1", "272"]),
        ("(三)|1.属于国家秘密", ["14", "", "", "", "", "", "14"]),
        ("|2.其他法律行政法规/禁止公开", [""] * 7),
        ("|3.危及三安全", [""] * 7),
    ], gap=4.0, heading=False)
    first.text(72, 60, "三、收到和处理政府信息公开申请情况", 12)
    if below is not None:
        first.text(72, 240, below, 8)
    second = _unruled_page([
        ("|4.保护第三方合法权益", [""] * 7),
        ("|5.属于三类内部事务信息", ["3", "1", "", "", "", "", "4"]),
        ("|6.属于四类过程性信息", ["5", "", "", "", "", "", "5"]),
    ], header=False, heading=False)
    return build_pdf([first, second])


def test_synthetic_unruled_rows_printed_blank_at_a_page_break_stay_rows():
    """The rows printed blank that end a page under the last row of values,
    or start one above the first (numbered on from the row next to them,
    nothing but labels beyond them on the page), are the table's rows: 2.
    is found, its wrapped label joined, though no value places it, and 4.
    is the next page's first row. Running text under them leaves them to
    the text's reading (a heading or a paragraph after a table is not a
    row)."""
    data = _page_end_blank_rows(None)
    labels = [row[-8] for row in _grid_texts(data)]
    assert labels[-2:] == ["2.其他法律行政法规禁止公开", "3.危及三安全"]
    grids = [b for b in read_document(Path("synthetic.pdf"), data).blocks if isinstance(b, Grid)]
    assert [row[-8].text for row in grids[-1].rows][:2] == ["4.保护第三方合法权益", "5.属于三类内部事务信息"]
    doc = extract_bytes(data, Path("synthetic.pdf"))
    assert _cells(doc, "denied_prohibited_by_law") == [None] * 7
    assert _cells(doc, "denied_third_party") == [None] * 7
    assert _cells(doc, "denied_process_info") == [5, None, None, None, None, None, 5]
    assert not [w for w in doc["warnings"] if w["code"] == "cells_vanished"]
    # (Found, printed blank: before, the row was missing from the table.)
    assert {c["raw"] for c in doc["tables"]["applications"]["rows"]["denied_prohibited_by_law"].values()} == {""}
    # A paragraph under them: the table ends at its last row of values.
    note = "注:以上数据统计时间为2024年1月1日至2024年12月31日,单位为件。"
    labels = [row[-8] for row in _grid_texts(_page_end_blank_rows(note))]
    assert labels[-1] == "1.属于国家秘密"


def test_synthetic_unruled_group_label_between_the_row_labels_lines_is_a_column_of_its_own():
    """No ruling lines: the group label (六)其他处理 wrapped two characters a
    line, its lines centred half a line off the row labels' lines (never
    side by side with them), each row's total set at the top and its other
    values centred. The group label is a column of its own, so each row's
    label is one block and its two heights of values one row; read as one
    label column, the pieces split the rows and the values were read off
    the text in the wrong columns."""
    data = _unruled_table([
        ("一、本年新收政府信息公开申请数量", ["3", "0", "0", "0", "0", "0", "3"]),
        ("二、上年结转政府信息公开申请数量", ["0", "0", "0", "0", "0", "0", "0"]),
        ("(六/)其/他处|1.申请人无正当理由逾/期不补正、行政机关不/再处理其政府信息公开/申请",
         ["2", "0", "0", "0", "0", "0", "^2"]),
        ("理|2.申请人逾期未按收/费通知要求缴纳费用/、行政机关不再处理/其政府信息公开申请",
         ["0", "1", "0", "0", "0", "0", "^1"]),
        ("|3.其他", ["1", "0", "0", "0", "0", "0", "1"]),
    ], gap=4.0)
    doc = extract_bytes(data, Path("synthetic.pdf"))
    assert _cells(doc, "other_no_correction") == [2, 0, 0, 0, 0, 0, 2]
    assert _cells(doc, "other_no_fee") == [0, 1, 0, 0, 0, 0, 1]
    assert _cells(doc, "other_other") == [1, 0, 0, 0, 0, 0, 1]


def test_synthetic_unruled_labels_wrapped_with_wide_line_spacing_are_one_label():
    """No ruling lines, a wide line spacing (a browser's print): a label's
    lines stand more than a character height apart, yet closer than the
    rows; the values set at the top of each row."""
    top = ["^" + v for v in ("0", "0", "0", "0", "0", "0", "0")]
    data = _unruled_table([
        ("1.属于国家秘密", top),
        ("2.其他法律行/政法规禁止公开", top),
        ("3.危及三安全一/稳定", top),
    ], pitch=20.0, gap=16.0)
    assert [row[0] for row in _grid_texts(data)] == [
        "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及三安全一稳定"]


@pytest.mark.parametrize("cut", [False, True], ids=["whole-header", "header-cut-by-the-page-break"])
def test_synthetic_unruled_table_four_keeps_its_blank_columns(cut: bool):
    """Table 四 with no ruling lines, its header printed a few characters a
    line (narrow columns), the last five cells blank: fifteen cells, the
    header going on past the values at the columns' spacing. With the header
    cut by the page break (only the last line of the litigation columns'
    headers above the values), the evenly spaced columns put the blank ones
    where a gap is a multiple of the spacing."""
    page = Page()
    page.text(72, 60, "四、政府信息公开行政复议、行政诉讼情况", 12)
    page.text(120, 90, "行政复议", 9)
    page.text(330, 90, "行政诉讼", 9)
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
    values = ["5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", ""]
    for i, (head, value) in enumerate(zip(heads, values, strict=True)):
        x = 90 + 27 * i
        for j in range(0, len(head), 2):  # two characters a line (pdfium may drop a lone one)
            if not cut or (i >= 5 and j == 2):
                page.text(x, 110 + 5 * j, head[j:j + 2], 9)
        if value:  # centred under its header
            page.text(x + 9 - 0.55 * 9 * len(value) / 2, 160, value, 9)
    page.text(72, 200, "五、存在的主要问题及改进情况", 12)
    # (Cut, the last column, blank, has no header line here: nothing places it.)
    assert _grid_texts(build_pdf([page])) == [values[:14] if cut else values]


def test_synthetic_notes_wrapped_in_narrow_unruled_cells_stay_with_their_numbers():
    """No ruling lines, narrow columns: a number's note wrapped over the
    lines below (0（含 / 转办6 / 件）, centred on the row), a note starting
    on the line under its number in a cell set at the top of its row, a
    number cut inside its digit groups (3,11 / 9（注 / 1）): each one cell of
    its row, not lines of their own."""
    data = _unruled_table([
        ("一、本年新收政府信息公开申请数量", ["3,11/9(注/1)", "53", "0", "0", "61", "4", "3,18/8"]),
        ("二、上年结转政府信息公开申请数量", ["34", "0", "0(含/转办6/件)", "0", "0", "0", "34"]),
        ("(一)予以公开", ["^21/(含/转办9/件)", "0", "0", "0", "0", "0", "21"]),
        ("(二)部分公开", ["7", "0", "0", "0", "0", "0", "7"]),
    ], gap=4.0, column=30.0)
    assert [row[1:] for row in _grid_texts(data)] == [
        ["3,119(注1)", "53", "0", "0", "61", "4", "3,188"], ["34", "0", "0(含转办6件)", "0", "0", "0", "34"],
        ["21(含转办9件)", "0", "0", "0", "0", "0", "21"], ["7", "0", "0", "0", "0", "0", "7"]]
    doc = extract_bytes(data, Path("synthetic.pdf"))
    assert _cells(doc, "new_received") == [3119, 53, 0, 0, 61, 4, 3188]
    assert _cells(doc, "carried_over") == [34, 0, 0, 0, 0, 0, 34]
    assert _cells(doc, "granted") == [21, 0, 0, 0, 0, 0, 21]


def test_synthetic_unruled_cells_set_at_the_top_of_a_row_a_note_makes_tall():
    """No ruling lines: a row made three or four lines tall by a wrapped
    note, its total (and the note) set at the top of the row, the label and
    the other values centred: the cells at the top are the row's, within the
    height of its note, though not of its label."""
    data = _unruled_table([
        ("一、本年新收政府信息公开申请数量", ["3", "0", "0", "0", "0", "0", "3"]),
        ("二、上年结转政府信息公开申请数量", ["34", "0", "0", "0(含/转办6/件)", "0", "0", "^34"]),
        ("(一)予以公开", ["108", "2", "0", "0", "0", "^0(含/自然/失效1/件)", "^110"]),
        ("(二)部分公开", ["7", "0", "0", "0", "0", "0", "7"]),
    ], gap=4.0, column=30.0)
    doc = extract_bytes(data, Path("synthetic.pdf"))
    assert _cells(doc, "carried_over") == [34, 0, 0, 0, 0, 0, 34]
    assert _cells(doc, "granted") == [108, 2, 0, 0, 0, 0, 110]


def test_synthetic_notes_of_neighbouring_narrow_unruled_cells_are_two_values():
    """No ruling lines: two notes side by side in narrow cells, their first
    lines ("0(注" "0(注") less than a word gap apart: a number after other
    text starts a word after half a character's gap, and a line of values
    whose notes fill their cells is still a row."""
    data = _unruled_table([
        ("一、本年新收政府信息公开申请数量", ["3", "0", "0", "0", "0", "0", "3"]),
        ("二、上年结转政府信息公开申请数量", ["1", "0", "0(注/3)", "0(注/5)", "0", "0", "1"]),
        ("(一)予以公开", ["2", "0", "0", "0", "0", "0", "2"]),
    ], gap=4.0, column=30.0)
    assert _grid_texts(data)[1][1:] == ["1", "0", "0(注3)", "0(注5)", "0", "0", "1"]
    assert _cells(extract_bytes(data, Path("synthetic.pdf")), "carried_over") == [1, 0, 0, 0, 0, 0, 1]


def test_synthetic_unruled_group_label_a_few_characters_a_line_labels_no_row():
    """No ruling lines: the group label 三、本年度办理结果 printed a few
    characters a line (三、本 / 年度办 / 理结果), its first line beside the
    cells set at the top of a row a note makes tall: a group label, not the
    label of a row of those cells."""
    page = _unruled_page([
        ("一、本年新收政府信息公开申请数量", ["21", "0", "0", "0", "0", "0", "21"]),
        ("|(一)予以公开", ["21", "0", "0", "0", "0", "^0(其/中修/订6/件)", "^21"]),
        ("|(二)部分公开", ["0", "0", "0", "0", "0", "0", "0"]),
    ], gap=4.0, column=30.0)
    for i, piece in enumerate(["三、本", "年度办", "理结果"]):
        page.text(72, 126 + 18 * i, piece, 8)
    data = build_pdf([page])
    assert [row[2:] for row in _grid_texts(data)][1] == ["21", "0", "0", "0", "0", "0(其中修订6件)", "21"]
    assert _cells(extract_bytes(data, Path("synthetic.pdf")), "granted") == [21, 0, 0, 0, 0, 0, 21]


def test_synthetic_unruled_table_with_a_blank_column_keeps_its_row_labels():
    """Table 二 with no ruling lines, its middle column blank: the header of
    the label column (信息内容, over the labels) is not a value column,
    though it stands within half the (wide) spacing of the values."""
    page = Page()
    page.text(72, 60, "二、主动公开政府信息情况", 12)
    page.text(72, 90, "第二十条第（一）项", 9)
    for x, word in ((124, "信息内容"), (219, "本年制发件数"), (323, "本年废止件数"), (426, "现行有效件数")):
        page.text(x, 107, word, 9)
    for top, label, x in ((124, "规章", 133), (141, "行政规范性文件", 110)):
        page.text(x, top, label, 9)
        page.text(240, top, "22" if top == 124 else "34", 9)
        page.text(445, top, "235" if top == 124 else "189", 9)
    page.text(72, 170, "第二十条第（五）项", 9)
    assert _grid_texts(build_pdf([page])) == [["规章", "22", "", "235"], ["行政规范性文件", "34", "", "189"]]


# -- a row cut in two by a page break -----------------------------------------------------


def _cells(doc: dict, row: str) -> list:
    return [cell["value"] for cell in doc["tables"]["applications"]["rows"][row].values()]


def test_row_label_cut_by_the_page_break_is_joined():
    """LibreOffice lets a row break across pages: the last line of
    2.其他法律行政法规禁止公开 opens the next page, with the row's values."""
    doc = extract_file(SAMPLES / "red_head-07.pdf")
    grid = next(b for b in read_document(SAMPLES / "red_head-07.pdf", (SAMPLES / "red_head-07.pdf").read_bytes()
                                          ).blocks if isinstance(b, Grid) and len(b.pages) > 1 and len(b.rows) > 20)
    labels = [row[2].text for row in grid.rows]
    assert "2.其他法律行政法规禁止公开" in labels and "开" not in labels
    assert doc["tables"]["applications"]["status"] == "complete"


def test_number_cut_by_the_page_break_is_one_number():
    doc = extract_file(SAMPLES / "cell_notes-04.pdf")
    assert doc["tables"]["applications"]["rows"]["new_received"]["total"]["value"] == 154


def test_note_cut_by_the_page_break_stays_with_its_number():
    doc = extract_file(SAMPLES / "cell_notes-00.pdf")
    cell = doc["tables"]["applications"]["rows"]["carried_forward"]["legal_service_org"]
    assert cell["value"] == 0 and cell["raw"].startswith("0") and cell["raw"].endswith("件)")


def test_several_cells_cut_by_the_page_break_in_one_row_are_joined():
    """Table 四's one row, five of its notes wrapped over the break."""
    doc = extract_file(SAMPLES / "cell_notes-08.pdf")
    rows = doc["tables"]["review_litigation"]["rows"]
    assert [c["value"] for c in rows["review"].values()] == [1, 1, 0, 0, 2]
    assert rows["review"]["upheld"]["raw"] == "1 (另有1件延期)"
    assert [c["value"] for c in rows["litigation_direct"].values()] == [4, 0, 0, 1, 5]


def _two_page_table(last_row: list[str], first_row: list[str], label_right: float = 232) -> bytes:
    """Synthetic: table 三's rows 一 and 二 in a ruled grid ending page 1 with
    last_row, continued on page 2 with first_row (8 pt characters, the label
    column ending at label_right)."""
    xs = [72, label_right, *(label_right + 30 * i for i in range(1, 8))]
    first, second = Page(), Page()
    first.text(120, 80, "示例县2023年政府信息公开工作年度报告", 16)
    first.text(72, 700, "三、收到和处理政府信息公开申请情况", 12)
    first.grid(xs, [740, 760, 780])
    for x, word in zip(xs, ["一、本年新收政府信息公开申请数量", "3", "0", "0", "0", "0", "0", "3"], strict=False):
        first.text(x + 3, 744, word, 6 if len(word) > 1 else 8)
    for x, word in zip(xs, last_row, strict=False):
        if word:
            first.text(x + 3, 764, word, 8)
    second.grid(xs, [60, 80, 100])
    for x, word in zip(xs, first_row, strict=False):
        if word:
            second.text(x + 3, 64, word, 8)
    for x, word in zip(xs, ["(一)予以公开", "1", "0", "0", "0", "0", "0", "1"], strict=False):
        second.text(x + 3, 84, word, 8)
    second.text(72, 140, "四、政府信息公开行政复议、行政诉讼情况", 12)
    return build_pdf([first, second])


def _grid_texts(data: bytes) -> list[list[str]]:
    grid = next(b for b in read_document(Path("synthetic.pdf"), data).blocks if isinstance(b, Grid))
    return [[c.text for c in row] for row in grid.rows]


def test_synthetic_row_cut_by_the_page_break_is_joined():
    # 13 characters fill the label cell: the label goes on on the next page.
    data = _two_page_table(["二、上年结转政府信息公开申", "", "", "", "", "", "", ""],
                           ["请数量", "1", "0", "0", "0", "0", "0", "1"], label_right=75 + 13 * 8 + 4)
    assert _grid_texts(data) == [["一、本年新收政府信息公开申请数量", "3", "0", "0", "0", "0", "0", "3"],
                                 ["二、上年结转政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"],
                                 ["(一)予以公开", "1", "0", "0", "0", "0", "0", "1"]]
    assert _cells(extract_bytes(data, Path("synthetic.pdf")), "carried_over") == [1, 0, 0, 0, 0, 0, 1]


def test_synthetic_rows_on_both_sides_of_a_page_break_stay_apart():
    """Two whole rows, one each side of the break (their cells all filled on
    both sides, or the second starting with its numbering), are not joined."""
    whole = ["二、上年结转政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"]
    data = _two_page_table(whole, ["(一)予以公开", "2", "0", "0", "0", "0", "0", "2"])
    assert len(_grid_texts(data)) == 4
    blank = ["二、上年结转政府信息公开申请数量", "", "", "", "", "", "", ""]
    data = _two_page_table(blank, ["(一)予以公开", "2", "0", "0", "0", "0", "0", "2"])
    assert [row[0] for row in _grid_texts(data)] == [
        "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "(一)予以公开", "(一)予以公开"]


def test_synthetic_row_of_blank_cells_after_a_page_break_stays_a_row():
    """A row printed blank (its values null) at the top of the next page,
    under a whole row whose label ends short of its cell's edge: two rows,
    not one label 规章行政规范性文件 (the matrix's first try joined them)."""
    data = _two_page_table(["规章", "0", "0", "0", "0", "0", "0", "0"], ["行政规范性文件", "", "", "", "", "", "", ""])
    assert [row[0] for row in _grid_texts(data)][1:3] == ["规章", "行政规范性文件"]
    # The tail of a label that fills its cell is joined, values or not.
    data = _two_page_table(["二、上年结转政府信息公开申", "", "", "", "", "", "", ""],
                           ["请数量", "", "", "", "", "", "", ""], label_right=75 + 13 * 8 + 4)
    assert [row[0] for row in _grid_texts(data)][1] == "二、上年结转政府信息公开申请数量"
