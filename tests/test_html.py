"""The HTML reader: charsets, page furniture, merged cells, Word markup and
tables turned into one paragraph per cell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPUS, SEED_LABEL
from synth import table_rows

from extractor.evaluate import load_label, score
from extractor.model import Grid, Paragraph
from extractor.pipeline import extract_bytes, extract_file
from extractor.readers.html import read_html

SEED_CELLS = json.loads(SEED_LABEL.read_text(encoding="utf-8"))["cells"]
PAGE = CORPUS / "github" / "013_pingtan_2025_page.html"


def _grid_page(cells: dict) -> str:
    """Synthetic page: the seed's real values as one real <table> per table."""
    body = ["<h1>示例市测试局2023年政府信息公开工作年度报告</h1>", "<p>发布日期：2024-01-20</p>",
            "<p>一、总体情况</p><p>测试用合成页面。</p>"]
    current = None
    for label, values, table in table_rows(cells):
        if table == "section":
            if current:
                body.append("</table>")
            body.append(f"<p>{label}</p><table border=1>")
            current = True
            continue
        tds = f"<td>{label}</td>" if label else ""
        tds += "".join(f"<td>{v}</td>" for v in values or [])
        body.append(f"<tr>{tds}</tr>")
    body.append("</table><p>五、存在的主要问题及改进情况</p><p>无。</p><p>六、其他需要报告的事项</p><p>无。</p>")
    return "<html><head><meta charset='{cs}'><title>t</title></head><body>" + "".join(body) + "</body></html>"


def test_charset_from_meta_gbk(tmp_path: Path):
    page = tmp_path / "gbk.html"
    page.write_bytes(_grid_page(SEED_CELLS).format(cs="gbk").encode("gbk"))
    doc = extract_file(page)
    assert doc["report"]["agency"] == "示例市测试局"
    assert score(doc, {"cells": SEED_CELLS}).right == 200


def test_charset_from_http_equiv_and_bom(tmp_path: Path):
    html = _grid_page(SEED_CELLS).replace("<meta charset='{cs}'>",
                                          "<meta http-equiv='Content-Type' content='text/html; charset=gb2312'>")
    page = tmp_path / "equiv.html"
    page.write_bytes(html.encode("gb18030"))
    assert score(extract_file(page), {"cells": SEED_CELLS}).right == 200
    bom = tmp_path / "bom.html"
    bom.write_bytes(b"\xef\xbb\xbf" + _grid_page(SEED_CELLS).replace("<meta charset='{cs}'>", "").encode())
    assert score(extract_file(bom), {"cells": SEED_CELLS}).right == 200


def test_undeclared_gbk_fragment(tmp_path: Path):
    page = tmp_path / "frag.html"
    page.write_bytes(_grid_page(SEED_CELLS).replace("<meta charset='{cs}'>", "").encode("gb18030"))
    assert score(extract_file(page), {"cells": SEED_CELLS}).right == 200


def test_portal_page_keeps_the_article_and_drops_navigation():
    doc = read_html(PAGE.read_bytes())
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert texts[1] == "一、总体情况"
    assert not any("当前位置" in t or t == "首页" for t in texts)
    assert not any("function" in t or "var " in t for t in texts)
    assert sum(isinstance(b, Grid) for b in doc.blocks) == 3
    assert doc.meta["发布时间"] == "2026-03-10 12:56"


def test_merged_cells_are_expanded_with_their_origin():
    doc = read_html(PAGE.read_bytes())
    apps = [b for b in doc.blocks if isinstance(b, Grid)][1]
    row = next(r for r in apps.rows if r[0].text.startswith("一、本年新收"))
    # The label spans three columns: one origin, three copies.
    assert row[0].text == row[1].text == row[2].text and row[0].origin == row[2].origin
    assert [c.text for c in row[3:]] == ["151", "3", "0", "0", "0", "0", "154"]


def test_word_markup_in_cells(tmp_path: Path):
    # Synthetic Word-pasted cells: <o:p>, &nbsp;, <br> and one <p> per character.
    html = ("<html><body><p>示例市测试局2023年政府信息公开工作年度报告</p><p>三、收到和处理政府信息公开申请情况</p>"
            "<table><tr><td><p>本年新收政府信<br>息公开申请数量</p></td><td><span>3<o:p></o:p></span></td>"
            "<td>&nbsp;<o:p>&nbsp;</o:p></td><td>0</td><td>0</td><td>0</td><td>0</td><td>3</td></tr>"
            "<tr><td><p>结</p><p>果</p><p>维</p><p>持</p></td></tr></table></body></html>")
    doc = read_html(html.encode())
    grid = next(b for b in doc.blocks if isinstance(b, Grid))
    assert grid.rows[0][0].text == "本年新收政府信息公开申请数量"
    assert grid.rows[0][1].text == "3" and grid.rows[0][2].text == ""
    assert grid.rows[1][0].text == "结果维持"


def test_table_turned_into_one_paragraph_per_cell(tmp_path: Path):
    # Synthetic: the portal flattened the tables into <p> elements, one per cell.
    paragraphs = ["<p>示例市测试局2023年政府信息公开工作年度报告</p>", "<p>一、总体情况</p><p>合成页面。</p>"]
    for label, values, _ in table_rows(SEED_CELLS):
        paragraphs += [f"<p>{x}</p>" for x in ([label] if label else []) + (values or [])]
    paragraphs.append("<p>五、存在的主要问题及改进情况</p><p>无。</p><p>六、其他需要报告的事项</p><p>无。</p>")
    page = tmp_path / "ps.html"
    page.write_text("<html><body><div class='nav'><a href='/'>首页</a></div><div class='article'>"
                    + "".join(paragraphs) + "</div><script>var x=1;</script></body></html>", encoding="utf-8")
    doc = extract_file(page)
    assert score(doc, {"cells": SEED_CELLS}).right == 200
    assert doc["source"]["format"] == "html"


def test_published_paths_are_libxml2s_in_the_page_before_anything_was_removed():
    """Sources name elements by their XPath in the page as published; the
    reader removes hidden and dropped elements first, and works the paths out
    afterwards for the elements a source names. Over every HTML page of the
    corpus and a synthetic one (hidden namesakes, at the start and between):
    the same paths as lxml's getpath before removal."""
    from lxml import etree

    from extractor.readers.html import PublishedPaths, _drop, _parser

    synthetic = ("<html><body><div style='display:none'><p>x</p></div><div><p>a</p><p hidden style='display:none'>b"
                 "</p><p>c</p><script>s</script><p>d</p></div><table><tr style='display:none'><td>1</td></tr>"
                 "<tr><td>2</td><td style='visibility:hidden'>3</td><td>4</td></tr></table></body></html>")
    pages = [p.read_bytes() for p in sorted(CORPUS.rglob("*.htm*"))] + [synthetic.encode()]
    checked = 0
    for data in pages:
        root = etree.fromstring(data, _parser())
        removed = [el for el in root.iter() if el.tag in ("script", "style", "head")
                   or "none" in (el.get("style") or "") or "hidden" in (el.get("style") or "")]
        published = {el: root.getroottree().getpath(el) for el in root.iter() if isinstance(el.tag, str)}
        paths = PublishedPaths(removed)
        for el in removed:
            _drop(el)
        kept = [el for el in root.iter() if isinstance(el.tag, str)]
        assert all(paths(el) == published[el] for el in kept)
        checked += len(kept)
    assert checked > 4000


def test_what_a_page_hides_is_not_read_in_any_case_of_its_style():
    # Synthetic: hidden paragraphs styled as portals write it, upper case and spaced included.
    hidden = ["display:none", "DISPLAY: NONE", "Visibility : Hidden", "color:red;display :none"]
    shown = ["display:block", "border:none", "visibility:visible", "text-decoration:none"]
    page = "<html><body>" + "".join(f"<p style='{s}'>藏{i}</p>" for i, s in enumerate(hidden)) + \
        "".join(f"<p style='{s}'>显{i}</p>" for i, s in enumerate(shown)) + "</body></html>"
    texts = [b.text for b in read_html(page.encode("utf-8")).blocks if isinstance(b, Paragraph)]
    assert texts == [f"显{i}" for i in range(len(shown))]


def test_a_table_shown_as_an_image_is_said(tmp_path: Path):
    # 016 (a real 平潭 portal page) with its table 三 replaced by an image of it, as portals that paste
    # a screenshot of the table show it (synthetic, from the real page): the table is missing, and the
    # warning says the page shows an image there; the page's icons (declared smaller) are not counted.
    page = (CORPUS / "github" / "016_pingtan_2022_page.html").read_text(encoding="utf-8")
    assert read_html(page.encode("utf-8")).pictures == 0
    start = page.index("<table", page.index("三、收到和处理政府信息公开申请情况"))
    end = page.index("</table>", start) + len("</table>")
    path = tmp_path / "page.html"
    path.write_text(page[:start] + '<p><img src="/upload/t3.png"><img src="/images/print.gif" width="16"></p>'
                    + page[end:], encoding="utf-8")
    doc = extract_file(path)
    assert doc["tables"]["applications"]["status"] == "missing"
    note = next(w for w in doc["warnings"] if w["code"] == "picture_not_read")
    assert note["message"].startswith("the page shows an image in its text")
    as_published = extract_file(CORPUS / "github" / "016_pingtan_2022_page.html")
    assert "picture_not_read" not in [w["code"] for w in as_published["warnings"]]


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", b""), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_a_page_saved_in_utf16_without_a_suffix_is_a_page(encoding: str, bom: bytes):
    # The synthetic sample page saved as "Unicode" (UTF-16) under a name with no suffix: its markup is
    # found in the decoded head, not looked for in the raw bytes (it was read as text, markup and all).
    page = CORPUS / "synthetic" / "sample_report_2021_template.html"
    data = bom + page.read_text(encoding="utf-8").encode(encoding)
    truth = load_label(CORPUS / "synthetic" / "sample_report_2021_template.truth.json")
    assert score(extract_bytes(data, Path("report")), truth).right == 200
