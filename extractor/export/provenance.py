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

from ..model import Box, Document, Grid, Paragraph, Row, Span
from ..normalize import normalize, source_offsets
from ..tables.result import TableResult
from ..tables.solve import CellOut

# The identity along a row of each table (KEYS.md), by which a lost cell is inferred.
_ROW_IDENTITY = {"applications": "row_total", "review_litigation": "block_total"}


class Locator:
    """Resolves spans of one document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.format = doc.format
        # A crawler dump's table may be one line of a megabyte: its offsets are
        # worked out once, not once per cell.
        self._offsets: dict[int, tuple[int, list[int] | None]] = {}

    def locate(self, span: Span | None) -> dict | None:
        if span is None or not 0 <= span.block < len(self.doc.blocks):
            return None
        block = self.doc.blocks[span.block]
        if isinstance(block, Grid):
            return self._grid(block, span)
        if isinstance(block, Row):
            return self._row(block, span)
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
        src = block.source
        page = block.page if block.page is not None else (src.page if src else None)
        if src is not None and src.raw is not None and src.line is not None:
            return self._text_span(span.block, src.raw, src.line, src.offset or 0, block.text, span.start, span.end)
        out: dict = {"kind": self.format}
        if src is not None and src.xpath:
            out.update(xpath=src.xpath, line=src.sourceline, start=span.start, end=span.end)
        if page is not None:
            out["page"] = page
        if src is not None and src.char_boxes:
            box = _union(src.char_boxes[span.start:span.end])
            if box:
                out["box"] = box
        if len(out) == 1:
            out.update(block=span.block, start=span.start, end=span.end)
        return out

    def _row(self, block: Row, span: Span) -> dict | None:
        src = block.source
        if src is None or src.raw is None or block.cell_spans is None or not 0 <= span.column < len(block.cells):
            return {"kind": self.format, "block": span.block, "column": span.column}
        cell_start = block.cell_spans[span.column][0]
        return self._text_span(span.block, src.raw, src.line or 0, src.offset or 0, None,
                               cell_start + span.start, cell_start + span.end)

    def _text_span(self, index: int, raw: str, line: int, offset: int, text: str | None,
                   start: int, end: int) -> dict:
        """Characters start:end of a block's text, as offsets in the decoded file."""
        cached = self._offsets.get(index)
        if cached is None:
            normal = normalize(raw)
            shift = 0
            if text is not None and not normal.startswith(text):
                shift = max(normal.find(text), 0)  # a markdown heading's "#", a "|" beside a cell
            cached = self._offsets[index] = (shift, source_offsets(raw))
        shift, offsets = cached
        start, end = start + shift, end + shift
        if offsets is None or not 0 <= start <= end <= len(offsets) - 1:
            return {"kind": "text", "line": line, "start": offset, "end": offset + len(raw)}
        a = offsets[start]
        b = offsets[end - 1] + 1 if end > start else a
        return {"kind": "text", "line": line, "start": offset + a, "end": offset + b}

    def _grid(self, grid: Grid, span: Span) -> dict:
        out: dict = {"kind": self.format}
        if grid.source is not None and grid.source.table is not None:
            out["table"] = grid.source.table
        out.update(row=span.row, column=span.column)
        try:
            cell = grid.rows[span.row][span.column]
        except IndexError:
            return out
        src = cell.source
        page = grid.page_of(span.row)
        if src is not None:
            if src.xpath:
                out.update(xpath=src.xpath, line=src.sourceline)
            if src.page is not None:
                page = src.page
            box = src.box
            if src.char_boxes and span.end > span.start:
                box = _union(src.char_boxes[span.start:span.end]) or box
            if box is not None:
                out["box"] = list(box)
            if src.cell_box is not None:
                out["cell_box"] = list(src.cell_box)
        if page is not None and self.format == "pdf":
            out["page"] = page
        if span.end > span.start and (span.start > 0 or span.end < len(cell.text)):
            out.update(start=span.start, end=span.end)
        return out


def _union(boxes: tuple[Box | None, ...]) -> list[float] | None:
    found = [b for b in boxes if b is not None]
    if not found:
        return None
    return [round(min(b[0] for b in found), 2), round(min(b[1] for b in found), 2),
            round(max(b[2] for b in found), 2), round(max(b[3] for b in found), 2)]


def table_sources(locator: Locator, table: TableResult) -> dict[tuple[str, str], dict | None]:
    """(row, column) -> the source of every cell of the table."""
    split = splits(table, locator)
    out: dict[tuple[str, str], dict | None] = {}
    for row, cells in table.rows.items():
        columns = list(cells)
        for column, cell in cells.items():
            source = _source(locator, table, row, columns, cell)
            if source is not None and (row, column) in split:
                source["split"] = split[(row, column)]
            out[(row, column)] = source
    return out


def _source(locator: Locator, table: TableResult, row: str, columns: list[str], cell: CellOut | None) -> dict | None:
    if cell is None:
        return _undetermined(locator, table, row)
    if cell.inferred:
        identity = _ROW_IDENTITY.get(table.table)
        return {"kind": "inferred", "identity": f"{table.table}.{identity}.{row}" if identity else None,
                "from": [f"{table.table}.{row}.{columns[i]}" for i in cell.basis if i < len(columns)]}
    source = locator.locate(cell.span)
    if source is None:
        return {"kind": "lost"} if cell.lost else None
    if cell.token is not None:
        source["token"] = locator.text_of(cell.token)
    return source


def _undetermined(locator: Locator, table: TableResult, row: str) -> dict | None:
    tokens = table.sources[row].tokens if row in table.sources else table.tokens
    printed = [s for t in tokens if not t.blank and (s := locator.locate(t.span)) is not None]
    return {"kind": "undetermined", "printed": printed} if printed else None


def splits(table: TableResult, locator: Locator) -> dict[tuple[str, str], str]:
    """(row, column) -> how the token a cell was cut from was split
    ("64/0/0/2/0/4/70"); table 四's one token may run over its three blocks."""
    groups: dict[Span, list[tuple[str, str, CellOut]]] = {}
    for row, cells in table.rows.items():
        for column, cell in cells.items():
            if cell is not None and cell.token is not None:
                groups.setdefault(cell.token, []).append((row, column, cell))
    out: dict[tuple[str, str], str] = {}
    for members in groups.values():
        text = "/".join(cell.raw for _, _, cell in members)
        for row, column, _ in members:
            out[(row, column)] = text
    return out
