"""Text taken from a report's PDF, as text tools give it. Laid out as its
PDF's pages were (pdftotext -layout, pdfplumber's layout text): a row's
values stand on the line at the middle of its cell, which for a row label
wrapped over lines, or set low in a tall cell, comes before the label's own
line. Or line by line as the text layer runs (pdfium's text), a cell's
lines where the page break fell. The fixtures are real PDFs' text
(tests/fixtures/layout-text), scored against the PDFs' labels."""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS, FIXTURES

from extractor.evaluate import load_label, score
from extractor.pipeline import extract_bytes, extract_file

LAYOUT = FIXTURES / "layout-text"


def _row(doc: dict, key: str) -> list:
    return [c["value"] for c in doc["tables"]["applications"]["rows"][key].values()]


def _want(label: dict, key: str) -> list:
    return [v for k, v in label["cells"].items() if k.startswith(f"applications.{key}.")]


@pytest.mark.parametrize(("name", "rows"), [
    # 10 and 3 printed on the line before 1.本机关不掌握… and 2.没有现成信息…
    # (the first under 8.属于行政查询事项's own values, the second after the
    # group label （四）无法提供); 3.危及"三安全一稳定"'s under 2.其他法律….
    ("001", ["unable_not_held", "unable_needs_creation", "denied_security_stability", "denied_inquiry"]),
    ("002", ["unable_not_held", "unable_needs_creation", "denied_security_stability", "denied_state_secret"]),
])
def test_values_printed_on_the_line_before_their_label_are_its_row(name: str, rows: list[str]) -> None:
    label = load_label(CORPUS / "kiro" / "labels" / f"{name}.json")
    doc = extract_file(next(LAYOUT.glob(f"kiro-{name}-*.txt")))
    for key in rows:
        assert _row(doc, key) == _want(label, key), key
    result = score(doc, label)
    assert result.silent == 0, result.silent_cells
    # (What is still not right is said: two rows' values on one row's lines,
    # a label the text tool broke.)
    assert result.right >= 170


def test_a_row_with_its_values_after_its_label_keeps_them(tmp_path) -> None:
    """The same rows laid out with each row's values on its label's line or
    the line after it: nothing moves (a blank row keeps no one's values)."""
    text = "\n".join([
        "2023年政府信息公开工作年度报告",
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量   21 0 0 0 0 0 21",
        "二、上年结转政府信息公开申请数量   0 0 0 0 0 0 0",
        "（一）予以公开",
        "     9 0 0 0 0 0 9",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "     4 0 0 0 0 0 4",
        "（三）不予公开 1.属于国家秘密",
        "2.其他法律行政法规禁止公开   0 0 0 0 0 0 0",
    ])
    doc = extract_bytes(text.encode("utf-8"), tmp_path / "report.txt")
    assert _row(doc, "granted") == [9, 0, 0, 0, 0, 0, 9]
    assert _row(doc, "partially_granted") == [4, 0, 0, 0, 0, 0, 4]
    assert _row(doc, "denied_prohibited_by_law") == [0] * 7
    assert all(v is None for v in _row(doc, "denied_state_secret"))


def test_a_group_label_cut_after_its_numbering_is_no_value() -> None:
    """淮安's PDF text (pdfium): the group label （四）无法提供, set in a
    merged cell over its three rows, is cut by the page break after "无"
    ("(四)无" / "1.本机关不掌握… 746 …" / "- 5 -" / "法提供 2.没有现成…"):
    the 无 (none) after a numbering is the label's head, not an eighth value
    of the row before (8.属于行政查询事项 105 0 0 0 0 0 105)."""
    label = load_label(CORPUS / "github" / "labels" / "001.json")
    doc = extract_file(LAYOUT / "huaian-001-pdfium-text.txt")
    assert _row(doc, "denied_inquiry") == _want(label, "denied_inquiry") == [105, 0, 0, 0, 0, 0, 105]
    result = score(doc, label)
    assert (result.right, result.silent) == (result.cells, 0), result.wrong_cells


def test_a_note_wrapped_in_a_narrow_cell_lends_no_value() -> None:
    """Synthetic (the matrix's cell_notes-04, LibreOffice's PDF, as pdfium
    gives its text): a cell "0（其中修订6件）" too narrow for its note
    prints it a word or two a line, "0" / "（其" / "中修" / "订 6" / "件）",
    and the 6 inside the note is no cell of the row; the note ends at its
    bracket, and a line of two values or more is no part of it."""
    truth = json.loads((FIXTURES / "matrix" / "samples" / "cell_notes-04.matrix.json").read_text(encoding="utf-8"))
    doc = extract_file(LAYOUT / "matrix-cell_notes-04-pdfium-text.txt")
    for key in ("granted", "partially_granted", "denied_state_secret", "unable_not_held", "rejected_petition",
                "total_processed"):
        assert _row(doc, key) == _want(truth, key), key
    result = score(doc, truth)
    assert result.silent == 0, result.silent_cells
    # (Not right, and said: a total broken over two lines by its note, "15" /
    # "4"; two cells' notes interleaved line by line; table 四's notes.)
    assert result.right >= 177


def _lines_report(lines: list[str]) -> bytes:
    """Synthetic: table 三's rows as a PDF's text gives a narrow label column
    (the matrix's smallest pages: a label a few characters a line)."""
    head = ["2023年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况",
            "一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3",
            "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0",
            "（一）予以公开 1 0 0 0 0 0 1", "（二）部分公开 0 0 0 0 0 0 0", "（三）不予公开",
            "1.属于国家秘密 0 0 0 0 0 0 0"]
    return "\n".join(head + lines).encode("utf-8")


def test_a_label_wrapped_a_few_characters_a_line_is_one_label(tmp_path) -> None:
    lines = ["2.其他", "法", "律行政法规", "禁止公开", "2 0 0 0 0 0 2",
             "3.", "危", "及", "“", "三", "安全一", "稳", "定”", "1 0 0 0 0 0 1",
             "4.保护第三方合法权益 0 0 0 0 0 0 0"]
    doc = extract_bytes(_lines_report(lines), tmp_path / "report.txt")
    assert _row(doc, "denied_prohibited_by_law") == [2, 0, 0, 0, 0, 0, 2]
    assert _row(doc, "denied_security_stability") == [1, 0, 0, 0, 0, 0, 1]
    assert _row(doc, "denied_third_party") == [0] * 7
    said = " ".join(w["message"] for w in doc["warnings"])
    assert "denied_prohibited_by_law" not in said and "denied_security_stability" not in said


def test_a_long_label_broken_at_a_line_end_is_found() -> None:
    """kiro/003 (a real markdown export): "予处理4.无正当理由大量反复" / "申请",
    the row label 无正当理由大量反复申请 broken eleven characters in: it is
    found (before, its values were placed by position, and said)."""
    doc = extract_file(CORPUS / "kiro" / "003_kewei-2024-source.md")
    assert not [w for w in doc["warnings"] if w.get("where") == "applications.rejected_excessive"]


def test_a_number_broken_over_two_lines_is_joined_where_the_sums_hold(tmp_path) -> None:
    """Synthetic, as the matrix's smallest pages print in a PDF's text: 151
    and 154 too wide for their cells, "15" / "1" and "15" / "4"; the same
    digits on one line are nine values, not a number broken by a line; and
    pieces whose joins do not add up are not joined."""
    lines = ["2.其他法律行政法规禁止公开 15 1 3 0 0 0 0 15 4",
             "3.危及“三安全一稳定”", "15", "1", "3 0 0 0 0", "15", "4",
             "4.保护第三方合法权益", "15", "1", "3 0 0 0 0", "15", "5"]
    doc = extract_bytes(_lines_report(lines), tmp_path / "report.txt")
    said = {w["where"]: w["code"] for w in doc["warnings"]}
    assert _row(doc, "denied_security_stability") == [151, 3, 0, 0, 0, 0, 154]
    assert said["applications.denied_security_stability"] == "number_broken"
    # Printed on one line (read first: a reading kept for the same digits
    # is not taken for the lines below).
    assert all(v is None for v in _row(doc, "denied_prohibited_by_law"))
    assert said["applications.denied_prohibited_by_law"] == "row_unreadable"
    assert all(v is None for v in _row(doc, "denied_third_party"))
    assert said["applications.denied_third_party"] == "row_unreadable"


def test_a_row_printed_over_lines_of_several_values_is_said() -> None:
    """Synthetic (the matrix's combined-25, kiro/006's values, as pdfplumber
    lays out its text): table 四's cells with a unit set their number a line
    above the others' ("0 0 0 0 0 0 0" / "0 1 1 0 0 0 0 0" / "件 件 …"), so
    reading the lines one after the other moves a 1 into its neighbour's
    column with every block's sum holding. Such a row is said, and no cell
    is silently wrong."""
    from matrixgen.labelsets import by_name

    doc = extract_file(LAYOUT / "matrix-combined-25-pdfplumber-layout.txt")
    said = [w["where"] for w in doc["warnings"] if w["code"] == "row_over_lines"]
    assert "review_litigation (review, litigation_direct, litigation_after_review)" in said
    result = score(doc, {"cells": by_name("kiro/006").cells})
    assert result.silent == 0, result.silent_cells


def test_a_numbered_line_ends_a_note_left_open(tmp_path) -> None:
    """Synthetic: a note opened after a value and not closed where the text
    shows it ("1 0 （含", its other lines lost): the next row's short label
    "2.重复申请" is that row, not the note's words."""
    lines = ["（五）不予处理", "1.信访举报投诉类申请 1 0 0 0 0 0 1 （含", "2.重复申请", "0 0 0 0 0 0 0",
             "3.要求提供公开出版物 0 0 0 0 0 0 0"]
    doc = extract_bytes(_lines_report(lines), tmp_path / "report.txt")
    assert _row(doc, "rejected_petition") == [1, 0, 0, 0, 0, 0, 1]
    assert _row(doc, "rejected_duplicate") == [0] * 7


def test_a_total_set_at_the_top_of_its_cell_is_said(tmp_path) -> None:
    """Synthetic, as pdfplumber lays out the matrix's null_markers-01: a tall
    row's total printed on its label's first line, its other cells on the
    next ("0" / "0 — — — — —"). Read line after line the total would be the
    first cell, and the sums still hold (— counts as nothing): said."""
    lines = ["     （二）部分公开（区分处理的，只计这一情                               0",
             "                               0   —   —   —   —   —",
             "     形，不计其他情形）",
             "     （三）不予公开 1.属于国家秘密       0   —   —   —   —   —   0"]
    printed = "（二）部分公开 0 0 0 0 0 0 0\n（三）不予公开\n1.属于国家秘密 0 0 0 0 0 0 0"
    text = _lines_report([]).decode("utf-8").replace(printed, "\n".join(lines))
    doc = extract_bytes(text.encode("utf-8"), tmp_path / "report.txt")
    said = {w["where"]: w["code"] for w in doc["warnings"]}
    assert said.get("applications.partially_granted") == "row_over_lines"
    assert "applications.denied_state_secret" not in said
