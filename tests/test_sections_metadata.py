"""Sections and metadata: heading variants, dates, the information-processing fee."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, extract

from extractor.metadata import read_metadata
from extractor.model import Document, Paragraph
from extractor.sections import find_sections


def sections_of(text: str) -> dict[int, str]:
    return {s.number: s.title for s in find_sections(text)}


def test_heading_variants():
    text = "\n".join(["一、概述", "正文", "二、主动公开政府信息情况", "表", "三、收到和处理政府信息公开申请情况", "表",
                      "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "表",
                      "五、政府信息公开工作存在的主要问题及改进情况", "问题", "六、其他需要报告的事项", "无。"])
    titles = sections_of(text)
    assert titles[1] == "一、概述"
    assert titles[4] == "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"
    assert sorted(titles) == [1, 2, 3, 4, 5, 6]


def test_headings_glued_to_the_text():
    text = ("前言。一、总体情况2021年,我区……二、主动公开政府信息情况 第二十条……三、收到和处理政府信息公开申请情况"
            "(本列……)四、政府信息公开行政复议、行政诉讼情况 行政复议……五、存在的主要问题及改进情况(一)……"
            "六、其他需要报告的事项2021年,无收取信息处理费情况。")
    found = find_sections(text)
    assert [s.number for s in found] == [1, 2, 3, 4, 5, 6]
    assert found[5].text == "2021年,无收取信息处理费情况。"
    assert found[0].text.startswith("2021年,我区")


def test_sections_of_a_real_glued_dump():
    doc = extract(CORPUS / "github" / "005_pingtan_2022.txt")
    titles = [s["title"] for s in doc["sections"]]
    assert titles[3] == "四、政府信息公开行政法复议、行政诉讼情况"  # the source's own typo
    assert doc["sections"][5]["text"].startswith("2022年,无收取信息处理费情况")


def _meta(paragraphs: list[str], meta: dict | None = None):
    doc = Document(blocks=[Paragraph(p) for p in paragraphs], format="text", meta=meta or {})
    return read_metadata(doc, find_sections("\n".join(paragraphs)))


@pytest.mark.parametrize("sentence,fee", [
    ("2023年收取信息处理费0元。", 0),
    ("全年收取政府信息公开信息处理费 3940 元。", 3940),
    ("本年度收取信息处理费共计380元。", 380),
    ("2021年,无收取信息处理费情况。", 0),
    ("2025 年度本机关未收取信息公开处理费。", 0),
    ("政府信息公开未发生收费情况。", 0),
    ("依据《政府信息公开信息处理费管理办法》(国办函〔2020〕109号),本年度共收取信息处理费0元。", 0),
    ("收取信息处理费0.5万元。", 5000),
    ("无其他需要报告的事项。", None),
    ("政府信息公开事务支出:政府信息公开费用1万元。", None),  # an expenditure, not a fee collected
])
def test_fee_phrases(sentence: str, fee: int | None):
    meta = _meta(["某局2023年政府信息公开工作年度报告", "六、其他需要报告的事项", sentence])
    assert meta.fee_yuan == fee


def test_title_agency_year_and_dates():
    meta = _meta(["2019年上海市人民政府办公厅政府信息公开工作年度报告", "发布日期:2020-01-31", "一、总体情况", "……"])
    assert (meta.agency, meta.year, meta.published) == ("上海市人民政府办公厅", 2019, "2020-01-31")
    meta = _meta(["2024 年上海市科委政府信息公开工作", "年度报告", "根据……"])
    assert (meta.title, meta.agency, meta.year) == ("2024 年上海市科委政府信息公开工作年度报告", "上海市科委", 2024)
    meta = _meta(["沭阳县发展和改革局2023年政府信息公开年度报告", "一、总体情况", "……", "沭阳县发展和改革局",
                  "2024年1月17日"])
    assert (meta.agency, meta.published) == ("沭阳县发展和改革局", "2024-01-17")
    meta = _meta(["正文"], {"页面标题": "平潭综合实验区2025年度政府信息公开工作年度报告_政府信息公开年报_平潭",
                          "发布时间": "2026-03-10 12:56"})
    assert (meta.agency, meta.year, meta.published) == ("平潭综合实验区", 2025, "2026-03-10")


def test_no_date_means_null_not_a_guess(tmp_path: Path):
    meta = _meta(["示例局2023年政府信息公开工作年度报告", "一、总体情况", "截至2023年12月31日,……"])
    assert meta.published is None
