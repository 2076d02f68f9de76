"""Where each cell's value was read: the `source` of a cell in the JSON
document (docs/output.md, "Provenance").

A cell read from text points at its characters: in a text file, the line
and the offsets in the decoded file; in an HTML page, the element (XPath,
the page's line it starts on) and, in a table, the table, row and column of
its grid; in a Word file, the table, row and column; in a PDF, the page and
the box of the text (PDF points, origin at the page's bottom left) and of
its grid cell. A value split from glued digits also names the token it was
cut from and the split; an inferred value names the identity and the cells
it was computed from; a value left undetermined points at the values its row
printed.
"""

from __future__ import annotations

from ..model import Document, Grid, Paragraph, Row, Source, Span
from ..normalize import fold_char, source_offsets
from ..tables.result import TableResult
from ..tables.solve import CellOut

# The identity along a row of each table (KEYS.md), by which a lost cell is inferred.
_ROW_IDENTITY = {"applications": "row_total", "review_litigation": "block_total"}


# A text file's line: where each normalised character of it is in the raw
# line, the line's offset in the decoded file, its number, its raw length.
_Line = tuple[list[int], int, int, int]


def _in_line(line: _Line, start: int, end: int) -> dict:
    """Characters start:end of a text file's line (normalised) as offsets in the decoded file."""
    offsets, offset, number, length = line
    if not 0 <= start <= end < len(offsets):
        return {"kind": "text", "line": number, "start": offset, "end": offset + length}
    a = offsets[start]
    return {"kind": "text", "line": number, "start": offset + a,
            "end": offset + (offsets[end - 1] + 1 if end > start else a)}


class Locator:
    """Resolves spans of one document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.format = doc.format
        # A crawler dump's table may be one line of a megabyte: its offsets are
        # worked out once, not once per cell.
        self._lines: dict[int, _Line] = {}
        self._line_offsets: dict[tuple[str, int | None], list[int]] = {}
        # A text file's paragraph located before: (its lead, its line). A
        # report's cells are mostly in a few such paragraphs; each cell after
        # the first goes straight to its characters.
        self._paragraph_lines: dict[int, tuple[int, _Line]] = {}

    def locate(self, span: Span | None) -> dict | None:
        if span is None:
            return None
        known = self._paragraph_lines.get(span.block)
        if known is not None:
            lead, line = known
            return _in_line(line, lead + span.start, lead + span.end)
        if not 0 <= span.block < len(self.doc.blocks):
            return None
        block = self.doc.blocks[span.block]
        if isinstance(block, Grid):
            return self._grid(block, span)
        if isinstance(block, Row):
            return self._row(block, span)
        src = block.source
        if src is not None and src.raw is not None and src.line is not None:
            # A text file's paragraph (most cells of a text report): straight to its characters.
            line = self._line(span.block, src)
            self._paragraph_lines[span.block] = (src.lead, line)
            return _in_line(line, src.lead + span.start, src.lead + span.end)
        return self._paragraph(block, span)

    def text_of(self, span: Span) -> str:
        """The (normalised) text the span covers."""
        block = self.doc.blocks[span.block]
        if isinstance(block, Grid):
            text = block.rows[span.row][span.column].text
        elif isinstance(block, Row):
            text = block.cells[span.column]
        else:
            text = block.text
        return text[span.start:span.end]

    # -- by block -----------------------------------------------------------------

    def _paragraph(self, block: Paragraph, span: Span) -> dict | None:
        """A paragraph of a page (HTML, Word, PDF); a text file's is located in `locate`."""
        src = block.source
        page = block.page if block.page is not None else (src.page if src else None)
        out: dict = {"kind": self.format}
        if src is not None and (xpath := src.element_xpath()):
            out.update(xpath=xpath, line=src.sourceline, start=span.start, end=span.end)
        if src is not None and src.chars:
            located = text_box(block.text, src, span.start, span.end, whole=False)
            if located is not None:
                page = _put_boxes(out, located)
        if "box" not in out and "xpath" not in out:
            out.update(block=span.block, start=span.start, end=span.end)
        return _with_page(out, page) if page is not None else out

    def _row(self, block: Row, span: Span) -> dict | None:
        src = block.source
        if src is None or src.raw is None or block.cell_spans is None or not 0 <= span.column < len(block.cells):
            return {"kind": self.format, "block": span.block, "column": span.column}
        cell_start = block.cell_spans[span.column][0]
        return self._text_span(span.block, src, cell_start + span.start, cell_start + span.end)

    def _text_span(self, index: int, src: Source, start: int, end: int) -> dict:
        """Characters start:end of a text file's line (normalised) as offsets in the decoded file."""
        return _in_line(self._line(index, src), start, end)

    def _line(self, index: int, src: Source) -> _Line:
        line = self._lines.get(index)
        if line is None:
            # Lines printed alike ("0" in a one-cell-per-line dump) share their offsets.
            key = (src.raw or "", src.width)
            offsets = self._line_offsets.get(key)
            if offsets is None:
                offsets = self._line_offsets[key] = source_offsets(key[0], src.width) or []
            line = self._lines[index] = (offsets, src.offset or 0, src.line or 0, len(src.raw or ""))
        return line

    def _grid(self, grid: Grid, span: Span) -> dict:
        out: dict = {"kind": self.format}
        page = grid.page_of(span.row) if self.format == "pdf" else None  # only a PDF's sources name pages
        if page is not None:
            out["page"] = page  # (first after the kind, where _with_page would put it)
        if grid.source is not None and grid.source.table is not None:
            out["table"] = grid.source.table
        out["row"] = span.row
        out["column"] = span.column
        try:
            cell = grid.rows[span.row][span.column]
        except IndexError:
            out.pop("page", None)  # (a span outside the grid names no page)
            return out
        src = cell.source
        if src is not None:
            if xpath := src.element_xpath():
                out["xpath"] = xpath
                out["line"] = src.sourceline
            if src.page is not None:
                page = src.page
            if src.chars:
                located = text_box(cell.text, src, span.start, span.end, whole=True)
                if located is not None:
                    page = _put_boxes(out, located)
            elif src.box is not None:
                out["box"] = _rounded(src.box)
            if src.cell_box is not None:
                out["cell_box"] = _rounded(src.cell_box)
        if span.end > span.start and (span.start > 0 or span.end < len(cell.text)):
            out.update(start=span.start, end=span.end)
        if page is not None and self.format == "pdf":
            if "page" in out:
                out["page"] = page
            else:
                out = _with_page(out, page)
        return out


def text_box(text: str, src: Source, start: int, end: int, whole: bool) -> list[tuple[int, list[float]]] | None:
    """The page and box (PDF user space) of characters start:end of a
    block's text read from a PDF: one for each page they are on (a page
    break may cut a cell in two). A grid cell (`whole`) whose characters do
    not line up with its text gives its text's whole box."""
    reading_order, user_box = _pdf_helpers()
    chars = src.chars or []
    runs = src.pages or ()
    if not runs:
        return None
    if whole and start == 0 and end >= len(text):
        # The whole cell: every character, in whatever order (a box is the
        # same in any), page by page.
        pages = [(page, frame, chars[first:runs[i + 1][0] if i + 1 < len(runs) else len(chars)])
                 for i, (first, page, frame) in enumerate(runs)]
    else:
        if src.in_page_order:  # a ruled cell's characters: put each page's in reading order
            ordered = []
            for i, (first, _, _) in enumerate(runs):
                last = runs[i + 1][0] if i + 1 < len(runs) else len(chars)
                ordered += reading_order(chars[first:last])
            chars = ordered
        mapping = align(text, chars)
        if mapping is None and not whole:
            return None
        picked = list(range(len(chars))) if mapping is None else [i for i in mapping[start:end] if i is not None]
        pages = []
        for i, (first, page, frame) in enumerate(runs):
            last = runs[i + 1][0] if i + 1 < len(runs) else len(chars)
            pages.append((page, frame, [chars[k] for k in picked if first <= k < last]))
    # One box per page the characters are on (a cell a page break cut in two).
    boxes: list[tuple[int, list[float]]] = []
    for page, frame, on_page in pages:
        if on_page:
            boxes.append((page, _rounded(user_box(frame, *_extent(on_page)))))
    return boxes or None


def _extent(chars: list) -> tuple[float, float, float, float]:
    """(x0, top, x1, bottom) around the characters: min and max of each, in
    one pass (written out as min and max compute them; a cell is boxed for
    every PDF cell of the output)."""
    first = chars[0]
    x0, top, x1, bottom = first.x0, first.top, first.x1, first.bottom
    for c in chars:
        if c.x0 < x0:
            x0 = c.x0
        if c.top < top:
            top = c.top
        if c.x1 > x1:
            x1 = c.x1
        if c.bottom > bottom:
            bottom = c.bottom
    return x0, top, x1, bottom


_PDF_HELPERS: tuple = ()


def _pdf_helpers() -> tuple:
    """The PDF reader's reading order and page geometry, imported when first
    needed (its package loads PDFium, which no other input needs) and kept:
    an import statement per cell costs more than the box."""
    global _PDF_HELPERS
    if not _PDF_HELPERS:
        from ..readers.pdf.lines import reading_order
        from ..readers.pdf.parse import user_box

        _PDF_HELPERS = (reading_order, user_box)
    return _PDF_HELPERS


def _with_page(out: dict, page: int) -> dict:
    """The source with its page first, after its kind."""
    return {"kind": out["kind"], "page": page, **{k: v for k, v in out.items() if k != "kind"}}


def _put_boxes(out: dict, boxes: list[tuple[int, list[float]]]) -> int:
    """The first page's box as `box`, the next pages' as `continued`; the first page."""
    out["box"] = boxes[0][1]
    if len(boxes) > 1:
        out["continued"] = [{"page": page, "box": box} for page, box in boxes[1:]]
    return boxes[0][0]


def align(text: str, chars: list) -> list[int | None] | None:
    """For each character of a block's (normalised) text, the index of the
    PDF character it was read from (None for a space the reading put in);
    None where the two do not line up. A character the reading skipped (a
    glyph printed twice for bold) is passed over."""
    out: list[int | None] = []
    j = 0
    pending = ""  # the rest of a character that normalised to several (⑴ -> (1))
    for ch in text:
        if pending:
            if pending[0] == ch:
                out.append(j - 1)
                pending = pending[1:]
                continue
            pending = ""
        if ch == " ":
            out.append(None)
            continue
        for k in range(j, min(j + _SKIPPABLE + 1, len(chars))):
            folded = fold_char(chars[k].text).replace(" ", "")
            if folded and folded[0] == ch:
                out.append(k)
                pending = folded[1:]
                j = k + 1
                break
        else:
            return None
    return out


# Characters of the page the reading may pass over between two of a text's.
_SKIPPABLE = 3


def _rounded(box: tuple[float, float, float, float]) -> list[float]:
    return [round(float(v), 2) for v in box]


def table_sources(locator: Locator, table: TableResult) -> dict[tuple[str, str], dict | None]:
    """(row, column) -> the source of every cell of the table. A cell cut
    from a token also says how the token was split ("64/0/0/2/0/4/70"; table
    四's one token may run over its three blocks)."""
    out: dict[tuple[str, str], dict | None] = {}
    locate = locator.locate
    # Token -> its text, and the sources and raw texts of the cells cut from it.
    tokens: dict[Span, str] = {}
    cut: dict[Span, list[tuple[dict | None, str]]] = {}
    for row, cells in table.rows.items():
        for column, cell in cells.items():
            if cell is None or cell.inferred:
                source = _not_read(locator, table, row, list(cells), cell)
            else:  # a value read: where it was printed (one call per cell, thousands per batch file)
                source = locate(cell.span)
                if source is None:
                    source = {"kind": "lost"} if cell.lost else None
                elif cell.token is not None:
                    token = tokens.get(cell.token)
                    if token is None:
                        token = tokens[cell.token] = locator.text_of(cell.token)
                    source["token"] = token
            if cell is not None and cell.token is not None:
                cut.setdefault(cell.token, []).append((source, cell.raw))
            out[(row, column)] = source
    for members in cut.values():
        split = "/".join([raw for _, raw in members])
        for source, _ in members:
            if source is not None:
                source["split"] = split
    return out


def _not_read(locator: Locator, table: TableResult, row: str, columns: list[str], cell: CellOut | None) -> dict | None:
    """The source of a cell left undetermined (None) or inferred from an identity."""
    if cell is None:
        return _undetermined(locator, table, row)
    identity = _ROW_IDENTITY.get(table.table)
    return {"kind": "inferred", "identity": f"{table.table}.{identity}.{row}" if identity else None,
            "from": [f"{table.table}.{row}.{columns[i]}" for i in cell.basis if i < len(columns)]}


def _undetermined(locator: Locator, table: TableResult, row: str) -> dict | None:
    tokens = table.sources[row].tokens if row in table.sources else table.tokens
    printed = [s for t in tokens if not t.blank and (s := locator.locate(t.span)) is not None]
    return {"kind": "undetermined", "printed": printed} if printed else None
