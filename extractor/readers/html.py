"""HTML reports: whole portal pages as crawled, or article fragments.

The page is decoded (BOM, declared charset, else UTF-8 then GB18030), scripts,
styles and navigation are dropped, the article body is found as the smallest
element holding most of the page's running text, and the body is walked in
order: text becomes paragraphs, each real <table> becomes a grid with its
rowspan/colspan cells expanded.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache

from lxml import etree

from ..errors import ExtractError
from ..model import Document, Grid, Paragraph, Source
from ..normalize import normalize
from .encoding import declared_html_charset, decode
from .grid import MAX_GRID_CELLS, MAX_SPAN, Placed, build_rows, join_lines

_DROP_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "select", "button", "svg",
              "template", "head", "nav", "form", "input", "textarea")
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
               "section", "article", "header", "footer", "main", "aside", "blockquote", "pre",
               "center", "address", "figure", "figcaption", "table", "tr", "hr", "body", "html"}
_BLOCKS_AND_CELLS = frozenset(_BLOCK_TAGS | {"td", "th"})
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")  # on the lower-cased style
_META_FIELDS = {"articletitle": "标题", "pubdate": "发布时间", "contentsource": "来源",
                "publishdate": "发布时间", "firstpublishedtime": "发布时间", "description": "描述"}


def read_html(data: bytes) -> Document:
    text, _ = decode(data, declared_html_charset(data))
    # lxml refuses str input that carries an XML encoding declaration.
    # Its newlines are kept: sources name the page's lines.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", lambda m: "\n" * m.group(0).count("\n"), text)
    if not text or text.isspace():  # (not text.strip(), which copies the page)
        raise ExtractError("the page is empty", code="empty")
    parser = _parser()
    try:
        root = etree.fromstring(text, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ExtractError(f"the page is not readable HTML ({exc})", code="html") from exc
    if any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for e in parser.error_log):
        # libxml2 stops at this depth even with huge_tree, and drops the rest
        # of the page: without this, every table in it was lost silently.
        raise ExtractError(f"the page's markup is nested more than {MAX_DEPTH} elements deep, beyond what the "
                           "HTML parser reads; the rest of the page would be lost", code="html")
    if root is None:
        raise ExtractError("the page has no HTML content", code="empty")
    hidden = _hidden_checking_spans(root)
    meta = _page_meta(root)
    # What is dropped: scripts, styles, navigation and the like, comments
    # (lxml's tag filter finds them); and what the page hides with its style.
    dropped = list(root.iter(*_DROP_TAGS, etree.Comment, etree.ProcessingInstruction, etree.Entity))
    paths = PublishedPaths(dropped + hidden)
    for el in dropped:
        _drop(el)
    for el in hidden:
        _drop(el)
    body = root.find("body")
    if body is None:
        body = root
    article = _article(body)
    blocks = _Walker(paths=paths).walk(article)
    preamble, links = _preamble(body, article)
    return Document(blocks=blocks, format="html", meta=meta, preamble=preamble, preamble_links=links,
                    pictures=sum(1 for img in article.iter("img") if not _icon(img)))


# An image declared smaller than this (pixels, either side) is an icon: a
# print or share button, a bullet, never a table.
_ICON_SIZE = 100


def _icon(img: etree._Element) -> bool:
    for side in ("width", "height"):
        m = re.match(r"\s*(\d+)", img.get(side) or "")
        if m and int(m.group(1)) < _ICON_SIZE:
            return True
    return False


# libxml2's depth limit with huge_tree (256 without it: a page nested 254
# divs deep lost every table). The tree walks below recurse once a level.
MAX_DEPTH = 2048
sys.setrecursionlimit(max(sys.getrecursionlimit(), 2 * MAX_DEPTH + 1000))


@lru_cache(maxsize=4096)
def _hides(style: str) -> bool:
    """A style attribute that hides its element (most styles name neither
    property: the regex runs only where one is named; a page repeats a few
    styles over its elements, each judged once)."""
    style = style.lower()
    return ("display" in style or "visibility" in style) and _HIDDEN.search(style) is not None


def _hidden_checking_spans(root: etree._Element) -> list[etree._Element]:
    """The elements the page hides with their style (not those dropped
    anyway); and first, a page is refused whose cells cover more grid slots
    than any report's tables (5,000 cells of rowspan and colspan 200 took
    2.4 GB before failing): slotting the cells takes memory for every slot
    they cover. (Two passes, the cells found by lxml, cost less than one
    that asks each element for its tag.)"""
    covered = 0
    for cell in root.iter("td", "th"):
        rowspan, colspan = cell.get("rowspan"), cell.get("colspan")
        covered += 1 if rowspan is None and colspan is None else _span(rowspan) * _span(colspan)
        if covered > MAX_GRID_CELLS:
            raise ExtractError(f"the page's table cells span more than {MAX_GRID_CELLS:,} cells in all, more "
                               "than any report's tables: the markup is damaged or hostile", code="too_large")
    hidden: list[etree._Element] = []
    for el in root.iter():
        style = el.get("style")  # (None for a comment or processing instruction)
        if style is not None and _hides(style) and el.tag not in _DROP_TAGS:
            hidden.append(el)
    return hidden


def _parser() -> etree.HTMLParser:
    """A parser per page: its error log is read after the parse."""
    return etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=True)


def _drop(el: etree._Element) -> None:
    """Remove el but keep the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _text(el: etree._Element) -> str:
    """The element's text and its descendants' (what itertext() yields,
    joined, in a tenth of the time)."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def _page_meta(root: etree._Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    title = root.find(".//title")
    if title is not None and _text(title).strip():
        meta["页面标题"] = normalize(_text(title))
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or "").strip().lower()
        content = normalize(el.get("content") or "")
        if name in _META_FIELDS and content:
            meta.setdefault(_META_FIELDS[name], content)
    return meta


def _cjk_weights(root: etree._Element) -> dict[etree._Element, int]:
    """CJK characters of running text under each element, link text excluded
    (navigation is mostly links). Each text counts for the element it is in
    (a child's tail is its parent's text) and that element's ancestors, up to
    and including the first <a> (whose text its parent does not count). One
    pass over the elements in reverse document order, where every element
    comes after its descendants: each has its own text counted, then hands
    its weight and its tail's to its parent (rather than walking up from
    each text; most of a page's text is indentation, passed over as ASCII)."""
    weights: dict[etree._Element, int] = {}
    # (Elements only: a comment's or processing instruction's text is not
    # read, nor is its tail.)
    for el in reversed(list(root.iterdescendants("*"))):
        weight = weights.get(el, 0)
        text = el.text
        if text and not text.isascii():
            weight += _cjk_count(text)
        if weight:
            weights[el] = weight
        tail = el.tail
        tail_weight = _cjk_count(tail) if tail and not tail.isascii() else 0
        if el.tag == "a":
            weight = 0
        if weight or tail_weight:
            parent = el.getparent()
            weights[parent] = weights.get(parent, 0) + weight + tail_weight
    # The root last: its tail is not under it.
    weight = weights.get(root, 0)
    text = root.text
    if text and not text.isascii():
        weight += _cjk_count(text)
    if weight:
        weights[root] = weight
    return weights


_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]+")


def _cjk_count(text: str) -> int:
    """CJK characters in the text (what is left when the rest is cut out: in
    half the time of finding each)."""
    return len(_NOT_CJK.sub("", text))


def _article(body: etree._Element) -> etree._Element:
    """Descend from <body> while one child holds most of the running text."""
    weights = _cjk_weights(body)
    node = body
    while True:
        weight = weights.get(node, 0)
        children = [c for c in node if isinstance(c.tag, str) and c.tag not in ("table", "tr", "tbody")]
        if not children or weight == 0:
            return node
        best = max(children, key=lambda c: weights.get(c, 0))
        if weights.get(best, 0) < 0.8 * weight:
            return node
        node = best


_PREAMBLE_LINES = 60


def _preamble(body: etree._Element, article: etree._Element) -> tuple[list[str], frozenset[int]]:
    """The text printed before the article, outside it: what precedes it under
    each of its ancestors, in page order; and which of its lines that could
    be a title are nothing but links."""
    before: list[etree._Element] = []
    node = article
    while node is not body and node.getparent() is not None:
        parent = node.getparent()
        siblings = []
        for child in parent:
            if child is node:
                break
            siblings.append(child)
        before[:0] = siblings
        node = parent
    walker = _Walker(sources=False)
    for el in before:
        walker._visit(el)
    walker._flush()
    paragraphs = [b for b in walker.blocks if isinstance(b, Paragraph)][-_PREAMBLE_LINES:]
    return [p.text for p in paragraphs], frozenset(i for i, p in enumerate(paragraphs) if p.links_only)


# The text of an element outside any link, blanks aside.
_UNLINKED_TEXT = etree.XPath(".//text()[not(ancestor::a)][normalize-space()]")
# Longer lines are never a title (metadata.titles._LONGEST_LINE).
_TITLE_LENGTH = 240


def _links_only(text: str, element: etree._Element | None) -> bool:
    """Is a line that could be a title (it holds 报) nothing but links: an
    item of a menu, of a list of other reports? A breadcrumb is not (its
    separators are text). (Asked of those lines only: an XPath per line.)"""
    return ("报" in text and len(text) <= _TITLE_LENGTH and element is not None
            and not _UNLINKED_TEXT(element))


class _Walker:
    """Walks an element tree in document order into paragraphs and grids."""

    def __init__(self, sources: bool = True, paths: PublishedPaths | None = None) -> None:
        self.blocks: list[Paragraph | Grid] = []
        self.paths = paths if paths is not None else PublishedPaths()
        self.parts: list[str] = []
        self.sources = sources  # record where each block is (provenance)
        self.owner: etree._Element | None = None  # the block element the text in `parts` is in
        self.tables = 0

    def walk(self, el: etree._Element) -> list[Paragraph | Grid]:
        self._visit(el)
        self._flush()
        return self.blocks

    def _flush(self) -> None:
        if not self.parts:
            return  # (most flushes: a block's end right after another's)
        text = normalize("".join(self.parts))
        self.parts = []
        if text:
            self.blocks.append(Paragraph(text, source=_source(self.owner, self.paths) if self.sources else None,
                                         links_only=_links_only(text, self.owner)))

    def _visit(self, el: etree._Element) -> None:
        tag = el.tag  # (a comment's is a function: no block)
        if tag == "table" and not _has_nested_table(el):
            self._flush()
            grid = table_grid(el, self.sources, self.paths)
            if grid.rows:
                if self.sources:
                    grid.source = _source(el, self.paths, table=self.tables)
                self.tables += 1
                self.blocks.append(grid)
            self._tail(el)
            return
        if tag == "br":
            self._flush()
            self._tail(el)
            return
        block = tag in _BLOCKS_AND_CELLS
        outer = self.owner
        if block:
            self._flush()
            self.owner = el
        text = el.text
        if text:
            self.parts.append(text)
        for child in el:
            self._visit(child)
        if block:
            self._flush()
            self.owner = outer
        tail = el.tail
        if tail:
            self.parts.append(tail)

    def _tail(self, el: etree._Element) -> None:
        if el.tail:
            self.parts.append(el.tail)


def _source(el: etree._Element | None, paths: PublishedPaths, table: int | None = None) -> Source | None:
    if el is None:
        return None
    return Source(element=el, paths=paths, sourceline=el.sourceline, table=table)


class PublishedPaths:
    """The XPaths of elements in the page as published, asked for after the
    hidden and dropped elements were removed (a hidden <p> before a visible
    one makes it p[1] in what is read but p[2] in the page). Worked out only
    for the elements a source names, each path from its parent's (kept), each
    parent's children numbered once: as libxml2's getpath numbers them (an
    index only where the element has a namesake among its siblings)."""

    def __init__(self, removed: list[etree._Element] | tuple = ()) -> None:
        # (parent, tag) -> the 1-based places among their namesakes that removed elements held, in order
        self.gaps: dict[tuple[etree._Element, str], list[int]] = {}
        for el in removed:
            parent = el.getparent()
            if parent is not None and isinstance(el.tag, str):
                place = 1 + sum(1 for _ in el.itersiblings(el.tag, preceding=True))
                self.gaps.setdefault((parent, el.tag), []).append(place)
        for places in self.gaps.values():
            places.sort()
        self.gapped = {parent for parent, _ in self.gaps}
        self.paths: dict[etree._Element, str] = {}

    def __call__(self, el: etree._Element) -> str:
        path = self.paths.get(el)
        if path is None:
            parent = el.getparent()
            if parent is None:
                path = self.paths[el] = "/" + el.tag
            else:
                # Every child of the parent at once: the next cell of a row
                # finds its path made.
                self._name_children(parent, self(parent))
                path = self.paths[el]
        return path

    def _name_children(self, parent: etree._Element, parent_path: str) -> None:
        children = [child for child in parent if isinstance(child.tag, str)]
        count: dict[str, int] = {}
        for child in children:
            count[child.tag] = count.get(child.tag, 0) + 1
        seen: dict[str, int] = {}
        if parent not in self.gapped:  # (most parents: no child of theirs was removed)
            for child in children:
                tag = child.tag
                if count[tag] > 1:
                    place = seen[tag] = seen.get(tag, 0) + 1
                    self.paths[child] = f"{parent_path}/{tag}[{place}]"
                else:
                    self.paths[child] = f"{parent_path}/{tag}"
            return
        for child in children:
            tag = child.tag
            place = seen[tag] = seen.get(tag, 0) + 1
            gaps = self.gaps.get((parent, tag), ())
            for gap in gaps:
                if gap <= place:
                    place += 1
            step = f"{tag}[{place}]" if count[tag] + len(gaps) > 1 else tag
            self.paths[child] = f"{parent_path}/{step}"


def _has_nested_table(table: etree._Element) -> bool:
    return any(True for _ in table.iterdescendants("table"))


_LINE_TAGS = ("br", "p", "div", "li")


def cell_text(cell: etree._Element) -> str:
    """A cell's text: its inner lines joined without a space between Chinese
    characters (labels are often broken with <br> or one <p> per character)."""
    # Most cells hold their text in a <p> or <span> or two with nothing
    # inside: their text is read straight from the children, as the marking
    # below would give it (a line break before a block's text and after each
    # break), without touching the tree (a cell took 6 µs, most of it that).
    parts = [cell.text or ""]
    lines = False
    for child in cell:
        tag = child.tag
        if len(child) or not isinstance(tag, str):  # (a comment's text is not the cell's)
            return _marked_text(cell)
        if tag in _LINE_TAGS:
            lines = True
            if tag != "br":
                parts.append("\n")
            parts.append(child.text or "")
            parts.append("\n")
        else:
            parts.append(child.text or "")
        parts.append(child.tail or "")
    return _read_cell("".join(parts), lines)


@lru_cache(maxsize=4096)
def _read_cell(text: str, lines: bool) -> str:
    """A cell's text as read, from its text with the line breaks marked
    (`lines`) or none: tables repeat a few texts ("0", "\\n0\\n") over
    most of their cells, each read once."""
    return join_lines(text.split("\n")) if lines else normalize(text)


def _marked_text(cell: etree._Element) -> str:
    """cell_text() of a cell with nested markup: each line break is marked in
    the tree itself, then the text read in one pass."""
    breaks = list(cell.iter(*_LINE_TAGS))
    if not breaks:
        return normalize(_text(cell))
    for el in breaks:
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
        el.tail = "\n" + (el.tail or "")
    return join_lines(_text(cell).split("\n"))


def table_grid(table: etree._Element, sources: bool, paths: PublishedPaths) -> Grid:
    """The table as a rectangular grid with merged cells expanded: each cell
    takes the first free slot of its row, as browsers place them."""
    # The slots of rows below taken by cells spanning down into them (a
    # cell's own row is never looked at again: the next cell starts after it).
    taken: set[tuple[int, int]] = set()
    placed: list[Placed] = []
    rows = _rows_shown(table)
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if cell.tag not in _CELL_TAGS:  # (a comment's tag is a function)
                continue
            if taken:
                while (r, c) in taken:
                    c += 1
            rowspan = cell.get("rowspan")
            rowspan = 1 if rowspan is None else _span(rowspan)
            colspan = cell.get("colspan")
            colspan = 1 if colspan is None else _span(colspan)
            source = Source(element=cell, paths=paths, sourceline=cell.sourceline) if sources else None
            placed.append(Placed(r, c, cell_text(cell), rowspan, colspan, source))
            if rowspan > 1:
                taken.update((r + dr, c + dc) for dr in range(1, rowspan) for dc in range(colspan))
            c += colspan
    if not any(p.text for p in placed):
        return Grid(rows=[])
    return Grid(rows=build_rows(placed, len(rows)))


_CELL_TAGS = frozenset(("td", "th"))


_SECTION_ORDER = {"thead": 0, "tfoot": 2}


def _rows_shown(table: etree._Element) -> list[etree._Element]:
    """The table's rows in the order a browser shows them: a <thead>'s first
    and a <tfoot>'s last, wherever the source writes them (HTML 4 wrote
    <tfoot> before <tbody>)."""
    rows = list(table.iter("tr"))
    if not any(tr.getparent().tag in _SECTION_ORDER for tr in rows):
        return rows
    return sorted(rows, key=lambda tr: _SECTION_ORDER.get(tr.getparent().tag, 1))


def _span(value: str | None) -> int:
    if value is None:
        return 1
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(n, 1), MAX_SPAN)
