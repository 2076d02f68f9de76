"""What portals print around a report: what makes a text a report (and what
does not), and the metadata read from every place a page puts it. Each kind on
a snippet of a real page of tests/fixtures/corpus/portal-excerpts (the file is
named) or, where marked synthetic, a page built in the test from the layouts
the issue describes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES, labelled_reports, pair_id

from extractor.errors import ExtractError
from extractor.evaluate import find_reports, label_files, load_label
from extractor.metadata import read_metadata
from extractor.metadata.fields import fields_of_line
from extractor.metadata.names import bureau_of, clean_name, is_agency
from extractor.model import Document, Paragraph
from extractor.normalize import normalize
from extractor.pipeline import extract_file
from extractor.sections import find_sections

EXCERPTS = CORPUS / "portal-excerpts"


def excerpt(name: str, lines: int | None = None) -> str:
    text = (EXCERPTS / f"{name}.txt").read_text(encoding="utf-8")
    return "\n".join(text.splitlines()[:lines]) if lines else text


def extract_text(tmp_path: Path, text: str, name: str = "page.txt") -> dict:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_file(path)


def meta_of(text: str, path: Path | None = None):
    # Normalised as the readers normalise every line.
    paragraphs = [normalize(line) for line in text.splitlines() if line.strip()]
    doc = Document(blocks=[Paragraph(p) for p in paragraphs], format="text")
    return read_metadata(doc, find_sections("\n".join(paragraphs)), path)


def codes(doc: dict) -> list[str]:
    return [w["code"] for w in doc["warnings"]]


# -- what is a report ------------------------------------------------------------


@pytest.mark.parametrize("name,kind", [
    ("103", "the 条例 as the report's basis, no title"),
    ("107", "an announcement (现将…报告如下), no title"),
    ("110", "a statistics period, no title"),
    ("111", "本报告 compiled under 第五十条, one section"),
    ("112", "one section of the outline and the 条例"),
    ("127", "现公布…年度报告, no title"),
])
def test_a_cut_off_report_without_a_title_is_read(tmp_path, name, kind):
    doc = extract_text(tmp_path, excerpt(name))
    assert doc["sections"][0]["key"] == "overview", kind
    # What is missing is said: the tables, and that the text stops early.
    assert {t["status"] for t in doc["tables"].values()} == {"missing"}
    assert codes(doc).count("table_missing") == 3
    assert "text_ends_early" in codes(doc)
    assert doc["report"]["template"] is None  # a report since 2019 whose tables are not in the text


def test_a_title_and_one_sentence_is_a_report(tmp_path):
    # 105 cut after its title and first sentence.
    doc = extract_text(tmp_path, excerpt("105", 4))
    assert doc["report"]["agency"] == "重庆市大足区人民政府外事办公室"
    assert doc["report"]["year"] == 2022


def test_sections_alone_make_a_report(tmp_path):
    # 119: the outline's headings follow each other; the tables were lost.
    doc = extract_text(tmp_path, excerpt("119"))
    assert [s["number"] for s in doc["sections"]] == [1, 2, 3, 4, 5]
    assert all("heading is printed" in w["message"] for w in doc["warnings"] if w["code"] == "table_missing")


def test_a_table_alone_makes_a_report(tmp_path):
    # 010_xingzhengshenpiju-2024's table 三, nothing around it.
    text = (CORPUS / "pingtan-depts" / "010_xingzhengshenpiju-2024.txt").read_text(encoding="utf-8")
    start = text.index("申请人情况")
    doc = extract_text(tmp_path, text[start:text.index("四、政府信息公开行政复议", start)])
    assert doc["tables"]["applications"]["rows"]["new_received"]["total"]["value"] == 28


@pytest.mark.parametrize("kind,text", [
    ("a portal's list of reports",  # synthetic, in the layout of the 平潭 portal's list page
     "政府信息公开年报\n平潭综合实验区2025年度政府信息公开工作年度报告 2026-03-10\n"
     "平潭综合实验区2024年度政府信息公开工作年度报告 2025-03-10\n"
     "平潭综合实验区2023年度政府信息公开工作年度报告 2024-03-08\n"),
    ("a list of reports of several bodies",  # synthetic
     "首页 > 政府信息公开年报\n红星镇2023年政府信息公开工作年度报告\n青山乡2023年政府信息公开工作年度报告\n"),
    ("an unrelated article",  # synthetic news item of a government site
     "我局召开2024年度政务公开工作推进会\n发布时间:2024-05-10\n5月10日,我局召开政务公开工作推进会,"
     "传达学习上级文件精神,部署下一阶段重点任务。会议要求,各科室要提高认识,压实责任。\n"),
    ("an error page", "404\n页面不存在或已删除\n返回首页\n"),
    ("navigation alone",
     "首页 | 政务公开 | 政府信息公开 | 政府信息公开年报 | 互动交流 | 政务服务\n网站地图 | 联系我们\n"),
])
def test_what_is_not_a_report_is_refused_in_one_line(tmp_path, kind, text):
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExtractError) as err:
        extract_file(path)
    assert err.value.code == "not_a_report", kind
    assert "\n" not in str(err.value)


def test_a_list_is_refused_as_a_list(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("平潭综合实验区2025年度政府信息公开工作年度报告 2026-03-10\n"
                    "平潭综合实验区2024年度政府信息公开工作年度报告 2025-03-10\n", encoding="utf-8")
    with pytest.raises(ExtractError, match="list of 2 reports"):
        extract_file(path)


# -- titles: the furniture around them ---------------------------------------------


@pytest.mark.parametrize("name,lines,title,agency", [
    # A breadcrumb whose last crumb ends like a title (but names no year).
    ("101", 3, "2021年迎宾路街道政府信息公开工作年度报告", "迎宾路街道"),
    # "您当前的位置:首页>…" on the line before the title: not joined to it.
    ("115", 8, "重庆市秀山土家族苗族自治县卫生健康委员会2021年政府信息公开工作年度报告",
     "重庆市秀山土家族苗族自治县卫生健康委员会"),
    # A field line before the title is not the first half of a wrapped title.
    ("124", 4, "黄石市自然资源和规划局2021年度政府信息公开工作年度报告", "黄石市自然资源和规划局"),
    ("128", 6, "大理经济技术开发区管理委员会2023年政府信息公开工作年度报告", "大理经济技术开发区管理委员会"),
    ("129", 6, "湖里区人民政府2018年政府信息公开工作年度报告", "湖里区人民政府"),
    # A metadata block glued to its labels (标题水城区杨梅乡…).
    ("109", 5, "水城区杨梅乡2022年政府信息公开工作年度报告", "水城区杨梅乡"),
    # A flip-book page's "Page 2 - ".
    ("116", 3, "省交通运输厅2019年度政府信息公开工作年度报告", "省交通运输厅"),
    # The title's own words after the body's name, the year late (…政府信息公开工作2022年度报告).
    ("105", 2, "重庆市大足区人民政府外事办公室政府信息公开工作2022年度报告", "重庆市大足区人民政府外事办公室"),
    # 政府信息公开工作报告 (no 年度) is a title too.
    ("114", 2, "本溪市卫生健康委员会2021年度政府信息公开工作报告", "本溪市卫生健康委员会"),
])
def test_title_and_agency_without_the_page_furniture(name, lines, title, agency):
    meta = meta_of(excerpt(name, lines))
    assert (meta.title, meta.agency) == (title, agency)
    assert meta.sources["agency"] == "title"


def test_a_title_in_the_metadata_table(tmp_path):
    # 120: the metadata block as pipe rows (标 题 | … |), spaced field names.
    doc = extract_text(tmp_path, excerpt("120", 6))
    assert doc["report"]["agency"] == "连云区教育局"
    assert doc["report"]["published"] == "2025-01-20"
    assert doc["report"]["metadata_sources"]["published"] == "portal_field"


# -- the agency where the title does not name it -------------------------------------


@pytest.mark.parametrize("name,agency,kind", [
    ("113", "漳州市卫生健康委员会", "由X编制"),
    ("130", "曲阜市鲁城街道办事处", "由X编制的…年度报告"),
    ("117", "阳山县人民政府办公室", "现公布X(以下简称…)…年度报告: the aside removed"),
    ("127", "经开区", "现公布X…年度报告, a short form"),
    ("103", "螺洋街道", "特向社会公布X…年度报告"),
    ("126", "台州湾经济技术开发区管委会", "由X结合有关统计数据编制"),
    ("121", "硚口区教育局", "请联系:X局党政办公室: the office stands for its bureau"),
    ("122", "南京市浦口区教育局", "由X办公室编制"),
    ("119", "教育局", "the overview's first sentence: 2024年,X深入贯彻…"),
    ("108", "河东乡", "2022年,X政府信息公开工作在…"),
    ("107", "安仁乡人民政府", "2022年,X坚持以…"),
])
def test_agency_from_the_reports_own_words(name, agency, kind):
    meta = meta_of(excerpt(name))
    assert meta.agency == agency, kind
    assert meta.sources["agency"] == "self_reference"


def test_agency_from_the_portal_field_when_the_text_names_none():
    # Synthetic: a page with no title and no self-reference.
    meta = meta_of("发布机构:红星镇人民政府 发布日期:2024-01-19\n一、总体情况\n2023年,我镇认真贯彻落实条例。")
    assert (meta.agency, meta.sources["agency"]) == ("红星镇人民政府", "portal_field")


def test_agency_from_the_signature():
    meta = meta_of("一、总体情况\n我局认真贯彻落实条例。\n六、其他需要报告的事项\n无。\n"
                   "红星镇人民政府\n二〇二四年一月十九日")
    assert (meta.agency, meta.sources["agency"]) == ("红星镇人民政府", "signature")
    assert (meta.published, meta.sources["published"]) == ("2024-01-19", "closing_date")


def test_agency_from_the_file_name(tmp_path):
    meta = meta_of("一、总体情况\n我局认真贯彻落实条例。", tmp_path / "红星镇2023年政府信息公开工作年度报告.pdf")
    assert (meta.agency, meta.year, meta.sources["agency"]) == ("红星镇", 2023, "file_name")


def test_no_name_is_null_with_a_warning_never_junk():
    # 111 prints neither the town nor the year.
    meta = meta_of(excerpt("111"))
    assert meta.agency is None
    assert [w.code for w in meta.warnings] == ["agency_not_found"]


def test_a_portal_field_that_names_another_body_is_said():
    # 020_caizhengjinrongju-2021: the CMS's 发布机构 is the zone's government.
    doc = extract_file(CORPUS / "pingtan-depts" / "020_caizhengjinrongju-2021.txt")
    assert doc["report"]["agency"] == "平潭综合实验区财政金融局"
    disagree = [w for w in doc["warnings"] if w["code"] == "metadata_disagrees"]
    assert len(disagree) == 1 and "平潭综合实验区人民政府" in disagree[0]["message"]


# Synthetic names of the kinds real portal pages produced as "agencies" (the issue lists them).
NOT_NAMES = [
    "当前位置:街镇>红星镇>政府信息公开年报红星镇",
    "首页走进红星镇新闻中心政府信息公开政务服务互动交流红星镇人民政府",
    "红星区红星镇标题:红星镇人民政府",
    "-长者版名称:",
    "红星镇人民政府关于",
    "政府",
    "人民政府",
    "2023年,红星镇认真贯彻落实《条例》,全面推进政务公开工作。",
    "本机关",
    "我局",
    "全乡",
    "桌面",
    "1",
    "红星镇政府信息公开工作领导小组",
    # Sentences whose subject slot a self-reference pattern read (real, pingtan-depts 015 and 003).
    "结合我局",
    "主动公开政府信息的情况牵头推进全区",
    "我委办公室",
]


@pytest.mark.parametrize("name", NOT_NAMES)
def test_junk_is_never_an_agency(name):
    assert not is_agency(name)


def test_names_are_cleaned_before_they_are_judged():
    assert clean_name("您当前的位置:首页>政府信息公开年报>红星镇人民政府") == "红星镇人民政府"
    assert clean_name("红星镇人民政府关于") == "红星镇人民政府"
    assert clean_name("重庆市大足区人民政府外事办公室政府信息公开工作") == "重庆市大足区人民政府外事办公室"
    assert bureau_of("硚口区教育局局党政办公室") == "硚口区教育局"
    # A government's own office is a body, not an office of one.
    assert bureau_of("阳山县人民政府办公室") == "阳山县人民政府办公室"
    assert bureau_of("大足区人民政府外事办公室") == "大足区人民政府外事办公室"


def labelled_agencies() -> list[tuple[Path, str | None]]:
    out = []
    for label_path in label_files([FIXTURES]):
        label = load_label(label_path)
        for report in find_reports(label_path, label):
            out.append((report, label.get("agency")))
    return out


def test_the_agency_rule_holds_on_every_labelled_report():
    """Every labelled name is a name by the rule, and every agency the
    extractor gives for a labelled report is one too (or null)."""
    pairs = labelled_agencies()
    assert len(pairs) >= 85
    for report, label in pairs:
        if label:
            assert is_agency(label), (report.name, label)
        try:
            got = extract_file(report)["report"]["agency"]
        except ExtractError:
            continue
        assert got is None or is_agency(got), (report.name, got)


# -- year, publication date, fee --------------------------------------------------------


def test_year_where_the_title_has_none():
    assert (meta_of(excerpt("110")).year, meta_of(excerpt("110")).sources["year"]) == (2020, "statistics_period")
    meta = meta_of(excerpt("130"))  # 由…编制的2018年度政府信息公开工作年度报告
    assert (meta.year, meta.sources["year"]) == (2018, "self_reference")
    meta = meta_of(excerpt("119"))  # the overview opens with 2024年,
    assert (meta.year, meta.sources["year"]) == (2024, "overview")
    meta = meta_of("一、总体情况\n截至2022年12月31日,我镇主动公开信息30条。")
    assert (meta.year, meta.sources["year"]) == (2022, "self_reference")


def test_year_from_the_publication_date_is_a_last_resort_and_said():
    meta = meta_of("发布日期:2024-01-19\n一、总体情况\n我镇认真贯彻落实条例。")
    assert (meta.year, meta.sources["year"]) == (2023, "published_date")
    assert "year_inferred" in [w.code for w in meta.warnings]


@pytest.mark.parametrize("line,published", [
    ("发布时间: 2023-01-12 20:04 字体:[]", "2023-01-12"),  # 109
    ("来源:本溪市卫生健康委员会 发布时间:2022-01-24 12:23:04 【字体:", "2022-01-24"),  # 114
    ("发布机构市自然资源和规划局 发文日期2022-01-26", "2022-01-26"),  # 124, glued
    ("发布机构 | 教育局 | 发文日期 | 2025-01-20 |", "2025-01-20"),  # 120, a pipe row
    ("• 公文生成日期:2019-01-04", "2019-01-04"),  # 129, a bullet
    ("发 布 日 期:2024年1月19日", "2024-01-19"),  # synthetic: spaced name, Chinese date
    ("【发布时间:2024-01-19】【来源:某局】【字体:大 中 小】", "2024-01-19"),  # synthetic: fields in brackets
    ("发布日期:20240119", "2024-01-19"),  # synthetic: no separators
])
def test_publication_date_fields_in_every_layout(line, published):
    meta = meta_of(line + "\n某局2023年政府信息公开工作年度报告\n一、总体情况\n正文。")
    assert (meta.published, meta.sources["published"]) == (published, "portal_field")


@pytest.mark.parametrize("lines,published", [
    # Synthetic, in the layout of Guangdong's gkmlpt pages: the date the document was written first,
    # then the date it was published. The publication date is the page's, wherever it stands.
    (["成文日期:2022-01-10", "发布日期:2022-01-12"], "2022-01-12"),
    (["发布机构:阳山县人民政府办公室 成文日期:2017-02-20 发布日期:2017-03-01"], "2017-03-01"),
    (["更新时间:2023-02-01", "发表时间:2023-01-30"], "2023-01-30"),
    # A page that prints only a date written or updated: that date, still a portal field.
    (["成文日期:2022-01-10"], "2022-01-10"),
    (["更新时间:2023-02-01 10:20"], "2023-02-01"),
])
def test_a_publication_date_field_before_other_dates(lines, published):
    meta = meta_of("\n".join(lines) + "\n某局2023年政府信息公开工作年度报告\n一、总体情况\n正文。")
    assert (meta.published, meta.sources["published"]) == (published, "portal_field")


@pytest.mark.parametrize("names", [
    {"发布时间": "公开日期", "发布机构": "发文机关"},
    {"发布时间": "发表时间", "发布机构": "信息来源"},
    {"发布时间": "成 文 日 期", "发布机构": "发布单位"},
])
def test_a_crawler_header_with_the_portals_own_field_names(tmp_path, names):
    # pingtan-depts/005 as a crawler that names the header's fields as the portal it crawled does
    # (synthetic, from the real file): every "key: value" line of the header is a field.
    text = (CORPUS / "pingtan-depts" / "005_guoyouzichanguanliju-2019.txt").read_text(encoding="utf-8")
    head, body = text.split("==================== 正文 ====================", 1)
    for old, new in names.items():
        head = head.replace(f"{old}:", f"{new}:")
    doc = extract_text(tmp_path, head + "==================== 正文 ====================" + body)
    assert doc["report"]["published"] == "2020-01-08"
    assert doc["report"]["agency"] == "平潭综合实验区国有资产管理局"


def test_fields_of_a_glued_metadata_block():
    # 109: 发布机构 and 文号 are empty; their values are not the next field's.
    got = [(f.name, f.value) for f in fields_of_line("发布机构发文日期 2023-01-12 20:04")]
    assert got == [("发布机构", ""), ("发文日期", "2023-01-12 20:04")]
    assert [(f.name, f.value) for f in fields_of_line("文号是否有效")] == [("文号", ""), ("是否有效", "")]


@pytest.mark.parametrize("line", ["[2024-01-19]", "【2024-01-19 10:20】"])
def test_a_date_line_in_brackets(line):
    # Synthetic date lines under a title, as portals print them.
    meta = meta_of("某局2023年政府信息公开工作年度报告\n" + line + "\n一、总体情况\n正文。")
    assert (meta.published, meta.sources["published"]) == ("2024-01-19", "header_date")


def test_a_date_with_the_day_of_the_week_is_the_portals_clock():
    # kiro/006: the portal's top bar prints the day it was fetched, 2025年12月30日 星期二, above
    # the report; the report was published on the date that closes it.
    (page,) = (CORPUS / "kiro").glob("006_*.html")
    doc = extract_file(page)
    assert (doc["report"]["published"], doc["report"]["metadata_sources"]["published"]) == (
        "2024-01-17", "closing_date")
    meta = meta_of("某局2023年政府信息公开工作年度报告\n2024年1月19日 星期五\n一、总体情况\n正文。")
    assert meta.published is None


def test_a_date_line_under_the_title():
    # 101: "2022年01月18日来源:1"; 128: "• 2024年01月31日".
    assert meta_of(excerpt("101", 5)).published == "2022-01-18"
    assert meta_of(excerpt("128", 10)).published == "2024-01-31"
    assert meta_of(excerpt("128", 10)).sources["published"] == "header_date"


@pytest.mark.parametrize("sentence,fee", [
    ("本年度没有产生信息公开处理费。", 0),  # 018
    ("我局依申请提供政府信息,不向申请人收取任何费用。", 0),  # 019
    ("2025年度我局无向申请人收取政府信息公开费用的情况,无因政府信息公开工作被追责问责的情况。", 0),  # 023
    ("截至目前,未向申请人、咨询人收取费用。", 0),  # 034
    ("无收费及减免情况。", 0),  # 035
    ("市卫生健康委信息公开工作严格按照相关规定执行,没有涉及收费的公开项目。", 0),  # 114
    ("我乡未发生政府信息公开申请,因而未发生政府信息公开的收费及减免情况。", 0),  # 118
    # Synthetic phrasings: a count before the amount (never the 0 of 100元), the 2019 template's sentence.
    ("本年度共收取信息处理费1笔,金额100元。", 100),
    ("收取信息处理费2件,共计150元。", 150),
    ("信息处理费为0。", 0),
    ("不涉及收取信息处理费。", 0),
    ("本年度发出收费通知的件数和总金额以及实际收取的总金额均为0。", 0),
    ("依法收取信息处理费。", None),
])
def test_fee_phrasings(sentence, fee):
    meta = meta_of(f"某局2023年政府信息公开工作年度报告\n六、其他需要报告的事项\n{sentence}")
    assert meta.fee_yuan == fee


def test_fee_table_of_section_six():
    # 030: 通知收取件数 | 通知收取金额(元) | 实际收取金额(元), glued "000".
    doc = extract_file(CORPUS / "pingtan-depts" / "030_supingpianqu-2024.txt")
    assert doc["fees"]["information_processing_fee_yuan"] == 0
    assert doc["report"]["metadata_sources"]["fee"] == "fee_table"
    # 019: "18000" splits two ways (1/800/0, 180/0/0); both put 0 in 实际收取金额.
    meta = meta_of("某局2023年政府信息公开工作年度报告\n六、其他需要报告的事项\n"
                   "通知收取件数通知收取金额(元)实际收取金额(元)信息处理费收取情况18000")
    assert (meta.fee_yuan, meta.sources["fee"]) == (0, "fee_table")
    # A split that leaves 实际收取金额 open gives no fee.
    meta = meta_of("某局2023年政府信息公开工作年度报告\n六、其他需要报告的事项\n"
                   "通知收取件数通知收取金额(元)实际收取金额(元)11100")
    assert meta.fee_yuan is None


def test_a_fee_word_in_a_table_label_is_no_fee(tmp_path):
    # 020_caizhengjinrongju-2021 has no section 六; its table 三 row "申请人逾期未按收费通知要求缴纳费用" is no fee.
    doc = extract_file(CORPUS / "pingtan-depts" / "020_caizhengjinrongju-2021.txt")
    assert doc["fees"]["information_processing_fee_yuan"] is None


def test_every_field_says_where_it_came_from(tmp_path):
    doc = extract_text(tmp_path, excerpt("124"))
    assert doc["report"]["metadata_sources"] == {"title": "title_line", "agency": "title", "year": "title",
                                                 "published": "portal_field"}
    json.dumps(doc)


# Synthetic: the article of a town's report, with no title of its own.
_TOWN_ARTICLE = "".join(f"<p>{line}</p>" for line in (
    "根据《中华人民共和国政府信息公开条例》规定,编制本报告。",
    "一、总体情况", "2023年,我镇认真贯彻落实条例," + "扎实推进政务公开工作," * 30 + "取得实效。"))


def test_an_html_portals_header_outside_the_article(tmp_path):
    # Synthetic page in the layout of the 平潭 portal (tests/fixtures/corpus/github/013-016): the heading and
    # the metadata block sit above the article, outside it; the article has no title of its own.
    body = _TOWN_ARTICLE
    page = ("<html><head><title>政府信息公开年报_红星镇人民政府</title></head><body>"
            "<div class='nav'><a href='/'>首页</a> > <a>政府信息公开年报</a></div>"
            "<div class='head'><h1>红星镇2023年政府信息公开工作年度报告</h1>"
            "<div>发布机构:红星镇人民政府 发布日期:2024-01-19</div></div>"
            f"<div class='article'>{body}</div></body></html>")
    doc = extract_text(tmp_path, page, "page.html")
    assert (doc["report"]["title"], doc["report"]["agency"], doc["report"]["published"]) == (
        "红星镇2023年政府信息公开工作年度报告", "红星镇", "2024-01-19")
    assert doc["report"]["metadata_sources"]["published"] == "portal_field"


def test_a_credit_to_a_governments_office_stands_for_the_government():
    # Synthetic: a county government's report compiled by its office; 117's 现公布 names the office as subject.
    meta = meta_of("本报告由红星县人民政府办公室编制。一、总体情况\n2023年,我县认真贯彻落实条例。")
    assert meta.agency == "红星县人民政府"
    assert meta_of(excerpt("117")).agency == "阳山县人民政府办公室"


@pytest.mark.parametrize("line", [
    "红星镇2023年政府信息公开工作年度报告(全文)",
    "红星镇2023年政府信息公开工作年度报告 发布时间:2024-01-10 来源:红星镇",
    "关于红星镇2023年政府信息公开工作年度报告",
    "红星镇2023年政府信息公开工作年度报告-红星镇人民政府网",
])
def test_title_notes_and_fields_on_the_title_line(line):
    # Synthetic variants of the title line.
    meta = meta_of(line + "\n一、总体情况\n正文。")
    assert (meta.title, meta.agency, meta.year) == ("红星镇2023年政府信息公开工作年度报告", "红星镇", 2023)


@pytest.mark.parametrize("line,agency,year", [
    # Synthetic titles of kinds real portals print.
    ("红星区发展和改革委员会（区粮食和物资储备局）2023年政府信息公开工作年度报告",
     "红星区发展和改革委员会(区粮食和物资储备局)", 2023),  # a merged body's second name
    ("红星镇人民政府二〇二三年政府信息公开工作年度报告", "红星镇人民政府", 2023),  # the year in Chinese numerals
    ("《红星县财政局2024年度政府信息公开工作年度报告》", "红星县财政局", 2024),
    ("红星县财政局（2024年）政府信息公开工作年度报告", "红星县财政局", 2024),  # the year in brackets
    ("红星县财政局政府信息公开工作年度报告（2024年度）", "红星县财政局", 2024),  # the year in a note after
    # Published in a notice: the body the title names, or the publisher where it names none.
    ("红星县财政局关于2024年政府信息公开工作年度报告的公告", "红星县财政局", 2024),
    ("关于公布红星县财政局2024年度政府信息公开工作年度报告的公告", "红星县财政局", 2024),
    ("红星县人民政府办公室关于印发《红星县2024年政府信息公开工作年度报告》的通知", "红星县", 2024),
])
def test_title_variants(line, agency, year):
    meta = meta_of(line + "\n一、总体情况\n正文。")
    assert (meta.agency, meta.year) == (agency, year)


def test_fee_table_line_said_as_none():
    meta = meta_of("某局2023年政府信息公开工作年度报告\n六、其他需要报告的事项\n信息处理费收取情况:无。")
    assert meta.fee_yuan == 0


# -- links to other pages: never the title -----------------------------------------

# Synthetic: a portal's list of other reports, as links (a sidebar, 相关年报), in
# the layout of the portals' column pages.
_OTHER_REPORTS = ("<div class='side'><ul><li><a href='/a.html'>某某区财政局2023年政府信息公开工作年度报告</a></li>"
                  "<li><a href='/b.html'>某某区教育局2022年政府信息公开工作年度报告</a></li></ul></div>")
# Synthetic: the links to the article before and after this one that portals print.
_PREVIOUS_NEXT = ("<div class='pn'><p>上一篇:<a href='/a.html'>某某区财政局2023年政府信息公开工作年度报告</a></p>"
                  "<p>下一篇:<a href='/b.html'>某某区教育局2022年政府信息公开工作年度报告</a></p></div>")


def _inserted(page: str, html: str, where: str) -> str:
    """The page with html put at the start of its body, or before its first table (inside the article)."""
    if where == "before the first table":
        at = page.lower().index("<table")
    else:
        body = re.search(r"<body[^>]*>", page, re.I)
        at = body.end() if body else 0
    return page[:at] + html + page[at:]


@pytest.mark.parametrize("where", ["at the start of the body", "before the first table"])
@pytest.mark.parametrize("links", [_OTHER_REPORTS, _PREVIOUS_NEXT], ids=["other reports", "previous and next"])
@pytest.mark.parametrize("pair", labelled_reports((".html", ".htm")), ids=pair_id)
def test_links_to_other_reports_are_not_the_title(tmp_path, pair, links, where):
    # Each labelled page of the fixtures, with the links of a portal (synthetic) put into it: the
    # title, agency and year are the page's own, as without them.
    report, _ = pair
    page = report.read_bytes().decode("utf-8")
    doc = extract_text(tmp_path, _inserted(page, links, where), report.name)
    fields = ("title", "agency", "year")
    assert [doc["report"].get(f) for f in fields] == [extract_file(report)["report"].get(f) for f in fields]
    assert "某某区" not in str(doc["report"])


def test_a_title_printed_only_as_a_link_is_still_the_title(tmp_path):
    # Synthetic page: the heading links to the page itself, and no other line or field holds the title.
    body = _TOWN_ARTICLE
    page = ("<html><head><title>政府信息公开年报</title></head><body>"
            "<h1><a href='#'>红星镇2023年政府信息公开工作年度报告</a></h1>"
            f"<div class='article'>{body}</div></body></html>")
    doc = extract_text(tmp_path, page, "page.html")
    assert (doc["report"]["title"], doc["report"]["agency"], doc["report"]["year"]) == (
        "红星镇2023年政府信息公开工作年度报告", "红星镇", 2023)


@pytest.mark.parametrize("prefix", ["上一篇:", "下一篇:", "上一条 ", "下篇:"])
def test_a_line_linking_to_the_next_article_is_not_the_title(prefix):
    # Synthetic crawler text: the portal's link to the next article printed above the report's own title.
    meta = meta_of(f"{prefix}某某区财政局2023年政府信息公开工作年度报告\n红星镇2022年政府信息公开工作年度报告\n"
                   "一、总体情况\n2022年,我镇认真贯彻落实条例。")
    assert (meta.title, meta.agency, meta.year) == ("红星镇2022年政府信息公开工作年度报告", "红星镇", 2022)


def test_a_breadcrumb_of_links_is_text_not_a_list_of_links():
    # Its separators are text: the last crumb, the report's title, stays a title line (synthetic).
    from extractor.readers.html import read_html
    article = "根据《中华人民共和国政府信息公开条例》规定,编制本报告。" * 20
    doc = read_html(("<html><body><div class='crumb'><a>首页</a> &gt; <a>年报</a> &gt; "
                     "<a>红星镇2023年政府信息公开工作年度报告</a></div>"
                     f"<div class='article'><p>{article}</p></div></body></html>").encode())
    assert doc.preamble_links == frozenset()
    assert any("红星镇2023年" in line for line in doc.preamble)


# -- a page printed on one line -------------------------------------------------------


def _without_crawler_header(text: str) -> str:
    """A pingtan-depts dump as a crawler that writes no header of its own leaves it (synthetic, from the real file)."""
    return text.split("==================== 正文 ====================", 1)[1]


@pytest.mark.parametrize("name,agency,year,published", [
    ("036_xingzhengshenpiju-2015", "平潭综合实验区行政审批局", 2015, "2016-03-16"),
    ("037_nongcunfazhanju-2017", "平潭综合实验区农村发展局", 2017, "2018-01-17"),
    ("032_pingtanxian-xinfangju-2011", "平潭县信访局", 2011, "2012-05-15"),
])
def test_the_head_of_a_page_printed_on_one_line(tmp_path, name, agency, year, published):
    # The page's breadcrumbs, title and fields run on into its body on one line
    # (当前位置: 首页… 平潭综合实验区行政审批局 2015年政府信息公开年度报告 来源: 时间:2016-03-16 15:45 …).
    text = _without_crawler_header((CORPUS / "pingtan-depts" / f"{name}.txt").read_text(encoding="utf-8"))
    assert len(text.strip().splitlines()[0]) > 240
    doc = extract_text(tmp_path, text)
    assert (doc["report"]["agency"], doc["report"]["year"], doc["report"]["published"]) == (agency, year, published)
    assert doc["report"]["title"].endswith("年度报告") and str(year) in doc["report"]["title"]


def test_a_long_line_that_is_no_page_gives_no_title_from_its_head():
    # Synthetic: a body paragraph that starts with a title-like sentence is not a page head.
    line = "红星镇2023年政府信息公开工作年度报告 " + "按照条例要求,我镇扎实推进政务公开工作," * 20
    meta = meta_of(line + "\n一、总体情况\n2023年,红星镇认真贯彻落实条例。")
    assert meta.title is None


def test_a_sentence_about_our_bureau_names_no_agency(tmp_path):
    # 015_nongyenongcunju-2020 without its crawler header: the text calls its body 我局 only, and
    # "结合我局政务公开工作实际" opens a sentence. No name, and it is said; never 结合我局.
    report = CORPUS / "pingtan-depts" / "015_nongyenongcunju-2020.txt"
    doc = extract_text(tmp_path, _without_crawler_header(report.read_text(encoding="utf-8")))
    assert doc["report"]["agency"] is None
    assert "agency_not_found" in codes(doc)
