"""Real reports with their table wording or markup rewritten the way other
portals and producers print the same tables (transformed real fixtures):
every labelled cell still comes back right, none wrong without a flag.

Each kind is one realistic variant of the printed labels (a word another
template edition or agency uses, a header wrapped over lines); the edits are
applied to real layouts: the seed (one cell per line), a crawled glued dump
and its portal HTML page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, SEED, SEED_LABEL

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


@pytest.mark.parametrize("report", [SEED, GLUED, PAGE, MARKDOWN], ids=lambda p: p.name[:24])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_label_variant_reads_every_cell(kind: str, report: Path):
    if report in NOT_IN.get(kind, ()):
        pytest.skip("a line break is no line break there")
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
