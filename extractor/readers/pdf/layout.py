"""Pages into document blocks.

Each page gives its ruled tables and its lines of running text, in reading
order (top to bottom). Across the document, lines wrapped inside one
paragraph are joined (also over a page break), page numbers are dropped, and
a table that runs on at the top of the next page with the same columns is
joined to the part before it: one grid, each row knowing its page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ...model import Block, Grid, Paragraph
from ...normalize import normalize
from ..grid import Placed, build_rows, join_lines
from .lines import Line, cell_lines, make_lines
from .parse import PageContent
from .rulings import find_tables

# "- 4 -", "第4页", "第 4 页 共 6 页", "4/6", "Page 4 of 6": page furniture
# wherever it stands; a bare number only in the top or bottom margin.
_PAGE_NUMBER = re.compile(
    r"^(?:-\s?\d{1,4}\s?-|第\s?\d{1,4}\s?页(?:\s?[,/共]?\s?共?\s?\d{1,4}\s?页)?|\d{1,4}\s?/\s?\d{1,4}"
    r"|page\s?\d{1,4}(?:\s?of\s?\d{1,4})?)$", re.I)
_BARE_NUMBER = re.compile(r"^\d{1,4}$")
_MARGIN_ZONE = 0.07  # share of the page height at the top and bottom
_SAME_PLACE = 4.0  # points: a running header sits at the same height on every page
# Column boundaries of two table parts this close are the same boundary.
_COLUMN_TOLERANCE = 4.0


@dataclass(slots=True)
class TablePart:
    """A ruled table as printed on one page."""

    page: int
    xs: list[float]
    rows: int
    cells: list[Placed]
    top: float


@dataclass(slots=True)
class TextLine:
    line: Line
    page: int
    left: float  # the page's text margins
    right: float


@dataclass(slots=True)
class PageLayout:
    number: int
    height: float
    items: list[TextLine | TablePart] = field(default_factory=list)


def page_layout(content: PageContent) -> PageLayout:
    tables = find_tables(content.edges)
    loose = []
    for ch in content.chars:
        for table in tables:
            cell = table.cell_at(ch.cx, ch.cy)
            if cell is not None:
                cell.chars.append(ch)
                break
        else:
            loose.append(ch)
    items: list[tuple[float, TextLine | TablePart]] = []
    for table in tables:
        cells = [Placed(c.row, c.col, join_lines(cell_lines(c.chars, one_row=c.rowspan == 1)), c.rowspan, c.colspan)
                 for c in table.cells]
        if any(c.text for c in cells):
            part = TablePart(page=content.number, xs=table.xs, rows=len(table.ys) - 1, cells=cells, top=table.ys[0])
            items.append((part.top, part))
    lines = [line for line in make_lines(loose) if not _furniture(line, content.height)]
    left, right = _margins(lines)
    items += [(line.top, TextLine(line, content.number, left, right)) for line in lines]
    items.sort(key=lambda kv: kv[0])
    return PageLayout(content.number, content.height, [item for _, item in items])


def _furniture(line: Line, page_height: float) -> bool:
    text = normalize(line.text)
    if _PAGE_NUMBER.match(text):
        return True
    zone = _MARGIN_ZONE * page_height
    return bool(_BARE_NUMBER.match(text)) and (line.bottom < zone or line.top > page_height - zone)


def _margins(lines: list[Line]) -> tuple[float, float]:
    """The left and right edges of the page's running text, from its long
    lines (short ones are headings, last lines and centred titles)."""
    if not lines:
        return 0.0, 0.0
    widest = max(line.x1 - line.x0 for line in lines)
    body = [line for line in lines if line.x1 - line.x0 >= 0.6 * widest and not line.tabular] or lines
    return min(line.x0 for line in body), max(line.x1 for line in body)


def _continues(prev: TextLine, cur: TextLine) -> bool:
    """Is cur the next line of prev's paragraph? prev runs to the right
    margin, cur starts at the left margin (no first-line indent), in the
    same type size, not far below it (or at the top of the next page)."""
    a, b = prev.line, cur.line
    if a.tabular or b.tabular:
        return False
    size = max(a.size, b.size)
    if abs(a.size - b.size) > 0.15 * size:
        return False
    if a.x1 < prev.right - 1.2 * size or b.x0 > cur.left + 0.5 * size:
        return False
    if cur.page == prev.page:
        return 0 <= b.top - a.bottom <= 1.5 * size
    return cur.page == prev.page + 1


def drop_running_lines(pages: list[PageLayout]) -> None:
    """Remove running headers and footers: a line in the top or bottom margin
    printed at the same place on another page (page numbers masked)."""
    by_text: dict[str, list[tuple[float, int, TextLine]]] = {}
    for page in pages:
        zone = _MARGIN_ZONE * page.height
        for item in page.items:
            if isinstance(item, TextLine) and (item.line.bottom < zone or item.line.top > page.height - zone):
                key = re.sub(r"\d+", "#", normalize(item.line.text))
                by_text.setdefault(key, []).append((item.line.top, page.number, item))
    running: set[int] = set()
    for found in by_text.values():
        found.sort(key=lambda f: f[0])
        for i, (top, page_number, item) in enumerate(found):
            for other_top, other_page, other in found[i + 1:]:
                if other_top - top > _SAME_PLACE:
                    break
                if other_page != page_number:
                    running.update((id(item), id(other)))
    for page in pages:
        page.items = [item for item in page.items if id(item) not in running]


def assemble(pages: list[PageLayout]) -> list[Block]:
    drop_running_lines(pages)
    blocks: list[Block] = []
    paragraph: list[TextLine] = []
    parts: list[TablePart] = []  # the table being built, possibly over pages
    last_item: TextLine | TablePart | None = None

    def flush_paragraph() -> None:
        if paragraph:
            text = join_lines(tl.line.text for tl in paragraph)
            if text:
                blocks.append(Paragraph(text, page=paragraph[0].page))
            paragraph.clear()

    def flush_table() -> None:
        if parts:
            blocks.append(_grid(parts))
            parts.clear()

    for page in pages:
        for position, item in enumerate(page.items):
            if isinstance(item, TablePart):
                flush_paragraph()
                continued = (position == 0 and parts and last_item is parts[-1]
                             and item.page == parts[-1].page + 1 and _same_columns(parts[-1], item))
                if not continued:
                    flush_table()
                parts.append(item)
            else:
                flush_table()
                if paragraph and not _continues(paragraph[-1], item):
                    flush_paragraph()
                paragraph.append(item)
            last_item = item
    flush_paragraph()
    flush_table()
    return blocks


def _same_columns(a: TablePart, b: TablePart) -> bool:
    """Do two table parts share their outline, and the columns of one belong
    to the other (a continuation may merge or split a few columns)?"""
    if abs(a.xs[0] - b.xs[0]) > _COLUMN_TOLERANCE or abs(a.xs[-1] - b.xs[-1]) > _COLUMN_TOLERANCE:
        return False

    def within(inner: list[float], outer: list[float]) -> bool:
        return all(any(abs(x - y) <= _COLUMN_TOLERANCE for y in outer) for x in inner)

    return within(b.xs[1:-1], a.xs[1:-1]) or within(a.xs[1:-1], b.xs[1:-1])


def _grid(parts: list[TablePart]) -> Grid:
    """One grid from the parts of a table: their columns put on common
    boundaries, their rows stacked."""
    bounds: list[float] = []
    for x in sorted(x for part in parts for x in part.xs):
        if not bounds or x - bounds[-1] > _COLUMN_TOLERANCE:
            bounds.append(x)

    def column(x: float) -> int:
        return min(range(len(bounds)), key=lambda i: abs(bounds[i] - x))

    placed: list[Placed] = []
    row_pages: list[int] = []
    for part in parts:
        offset = len(row_pages)
        for cell in part.cells:
            first = column(part.xs[cell.col])
            last = column(part.xs[cell.col + cell.colspan])
            placed.append(replace(cell, row=offset + cell.row, col=first, colspan=max(last - first, 1)))
        row_pages += [part.page] * part.rows
    return Grid(rows=build_rows(placed, len(row_pages)), pages=sorted(set(row_pages)), row_pages=row_pages)
