"""The document model every reader produces and the pipeline consumes.

A document is an ordered stream of blocks. A `Paragraph` is one line or
paragraph of running text (a flattened table arrives as many of them, or as
text glued into one). A `Grid` is a real table whose cells keep their
positions, with merged cells already expanded. A `Row` is one line of cells
that a text file joined with "|": cells in order, but no column alignment.
All text in the model is normalised (see `normalize`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class OcrRead:
    """How OCR read a table cell of a scanned page."""

    confidence: float | None  # the recogniser's; None for a cell with no ink (blank, not read)
    doubt: str = ""  # why the value may be wrong ("" when the reading is sure)


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    # Where the cell came from in the source: a cell expanded from a rowspan
    # or colspan repeats its origin, so a merged value is not counted twice.
    origin: tuple[int, int] = (-1, -1)
    # No cell of the source covers this slot: its row printed fewer cells
    # than the table is wide (a lost cell or cell boundary, or a short row).
    missing: bool = False
    # How OCR read the cell, on a scanned page (None: from a text layer or markup).
    ocr: OcrRead | None = None


@dataclass(slots=True)
class Paragraph:
    text: str
    page: int | None = None


@dataclass(slots=True)
class Row:
    cells: list[str]
    page: int | None = None


@dataclass(slots=True)
class Grid:
    rows: list[list[Cell]]
    pages: list[int] = field(default_factory=list)
    # The page of each row, for a table printed over several pages.
    row_pages: list[int] = field(default_factory=list)

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
    # Lines a page prints before its report's body, outside it (an HTML
    # portal's breadcrumbs, heading and metadata block): read for metadata only.
    preamble: list[str] = field(default_factory=list)
