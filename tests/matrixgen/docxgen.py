"""The official Word template filled with a label set's values, as one
variant of the matrix prints it.

The 2021 layout fills the blank template's three tables in place. The 2019
layout is built the same way from the template's own rows: table 二 with the
2019 rows and columns (fees and procurement with two value columns), table
三 with one （六）其他处理 row (a copy of its （七）总计 row); "hybrid" is the
2021 table 二 with that table 三. Everything around the tables (title,
section text, signature, furniture) is written anew from the label set.
"""

from __future__ import annotations

import copy
import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

import docx
from docx.oxml import parse_xml
from lxml import etree

from .cells import CellStyle, cell_text
from .labelsets import TEMPLATE, LabelSet

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NSDECL = (f'xmlns:w="{W_NS}" '
           'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
           'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
           'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


TWIPS_PER_MM = 1440 / 25.4

# (row key, columns) of each table in the template's order.
PROACTIVE_2021 = [("regulations", ["issued", "repealed", "in_force"]),
                  ("normative_documents", ["issued", "repealed", "in_force"]),
                  ("licensing", ["decisions"]), ("penalty", ["decisions"]), ("coercion", ["decisions"]),
                  ("fees", ["amount_10k_yuan"])]
APPLICATION_COLUMNS = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
                       "legal_service_org", "other_org", "total"]
APPLICATION_ROWS_2021 = [
    "new_received", "carried_over", "granted", "partially_granted",
    "denied_state_secret", "denied_prohibited_by_law", "denied_security_stability", "denied_third_party",
    "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_inquiry",
    "unable_not_held", "unable_needs_creation", "unable_unclear",
    "rejected_petition", "rejected_duplicate", "rejected_publication", "rejected_excessive",
    "rejected_confirmation", "other_no_correction", "other_no_fee", "other_other", "total_processed",
    "carried_forward"]
APPLICATION_ROWS_2019 = [*APPLICATION_ROWS_2021[:20], "other", *APPLICATION_ROWS_2021[23:]]
REVIEW_CELLS = [f"{block}.{col}" for block in ("review", "litigation_direct", "litigation_after_review")
                for col in ("upheld", "corrected", "other", "pending", "total")]
# The 2019 table 二: (kind, texts, row key, columns).
PROACTIVE_2019 = [
    ("section", ["第二十条第（一）项"], None, []),
    ("head", ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"], None, []),
    ("values", ["规章"], "regulations", ["new_made", "new_published", "total_published"]),
    ("values", ["规范性文件"], "normative_documents", ["new_made", "new_published", "total_published"]),
    ("section", ["第二十条第（五）项"], None, []),
    ("head", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], None, []),
    ("values", ["行政许可"], "licensing", ["prev_year_items", "change", "decisions"]),
    ("values", ["其他对外管理服务事项"], "other_services", ["prev_year_items", "change", "decisions"]),
    ("section", ["第二十条第（六）项"], None, []),
    ("head", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], None, []),
    ("values", ["行政处罚"], "penalty", ["prev_year_items", "change", "decisions"]),
    ("values", ["行政强制"], "coercion", ["prev_year_items", "change", "decisions"]),
    ("section", ["第二十条第（八）项"], None, []),
    ("head", ["信息内容", "上一年项目数量", "本年增/减"], None, []),
    ("values", ["行政事业性收费"], "fees", ["prev_year_items", "change"]),
    ("section", ["第二十条第（九）项"], None, []),
    ("head", ["信息内容", "采购项目数量", "采购总金额"], None, []),
    ("values", ["政府集中采购"], "procurement", ["items", "amount"]),
]

INTRO = ("本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国务院办公厅政府信息与政务公开办公室"
         "关于政府信息公开工作年度报告的有关要求编制。")
HEADINGS = {1: "一、总体情况", 2: "二、主动公开政府信息情况", 3: "三、收到和处理政府信息公开申请情况",
            4: "四、政府信息公开行政复议、行政诉讼情况", 5: "五、存在的主要问题及改进情况", 6: "六、其他需要报告的事项"}


@dataclass(frozen=True, slots=True)
class Variant:
    """One file of the matrix: a label set printed one way."""

    id: str
    family: str
    label_set: str
    seed: int = 0
    body_font: str = "Noto Serif CJK SC"
    table_font: str = "Noto Serif CJK SC"
    heading_font: str = "Noto Sans CJK SC"
    body_size: float = 12.0
    table_size: float = 10.0
    page_mm: tuple[float, float] = (210.0, 297.0)  # width, height (portrait)
    margins_mm: tuple[float, float, float, float] = (25.4, 31.8, 25.4, 31.8)  # top, right, bottom, left
    landscape: bool = False
    t3_new_page: bool = False  # table 三's heading starts a page
    t3_offset_pt: float = 0.0  # a blank of this height between table 三's heading and the table
    repeat_header: bool = False  # table 三's header rows repeat on every page
    cant_split: bool = False  # rows of table 三 may not break across pages
    t4_own_page: bool = False
    borders: str = "grid"  # "grid" | "frame" | "none"
    shading: bool = True  # the template's blue header cells
    cover: bool = False
    page_numbers: bool = False
    running_header: bool = False
    red_head: bool = False
    seal: bool = False
    cells: CellStyle = field(default_factory=CellStyle)

    @property
    def page_twips(self) -> tuple[int, int]:
        width, height = (round(x * TWIPS_PER_MM) for x in self.page_mm)
        return (height, width) if self.landscape else (width, height)


def build(variant: Variant, labels: LabelSet) -> bytes:
    """The .docx of one variant."""
    rng = random.Random(variant.seed)
    word = docx.Document(str(TEMPLATE))
    body = word.element.body
    tables = body.findall(w("tbl"))
    sect = body.find(w("sectPr"))
    texts = {key: cell_text(key, value, variant.cells, rng) for key, value in labels.cells.items()}
    proactive = _proactive_2019(tables[0]) if labels.layout == "2019" else tables[0]
    applications = _applications_2019(tables[1]) if labels.layout in ("2019", "hybrid") else tables[1]
    _fill_proactive(proactive, labels.layout, texts)
    _fill_applications(applications, labels.layout, texts)
    _fill_values(tables[2], [texts[f"review_litigation.{k}"] for k in REVIEW_CELLS], 3)
    for child in list(body):
        if child is not sect:
            body.remove(child)

    b = _Writer(body, sect, variant)
    if variant.red_head:
        b.red_head(labels)
    if variant.cover:
        b.cover(labels)
    b.para(labels.title, size=variant.body_size * 1.6, bold=True, align="center", font=variant.heading_font,
           after=12)
    b.para(INTRO)
    for number in range(1, 7):
        if number == 3 and variant.t3_new_page:
            b.page_break()
        b.para(HEADINGS[number], bold=True, font=variant.heading_font, indent=True)
        if number == 2:
            b.table(proactive)
        elif number == 3:
            if variant.t3_offset_pt:
                b.blank(variant.t3_offset_pt)
            b.table(applications)
        elif number == 4:
            if variant.t4_own_page:
                b.page_break()
            b.table(tables[2])
            if variant.t4_own_page:
                b.page_break()
        else:
            for text in labels.sections.get(number) or ["本年度无此方面情况。"]:
                b.para(text)
    b.signature(labels, word, rng)

    _style_tables(variant, (proactive, applications, tables[2]), rng)
    _page_setup(variant, sect)
    _furniture(variant, word, labels)
    word.core_properties.title = labels.title
    word.core_properties.author = "matrix (synthetic)"
    out = io.BytesIO()
    word.save(out)
    return _fixed_dates(out.getvalue())


def _fixed_dates(data: bytes) -> bytes:
    """The same archive with every member dated 1980-01-01, so that the same
    variant gives the same bytes (and the bench reuses its conversions)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


# -- tables --------------------------------------------------------------------------


def _rows(tbl: etree._Element) -> list[etree._Element]:
    return tbl.findall(w("tr"))


def _tcs(tr: etree._Element) -> list[etree._Element]:
    return tr.findall(w("tc"))


def _continued(tc: etree._Element) -> bool:
    merge = tc.find(f"{w('tcPr')}/{w('vMerge')}")
    return merge is not None and merge.get(w("val"), "continue") == "continue"


def _blank_cells(tr: etree._Element) -> list[etree._Element]:
    return [tc for tc in _tcs(tr) if not _continued(tc) and not "".join(tc.itertext()).strip(" \u3000")]


def set_text(tc: etree._Element, text: str) -> None:
    """The cell's text, in its first paragraph with that paragraph's format;
    values centred."""
    paragraphs = tc.findall(w("p"))
    first = paragraphs[0]
    for extra in paragraphs[1:]:
        tc.remove(extra)
    runs = first.findall(w("r"))
    rpr = copy.deepcopy(runs[0].find(w("rPr"))) if runs and runs[0].find(w("rPr")) is not None else None
    for child in list(first):
        if child.tag != w("pPr"):
            first.remove(child)
    if not text:
        return
    run = etree.SubElement(first, w("r"))
    if rpr is not None:
        run.append(rpr)
    t = etree.SubElement(run, w("t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _fill_values(tbl: etree._Element, texts: list[str], row: int) -> None:
    cells = _blank_cells(_rows(tbl)[row])
    assert len(cells) == len(texts), (len(cells), len(texts))
    for tc, text in zip(cells, texts, strict=True):
        set_text(tc, text)
        _centre(tc)


def _centre(tc: etree._Element) -> None:
    p = tc.find(w("p"))
    ppr = p.find(w("pPr"))
    if ppr is None:
        ppr = etree.SubElement(p, w("pPr"))
        p.insert(0, ppr)
    jc = ppr.find(w("jc"))
    if jc is None:
        jc = etree.SubElement(ppr, w("jc"))
    jc.set(w("val"), "center")


def _fill_proactive(tbl: etree._Element, layout: str, texts: dict[str, str]) -> None:
    if layout == "2019":
        rows = [(i, key, cols) for i, (kind, _, key, cols) in enumerate(PROACTIVE_2019) if kind == "values"]
    else:
        rows = list(zip((2, 3, 6, 9, 10, 13), *zip(*PROACTIVE_2021, strict=True), strict=True))
    for index, key, cols in rows:
        _fill_values(tbl, [texts[f"proactive.{key}.{c}"] for c in cols], index)


def _fill_applications(tbl: etree._Element, layout: str, texts: dict[str, str]) -> None:
    keys = APPLICATION_ROWS_2019 if layout in ("2019", "hybrid") else APPLICATION_ROWS_2021
    for offset, key in enumerate(keys):
        _fill_values(tbl, [texts[f"applications.{key}.{c}"] for c in APPLICATION_COLUMNS], 3 + offset)


def _applications_2019(tbl: etree._Element) -> etree._Element:
    """Table 三 with one （六）其他处理 row in place of its three sub-rows."""
    rows = _rows(tbl)
    other = copy.deepcopy(rows[26])  # （七）总计: the group column continued, a label over two columns
    set_text(_tcs(other)[1], "（六）其他处理")
    for tr in rows[23:26]:
        tbl.remove(tr)
    rows[26].addprevious(other)
    return tbl


def _proactive_2019(tbl: etree._Element) -> etree._Element:
    """The 2019 table 二, from the template's section, header and value rows."""
    rows = _rows(tbl)
    protos = {"section": rows[0], "head": rows[1], "values": rows[2]}
    for tr in rows:
        tbl.remove(tr)
    for kind, texts, _, cols in PROACTIVE_2019:
        tr = copy.deepcopy(protos[kind])
        tcs = _tcs(tr)
        width = len(texts) if kind != "values" else 1 + len(cols)
        if kind != "section" and width == 3:
            _merge_last_two(tr)
            tcs = _tcs(tr)
        for tc, text in zip(tcs, texts, strict=False):
            set_text(tc, text)
        for tc in tcs[len(texts):]:
            set_text(tc, "")
        tbl.append(tr)
    return tbl


def _merge_last_two(tr: etree._Element) -> None:
    tcs = _tcs(tr)
    last, before = tcs[-1], tcs[-2]
    props = before.find(w("tcPr"))
    width = props.find(w("tcW"))
    other = last.find(f"{w('tcPr')}/{w('tcW')}")
    width.set(w("w"), str(int(width.get(w("w"))) + int(other.get(w("w")))))
    span = etree.Element(w("gridSpan"))
    span.set(w("val"), "2")
    width.addnext(span)
    tr.remove(last)


_BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")


def _style_tables(variant: Variant, tables: tuple[etree._Element, ...], rng: random.Random) -> None:
    usable = variant.page_twips[0] - round((variant.margins_mm[1] + variant.margins_mm[3]) * TWIPS_PER_MM)
    for index, tbl in enumerate(tables):
        _fonts(tbl, variant.table_font, variant.table_size)
        _fit_width(tbl, usable)
        if variant.borders != "grid":
            _borders(tbl, variant.borders)
        if not variant.shading:
            for shd in tbl.iter(w("shd")):
                shd.set(w("fill"), "auto")
        rows = _rows(tbl)
        if index == 1:
            for r, tr in enumerate(rows):
                trpr = tr.find(w("trPr"))
                if trpr is None:
                    trpr = etree.Element(w("trPr"))
                    tr.insert(1 if tr.find(w("tblPrEx")) is not None else 0, trpr)
                if variant.repeat_header and r < 3:
                    trpr.insert(0, etree.Element(w("tblHeader")))
                if variant.cant_split:
                    trpr.insert(0, etree.Element(w("cantSplit")))


def _fit_width(tbl: etree._Element, usable: int) -> None:
    """Scale the table to the text width when it is wider (the template's
    tables are 17 cm wide: they would run off a small page)."""
    tblw = tbl.find(f"{w('tblPr')}/{w('tblW')}")
    total = int(tblw.get(w("w")))
    if total <= usable:
        return
    factor = usable / total
    for el in [tblw, *tbl.iter(w("gridCol")), *tbl.iter(w("tcW"))]:
        el.set(w("w"), str(int(int(el.get(w("w"))) * factor)))


def _borders(tbl: etree._Element, kind: str) -> None:
    for el in [*tbl.iter(w("tcBorders")), *tbl.iter(w("tblPrEx"))]:
        el.getparent().remove(el)
    tblpr = tbl.find(w("tblPr"))
    old = tblpr.find(w("tblBorders"))
    if old is not None:
        tblpr.remove(old)
    borders = etree.Element(w("tblBorders"))
    for side in _BORDER_SIDES:
        el = etree.SubElement(borders, w(side))
        outer = side not in ("insideH", "insideV")
        el.set(w("val"), "single" if kind == "frame" and outer else "nil")
        el.set(w("sz"), "8")
        el.set(w("space"), "0")
        el.set(w("color"), "000000")
    # tblBorders goes after tblW/jc in the schema's order.
    anchor = tblpr.find(w("jc")) if tblpr.find(w("jc")) is not None else tblpr.find(w("tblW"))
    anchor.addnext(borders)


def _fonts(root: etree._Element, font: str, size: float) -> None:
    for run in root.iter(w("r")):
        rpr = run.find(w("rPr"))
        if rpr is None:
            rpr = etree.Element(w("rPr"))
            run.insert(0, rpr)
        _set_run_format(rpr, font, size)


def _set_run_format(rpr: etree._Element, font: str, size: float, bold: bool | None = None,
                    color: str | None = None) -> None:
    for tag in ("rFonts", "b", "bCs", "color", "sz", "szCs"):
        old = rpr.find(w(tag))
        if old is not None and (tag not in ("b", "bCs") or bold is not None):
            rpr.remove(old)
    fonts = etree.Element(w("rFonts"))
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(w(attr), font)
    rpr.insert(0, fonts)
    if bold:
        rpr.append(etree.Element(w("b")))
    if color:
        el = etree.SubElement(rpr, w("color"))
        el.set(w("val"), color)
    for tag in ("sz", "szCs"):
        el = etree.SubElement(rpr, w(tag))
        el.set(w("val"), str(round(size * 2)))


# -- the body around the tables -----------------------------------------------------------


class _Writer:
    """Appends paragraphs and tables to the body, before its section
    properties."""

    def __init__(self, body: etree._Element, sect: etree._Element, variant: Variant) -> None:
        self.body, self.sect, self.variant = body, sect, variant

    def _add(self, el: etree._Element) -> etree._Element:
        self.sect.addprevious(el)
        return el

    def para(self, text: str, *, size: float | None = None, bold: bool = False, align: str = "both",
             font: str | None = None, color: str | None = None, indent: bool | None = None, after: float = 0,
             border_bottom: str | None = None) -> etree._Element:
        size = size or self.variant.body_size
        p = etree.Element(w("p"))
        ppr = etree.SubElement(p, w("pPr"))
        spacing = etree.SubElement(ppr, w("spacing"))
        spacing.set(w("before"), "0")
        spacing.set(w("after"), str(round(after * 20)))
        spacing.set(w("line"), str(round(size * 1.5 * 20)))
        spacing.set(w("lineRule"), "exact" if size <= 22 else "auto")
        if border_bottom:
            pbdr = etree.SubElement(ppr, w("pBdr"))
            bottom = etree.SubElement(pbdr, w("bottom"))
            for k, v in (("val", "single"), ("sz", "24"), ("space", "1"), ("color", border_bottom)):
                bottom.set(w(k), v)
        if indent if indent is not None else align == "both":
            ind = etree.SubElement(ppr, w("ind"))
            ind.set(w("firstLine"), str(round(size * 2 * 20)))
        jc = etree.SubElement(ppr, w("jc"))
        jc.set(w("val"), align)
        if text:
            run = etree.SubElement(p, w("r"))
            rpr = etree.SubElement(run, w("rPr"))
            _set_run_format(rpr, font or self.variant.body_font, size, bold=bold, color=color)
            t = etree.SubElement(run, w("t"))
            t.text = text
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return self._add(p)

    def blank(self, height_pt: float) -> None:
        """A blank paragraph this tall (one line and the space after it)."""
        p = self.para("\u3000", indent=False)
        line = self.variant.body_size * 1.5
        spacing = p.find(f"{w('pPr')}/{w('spacing')}")
        spacing.set(w("after"), str(round(max(height_pt - line, 0) * 20)))

    def page_break(self) -> None:
        self._add(parse_xml(f'<w:p {_NSDECL}><w:r><w:br w:type="page"/></w:r></w:p>'))

    def table(self, tbl: etree._Element) -> None:
        self._add(tbl)

    def red_head(self, labels: LabelSet) -> None:
        size = self.variant.body_size
        self.para(f"{labels.agency}文件", size=min(max(size * 2.2, 24), 30), bold=True, align="center",
                  font=self.variant.heading_font, color="FF0000", after=6)
        self.para(f"〔{labels.year + 1}〕{labels.year % 97 + 1}号", align="center", after=2,
                  border_bottom="FF0000")
        self.para("", after=6)

    def cover(self, labels: LabelSet) -> None:
        size = self.variant.body_size
        self.blank(120)
        self.para(labels.agency, size=size * 2.2, bold=True, align="center", font=self.variant.heading_font,
                  after=18)
        self.para(f"{labels.year}年政府信息公开工作年度报告", size=size * 2.2, bold=True, align="center",
                  font=self.variant.heading_font)
        self.blank(200)
        self.para(_date(labels), size=size * 1.3, align="center")
        self.page_break()

    def signature(self, labels: LabelSet, word: docx.document.Document, rng: random.Random) -> None:
        self.para("", after=12)
        sign = self.para(labels.agency, align="right", indent=False)
        self.para(_date(labels), align="right", indent=False)
        if self.variant.seal:
            width = self.variant.page_twips[0] / TWIPS_PER_MM - self.variant.margins_mm[1] - self.variant.margins_mm[3]
            _seal_picture(word, etree.SubElement(sign, w("r")), rng, width)


def _date(labels: LabelSet) -> str:
    if labels.published:
        year, month, day = (int(x) for x in labels.published.split("-"))
    else:
        year, month, day = labels.year + 1, 1, 20
    return f"{year}年{month}月{day}日"


def _seal_picture(word: docx.document.Document, run: etree._Element, rng: random.Random, text_width_mm: float) -> None:
    """A red seal floating over the signature (in front of the text), as
    a stamped report scans or a digital seal prints."""
    png = seal_png(rng)
    rid, _ = word.part.get_or_add_image(io.BytesIO(png))
    size = 36 * 36000  # 36 mm in EMU
    anchor = parse_xml(
        f'<wp:anchor {_NSDECL} distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251659264" '
        f'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        f'<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="column">'
        f'<wp:posOffset>{round((text_width_mm - 40 + rng.randint(-8, 4)) * 36000)}</wp:posOffset>'
        f'</wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{-rng.randint(8, 14) * 36000}</wp:posOffset>'
        f'</wp:positionV>'
        f'<wp:extent cx="{size}" cy="{size}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="1" name="seal"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="seal.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{size}" cy="{size}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        f'</wp:anchor>')
    etree.SubElement(run, w("drawing")).append(anchor)


def seal_png(rng: random.Random, side: int = 160) -> bytes:
    """A red ring with a five-pointed star, on a transparent ground (RGBA)."""
    import math

    cx = cy = side / 2
    outer, inner = side * 0.48, side * 0.42
    star = [(cx + side * 0.18 * math.sin(math.radians(a)) * (1 if i % 2 == 0 else 0.4),
             cy - side * 0.18 * math.cos(math.radians(a)) * (1 if i % 2 == 0 else 0.4))
            for i, a in enumerate(range(0, 360, 36))]
    alpha = rng.randint(150, 220)
    rows = []
    for y in range(side):
        row = bytearray([0])
        for x in range(side):
            r = math.hypot(x - cx, y - cy)
            on = inner <= r <= outer or _inside(star, x, y)
            row += bytes((220, 20, 30, alpha)) if on else bytes(4)
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _inside(poly: list[tuple[float, float]], x: float, y: float) -> bool:
    inside = False
    for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


# -- page and furniture ----------------------------------------------------------------------


def _page_setup(variant: Variant, sect: etree._Element) -> None:
    width, height = variant.page_twips
    size = sect.find(w("pgSz"))
    size.set(w("w"), str(width))
    size.set(w("h"), str(height))
    if variant.landscape:
        size.set(w("orient"), "landscape")
    margins = sect.find(w("pgMar"))
    top, right, bottom, left = (round(x * TWIPS_PER_MM) for x in variant.margins_mm)
    for name, value in (("top", top), ("right", right), ("bottom", bottom), ("left", left)):
        margins.set(w(name), str(value))
    margins.set(w("header"), str(min(top // 2, 851)))
    margins.set(w("footer"), str(min(bottom // 2, 992)))


def _furniture(variant: Variant, word: docx.document.Document, labels: LabelSet) -> None:
    section = word.sections[0]
    if variant.running_header:
        header = section.header
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.text = labels.title
        p.alignment = 2  # right
        for run in p.runs:
            _set_run_format(run._r.get_or_add_rPr(), variant.body_font, 9)
        ppr = p._p.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:pBdr {_NSDECL}><w:bottom w:val="single" w:sz="6" w:space="1" '
                             f'w:color="000000"/></w:pBdr>'))
    if variant.page_numbers:
        footer = section.footer
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = 1  # centre
        font = variant.body_font
        p._p.append(parse_xml(
            f'<w:r {_NSDECL}><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>'
            f'<w:sz w:val="28"/></w:rPr><w:t xml:space="preserve">- </w:t></w:r>'))
        p._p.append(parse_xml(
            f'<w:fldSimple {_NSDECL} w:instr=" PAGE "><w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/>'
            f'<w:sz w:val="28"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'))
        p._p.append(parse_xml(
            f'<w:r {_NSDECL}><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>'
            f'<w:sz w:val="28"/></w:rPr><w:t xml:space="preserve"> -</w:t></w:r>'))
