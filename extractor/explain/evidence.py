"""What a cell's source shows on the explain page: the printed text around it.

For a text file, the decoded file's characters around the cell's offsets,
the cell's own highlighted. For an HTML page, the page's source around the
element the cell's XPath names, the characters of its text highlighted. For
a Word file, the row of the table the cell is in, its column highlighted.
For a PDF, the page, the box of the text and of its grid cell, in the
rendered page's pixels (`pdf_pages` renders them).
"""

from __future__ import annotations

import re
from functools import cached_property

from lxml import etree

from ..model import Document, Grid
from ..normalize import normalize, source_offsets
from ..readers.encoding import declared_html_charset, decode

# Characters of source shown on each side of a cell's text.
WINDOW = 160
# How far before its line a start tag may begin (Word's HTML styles a cell over many lines).
_LONGEST_TAG = 20_000


class Evidence:
    """The evidence of every source of one report."""

    def __init__(self, doc: dict, document: Document, data: bytes) -> None:
        self.format = doc["source"]["format"]
        self.document = document
        self.data = data
        self._tags: dict[str, re.Pattern[str]] = {}

    def of(self, source: dict | None, raw: str) -> dict | None:
        """What to show for one source (see docs/output.md, "Provenance")."""
        if not source:
            return None
        kind = source["kind"]
        if kind == "text":
            return self._text(source)
        if kind == "html":
            return self._html(source, raw)
        if kind == "docx":
            return self._grid_row(source)
        if kind == "pdf":
            return self._pdf(source)
        if kind == "undetermined":
            return {"type": "printed", "items": [e for p in source["printed"] if (e := self.of(p, "")) is not None]}
        if kind == "inferred":
            return {"type": "inferred", "identity": source.get("identity"), "from": source.get("from", [])}
        return {"type": "lost"}

    # -- text files -----------------------------------------------------------------

    @cached_property
    def text(self) -> str:
        return decode(self.data)[0]

    def _text(self, source: dict) -> dict:
        start, end = source["start"], source["end"]
        return _snippet(self.text, start, end, f"第 {source['line']} 行 line {source['line']}, "
                                               f"字符 characters {start}–{end}")

    # -- HTML pages ---------------------------------------------------------------------

    @cached_property
    def page(self) -> str:
        text = decode(self.data, declared_html_charset(self.data))[0]
        # As the reader does, keeping the lines: the element's line is the page's.
        return re.sub(r"^\s*<\?xml[^>]*\?>", lambda m: "\n" * m.group(0).count("\n"), text)

    @cached_property
    def tree(self) -> etree._ElementTree:
        parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=True)
        return etree.fromstring(self.page, parser).getroottree()

    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        starts += [m.end() for m in re.finditer("\n", self.page)]
        return starts

    def _html(self, source: dict, raw: str) -> dict | None:
        caption = f"网页第 {source.get('line')} 行 page line {source.get('line')} · {source.get('xpath')}"
        if "row" in source:
            caption = f"表 table {source.get('table', 0) + 1}, 行 row {source['row'] + 1}, 列 column " \
                      f"{source['column'] + 1} · " + caption
        found = self.tree.xpath(source["xpath"]) if source.get("xpath") else []
        if not found or not isinstance(found[0].tag, str):
            return {"type": "note", "caption": caption}
        element = found[0]
        region = self._element_region(element)
        if region is None:
            return {"type": "note", "caption": caption}
        start, end = self._mark_in(region, source, raw)
        return _snippet(self.page, start, end, caption)

    def _element_region(self, element: etree._Element) -> tuple[int, int] | None:
        """Where the element's content is in the page: after its start tag, up
        to its end tag (the k-th tag of its name starting on its line)."""
        line = element.sourceline
        if line is None or line > len(self.line_starts):
            return None
        tag = element.tag
        same = [e for e in self.tree.getroot().iter(tag) if e.sourceline == line]
        index = next(i for i, e in enumerate(same) if e is element)
        pattern = self._tags.get(tag)
        if pattern is None:
            pattern = self._tags[tag] = re.compile(rf"<(/?){re.escape(tag)}\b[^>]*>", re.I)
        line_start = self.line_starts[line - 1]
        line_end = self.line_starts[line] if line < len(self.line_starts) else len(self.page)
        # libxml2 gives the line a start tag ends on (its attributes may run over lines).
        back = self.page.rfind("<", max(0, line_start - _LONGEST_TAG), line_start) if line_start else 0
        opening = [m for m in pattern.finditer(self.page, max(back, 0), line_end)
                   if not m.group(1) and line_start <= m.end() - 1 < line_end]
        if index >= len(opening):
            return None
        content = opening[index].end()
        depth = 1
        for m in pattern.finditer(self.page, content):
            depth += -1 if m.group(1) else 1
            if depth == 0:
                return content, m.start()
            if m.start() - content > 200_000:
                break
        return content, min(len(self.page), content + WINDOW)

    def _mark_in(self, region: tuple[int, int], source: dict, raw: str) -> tuple[int, int]:
        """The page characters of the cell's text within the element's content."""
        a, b = region
        # The content's text without its tags, and where each character of it is.
        visible, where = [], []
        for m in re.finditer(r"<[^>]*>|[^<]+", self.page[a:b]):
            if m.group(0).startswith("<"):
                continue
            visible.append(m.group(0))
            where.extend(range(a + m.start(), a + m.end()))
        text = "".join(visible)
        offsets = source_offsets(text)
        if offsets is not None and len(offsets) > 1:
            start = source.get("start", 0)
            end = source.get("end", len(offsets) - 1)
            if 0 <= start < end <= len(offsets) - 1:
                first, last = where[offsets[start]], where[offsets[end - 1]]
                if _same(self.page[first:last + 1], raw):
                    return first, last + 1
        found = self.page.find(raw, a, b) if raw else -1
        if found >= 0:
            return found, found + len(raw)
        return (where[0], where[-1] + 1) if where else (a, a)

    # -- Word files ---------------------------------------------------------------------

    def _grid_row(self, source: dict) -> dict:
        caption = f"表 table {source.get('table', 0) + 1}, 行 row {source['row'] + 1}, " \
                  f"列 column {source['column'] + 1}"
        grid = self._grid(source.get("table"))
        if grid is None or source["row"] >= len(grid.rows):
            return {"type": "note", "caption": caption}
        cells = [c.text for c in grid.rows[source["row"]]]
        return {"type": "row", "caption": caption, "cells": cells, "mark": source["column"]}

    def _grid(self, table: int | None) -> Grid | None:
        grids = [b for b in self.document.blocks if isinstance(b, Grid)]
        by_index = {g.source.table: g for g in grids if g.source is not None and g.source.table is not None}
        return by_index.get(table) if by_index else (grids[table] if table is not None and table < len(grids)
                                                    else None)

    # -- PDFs -----------------------------------------------------------------------------

    def _pdf(self, source: dict) -> dict:
        caption = f"第 {source.get('page')} 页 page {source.get('page')}"
        if "row" in source:
            caption += f" · 表 table {source.get('table', 0) + 1}, 行 row {source['row'] + 1}, " \
                       f"列 column {source['column'] + 1}"
        parts = [{"page": source["page"], "box": source.get("box"), "cell": source.get("cell_box")}]
        parts += [{"page": c["page"], "box": c["box"], "cell": None} for c in source.get("continued", [])]
        return {"type": "pdf", "caption": caption, "parts": parts}


def _same(printed: str, raw: str) -> bool:
    return re.sub(r"\s", "", normalize(printed)) == re.sub(r"\s", "", raw)


def _snippet(text: str, start: int, end: int, caption: str) -> dict:
    """The characters start:end of the text and WINDOW on each side (cut at
    no more than three lines each way)."""
    before = text[max(0, start - WINDOW):start]
    after = text[end:end + WINDOW]
    before = "\n".join(before.split("\n")[-3:])
    after = "\n".join(after.split("\n")[:3])
    return {"type": "lines", "caption": caption, "before": before, "mark": text[start:end], "after": after}
