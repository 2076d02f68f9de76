"""PDF reports: the real PDFs of the corpus read cell by cell, and bad PDFs
(scanned, damaged, encrypted) refused with one clear line.

Values asserted here are the ones printed in the real files (and recorded in
their labels); the small PDFs built with `pdfgen` are synthetic and say so.
"""

from __future__ import annotations

import ctypes
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from conftest import CORPUS, extract
from pdfgen import Page, build, sideways, tilted

from extractor.errors import ExtractError
from extractor.model import Grid, Paragraph
from extractor.pipeline import extract_bytes
from extractor.readers import read_document
from extractor.readers.pdf.parse import PageView, read_page

HUAIAN = CORPUS / "github" / "001_huaian_city_2024.pdf"
HZQ_2023 = CORPUS / "kiro" / "001_hzq2023_working.pdf"
HZQ_2024 = CORPUS / "kiro" / "002_hzq2024_working.pdf"
LIBREOFFICE = CORPUS / "synthetic" / "sample_report_2021_template.libreoffice.pdf"
CHROMIUM = CORPUS / "synthetic" / "sample_report_2021_template.chromium.pdf"


def values(doc: dict, table: str, row: str) -> list:
    return [cell["value"] for cell in doc["tables"][table]["rows"][row].values()]


def read(path: Path):
    return read_document(path, path.read_bytes())


def grid_rows(doc) -> list[tuple[int | None, list[str]]]:
    """Every grid row as (page, distinct cell texts), merged copies once."""
    out = []
    for block in doc.blocks:
        if isinstance(block, Grid):
            for r, row in enumerate(block.rows):
                texts = []
                for i, cell in enumerate(row):
                    if i == 0 or cell.origin != row[i - 1].origin:
                        texts.append(cell.text)
                out.append((block.page_of(r), texts))
    return out


# -- real reports --------------------------------------------------------------


def test_huaian_table_three_is_one_table_over_pages_four_and_five():
    doc = extract(HUAIAN)
    apps = doc["tables"]["applications"]
    assert doc["source"]["format"] == "pdf"
    assert apps["pages"] == [4, 5] and apps["status"] == "complete"
    assert doc["tables"]["proactive"]["pages"] == [3, 4]
    assert doc["tables"]["review_litigation"]["pages"] == [5]
    # The page break falls inside （四）无法提供: row 1 on page 4, rows 2-3 on page 5.
    assert values(doc, "applications", "unable_not_held") == [746, 12, 0, 0, 10, 1, 769]
    assert values(doc, "applications", "unable_needs_creation") == [11, 0, 0, 0, 0, 0, 11]
    assert values(doc, "applications", "total_processed") == [2932, 53, 0, 0, 61, 4, 3050]
    assert values(doc, "review_litigation", "review") == [72, 64, 178, 37, 351]
    assert doc["tables"]["proactive"]["rows"]["fees"]["amount_10k_yuan"]["value"] == 96171.6
    assert doc["fees"]["information_processing_fee_yuan"] == 3940
    assert all(check["ok"] for check in doc["checks"]) and doc["valid"] is True


def test_huaian_vertical_label_wrapped_labels_and_page_numbers():
    doc = read(HUAIAN)
    rows = grid_rows(doc)
    texts = [t for _, row in rows for t in row]
    # Printed one character per line, read as one label, never as rows.
    assert "三、本年度办理结果" in texts
    # A label wrapped over three lines of its cell.
    assert ["(六)其他处理", "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "67", "3", "0", "0", "1", "0", "71"] in [row[1:] for _, row in rows]
    # The page numbers ("- 4 -") around the tables are dropped.
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert not any(re.fullmatch(r"-\s?\d+\s?-", p) for p in paragraphs)
    # Table 三 continues on page 5 in the same grid.
    table = next(b for b in doc.blocks if isinstance(b, Grid) and "申请人情况" in b.rows[0][3].text)
    assert table.pages == [4, 5] and len(table.rows) == 28
    assert [table.page_of(r) for r, row in enumerate(table.rows) if row[2].text.startswith("2.没有现成")] == [5]


def test_huaian_paragraphs_join_wrapped_lines_across_a_page_break():
    doc = extract(HUAIAN)
    overview = next(s for s in doc["sections"] if s["key"] == "overview")["text"]
    assert "进一步优化政务公开专栏设置" in overview  # one paragraph, wrapped between 专 and 栏
    # No space from Word's automatic spacing between 2024 and 年.
    assert doc["report"] == {"title": "淮安市人民政府2024年政府信息公开工作年度报告", "agency": "淮安市人民政府",
                             "year": 2024, "published": None, "template": "2021",
                             "metadata_sources": {"title": "title_line", "agency": "title", "year": "title",
                                                  "fee": "fee_sentence"}}


def test_hongze_2023_hybrid_layout_and_source_errors_kept_as_printed():
    doc = extract(HZQ_2023)
    assert doc["report"]["template"] == "hybrid"
    apps = doc["tables"]["applications"]
    assert apps["layout"] == "2019" and apps["pages"] == [3, 4]
    assert values(doc, "applications", "other") == [0] * 7  # the single （六）其他处理 row
    assert values(doc, "applications", "total_processed") == [21, 0, 0, 0, 0, 0, 21]
    # 7730.28 万元 in one cell (one PDF library reads it as "773028.").
    assert doc["tables"]["proactive"]["rows"]["fees"]["amount_10k_yuan"]["value"] == 7730.28
    # Table 四 prints totals of 0 beside 10+1 and 5: kept, and reported.
    assert values(doc, "review_litigation", "review") == [10, 1, 0, 0, 0]
    assert values(doc, "review_litigation", "litigation_after_review") == [5, 0, 0, 0, 0]
    failed = {c["id"]: c["message"] for c in doc["checks"] if not c["ok"]}
    assert set(failed) == {"review_litigation.block_total.review",
                           "review_litigation.block_total.litigation_after_review"}
    assert "11" in failed["review_litigation.block_total.review"]
    assert doc["valid"] is False
    # The source misprints the label 2.其他法律行政法规禁止公开: the row is placed
    # by position, and the output says so.
    assert any(w["code"] == "row_label_lost" and "denied_prohibited_by_law" in w["message"]
               for w in doc["warnings"])
    assert doc["fees"]["information_processing_fee_yuan"] == 0


def test_hongze_2024_reads_clean():
    doc = extract(HZQ_2024)
    assert doc["report"]["template"] == "hybrid" and doc["report"]["agency"] == "淮安市洪泽区人民政府"
    assert values(doc, "applications", "new_received") == [95, 0, 0, 0, 0, 0, 95]
    assert values(doc, "review_litigation", "litigation_after_review") == [2, 0, 1, 0, 3]
    assert doc["tables"]["proactive"]["rows"]["fees"]["amount_10k_yuan"]["value"] == 7545
    assert all(check["ok"] for check in doc["checks"])


@pytest.mark.parametrize("path", [LIBREOFFICE, CHROMIUM], ids=["libreoffice", "chromium"])
def test_synthetic_prints_split_table_three(path: Path):
    doc = extract(path)
    assert doc["tables"]["applications"]["pages"] == [1, 2]
    assert values(doc, "applications", "denied_third_party") == [6, 2, 0, 0, 0, 0, 8]
    assert values(doc, "applications", "carried_forward") == [18, 1, 0, 0, 0, 0, 19]
    assert doc["tables"]["proactive"]["rows"]["fees"]["amount_10k_yuan"]["value"] == 56.82
    assert doc["report"]["agency"] == "示例市人民政府"
    # No Kangxi or radical code points anywhere in the output's text.
    assert not re.search(r"[\u2e80-\u2fdf]", json.dumps(doc, ensure_ascii=False))


def test_chromium_continuation_row_without_top_border_is_read():
    """The Chromium print draws no top border above the first row on page 2
    (4.保护第三方合法权益): the row is closed where its vertical lines end."""
    rows = grid_rows(read(CHROMIUM))
    row = next((page, texts) for page, texts in rows if "4.保护第三方合法权益" in texts)
    assert row[0] == 2
    assert row[1][-7:] == ["6", "2", "0", "0", "0", "0", "8"]


# -- synthetic PDFs -------------------------------------------------------------


def _ruled_table_page(open_last_cell: bool = False) -> Page:
    """Synthetic: a title, table 二's first rows in a ruled grid, with the
    digits of "20" printed as two separate runs, and a label and a number
    each wrapped over two lines of their cell. With open_last_cell, the
    border between the last two rows stops short of the last column."""
    page = Page()
    page.text(120, 60, "示例县2023年政府信息公开工作年度报告", 16)
    page.text(72, 100, "二、主动公开政府信息情况", 12)
    xs = [72, 232, 312, 392, 472]
    ys = [120, 140, 160, 180, 210]
    for y in ys:
        page.line(xs[0], y, xs[-2] if open_last_cell and y == 180 else xs[-1], y)
    for x in xs:
        page.line(x, ys[0], x, ys[-1])
    page.text(75, 124, "第二十条第(一)项", 10)
    for x, word in zip(xs, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], strict=False):
        page.text(x + 3, 144, word, 10)
    page.text(75, 164, "规章", 10)
    page.text(235, 164, "2", 10)
    page.text(242, 164, "0", 10)  # a second glyph run, 1.5 pt after the "2"
    page.text(315, 164, "1", 10)
    page.text(395, 164, "15", 10)
    page.text(75, 184, "行政规范", 10)
    page.text(75, 196, "性文件", 10)
    page.text(235, 190, "18", 10)
    page.text(315, 190, "5", 10)
    page.text(395, 184, "12", 10)  # a number wrapped by a narrow cell
    page.text(395, 196, "6", 10)
    return page


def test_digits_in_separate_runs_are_one_number_and_wrapped_cells_one_cell():
    data = build([_ruled_table_page()])
    doc = read_document(Path("synthetic.pdf"), data)
    rows = grid_rows(doc)
    assert (1, ["规章", "20", "1", "15"]) in rows
    assert (1, ["行政规范性文件", "18", "5", "126"]) in rows
    out = extract_bytes(data, Path("synthetic.pdf"))
    assert values(out, "proactive", "regulations") == [20, 1, 15]
    assert values(out, "proactive", "normative_documents") == [18, 5, 126]
    assert out["tables"]["proactive"]["pages"] == [1]


def test_numbers_of_two_rows_with_no_border_between_them_stay_apart():
    """Synthetic: the border between the two rows is missing in the last
    column, so one cell holds both rows' numbers. They are not glued into
    one number (as a number wrapped in a one-row cell would be): both rows
    come out unreadable, with warnings."""
    data = build([_ruled_table_page(open_last_cell=True)])
    rows = grid_rows(read_document(Path("synthetic.pdf"), data))
    assert (1, ["规章", "20", "1", "15 12 6"]) in rows
    out = extract_bytes(data, Path("synthetic.pdf"))
    for row in ("regulations", "normative_documents"):
        assert values(out, "proactive", row) == [None, None, None]
        assert any(w["code"] == "row_unreadable" and w["where"] == f"proactive.{row}" for w in out["warnings"])


def test_diagonal_watermark_and_footnote_marks_never_join_a_number():
    """Synthetic: a diagonal watermark "2024" across the table is not read
    into its cells; a footnote mark in a small size beside a number (on its
    line, or raised above it) is not one of its digits, so the rows do not
    read as 151 or 35: they cannot be read, and the output says so."""
    page = _ruled_table_page()
    page.text(230, 175, "2024", 40, angle=35)
    page.text(407, 166, "1", 5)  # after "15", within its line
    page.text(321, 184, "3", 5)  # after "5", raised above its line
    data = build([page])
    rows = grid_rows(read_document(Path("synthetic.pdf"), data))
    assert (1, ["规章", "20", "1", "15 1"]) in rows
    assert (1, ["行政规范性文件", "18", "3 5", "126"]) in rows
    out = extract_bytes(data, Path("synthetic.pdf"))
    for row in ("regulations", "normative_documents"):
        assert values(out, "proactive", row) == [None, None, None]
        assert any(w["code"] == "row_unreadable" and w["where"] == f"proactive.{row}" for w in out["warnings"])


def test_table_without_ruling_lines_is_rebuilt_from_text_positions():
    """Synthetic: table 四 printed without any lines, its 15 values in one
    row of columns: a grid rebuilt from where the values stand."""
    page = Page()
    page.text(120, 60, "示例县2023年政府信息公开工作年度报告", 16)
    page.text(72, 100, "四、政府信息公开行政复议、行政诉讼情况", 12)
    # Headers and values centred in their columns (31 pt apart), as the
    # national form prints them.
    page.text(72 + 31 * 2.5 - 18, 130, "行政复议", 9)
    page.text(72 + 31 * 10 - 18, 130, "行政诉讼", 9)
    headers = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    for i, word in enumerate(headers * 3):
        page.text(72 + 31 * i + 15.5 - 3 * len(word), 150, word, 6)
    numbers = ["3", "1", "0", "1", "5", "12", "0", "1", "0", "13", "1", "0", "0", "1", "2"]
    for i, number in enumerate(numbers):
        page.text(72 + 31 * i + 15.5 - 2.5 * len(number), 170, number, 9)
    page.text(72, 200, "五、存在的主要问题及改进情况", 12)
    data = build([page])
    doc = read_document(Path("synthetic.pdf"), data)
    assert [texts for _, texts in grid_rows(doc)] == [numbers]
    out = extract_bytes(data, Path("synthetic.pdf"))
    assert values(out, "review_litigation", "review") == [3, 1, 0, 1, 5]
    assert values(out, "review_litigation", "litigation_direct") == [12, 0, 1, 0, 13]
    assert values(out, "review_litigation", "litigation_after_review") == [1, 0, 0, 1, 2]


def test_table_continued_under_a_running_header_is_one_grid():
    """Synthetic: table 二 split over two pages, each page with a running
    header and a page number; the header and footer are dropped and the two
    parts are one grid."""
    xs = [72, 232, 312, 392, 472]
    first, second = Page(), Page()
    for number, page in enumerate((first, second), start=1):
        page.text(200, 30, "示例县人民政府办公室", 9)
        page.text(290, 800, f"- {number} -", 9)
    first.text(120, 80, "示例县2023年政府信息公开工作年度报告", 16)
    first.text(72, 700, "二、主动公开政府信息情况", 12)
    first.grid(xs, [720, 740, 760, 780])
    first.text(75, 724, "第二十条第(一)项", 10)
    for x, word in zip(xs, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], strict=False):
        first.text(x + 3, 744, word, 10)
    for x, word in zip(xs, ["规章", "2", "1", "15"], strict=False):
        first.text(x + 3, 764, word, 10)
    second.grid(xs, [60, 80])
    for x, word in zip(xs, ["行政规范性文件", "18", "5", "126"], strict=False):
        second.text(x + 3, 64, word, 10)
    second.text(72, 120, "三、收到和处理政府信息公开申请情况", 12)
    data = build([first, second])
    doc = read_document(Path("synthetic.pdf"), data)
    grids = [b for b in doc.blocks if isinstance(b, Grid)]
    assert len(grids) == 1 and grids[0].pages == [1, 2] and grids[0].row_pages == [1, 1, 1, 2]
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert not any("办公室" in p or re.fullmatch(r"-\s?\d\s?-", p) for p in paragraphs)
    out = extract_bytes(data, Path("synthetic.pdf"))
    assert out["tables"]["proactive"]["pages"] == [1, 2]
    assert values(out, "proactive", "normative_documents") == [18, 5, 126]


def test_ruling_lines_drawn_in_a_scaled_form_xobject():
    """Synthetic: the grid is drawn inside a form XObject placed at twice its
    size; its lines land where the page shows them."""
    page = Page()
    page.text(120, 60, "示例县2023年政府信息公开工作年度报告", 16)
    page.text(72, 100, "二、主动公开政府信息情况", 12)
    # In form units: columns at 36/116/156/196/236, rows at 0/-10/-20 (y up).
    xs, ys = [36, 116, 156, 196, 236], [0, -10, -20]
    ops = [f"0.25 w {xs[0]} {y} m {xs[-1]} {y} l S" for y in ys] + [f"0.25 w {x} 0 m {x} -20 l S" for x in xs]
    page.form(f"2 0 0 2 0 {page.height - 120}", "\n".join(ops))  # form y 0 -> 120 pt from the top
    for x, word in zip([72, 232, 312, 392], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], strict=True):
        page.text(x + 3, 124, word, 10)
    for x, word in zip([72, 232, 312, 392], ["规章", "3", "0", "12"], strict=True):
        page.text(x + 3, 144, word, 10)
    data = build([page])
    rows = grid_rows(read_document(Path("synthetic.pdf"), data))
    assert rows == [(1, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]), (1, ["规章", "3", "0", "12"])]


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_rotated_pages_are_read_as_displayed(rotation: int):
    """Positions follow the page as displayed (its /Rotate applied), the way
    pdfium itself maps a page to the screen."""
    page = Page(width=400, height=600, rotate=rotation)
    pdf = pdfium.PdfDocument(build([page]))
    shown = pdf[0]  # held: pdfium frees a page whose Python object is gone
    view = PageView(shown)
    x, y = ctypes.c_int(), ctypes.c_int()
    for point in ((10, 20), (300, 500), (399, 1)):
        raw.FPDF_PageToDevice(shown.raw, 0, 0, int(view.width), int(view.height), 0, *point, x, y)
        assert tuple(round(v) for v in view.point(*point)) == (x.value, y.value)


# -- bad PDFs -------------------------------------------------------------------


def test_a_scanned_page_in_a_text_pdf_is_reported():
    """Synthetic: page 1 has text and table 二, page 2 is a scanned image
    (where tables 三 and 四 would be): read, and the output says why the
    missing tables are missing."""
    scan = Page()
    scan.scan()
    out = extract_bytes(build([_ruled_table_page(), scan]), Path("synthetic.pdf"))
    assert values(out, "proactive", "regulations") == [20, 1, 15]
    assert out["tables"]["applications"]["status"] == "missing"
    warning = next(w for w in out["warnings"] if w["code"] == "page_without_text")
    assert "page 2" in warning["message"] and "OCR" in warning["message"]


def test_text_pdfium_cannot_measure_is_reported():
    """Synthetic: a text object pdfium cannot measure (as a one-character
    object in a CJK font that is neither embedded nor installed) is left out
    of pdfium's text layer; the output says that text on the page was not
    read. The font is pdfgen's zero-width Type 3 font: with STSong-Light the
    test depended on no CJK font being installed (StopIteration where one was)."""
    page = _ruled_table_page()
    page.ops.append("BT /F3 10 Tf 480 680 Td <01> Tj ET")  # 无, in a glyph of no width
    out = extract_bytes(build([page]), Path("synthetic.pdf"))
    if not any(w["code"] == "page_text_unmeasured" for w in out["warnings"]) and _cjk_font_installed():
        pytest.skip("a CJK font is installed here (e.g. fonts-noto-cjk): pdfium substitutes it for the font the "
                    "PDF names and measures the text, so this case cannot be built on this machine")
    warning = next(w for w in out["warnings"] if w["code"] == "page_text_unmeasured")
    assert warning["message"].startswith("page 1: 1 piece of text uses a font")
    assert values(out, "proactive", "regulations") == [20, 1, 15]


def _cjk_font_installed() -> bool:
    try:
        found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return bool(found.stdout.strip())


def test_scanned_pdf_is_refused_with_a_clear_error():
    scan = Page()
    scan.scan()
    with pytest.raises(ExtractError) as err:
        read_document(Path("scan.pdf"), build([scan, scan]))
    assert err.value.code == "scanned"
    assert "OCR" in str(err.value) and "image" in str(err.value)


@pytest.mark.parametrize("data", [
    HUAIAN.read_bytes()[:200_000],  # a real report cut off in the middle
    b"%PDF-1.7\n" + b"\x00\x17garbage" * 64,
    b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
], ids=["truncated", "garbage", "no-pages"])
def test_corrupt_pdf_is_refused_with_a_clear_error(data: bytes):
    with pytest.raises(ExtractError) as err:
        read_document(Path("broken.pdf"), data)
    assert err.value.code == "pdf"


def test_encrypted_pdf_is_refused_with_a_clear_error():
    with pytest.raises(ExtractError) as err:
        read_document(Path("locked.pdf"), build([_ruled_table_page()], password="secret"))
    assert err.value.code == "encrypted"


def test_cli_says_one_line_and_exits_2_for_a_scan(tmp_path: Path):
    scan = Page()
    scan.scan()
    path = tmp_path / "scan.pdf"
    path.write_bytes(build([scan]))
    run = subprocess.run([sys.executable, "-m", "extractor", str(path)], capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "OCR" in lines[0] and "Traceback" not in run.stderr


@pytest.mark.parametrize("turn", [90, -90])
@pytest.mark.parametrize("rotate", [False, True], ids=["sideways", "turned_back"])
def test_a_table_page_printed_sideways_is_read_upright(turn: int, rotate: bool):
    """huaian with its table pages (4 and 5) turned a quarter onto landscape
    pages (synthetic, from the real file): with no /Rotate its text runs
    sideways as displayed, and it is read turned upright, as a viewer's
    rotate button shows it; with a /Rotate that already shows it upright,
    it is not turned twice. Every cell as in the file itself."""
    doc = extract_bytes(sideways(HUAIAN.read_bytes(), [3, 4], turn, rotate), HUAIAN)
    assert {name: table["status"] for name, table in doc["tables"].items()} == dict.fromkeys(
        ("proactive", "applications", "review_litigation"), "complete")
    upright = extract(HUAIAN)
    assert all(values(doc, table, row) == values(upright, table, row)
               for table in upright["tables"] for row in upright["tables"][table]["rows"])
    assert values(doc, "applications", "new_received") == [3001, 53, 0, 0, 61, 4, 3119]


# -- a page tilted by a small angle ------------------------------------------------

# The real reports and their labels (the values printed in them).
LABELLED = {"huaian": (HUAIAN, CORPUS / "github" / "labels" / "001.json"),
            "hzq2023": (HZQ_2023, CORPUS / "kiro" / "labels" / "001.json"),
            "hzq2024": (HZQ_2024, CORPUS / "kiro" / "labels" / "002.json")}


def wrong_cells(doc: dict, label: Path) -> list[str]:
    """The label's cells the extraction did not read as printed."""
    cells = json.loads(label.read_text(encoding="utf-8"))["cells"]
    wrong = []
    for key, want in cells.items():
        table, row, column = key.split(".", 2)
        got = doc["tables"][table]["rows"].get(row, {}).get(column, {}).get("value")
        if got != want:
            wrong.append(f"{key}: {got!r}, printed {want!r}")
    return wrong


@pytest.mark.parametrize("angle", [1.5, -4.5])
@pytest.mark.parametrize("scanned", [True, False], ids=["searchable_scan", "vector"])
@pytest.mark.parametrize("name", LABELLED)
def test_a_report_tilted_by_a_small_angle_is_read_straightened(name: str, scanned: bool, angle: float, monkeypatch):
    """A real report's pages turned by 1.5 or 4.5 degrees (synthetic, from the real
    file): its text layer alone over a picture of the page (a crooked page
    scanned and OCR'd, each text object's matrix turned, as Tesseract's PDF
    renderer writes them), or the vector page with its ruling lines, which
    no longer run along the axes. The page is read turned back: every table
    cell as printed (the text layer is read; no OCR needed)."""
    monkeypatch.setenv("EXTRACTOR_OCR", "never")
    path, label = LABELLED[name]
    doc = extract_bytes(tilted(path.read_bytes(), angle, image=scanned, lines=not scanned), path)
    assert wrong_cells(doc, label) == []
    assert {table["status"] for table in doc["tables"].values()} == {"complete"}
    assert not {w["code"] for w in doc["warnings"]} & {"cells_vanished", "row_unreadable", "stray_values"}


def _pages(data: bytes, index: int) -> tuple[pdfium.PdfDocument, pdfium.PdfPage]:
    pdf = pdfium.PdfDocument(data)
    return pdf, pdf[index]


def test_a_tilted_page_reads_as_the_level_page():
    """huaian's first table page (synthetic: turned by 1.5 degrees, its
    ruling lines kept) read turned back: its characters where the level
    page has them (within a twentieth of a point: pdfium gives boxes as
    floats), and its ruling lines."""
    level_pdf, level = _pages(HUAIAN.read_bytes(), 3)
    turned_pdf, turned = _pages(tilted(HUAIAN.read_bytes(), 1.5, image=False, lines=True), 3)
    try:
        want, got = read_page(level, 4), read_page(turned, 4)
        assert [c.text for c in got.chars] == [c.text for c in want.chars]
        assert max(abs(a - b) for g, w in zip(got.chars, want.chars, strict=True)
                   for a, b in zip((g.x0, g.top, g.x1, g.bottom), (w.x0, w.top, w.x1, w.bottom), strict=True)) < 0.05
        assert len(got.edges) == len(want.edges) > 20
    finally:
        level_pdf.close()
        turned_pdf.close()


def test_a_report_turned_too_far_to_be_straightened_is_refused_saying_so(monkeypatch):
    """A page turned by 20 degrees (synthetic, from the real huaian file) is
    no tilted scan: its text is left out as a watermark's is, and a PDF with
    no other text is refused saying its text is set at an angle, not that it
    has none."""
    monkeypatch.setenv("EXTRACTOR_OCR", "never")
    with pytest.raises(ExtractError, match="all set at an angle") as refused:
        extract_bytes(tilted(HUAIAN.read_bytes(), 20, image=False), HUAIAN)
    assert refused.value.code == "empty"


@pytest.mark.parametrize("angle,turned", [(0.05, lambda _: True), (1.5, lambda i: i % 2 == 0)],
                         ids=["below_the_threshold", "objects_disagree"])
def test_a_page_not_tilted_as_a_whole_is_read_as_it_is(angle: float, turned: Callable[[int], bool]):
    """A tilt too small to matter (0.05 degrees: the drift across the page
    stays under half a point), and a page of which only every other text
    object is turned (its objects disagree on the page's tilt): neither is
    turned back, its characters read where the text layer puts them."""
    pdf, page = _pages(tilted(HUAIAN.read_bytes(), angle, image=False, turned=turned), 3)
    try:
        text = page.get_textpage()
        view = PageView(page)
        placed = [view.box(*text.get_charbox(i, loose=True)) for i in range(text.count_chars())]
        text.close()
        got = read_page(page, 4).chars
        # (x extents as pdfium's loose boxes give them: not turned back)
        lefts = {round(box[0], 3) for box in placed}
        assert len(got) > 300 and all(round(c.x0, 3) in lefts for c in got)
    finally:
        pdf.close()


# -- text the page garbled inside a ruled table ------------------------------------


def _regulations_page(draw_row: Callable[[Page], None]) -> Page:
    """Synthetic: table 一's first rows in a ruled grid (as _ruled_table_page),
    the 规章 row's cells drawn by `draw_row`."""
    page = Page()
    page.text(120, 60, "示例县2023年政府信息公开工作年度报告", 16)
    page.text(72, 100, "二、主动公开政府信息情况", 12)
    xs = [72, 232, 312, 392, 472]
    page.grid(xs, [120, 140, 160, 180])
    page.text(75, 124, "第二十条第(一)项", 10)
    for x, word in zip(xs, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], strict=False):
        page.text(x + 3, 144, word, 10)
    page.text(75, 164, "规章", 10)
    draw_row(page)
    page.text(75, 184, "行政规范性文件", 10)
    for x, number in zip(xs[1:], ["18", "5", "126"], strict=False):
        page.text(x + 3, 184, number, 10)
    return page


def _overflowing(page: Page) -> None:
    # "1282" set too close to its cell's right border: its last two digits
    # run on, glyph after glyph, into the next (blank) cell.
    page.text(300, 164, "1282", 10)
    page.text(395, 164, "15", 10)


def _overprinted(page: Page) -> None:
    # A note drawn where the number runs on: "（" over the "8" of "1282".
    page.text(235, 164, "1282", 10)
    page.text(249, 164, "（注）", 10)
    page.text(315, 164, "1", 10)
    page.text(395, 164, "15", 10)


@pytest.mark.parametrize("draw_row,code", [(_overflowing, "text_across_border"), (_overprinted, "text_overprinted")],
                         ids=["across-border", "overprinted"])
def test_a_number_the_page_garbled_in_its_cell_is_flagged(draw_row: Callable[[Page], None], code: str):
    """A number whose digits run on across its cell's border (the next cell
    then reads "82") or that a note is printed over reads as wrong numbers
    with nothing to tell: the row is flagged, and the report is not valid.
    The well-formed row beside it is not."""
    out = extract_bytes(build([_regulations_page(draw_row)]), Path("garbled.pdf"))
    flagged = [w for w in out["warnings"] if w["code"] == code]
    assert len(flagged) == 1 and "regulations" in flagged[0]["message"]
    assert "normative_documents" not in flagged[0]["message"]
    assert values(out, "proactive", "normative_documents") == [18, 5, 126]
    assert out["valid"] is False


def test_a_well_set_ruled_table_is_not_flagged_as_garbled():
    out = extract_bytes(build([_ruled_table_page()]), Path("synthetic.pdf"))
    assert not {"text_across_border", "text_overprinted"} & {w["code"] for w in out["warnings"]}


def _origin_heights(page: pdfium.PdfPage) -> dict[str, list[float]]:
    """Each character's origin height (user space) as pdfium gives it, by its text."""
    textpage = page.get_textpage()
    heights: dict[str, list[float]] = {}
    x, y = ctypes.c_double(), ctypes.c_double()
    for i in range(raw.FPDFText_CountChars(textpage.raw)):
        code = raw.FPDFText_GetUnicode(textpage.raw, i)
        if code > 0x20 and raw.FPDFText_GetCharOrigin(textpage.raw, i, x, y):
            heights.setdefault(chr(code), []).append(y.value)
    textpage.close()
    return heights


@pytest.mark.parametrize("page_index", [0, 2], ids=["horizontal writing", "vertical writing"])
def test_every_character_stands_on_its_own_origin(page_index: int) -> None:
    # The reader takes a character's baseline from its text object's matrix
    # where the object is written horizontally, reading the origin only where
    # the distance from its box says otherwise. On page 3 of the 2023 report
    # of 杭州湾 the heading "三、本年度办理结果" is written vertically: each
    # character's origin lies 8.8 pt from its object's matrix height, which
    # put the heading's characters 8.8 pt off when the matrix was trusted.
    pdf = pdfium.PdfDocument(HZQ_2023.read_bytes())
    try:
        page = pdf[page_index]
        content = read_page(page, page_index + 1)
        heights = _origin_heights(page)
        top = PageView(page).top
    finally:
        pdf.close()
    assert len(content.chars) > 300
    off = []
    for ch in content.chars:
        # (The reader's box: from baseline - 0.2 size to baseline + 0.8 size, y downwards.)
        baseline = top - 0.8 * ch.bottom - 0.2 * ch.top
        if not any(abs(baseline - h) < 1e-3 for h in heights[ch.text]):
            off.append(ch.text)
    assert off == []
