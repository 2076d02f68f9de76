"""Pages into document blocks.

Each page gives its ruled tables and its lines of running text, in reading
order (top to bottom). Across the document, lines wrapped inside one
paragraph are joined (also over a page break), page numbers are dropped, and
a table that runs on at the top of the next page with the same columns is
joined to the part before it: one grid, each row knowing its page.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from itertools import pairwise
from operator import attrgetter

from ...model import Block, Frame, Grid, Paragraph, Source
from ...normalize import normalize
from ...tables.damage import ACROSS_BORDER, OVERPRINTED
from ...tables.values import looks_like_value
from ..grid import Placed, build_rows, join_lines
from .lines import PAGE_NUMBER as _PAGE_NUMBER
from .lines import Line, cell_lines, group_lines, join_cell_parts, make_lines
from .parse import Char, PageContent, user_box
from .rulings import PageTable, find_tables
from .unruled import find_unruled

# "- 4 -", "第4页" ...: page furniture wherever it stands (PAGE_NUMBER); a
# bare number only in the top or bottom margin.
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
    # A ruled table's cells as (row, col, characters, right edge), for `full`.
    edges: list[tuple[int, int, list[Char], float]] = field(default_factory=list)

    def full(self) -> set[tuple[int, int]]:
        """Cells (row, col) whose last line of text runs to the cell's right
        edge: text that may go on (wrapped) in the next line. (Worked out
        only for a table that goes on over a page break.)"""
        return {(row, col) for row, col, chars, right in self.edges if _runs_to_right_edge(chars, right)}


@dataclass(slots=True)
class TextLine:
    line: Line
    page: int
    left: float  # the page's text margins
    right: float
    frame: Frame = (0.0, 0.0, 0.0, 0.0, 0)  # the page's, for provenance


@dataclass(slots=True)
class PageLayout:
    number: int
    height: float
    items: list[TextLine | TablePart] = field(default_factory=list)
    # The value columns of the table without ruling lines the page ends
    # with (the next page's rows may go on with it under no header).
    unruled_columns: list[float] | None = None


def page_layout(content: PageContent, above: list[float] | None = None) -> PageLayout:
    """The page's tables and lines; `above`: the value columns of the
    unruled table the page before ended with."""
    tables = find_tables(content.edges)
    loose = _into_cells(content.chars, tables)
    items: list[tuple[float, TextLine | TablePart]] = []
    frame = content.frame
    runs = ((0, content.number, frame),)
    for table in tables:
        xs, ys = table.xs, table.ys
        damaged = _damaged_cells(table, loose)
        cells = [Placed(c.row, c.col, join_lines(cell_lines(c.chars, one_row=c.rowspan == 1)), c.rowspan, c.colspan,
                        Source(page=content.number, chars=c.chars, pages=runs, in_page_order=True,
                               cell_box=user_box(frame, xs[c.col], ys[c.row], xs[c.col + c.colspan],
                                                 ys[c.row + c.rowspan])), damage=damaged.get(i))
                 for i, c in enumerate(table.cells)]
        if any(c.text for c in cells):
            edges = [(c.row, c.col, c.chars, xs[c.col + c.colspan]) for c in table.cells]
            part = TablePart(page=content.number, xs=table.xs, rows=len(table.ys) - 1, cells=cells, top=table.ys[0],
                             edges=edges)
            items.append((part.top, part))
    groups = group_lines(loose)  # (grouped once: for both the unruled tables and the lines)
    unruled, rest = find_unruled(loose, above, groups)
    if rest is not loose:
        loose, groups = rest, None
    for table in unruled:
        cells = [_with_source(c, Source(page=content.number, chars=c.source.chars, pages=runs))
                 if c.source is not None else c for c in table.cells]
        items.append((table.top, TablePart(page=content.number, xs=table.xs, rows=table.rows, cells=cells,
                                           top=table.top)))
    lines = [line for line in make_lines(loose, groups=groups) if not _furniture(line, content.height)]
    left, right = _margins(lines)
    items += [(line.top, TextLine(line, content.number, left, right, frame)) for line in lines]
    items.sort(key=lambda kv: kv[0])
    # The page ends with an unruled table: nothing below it but label lines
    # left of its values (the rest of a label the page break cut).
    last = max(unruled, key=lambda t: t.top, default=None)
    ends = False
    if last is not None and last.columns:
        left = last.columns[0] - (last.columns[1] - last.columns[0]) / 2 if len(last.columns) > 1 else last.columns[0]
        below = [item for top, item in items if top > last.top and item is not None]
        ends = all(isinstance(item, TextLine) and item.line.x1 <= left for item in below
                   if not (isinstance(item, TablePart) and item.top == last.top))
    return PageLayout(content.number, content.height, [item for _, item in items],
                      unruled_columns=last.columns if ends else None)


def _replacer(*names: str) -> Callable[..., Placed]:
    """dataclasses.replace(cell, **dict(zip(names, values, strict=True))) as a function of
    (cell, *values), without replace's checks on every call (a table's cells
    are moved twice each): the cell's fields read at once, in their order."""
    order = [f.name for f in fields(Placed)]
    if any(not f.init or f.kw_only for f in fields(Placed)):  # not made from its fields in order
        return lambda cell, *values: replace(cell, **dict(zip(names, values, strict=True)))
    read = attrgetter(*order)
    at = [order.index(name) for name in names]

    def replaced(cell: Placed, *values: object) -> Placed:
        args = list(read(cell))
        for i, value in zip(at, values, strict=True):
            args[i] = value
        return Placed(*args)

    return replaced


_with_source = _replacer("source")
_with_columns = _replacer("col", "colspan")
_with_row = _replacer("row")


def _into_cells(chars: list[Char], tables: list[PageTable]) -> list[Char]:
    """Each character that lies in a ruled table into its cell; the others
    (a new list)."""
    if not tables:
        return list(chars)
    loose = []
    boxes = [(table, *table.bbox) for table in tables]
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        # (Outside a table's box, cell_at says None.)
        for table, x0, y0, x1, y1 in boxes:
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                table.cell_at(cx, cy).chars.append(ch)
                break
        else:
            loose.append(ch)
    return loose


# Closer than this (in character heights) two characters are one run of
# text: a word gap is a quarter, a cell's padding on each side of its border more.
_ONE_RUN = 0.2


def _damaged_cells(table: PageTable, loose: list[Char]) -> dict[int, str]:
    """The cells (indices into table.cells) whose text the page garbled, and
    how (a tables.damage code): text that runs on across a vertical border,
    or a digit printed over another character."""
    out = {i: OVERPRINTED for i, cell in enumerate(table.cells) if _overprinted(cell.chars)}
    for i in _runs_across(table, loose):
        out.setdefault(i, ACROSS_BORDER)
    return out


def _overprinted(chars: list[Char]) -> bool:
    """Is a digit of the cell printed over another character (most of its
    width inside that one's box, on its line)? Text placed over the digits
    (a note drawn where the number runs on) reads as neither: a glyph
    printed twice for bold is the same character, and is not counted."""
    if len(chars) < 2:
        return False
    ordered = sorted(chars, key=_LEFT)
    for a, b in pairwise(ordered):
        if a.text == b.text:
            continue
        digit = b if b.text.isdigit() else a if a.text.isdigit() else None
        if digit is None:
            continue
        overlap = min(a.x1, b.x1) - b.x0
        size = max(a.bottom - a.top, b.bottom - b.top, 1.0)
        if overlap > _OVERPRINT * (digit.x1 - digit.x0) and abs((a.top + a.bottom) - (b.top + b.bottom)) < 0.6 * size:
            return True
    return False


# A digit this share of whose width lies inside another character's box is printed over it.
_OVERPRINT = 0.6


def _runs_across(table: PageTable, loose: list[Char]) -> set[int]:
    """The cells (indices into table.cells) whose text runs on across a
    vertical border: the last character of a cell's longest line and the
    first one beyond the border on its line (the next cell's, or outside the
    table) stand as close as the characters of one run. In a table laid out
    right text never reaches its cell's border, so this text overflowed its
    cell (clipped where the page shows it), and the cell beyond may hold a
    piece of it: a number cut in two reads as two wrong numbers."""
    left_edge, _, right_edge, _ = table.bbox
    beyond: list[Char] | None = None  # the characters just beyond the table's sides (found when asked)
    out: set[int] = set()
    for i, cell in enumerate(table.cells):
        if not cell.chars:
            continue
        last = max(cell.chars, key=_RIGHT)
        size = max(last.bottom - last.top, 1.0)
        border = table.xs[cell.col + cell.colspan]
        # (A character beyond the border, its centre past it, starts at most
        # a character's width before it: most cells' text ends further away.)
        if last.x1 > border - (1.0 + _ONE_RUN) * size:
            if border < right_edge - 0.5:
                neighbour = table.cell_at(border + 0.5, (last.top + last.bottom) / 2)
                after = neighbour.chars if neighbour is not None and neighbour is not cell else []
            else:
                beyond = _beyond(table, loose) if beyond is None else beyond
                neighbour, after = None, [ch for ch in beyond if ch.x0 >= right_edge - 1.0]
            if _next_in_run(last, after, size):
                out.add(i)
                if neighbour is not None:
                    out.add(next(k for k, c in enumerate(table.cells) if c is neighbour))
        first = min(cell.chars, key=_LEFT) if cell.col == 0 else None
        if first is not None and first.x0 < left_edge + (1.0 + _ONE_RUN) * size:
            # Text overflowing the table to its left (set flush right).
            beyond = _beyond(table, loose) if beyond is None else beyond
            middle = (first.top + first.bottom) / 2
            if any(ch.x1 <= left_edge + 1.0 and abs((ch.top + ch.bottom) / 2 - middle) < 0.3 * size
                   and 0 <= first.x0 - ch.x1 < _ONE_RUN * size for ch in beyond):
                out.add(i)
    return out


def _beyond(table: PageTable, loose: list[Char]) -> list[Char]:
    """The loose characters just beyond the table's left or right side, within its height."""
    left_edge, top, right_edge, bottom = table.bbox
    return [ch for ch in loose if top <= (ch.top + ch.bottom) / 2 <= bottom
            and (ch.x0 >= right_edge - 1.0 or ch.x1 <= left_edge + 1.0)]


def _next_in_run(last: Char, after: list[Char], size: float) -> bool:
    """Is a character of `after`, on last's line and right of it, as close
    to it as the next character of its run?"""
    middle = (last.top + last.bottom) / 2
    return any(-0.5 * size < ch.x0 - last.x1 < _ONE_RUN * size and ch.x0 > last.x0
               and abs((ch.top + ch.bottom) / 2 - middle) < 0.3 * size for ch in after)


_RIGHT = attrgetter("x1")
_LEFT = attrgetter("x0")


def _runs_to_right_edge(chars: list[Char], right: float) -> bool:
    """Does the cell's last line of text end within two characters of the
    cell's right edge (where a wrapped line ends)?"""
    if not chars:
        return False
    cys = [(ch.top + ch.bottom) / 2 for ch in chars]
    bottom = max(cys)
    last = [ch for ch, cy in zip(chars, cys, strict=True) if bottom - cy < 0.5 * (ch.bottom - ch.top)]
    size = max([ch.bottom - ch.top for ch in last])
    return right - max([ch.x1 for ch in last]) <= 2.0 * size


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
                blocks.append(Paragraph(text, page=paragraph[0].page, source=_paragraph_source(paragraph)))
            paragraph.clear()

    tables = 0

    def flush_table() -> None:
        nonlocal tables
        if parts:
            grid = _grid(parts)
            grid.source = Source(table=tables)
            tables += 1
            blocks.append(grid)
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


def _paragraph_source(lines: list[TextLine]) -> Source:
    """The characters of a paragraph's lines, in order, and their pages."""
    chars: list[Char] = []
    runs: list[tuple[int, int, Frame]] = []
    for tl in lines:
        if not runs or runs[-1][1] != tl.page:
            runs.append((len(chars), tl.page, tl.frame))
        chars += tl.line.chars
    return Source(page=lines[0].page, chars=chars, pages=tuple(runs))


def joined_source(upper: Source | None, lower: Source | None) -> Source | None:
    """The source of a cell whose text a page break cut in two: the
    characters of both parts, each on its page."""
    if upper is None or upper.chars is None or lower is None or lower.chars is None:
        return upper
    shift = len(upper.chars)
    runs = (*(upper.pages or ()), *((start + shift, page, frame) for start, page, frame in lower.pages or ()))
    return replace(upper, chars=[*upper.chars, *lower.chars], pages=runs)


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
    boundaries, their rows stacked; a row a page break cut in two is put
    back together."""
    bounds: list[float] = []
    for x in sorted(x for part in parts for x in part.xs):
        if not bounds or x - bounds[-1] > _COLUMN_TOLERANCE:
            bounds.append(x)

    def column(x: float) -> int:
        """The index of the common boundary nearest to x."""
        i = bisect_left(bounds, x)
        if i == len(bounds) or (i > 0 and x - bounds[i - 1] <= bounds[i] - x):
            return i - 1
        return i

    pieces: list[tuple[TablePart, list[Placed], int, set[tuple[int, int]]]] = []  # part, cells, rows, full cells
    for part in parts:
        cells = []
        full: set[tuple[int, int]] = set()
        # (Which cells run to their right edge matters only to a part that a next one follows.)
        part_full = part.full() if len(parts) > 1 else set()
        at = [column(x) for x in part.xs]  # each of the part's boundaries on the common ones
        for cell in part.cells:
            first = at[cell.col]
            last = at[cell.col + cell.colspan]
            span = max(last - first, 1)
            # (Placed is frozen: a cell already on the common columns is kept as it is.)
            cells.append(cell if first == cell.col and span == cell.colspan else _with_columns(cell, first, span))
            if (cell.row, cell.col) in part_full:
                full.add((cell.row, first))
        rows = part.rows
        if pieces:
            header = _repeated_header(pieces[0][1], cells, rows)
            _, previous, previous_rows, previous_full = pieces[-1]
            joined = _join_split_row(previous, previous_rows - 1, previous_full, cells, header)
            if joined is not None:
                above, cells = joined
                pieces[-1] = (pieces[-1][0], above, previous_rows, previous_full)
                full = {(r - (r > header), c) for r, c in full if r != header}
                rows -= 1
        pieces.append((part, cells, rows, full))
    placed: list[Placed] = []
    row_pages: list[int] = []
    for part, cells, rows, _ in pieces:
        offset = len(row_pages)
        placed += [_with_row(c, offset + c.row) for c in cells] if offset else cells
        row_pages += [part.page] * rows
    return Grid(rows=build_rows(placed, len(row_pages)), pages=sorted(set(row_pages)), row_pages=row_pages)


def _row_signature(cells: list[Placed], row: int) -> list[tuple[int, int, int, str]]:
    return sorted((c.col, c.colspan, c.rowspan, c.text) for c in cells if c.row == row)


def _repeated_header(first: list[Placed], cells: list[Placed], rows: int) -> int:
    """How many leading rows of a continued part repeat the table's first
    rows (a header repeated on every page)."""
    count = 0
    while count < rows - 1 and _row_signature(cells, count) and (
            _row_signature(cells, count) == _row_signature(first, count)):
        count += 1
    return count


# The numbering a row label starts with: a new row, never the tail of one.
_ROW_NUMBERING = re.compile(
    r"^(?:\d{1,2}\s?[.、．]|[(（][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)")


def _join_split_row(above: list[Placed], last: int, above_full: set[tuple[int, int]], below: list[Placed], row: int
                    ) -> tuple[list[Placed], list[Placed]] | None:
    """A row that a page break cut in two (Word and LibreOffice let a row
    break across pages): the rest of its cells' text opens the next part.
    That first row (after a repeated header) continues the last row above
    when its cells match the cells ending there column for column, and
    either its label cell is empty (the values went over, the label did
    not), or every cell holding text on both sides has its text above run
    to the cell's edge (a label, number or note wrapped at the break), its
    label not starting with a row's numbering. Returns both parts'
    cells with the row joined, or None."""
    ending = {(c.col, c.colspan): i for i, c in enumerate(above) if c.row + c.rowspan - 1 == last}
    tail = [c for c in below if c.row == row and c.rowspan == 1]
    if not tail or not any(c.text for c in tail):
        return None
    if any((c.col, c.colspan) not in ending for c in tail):
        return None
    both = [c for c in tail if c.text and above[ending[(c.col, c.colspan)]].text]
    for lower in both:
        upper = above[ending[(lower.col, lower.colspan)]]
        if (upper.row, upper.col) not in above_full:
            return None  # the text above ends before the cell's edge: it is whole
        wrapped_number = upper.text[-1:].isdigit() and lower.text[:1].isdigit()
        if not wrapped_number and (looks_like_value(upper.text) or looks_like_value(lower.text)):
            return None
    if both:
        label = min((c for c in tail if c.text), key=lambda c: c.col).text
        if _ROW_NUMBERING.match(label):
            return None
    elif min(tail, key=lambda c: c.col).text:
        return None  # a row with its own label: a new row
    joined = list(above)
    for c in tail:
        if c.text:
            i = ending[(c.col, c.colspan)]
            joined[i] = replace(above[i], text=join_cell_parts(above[i].text, c.text),
                                source=joined_source(above[i].source, c.source))
    rest = []
    for c in below:
        if c.row < row:
            rest.append(c)
        elif c.row == row and c.rowspan > 1:
            rest.append(replace(c, rowspan=c.rowspan - 1))
        elif c.row > row:
            rest.append(replace(c, row=c.row - 1))
    return joined, rest
