"""Real reports with their table wording or markup rewritten the way other
portals and producers print the same tables (transformed real fixtures):
every labelled cell still comes back right, none wrong without a flag.

Each kind is one realistic variant of the printed labels (a word another
template edition or agency uses, a header wrapped over lines); the edits are
applied to real layouts: the seed (one cell per line), a crawled glued dump,
its portal HTML page and a markdown export; the page's tables are also
rewritten with other markup (<th>, <thead>, <tfoot>).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, SEED, SEED_LABEL
from lxml import etree
from lxml import html as lhtml

from extractor.evaluate import load_label, score
from extractor.pipeline import extract_bytes

GLUED = CORPUS / "github" / "007_pingtan_2024.txt"
PAGE = CORPUS / "github" / "014_pingtan_2024_page.html"
MARKDOWN = next((CORPUS / "kiro").glob("005_*.txt"))  # an OCR model's markdown: pipe tables
LABELS = {SEED: SEED_LABEL, GLUED: CORPUS / "github" / "labels" / "007.json",
          PAGE: CORPUS / "github" / "labels" / "014.json", MARKDOWN: CORPUS / "kiro" / "labels" / "005.json"}

_WRAPPED = [("结果维持", "结果<br>维持"), ("结果纠正", "结果<br/>纠正"), ("其他结果", "其他<BR>结果"),
            ("尚未审结", "尚未<br />审结"), ("未经复议直接起诉", "未经复议<br>直接起诉"),
            ("复议后起诉", "复议后<br>起诉"),
            ("法人或其他组织", "法人或<br>其他组织"), ("社会公益组织", "社会公益<br>组织")]

# kind -> (old, new) replacements of printed wording.
KINDS: dict[str, list[tuple[str, str]]] = {
    # 行政事业收费: the fee row without 性.
    "fee_row_without_xing": [("行政事业性收费", "行政事业收费")],
    # 合计 for 总计: the total column of table 三, its (七) row and table 四's total.
    "heji_for_zongji": [("总计", "合计")],
    # Table 四's headers wrapped over two lines ("结果" / "维持"): in the seed
    # a header over two lines, in the glued dump the one-line table broken
    # where each header wraps; the values stay located in their own line.
    "review_headers_wrapped": [("结果维持", "结果\n维持"), ("结果纠正", "结果\n纠正"), ("其他结果", "其他\n结果"),
                               ("尚未审结", "尚未\n审结"), ("未经复议直接起诉", "未经复议\n直接起诉"),
                               ("复议后起诉", "复议后\n起诉")],
    # <br> written in a text file: a markdown export's wrapped pipe cell, a
    # crawler that kept the page's line breaks (in HTML, a real <br>).
    "br_in_cells": _WRAPPED,
}
# A line break is a new line only in plain text: an HTML page ignores it, and
# inside a markdown pipe row it would end the row (markdown writes <br>).
NOT_IN = {"review_headers_wrapped": {PAGE, MARKDOWN}}


def _report(path: Path) -> str:
    return path.read_text(encoding="utf-8")


_CASES = [(kind, report) for kind in sorted(KINDS) for report in (SEED, GLUED, PAGE, MARKDOWN)
          if report not in NOT_IN.get(kind, ())]


@pytest.mark.parametrize(("kind", "report"), _CASES, ids=[f"{k}-{r.name[:24]}" for k, r in _CASES])
def test_label_variant_reads_every_cell(kind: str, report: Path):
    text = original = _report(report)
    for old, new in KINDS[kind]:
        text = text.replace(old, new)
    assert text != original, f"{kind}: none of its words printed in {report.name}"
    label = load_label(LABELS[report])
    result = score(extract_bytes(text.encode("utf-8"), Path(report.name)), label)
    assert result.silent == 0, result.silent_cells
    assert result.right == result.cells, result.wrong_cells


def test_values_after_a_wrapped_header_keep_their_line():
    """Values read from a line joined to the line before it are located in
    their own line of the file (provenance), not past the end of the first."""
    text = _report(GLUED).replace("复议后起诉", "复议后\n起诉")
    doc = extract_bytes(text.encode("utf-8"), Path(GLUED.name))
    cell = doc["tables"]["review_litigation"]["rows"]["litigation_after_review"]["total"]
    source = cell["source"]
    assert cell["value"] == 19
    assert text[source["start"]:source["end"]] == "19"
    assert source["line"] == text[:source["start"]].count("\n") + 1


# -- markup: the portal page's tables written with other HTML ----------------------


def _tables(root: etree._Element) -> list[etree._Element]:
    return [t for t in root.iter("table") if not t.xpath(".//table")]


def _tfoot_first(root: etree._Element) -> None:
    """Each table's last row in a <tfoot> written before its <tbody>, as
    HTML 4 had it (a browser still shows it last)."""
    for table in _tables(root):
        rows = list(table.iter("tr"))
        for section in table.xpath("./tbody|./thead|./tfoot"):
            table.remove(section)
        foot = etree.SubElement(table, "tfoot")
        foot.append(rows[-1])
        body = etree.SubElement(table, "tbody")
        body.extend(rows[:-1])


def _th_header(root: etree._Element) -> None:
    """The first two rows and the label column written as <th>."""
    for table in _tables(root):
        for r, tr in enumerate(table.iter("tr")):
            for c, cell in enumerate(tr.iterchildren("td")):
                if r < 2 or c == 0:
                    cell.tag = "th"


def _thead(root: etree._Element) -> None:
    """The first row in a <thead>, the others in a <tbody>."""
    for table in _tables(root):
        rows = list(table.iter("tr"))
        for section in table.xpath("./tbody|./thead|./tfoot"):
            table.remove(section)
        etree.SubElement(table, "thead").append(rows[0])
        etree.SubElement(table, "tbody").extend(rows[1:])


MARKUP = {"tfoot_before_tbody": _tfoot_first, "th_header_cells": _th_header, "thead": _thead}


@pytest.mark.parametrize("kind", sorted(MARKUP))
def test_markup_variant_reads_every_cell(kind: str):
    root = lhtml.document_fromstring(_report(PAGE))
    MARKUP[kind](root)
    page = etree.tostring(root, encoding="unicode", method="html")
    result = score(extract_bytes(page.encode("utf-8"), Path(PAGE.name)), load_label(LABELS[PAGE]))
    assert result.silent == 0, result.silent_cells
    assert result.right == result.cells, result.wrong_cells


# -- a number a space broke after its decimal point -------------------------------


@pytest.mark.parametrize("report", [GLUED, PAGE], ids=lambda p: p.name[:24])
def test_a_number_broken_after_its_decimal_point_is_flagged(report: Path):
    """"18651. 06" (the fee 18651.06 万元 with a space after its point):
    "18651." reads as no value, and the value after it is a piece of the
    number; the row is flagged, never silently 6."""
    text = _report(report)
    assert "18651.06" in text
    doc = extract_bytes(text.replace("18651.06", "18651. 06").encode("utf-8"), Path(report.name))
    result = score(doc, load_label(LABELS[report]))
    assert result.silent == 0, result.silent_cells
    assert any(w["code"] == "number_broken" and "fees" in w["message"] for w in doc["warnings"])
    assert doc["valid"] is False


def _subrows_lost(text: str, third: bool) -> str:
    """The real page with the wording of （六）'s first two sub-rows lost
    (damaged labels), and with `third` the 3.其他 of the third."""
    for old, new in (("1.申请人无正当理由逾期不补正、行政机关", "1.申请人▢▢▢▢"),
                     ('不再<span style="text-indent: 0em;">处理其政府信息公开申请', ""),
                     ("申请人逾期未按收费通知要求缴纳费用", "申请人▢▢▢")):
        text = text.replace(old, new)
    return text.replace(">3.其他<", ">3.▢▢<") if third else text


@pytest.mark.parametrize("third", [False, True], ids=["two-sub-rows-lost", "three-sub-rows-lost"])
def test_rows_of_the_other_layout_printed_with_values_are_said(third: bool):
    """The real 014 page with the wording of （六）'s sub-rows lost: their
    values, under the merged （六）其他处理 cell, read as the 2019 layout's one
    其他处理 row (printed more than once), and the table as the 2019 layout,
    though it is the 2021 one (its 3.其他 row, where that is left, is the 2021
    layout's). Before, other_no_correction, other_no_fee and other_other were
    left out and the 其他处理 row given a sub-row's values, with no warning;
    now a layout_mixed warning names them."""
    doc = extract_bytes(_subrows_lost(_report(PAGE), third).encode("utf-8"), Path(PAGE.name))
    result = score(doc, load_label(LABELS[PAGE]))
    assert result.silent == 0, result.silent_cells
    (mixed,) = [w for w in doc["warnings"] if w["code"] == "layout_mixed"]
    assert all(key in mixed["message"] for key in ("other_no_correction", "other_no_fee", "other_other", "other"))


def test_a_table_of_one_layout_is_not_said_to_mix_layouts():
    for report in (SEED, GLUED, PAGE, MARKDOWN):
        doc = extract_bytes(report.read_bytes(), Path(report.name))
        assert "layout_mixed" not in {w["code"] for w in doc["warnings"]}, report.name
