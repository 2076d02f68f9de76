"""Plain-text reports: crawler dumps, flattened pages and markdown exports.

Lines become paragraphs, except lines of cells joined with "|" or separated
by tabs, which become rows. The flattening styles seen in real pages are all
kept as they are and left to the table rebuilder: one cell per line, cells
glued into one line, "|"-joined rows with "||" padding, bare "|" lines for
blank cells, one cell per line ending in "|", and tab-separated rows; a
markdown table whose rows a crawler joined into one line is cut back into
its rows here (`_joined_rows`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import accumulate

from ..model import Document, Paragraph, Row, Source
from ..normalize import normalize
from ..tables.values import looks_like_value
from .encoding import decode

# A crawler's header block: "标题: …", "发布时间: …" lines before "==== 正文 ====".
# Every "key: value" line of it is kept, whatever the key (crawlers name the
# portal's fields as the portal does: 公开日期, 发文机关 …); the metadata
# vocabulary says which keys hold what.
_HEADER_FIELD = re.compile(r"^([\u4e00-\u9fff][\u4e00-\u9fff ]{0,11})\s*[:：]\s*(.*)$")
_BODY_MARK = re.compile(r"^=+\s*正文\s*=+$")
_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_MD_HEADING = re.compile(r"^#{1,6}\s*")
BLANK_CELL = "|"  # a paragraph holding only this stands for one blank cell
# A page number or "- 4 -" footer on a line of its own (a PDF's, kept by its
# conversion to text), or in a cell of rows joined into one line.
_DASHED_FOOTER = r"-\s?\d{1,3}\s?-"  # "- 4 -"
PAGE_FOOTER = re.compile(rf"^(?:{_DASHED_FOOTER}"
                         r"|第\s?\d{1,3}\s?页(?:\s?[,/共]\s?\d{1,3}\s?页)?|\d{1,3}\s?/\s?\d{1,3})$")
# A line break written as HTML inside a line (a markdown export's wrapped
# cell "结果<br>维持", a crawler that kept the page's <br>).
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def read_text(data: bytes) -> Document:
    text, _ = decode(data)
    return parse_text(text)


def parse_text(text: str) -> Document:
    meta: dict[str, str] = {}
    blocks: list[Paragraph | Row] = []
    lines = text.splitlines()
    head = [normalize(raw) for raw in lines[:_HEADER_LINES]]  # normalised once, for the header and the body
    start = _crawler_header(head, meta)
    offsets = _line_offsets(text, len(lines))
    for number in range(start, len(lines)):
        raw = lines[number]
        line = head[number] if number < _HEADER_LINES else normalize(raw)
        if not line:
            continue
        # (line, offset, raw, width: positional, half the cost of keywords, once per line)
        source = Source(number + 1, offsets[number], raw, len(line))
        if "\t" in raw and (row := _tab_row(raw, line)) is not None:
            cells, spans = row
            blocks.append(Row(cells, source=source, cell_spans=spans))
            continue
        if "|" in line and not _pipe_in_prose(line):
            if _MD_SEPARATOR.match(line):
                continue
            cells, spans = _split_cells(line)
            # a cell's line break: a space, which a label may hold between its characters
            cells = [_BR.sub(" ", cell) if "<" in cell else cell for cell in cells]
            inner = [c for c in cells if c]
            # A bare "|" stands for one blank cell; one cell with a "|" beside
            # it is a cell of a one-cell-per-line stream, not a row.
            if len(inner) <= 1:
                lead = next((span[0] for cell, span in zip(cells, spans, strict=True) if cell), 0)
                blocks.append(Paragraph(inner[0] if inner else BLANK_CELL, source=replace(source, lead=lead)))
                continue
            # A markdown row ("| a | b |") is framed by pipes; in a row of
            # cells joined by "|" ("|0|3||"), a leading "|" is an empty first
            # cell and trailing ones are padding (the solver drops them).
            keep = slice(None)
            if line.startswith("| ") or line.startswith("|\t"):
                keep = slice(1, -1) if line.endswith("|") else slice(1, None)
                cells, spans = cells[keep], spans[keep]
            if len(cells) > _ROW_CELLS or any(map(_MD_RULE.match, cells)):
                # A table's rows joined into one line (a crawler that turned
                # a markdown table's line breaks into spaces). (The raw
                # line's pieces: normalising squeezes their spaces; where the
                # raw line does not split alike, the normalised ones, whose
                # cells with text are never taken for two rows' junction.)
                pieces = _PIPE.split(raw)
                pieces = (pieces if len(pieces) == line.count("|") + 1 else line.split("|"))[keep]
                blocks += [Row(c, source=source, cell_spans=s) for c, s in _joined_rows(cells, spans, pieces)]
                continue
            blocks.append(Row(cells, source=source, cell_spans=spans))
            continue
        text = _MD_HEADING.sub("", line)
        if len(text) < len(line):
            source = replace(source, lead=len(line) - len(text))
        blocks += _broken_lines(text, source)
    return Document(blocks=blocks, format="text", meta=meta)


def _broken_lines(text: str, source: Source) -> list[Paragraph]:
    """A line's paragraphs: one, or one per piece where it writes <br>, each
    located in the line."""
    if "<" not in text or not _BR.search(text):
        return [Paragraph(text, source=source)]
    out, at = [], 0
    for m in [*_BR.finditer(text), None]:
        end = m.start() if m else len(text)
        piece = text[at:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append(Paragraph(piece.strip(), source=replace(source, lead=source.lead + at + lead)))
        at = m.end() if m else at
    return out


def _line_offsets(text: str, n: int) -> list[int]:
    """Where each line of text.splitlines() starts in the text."""
    return [0, *accumulate(map(len, text.splitlines(keepends=True)[: n - 1]))] if n else []


def _split_cells(line: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The cells of a "|"-joined line, stripped, and where each is in it."""
    cells, spans, at = [], [], 0
    for piece in line.split("|"):
        lead = len(piece) - len(piece.lstrip())
        cell = piece.strip()
        cells.append(cell)
        spans.append((at + lead, at + lead + len(cell)))
        at += len(piece) + 1
    return cells, spans


# More cells than any row of the national tables holds (table 四's: a label
# and fifteen values): a markdown line this long is rows joined, as is one
# with a separator rule ("|---|") among its cells.
_ROW_CELLS = 24
_MD_RULE = re.compile(r"^:?-{2,}:?$")
# A pipe as a raw line writes it (normalising makes the full-width one "|").
_PIPE = re.compile(r"[|｜]")


def _joined_rows(cells: list[str], spans: list[tuple[int, int]], pieces: list[str]
                 ) -> list[tuple[list[str], list[tuple[int, int]]]]:
    """The rows of a markdown table joined into one line (`pieces`: the raw
    text between each two pipes). A row ends at a separator rule ("---"
    cells, dropped) and where two rows' pipes met ("| |" or "||"): where
    the line writes its blank cells "|  |", as markdown pads them, or where
    the row already holds as many cells as the rule above it has. A new row
    starts, too, at a label (a cell that is no value) after a value or a
    blank cell: each row of a table starts with its label."""
    padded = any(piece.startswith("  ") and not piece.strip() for piece in pieces)
    rows: list[tuple[list[str], list[tuple[int, int]]]] = []
    current: tuple[list[str], list[tuple[int, int]]] = ([], [])
    after_value = False
    width, in_rule = 0, False  # the columns of the last separator rule
    for cell, span, piece in zip(cells, spans, pieces, strict=True):
        if PAGE_FOOTER.match(cell):
            continue  # a page's footer the join put between two rows
        cell, span = _without_footer(cell, span)
        is_rule = bool(_MD_RULE.match(cell))
        if is_rule:
            width = width + 1 if in_rule else 1
        in_rule = is_rule
        junction = piece in (" ", "") and (padded or 0 < width <= len(current[0]))
        value = looks_like_value(cell)  # (a blank cell is one)
        if is_rule or junction or (not value and after_value):
            if current[0]:
                rows.append(current)
            current = ([], [])
        after_value = value and not (is_rule or junction)
        if not (is_rule or junction):
            current[0].append(cell)
            current[1].append(span)
    if current[0]:
        rows.append(current)
    return rows


# A "- 5 -" footer at either end of a cell of joined rows: the join put it
# beside the line before or after it (a label's last line).
_FOOTER_AT_END = re.compile(rf"(?:^|\s){_DASHED_FOOTER}$")
_FOOTER_AT_START = re.compile(rf"^{_DASHED_FOOTER}(?:\s|$)")


def _without_footer(cell: str, span: tuple[int, int]) -> tuple[str, tuple[int, int]]:
    """The cell without a page footer the join glued to it, and where the rest is."""
    if (m := _FOOTER_AT_END.search(cell)) is not None:
        rest = cell[:m.start()].rstrip()
        return rest, (span[0], span[0] + len(rest))
    if (m := _FOOTER_AT_START.match(cell)) is not None:
        rest = cell[m.end():].lstrip()
        return rest, (span[1] - len(rest), span[1])
    return cell, span


def _tab_row(raw: str, line: str) -> tuple[list[str], list[tuple[int, int]]] | None:
    """The cells of a line of tab-separated cells (Word's plain-text export and
    a browser's copy of a table write a row so, an empty field for a blank
    cell), and where each is in the normalised line; None for a line whose
    tabs are indentation or spacing in running text: a row holds two cells or
    more, one of them a value, and no sentences."""
    cells = [normalize(piece) for piece in raw.split("\t")]
    filled = [cell for cell in cells if cell]
    if len(filled) < 2 or not any(looks_like_value(cell) for cell in filled) or any(map(_prose, filled)):
        return None
    spans, at = [], 0
    for cell in cells:
        start = line.find(cell, at) if cell else at
        if start < 0:  # the cells do not normalise as the line does: read it as a line
            return None
        spans.append((start, start + len(cell)))
        at = start + len(cell)
    return cells, spans


# A table cell is a label, a value or a short note; a stretch this long with
# sentences in it is running text that happens to hold a "|" (a title such as
# 《我为群众办实事|…》 in a crawler's one-line page).
_PROSE_CELL = 150


def _pipe_in_prose(line: str) -> bool:
    """A line with a "|" that is not a row of cells: not framed by pipes as a
    markdown row is, and holding a long stretch of sentences."""
    return not line.startswith("|") and any(map(_prose, line.split("|")))


def _prose(cell: str) -> bool:
    """A stretch of sentences, too long for a table cell."""
    return len(cell) > _PROSE_CELL and "。" in cell


# A crawler's header is within the file's first lines.
_HEADER_LINES = 40


def _crawler_header(head: list[str], meta: dict[str, str]) -> int:
    """Read "key: value" header lines at the top (`head`: the first lines,
    normalised); return where the body starts."""
    for i, line in enumerate(head):
        if _BODY_MARK.match(line):
            for prev in head[:i]:
                m = _HEADER_FIELD.match(prev)
                if m and m.group(2).strip():
                    meta[m.group(1).replace(" ", "")] = m.group(2).strip()
            return i + 1
    return 0
