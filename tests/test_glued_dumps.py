"""The ways crawler dumps glue a report's tables to what surrounds them, each on
a snippet of a real report of tests/fixtures/corpus/pingtan-depts (the file is
named; where a snippet is shortened or altered, the test says so)."""

from __future__ import annotations

from pathlib import Path

from conftest import CORPUS

from extractor.evaluate import flagged
from extractor.model import Row
from extractor.normalize import normalize
from extractor.pipeline import extract_file
from extractor.readers.text import parse_text
from extractor.tables.values import leading_values, split_values

PINGTAN = CORPUS / "pingtan-depts"
ZERO_ROW = "0000000"


def extract_text(tmp_path: Path, text: str) -> dict:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return extract_file(path)


def source(name: str, start: str, end: str) -> str:
    """The text of a real report from `start` up to (not including) `end`."""
    text = next(PINGTAN.glob(name + "*")).read_text(encoding="utf-8")
    i = text.index(start)
    return text[i:text.index(end, i)]


def row(doc: dict, table: str, key: str) -> list:
    return [c["value"] for c in doc["tables"][table]["rows"][key].values()]


def codes(doc: dict) -> list[str]:
    return [w["code"] for w in doc["warnings"]]


TITLE = "平潭综合实验区行政审批局2024年政府信息公开工作年度报告\n"


def test_a_row_glued_to_the_next_headings_numbering(tmp_path):
    # 010_xingzhengshenpiju-2024: "四、结转下年度继续办理0000000四、政府信息公开行政复议…"
    text = TITLE + source("010", "三、收到和处理", "五、存在的主要问题")
    assert "继续办理0000000四、" in text
    doc = extract_text(tmp_path, text)
    assert row(doc, "applications", "carried_forward") == [0] * 7
    assert doc["tables"]["applications"]["status"] == "complete"


def runs(text: str) -> list[tuple[str, list[str]]]:
    return [(kind, [item.strip() for item in items]) for kind, items in split_values(text)]


def test_none_after_a_numbering_is_a_label_head_not_a_value():
    # "无" alone is a value (none); after "(四)" or "4." it starts 无法提供 /
    # 无正当理由… where a line break cut the label.
    assert split_values("行政处罚 无") == [("text", ["行政处罚 "]), ("values", ["无"])]
    assert split_values("(四)无") == [("text", ["(四)无"])]
    assert split_values("4.无") == [("text", ["4.无"])]


def test_split_values_stops_at_numbering_but_not_at_a_unit_or_year():
    assert runs("0000000四、政府信息公开") == [("values", ["0000000"]), ("text", ["四、政府信息公开"])]
    assert runs("0 0 0 0 0 0 0四、") == [("values", ["0"] * 7), ("text", ["四、"])]
    # Only the last of a spaced run can be glued to the word after it.
    assert runs("0 0 0 2021年") == [("values", ["0", "0", "0"]), ("text", ["2021年"])]
    assert runs("2021年") == [("text", ["2021年"])]
    assert runs("第1项") == [("text", ["第1项"])]
    # A space after a number is a boundary even where a unit could have followed.
    assert runs("0 本年度公开信息 395 条。") == [("values", ["0"]), ("text", ["本年度公开信息 395 条。"])]


def test_a_row_number_glued_to_the_values_before_it(tmp_path):
    # 019_shichangjianduguanliju-2025 prints 属于行政执法案件 (not 案卷): the unknown label's
    # numbering "7." is glued to the row before it ("00000007.属于…"). The row before keeps its
    # zeros and the damaged label still finds its row.
    assert runs("00000007.属于行政执法案件3000003") == [
        ("values", [ZERO_ROW]), ("text", ["7.属于行政执法案件"]), ("values", ["3000003"])]
    text = source("019", "二、主动公开", "五、存在的主要问题")
    assert "00000007.属于行政执法案件3000003" in text
    doc = extract_text(tmp_path, TITLE + text)
    assert row(doc, "applications", "denied_process_info") == [0] * 7
    assert row(doc, "applications", "denied_enforcement_file") == [3, 0, 0, 0, 0, 0, 3]


def test_digits_glued_to_the_running_text_after_them(tmp_path):
    assert leading_values("10000100000000000我局严格") == ("10000100000000000", "我局严格")
    assert leading_values("20000022025年,我局共收到") == ("2000002", "2025年,我局共收到")
    assert leading_values("2025年,我局") is None
    assert leading_values("5名工作人员") is None
    # 019_shichangjianduguanliju-2025: 结转 row and table 四 both glued to the narrative after them.
    doc = extract_text(tmp_path, TITLE + source("019", "二、主动公开", "五、存在的主要问题"))
    assert row(doc, "applications", "carried_forward") == [2, 0, 0, 0, 0, 0, 2]
    assert row(doc, "review_litigation", "review") == [10, 0, 0, 0, 10]
    assert row(doc, "review_litigation", "litigation_after_review") == [0] * 5
    # The cut is said, on the row it concerns.
    assert flagged(doc, "applications", "carried_forward", "total")
    assert codes(doc).count("values_glued_to_text") >= 2


def test_the_only_split_is_read_as_printed_even_when_it_does_not_add_up(tmp_path):
    # 010_xingzhengshenpiju-2024 prints table 四 as 15 digits for 15 cells, review upheld 1 and its
    # total 0 (the source's own error): one reading, kept as printed, and the identity fails.
    doc = extract_text(tmp_path, TITLE + source("010", "三、收到和处理", "五、存在的主要问题"))
    assert row(doc, "review_litigation", "review") == [1, 0, 0, 0, 0]
    failed = [c["id"] for c in doc["checks"] if not c["ok"]]
    assert "review_litigation.block_total.review" in failed
    # 016_nongyenongcunju-2023: 本年新收 6100000 and 上年结转 0000007 (a column shift in the source).
    doc = extract_text(tmp_path, TITLE + source("016", "三、收到和处理", "五、存在的主要问题"))
    assert row(doc, "applications", "new_received") == [6, 1, 0, 0, 0, 0, 0]
    assert row(doc, "applications", "carried_over") == [0, 0, 0, 0, 0, 0, 7]
    assert {"applications.row_total.new_received", "applications.row_total.carried_over"} <= {
        c["id"] for c in doc["checks"] if not c["ok"]}


def test_table_four_ends_at_the_next_numbered_heading(tmp_path):
    # 028_jinjingpianqu-2025: table 四's 15 zeros are glued to an extra section 五、信息处理费收取情况,
    # whose own "000" must not be read as table 四.
    text = TITLE + source("028", "三、收到和处理", "六、存在的主要问题")
    assert "000000000000000五、信息处理费收取情况" in text
    doc = extract_text(tmp_path, text)
    assert doc["tables"]["review_litigation"]["status"] == "complete"
    assert all(v == 0 for key in ("review", "litigation_direct", "litigation_after_review")
               for v in row(doc, "review_litigation", key))
    assert "ambiguous_cells" not in codes(doc)


def test_a_pipe_in_running_text_is_not_a_row_of_cells():
    # 018_shichangjianduguanliju-2021: the whole page is one line holding a title
    # 《我为群众办实事|食用农产品快速检测结果天天报》.
    line = max(next(PINGTAN.glob("018*")).read_text(encoding="utf-8").splitlines(), key=len)
    assert "|" in normalize(line) and len(line) > 3000
    doc = parse_text(line)
    assert not any(isinstance(b, Row) for b in doc.blocks)
    # A markdown row stays a row, however long its cells.
    long_cell = "说明。" * 60
    assert isinstance(parse_text(f"| 项目 | {long_cell} |").blocks[0], Row)


def test_the_whole_report_behind_a_pipe_is_read():
    doc = extract_file(next(PINGTAN.glob("018*")))
    assert doc["report"]["template"] == "2021"
    assert row(doc, "applications", "new_received") == [5, 0, 0, 0, 0, 0, 5]
    assert {t["status"] for t in doc["tables"].values()} == {"complete"}


def test_values_after_running_text_do_not_join_the_row_before_it(tmp_path):
    # Synthetic, from 019's layout: table 二's last row, then the narrative with a count in it.
    text = (TITLE + "二、主动公开政府信息情况第二十条第(六)项信息内容本年处理决定数量行政处罚187行政强制42"
            "第二十条第(八)项信息内容本年收费金额(单位:万元)行政事业性收费0 "
            "本年度我局严格按照条例规定的主动公开范围多渠道公开政府信息 395 条 涵盖公示公告等多个类别。"
            "三、收到和处理政府信息公开申请情况")
    doc = extract_text(tmp_path, text)
    assert doc["tables"]["proactive"]["rows"]["fees"]["amount_10k_yuan"]["value"] == 0
    assert doc["tables"]["proactive"]["rows"]["fees"]["amount_10k_yuan"]["raw"] == "0"
