"""The document model every reader produces and the pipeline consumes.

A document is an ordered stream of blocks. A `Paragraph` is one line or
paragraph of running text (a flattened table arrives as many of them, or as
text glued into one). A `Grid` is a real table whose cells keep their
positions, with merged cells already expanded. A `Row` is one line of cells
that a text file joined with "|": cells in order, but no column alignment.
All text in the model is normalised (see `normalize`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points, origin at the page's bottom left
# A PDF page's box in user space and its rotation: (left, bottom, right, top, degrees).
Frame = tuple[float, float, float, float, int]

# The values made for every line, cell and reading (Source and Cell here,
# grid.Placed, the solver's CellOut, values.CellValue) are never changed once
# made, but are not declared frozen: a frozen dataclass's __init__ sets each
# field through object.__setattr__ (a Source took 1.5 µs to make, 0.3 µs
# now), and a report makes thousands of them. unsafe_hash keeps them equal
# and hashable by value, as frozen ones are.


@dataclass(slots=True, unsafe_hash=True)  # a value, never changed once made (see above)
class Source:
    """Where a block's (or a cell's) text is in the file, for provenance.
    Each reader fills what its format has; the rest stays None."""

    # (The text reader passes the first four by position: keep their order.)
    line: int | None = None  # text: the 1-based line of the decoded file
    offset: int | None = None  # text: where `raw` starts in the decoded file (characters)
    raw: str | None = None  # text: the text as the file has it, before normalisation
    width: int | None = None  # text: the length of the line normalised
    lead: int = 0  # text: normalised characters of the line before the block's text (a heading's "#")
    xpath: str | None = None  # html: the element the text is in
    sourceline: int | None = None  # html: the line of the page that element starts on
    # html: the element itself and what names it (its XPath in the page as
    # published), so that paths are worked out only for the cells located.
    element: object | None = None
    paths: Callable[[object], str] | None = None  # element -> XPath
    table: int | None = None  # html, docx: the index of the table in the file (0-based)
    page: int | None = None  # pdf: the 1-based page
    cell_box: Box | None = None  # pdf: the box of the grid cell
    box: Box | None = None  # pdf: the box of the text, where no characters give it (OCR: the cell's ink)
    # pdf: the characters the text was read from, in reading order (the
    # reader's own character objects, with boxes in the displayed page's
    # coordinates), and the pages they are on: (first character, page,
    # page frame) for each run of them on one page. Boxes are worked out
    # from them only for the cells the output locates.
    chars: list | None = None
    pages: tuple[tuple[int, int, Frame], ...] | None = None
    in_page_order: bool = False  # chars as the page stores them, not yet in reading order

    def element_xpath(self) -> str | None:
        """html: the XPath of the element the text is in, in the page as published."""
        if self.xpath is None and self.element is not None and self.paths is not None:
            return self.paths(self.element)
        return self.xpath


class Span(NamedTuple):
    """Where a piece of text read from the document is: block `block` of it,
    characters start:end of that block's text (a paragraph's, or a cell's
    for the cell at row, column of a grid or a row of cells). A named tuple:
    the table solver makes thousands of them per report, and a frozen
    dataclass costs several times as much to make."""

    block: int
    start: int
    end: int
    row: int = -1
    column: int = -1

    def part(self, start: int, end: int) -> Span:
        """Characters start:end of this span's text."""
        return Span(self.block, self.start + start, self.start + end, self.row, self.column)


@dataclass(frozen=True, slots=True)
class OcrRead:
    """How OCR read a table cell of a scanned page."""

    confidence: float | None  # the recogniser's; None for a cell with no ink (blank, not read)
    doubt: str = ""  # why the value may be wrong ("" when the reading is sure)


@dataclass(slots=True, unsafe_hash=True)  # a value, never changed once made (see above)
class Cell:
    text: str
    # Where the cell came from in the source: a cell expanded from a rowspan
    # or colspan repeats its origin, so a merged value is not counted twice.
    origin: tuple[int, int] = (-1, -1)
    # No cell of the source covers this slot: its row printed fewer cells
    # than the table is wide (a lost cell or cell boundary, or a short row).
    missing: bool = False
    source: Source | None = None
    # How OCR read the cell, on a scanned page (None: from a text layer or markup).
    ocr: OcrRead | None = None
    # Damage the reader saw in the cell's text (a tables.damage code: a PDF
    # cell whose text runs on across its border, or is printed over other text).
    damage: str | None = None


@dataclass(slots=True)
class Paragraph:
    text: str
    page: int | None = None
    source: Source | None = None
    # html: the paragraph is nothing but the text of links (a menu item, a
    # list of other reports); said only where it could be a title.
    links_only: bool = False


@dataclass(slots=True)
class Row:
    cells: list[str]
    page: int | None = None
    source: Source | None = None  # the line
    # Where each cell's text is in the line's raw text (start, end).
    cell_spans: list[tuple[int, int]] | None = None


@dataclass(slots=True)
class Grid:
    rows: list[list[Cell]]
    pages: list[int] = field(default_factory=list)
    # The page of each row, for a table printed over several pages.
    row_pages: list[int] = field(default_factory=list)
    source: Source | None = None  # html, docx: the table's index (and element)

    def page_of(self, row: int) -> int | None:
        if row < len(self.row_pages):
            return self.row_pages[row]
        return self.pages[0] if self.pages else None


Block = Paragraph | Row | Grid


@dataclass(slots=True)
class Document:
    blocks: list[Block]
    format: str  # "html" | "pdf" | "docx" | "text"
    # Metadata a reader found outside the body: a page <title>, <meta> fields,
    # a crawler header ("发布时间: ..."), PDF document info.
    meta: dict[str, str] = field(default_factory=dict)
    # What the reader could not read, as (code, message): pages that are
    # images, text that cannot be decoded. They become report warnings.
    warnings: list[tuple[str, str]] = field(default_factory=list)
    # Pages on which some text could not be read (a font without metrics or
    # Unicode values): table cells read there may be blank or shifted.
    unread_pages: set[int] = field(default_factory=set)
    # PDF pages read from their text layer that hold a picture (an image with
    # no text over it: a table pasted as a screenshot, not read).
    picture_pages: list[int] = field(default_factory=list)
    # Images in an HTML page's article or a Word file's body (icons aside):
    # a table printed as one is not in the text.
    pictures: int = 0
    # Lines a page prints before its report's body, outside it (an HTML
    # portal's breadcrumbs, heading and metadata block): read for metadata only.
    preamble: list[str] = field(default_factory=list)
    # Of those, the lines (indices) that are nothing but the text of links, as
    # Paragraph.links_only says: a title is looked for in them last.
    preamble_links: frozenset[int] = frozenset()
