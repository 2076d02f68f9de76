"""From document blocks to row units: a label (or none) and the value tokens
printed after it.

Every input style ends up here in the same shape. A grid row or a pipe row is
one unit whose tokens are its cells (blank cells included, so the count is
reliable: the unit is `exact`). Flattened text is cut at the labels the
scanner finds; the values between two labels belong to the first, and a
token may still hold several cells glued together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Block, Document, Grid, OcrRead, Paragraph, Row, Span
from ..readers.text import BLANK_CELL, PAGE_FOOTER
from ..templates.labels import is_cjk, split_numbering
from .damage import NUMBER_BROKEN, Damage, block_damage, blocks_may_be_damaged, grid_row_damage
from .scan import Mark, Piece, Scanner
from .values import leading_values, looks_like_value, parse_cell, split_value_runs

# A line that ends inside a bracket opened at its start or right after a
# value ("（含", "0 （其"): a cell's note wrapped over the lines after it.
_NOTE_OPENED = re.compile(r"(?:^|(?<=\d)|(?<=\d\s))\([^()]*$")
_VALUES_LINE_CHARS = 200  # a line of one row's values is shorter
_VALUES_LINE = re.compile(r"^\s*\d+(?:\s+\d+)+\s*$")
# A few characters and a space at a line's start: a piece of the column
# left of the row labels (a group label wrapped over the rows' lines).
_LEFT_COLUMN_PIECE = re.compile(r"^\S{1,4}\s+(?=\S)")
_LAID_OUT = re.compile(r"\S {3,}\S")  # cells set apart by runs of spaces
_NOTE_LINE = 8  # characters a line of a wrapped note holds at most (a narrow cell's)
_NOTE_CHARS = 30  # characters of a note at most
# A portal's page furniture on a line of its own, which a crawler or CMS
# export can leave between table rows: print / close / share buttons, the
# font-size switch, a bare URL, a 来源 line.
_FURNITURE = re.compile(r"^(?:[【\[]?(?:打印本页|关闭窗口|打印|关闭|分享到[:：]?|字体[:：]?\s?大\s?中\s?小)[】\]]?"
                        r"|https?://\S+|来源[:：]\s?\S{1,30})$")
# Sections whose heading ends the table zone once the tables have started.
_END_SECTIONS = {"5", "6"}
# Header words only table 四 prints (行政复议 alone also occurs in running text).
_REVIEW_COLUMNS = {"upheld", "corrected", "other", "pending", "未经复议直接起诉", "复议后起诉"}
_TABLE_OF_SECTION = {"2": "proactive", "3": "applications", "4": "review_litigation"}
# Marks only a table's own start prints, with or without its section's
# heading: table 三's first row, table 四's header.
_TABLE_STARTS = ("new_received", "未经复议直接起诉")
# Text of digits and punctuation alone, which reads as no value ("18651."
# before " 06": a number a space broke after its decimal point).
_DIGITS_ONLY = re.compile(r"[\d\s.,，。、:：;；]*\d[\d\s.,，。、:：;；]*")
# A numbered heading after the four sections that hold tables (五、… and on),
# whatever its wording.
_LATER_SECTION = re.compile(r"^\s?[五六七八九十]\s?、")


@dataclass(slots=True)
class Token:
    text: str
    blank: bool = False  # a blank cell (empty grid or pipe cell, bare "|")
    glued: bool = False  # from flattened text: may hold several cells
    column: int | None = None  # grid column (grids only)
    span: Span | None = None  # where its text is in the document
    whole: Span | None = None  # for a piece cut from a token: that token's span
    ocr: OcrRead | None = None  # how OCR read the cell (scanned pages only)


@dataclass(slots=True)
class Unit:
    table: str | None
    mark: Mark | None  # the row label, None when the row lost it
    label: str = ""
    tokens: list[Token] = field(default_factory=list)
    exact: bool = False
    page: int | None = None
    # The words a crawler glued to this row's digits ("2025年，我局…"): the
    # values were cut from the head of that text.
    glued_to: str = ""
    grid: int | None = None  # index of the grid the row came from
    extra: bool = False  # a row the agency added: its label is in no template
    # Its values read from lines laid out as the page was (cells set apart by
    # runs of spaces: pdftotext's layout), where a row's cells may stand on
    # several lines, line after line across the cells.
    laid_out: bool = False
    damage: Damage = field(default_factory=dict)  # what was wrong with the text it was read from

    @property
    def has_number(self) -> bool:
        return any(not t.blank and parse_cell(t.text).kind == "number" for t in self.tokens)


@dataclass(slots=True)
class Evidence:
    """What the table text says about its layout, besides its rows."""

    headers: dict[str, set[str]] = field(default_factory=dict)  # table -> column keys seen in headers
    column_maps: dict[int, dict[int, str]] = field(default_factory=dict)  # grid -> column index -> key
    pages: dict[str, set[int]] = field(default_factory=dict)
    started: bool = False


class UnitBuilder:
    def __init__(self, scanner: Scanner) -> None:
        self.scanner = scanner
        self.units: list[Unit] = []
        self.evidence = Evidence()
        self.table: str | None = None
        self.current: Unit | None = None
        self.done = False
        # Table 四 has no row labels: its values count only after its header.
        self.review_header_seen = False
        self._review_read = False  # table 四 has had values
        # Inside a cell's note that its narrow cell wrapped over lines (a PDF's
        # text: "0" / "（含" / "自然" / "失效" / "2" / "件）"): the characters
        # of it read so far, or None outside one.
        self._note: int | None = None
        self.unread_pages: set[int] = set()
        # A paragraph joined from lines a label was broken across: its first
        # block -> (where each later line starts in the joined text, its block).
        self._joined: dict[int, list[tuple[int, int]]] = {}

    # -- public -------------------------------------------------------------

    def build(self, doc: Document) -> tuple[list[Unit], Evidence]:
        self.unread_pages = doc.unread_pages
        self._blocks = doc.blocks
        damaged = blocks_may_be_damaged(doc.blocks, self.unread_pages)
        for index, block in _join_wrapped(_join_vertical(doc.blocks), self.scanner, self._joined):
            if self.done:
                break
            count = len(self.units)
            if isinstance(block, Paragraph):
                self._paragraph(block, index)
            elif isinstance(block, Row):
                self._row([(c, i, False) for i, c in enumerate(block.cells)], page=block.page, grid=None,
                          block=index)
            elif isinstance(block, Grid):
                self._grid(block, index)
            if damaged and not isinstance(block, Grid) and (damage := block_damage(block, self.unread_pages)):
                self._mark_damage(count, damage, row=isinstance(block, Row))
        self._close()
        return self.units, self.evidence

    # -- blocks -------------------------------------------------------------

    def _paragraph(self, block: Paragraph, index: int) -> None:
        if self._note is not None:
            block = self._past_note(block)
            if block is None:
                return  # a line inside the note: its digits are no values
        self._paragraph_read(block, index)
        if self.evidence.started and self.current is not None and self.current.tokens \
                and _NOTE_OPENED.search(block.text):
            self._note = 0

    def _past_note(self, block: Paragraph) -> Paragraph | None:
        """A line read inside a wrapped note: None while the note goes on;
        where it closes, the line with the note's part blanked (the same
        length: spans stay where they are). A note runs a few short lines at
        most: a longer one was no note, and is read as it is."""
        close = block.text.find(")")
        seen = self._note or 0
        if close < 0:
            # (Two values or more on a line are cells, not a note's words: the
            # line of another cell, where two wrapped cells' lines interleave.)
            # (Nor is a numbered line: the next row's label, "2.重复申请".)
            if len(block.text) <= _NOTE_LINE and seen + len(block.text) <= _NOTE_CHARS \
                    and not _VALUES_LINE.match(block.text) and split_numbering(block.text)[0] is None:
                self._note = seen + len(block.text)
                return None
            self._note = None
            return block
        self._note = None
        if seen + close > _NOTE_CHARS:
            return block
        return Paragraph(" " * (close + 1) + block.text[close + 1:], block.page, block.source)

    def _paragraph_read(self, block: Paragraph, index: int) -> None:
        if block.text == BLANK_CELL:
            if self.evidence.started:
                self._append([Token("", blank=True, span=Span(index, 0, len(block.text)))], block.page)
            return
        if PAGE_FOOTER.match(block.text) or _FURNITURE.match(block.text):
            return  # a page number, running footer or page furniture between table rows
        if not self.evidence.started and not self.scanner.may_open(block.text):
            return  # running text before the tables: not worth a full scan
        pieces = self.scanner.scan(block.text)
        if not self.evidence.started:
            opening = self._opening(pieces, in_table=False)
            if opening is None:
                return
            pieces = pieces[opening:]
        # A line holding no value and no mark of its own (words like 其他 that
        # several tables print do not count): a label to match loosely.
        loose = all(not p.values and (p.mark is None or (p.mark.kind == "header" and p.mark.table is None))
                    for p in pieces)
        if loose and any(p.mark for p in pieces):
            pieces = [Piece(text=block.text, spans=((0, len(block.text)),))]
        laid_out: bool | None = None  # the line's cells set apart by runs of spaces (worked out when needed)
        for i, piece in enumerate(pieces):
            if self.done:
                return
            if piece.mark:
                self._mark(piece.mark, piece.text, block.page)
            elif piece.values:
                self._append([Token(v, glued=True, span=self._span(index, a, b))
                              for v, (a, b) in zip(piece.values, piece.spans, strict=True)], block.page)
                if self.current is not None and not self.current.laid_out:
                    if laid_out is None:  # (once a line: a crawler's one line may be a megabyte)
                        laid_out = bool(block.source is not None and block.source.raw
                                        and _LAID_OUT.search(block.source.raw))
                    self.current.laid_out = laid_out
            else:
                at = self._span(index, *piece.spans[0]) if piece.spans else None
                self._text(piece.text, loose, i + 1 < len(pieces) and bool(pieces[i + 1].values), block.page, at)

    def _span(self, index: int, start: int, end: int) -> Span:
        """Where characters start:end of paragraph `index` are: in the line
        they were printed on, for a paragraph joined from several."""
        for offset, block in reversed(self._joined.get(index, ())):
            if start >= offset:
                return Span(block, start - offset, end - offset)
        return Span(index, start, end)

    def _text(self, text: str, loose: bool, before_values: bool, page: int | None, at: Span | None = None) -> None:
        """Text that is no exact label: digits a crawler glued to the words
        after a row, a damaged or wrapped label, a row the agency added, the
        running text after a table, or noise (a note, a page header)."""
        if before_values and self.current is not None and self._awaiting_values() and _DIGITS_ONLY.fullmatch(text):
            # Digits between a row's label and its values that are no value:
            # the values after them may be pieces of a broken number.
            self.current.damage.setdefault(NUMBER_BROKEN, text[:30])
        if self._awaiting_values() and (glued := leading_values(text)):
            values, text = glued
            self._append([Token(values, glued=True, span=at.part(0, len(values)) if at else None)], page)
            if self.current is not None:
                self.current.glued_to = text[:24]
            before_values = False
        numbered = split_numbering(text)[0] is not None
        if loose or (before_values and numbered and len(text) <= 40):
            mark = self.scanner.fuzzy_row(text, self.table)
            if mark:
                self._mark(mark, text, page)
                return
        elif before_values and (piece := _LEFT_COLUMN_PIECE.match(text)) and len(text) <= 40 \
                and split_numbering(label := text[piece.end():])[0] is not None:
            # A line of a text laid out as its page: a piece of the group
            # label's column left of the row's label ("处   2.申请人逾期未按
            # 收费通知要   0", the rest of 其他处理 and of the label on the
            # lines around it).
            mark = self.scanner.fuzzy_row(label, self.table)
            if mark:
                self._mark(mark, label, page)
                return
        if (loose or before_values) and self._added_row(text):
            self._close()
            self.current = Unit(table=self.table, mark=None, label=text, page=page, extra=True)
            return
        if self.table == "review_litigation" and (_LATER_SECTION.match(text) or (
                self.current is not None and self.current.tokens and self._prose(text))):
            # Table 四 is the last table, one row long: a later numbered
            # heading, or running text after its values, ends the tables.
            self.done = True
        elif self.current is not None and self.current.tokens and self._prose(text):
            # Values after running text are not this row's: they start a
            # unit of their own (placed by order, or left unused, and said).
            self._close()

    def _awaiting_values(self) -> bool:
        """Right after a row's label, or table 四's header, before any value."""
        if self.current is not None:
            return self.current.mark is not None and not self.current.tokens
        return self.table == "review_litigation" and self.review_header_seen and not self._review_read

    def _prose(self, text: str) -> bool:
        """Running text: several words that are no piece of a template label
        (a label wrapped over lines leaves pieces that are; a line of a text
        laid out as its page may hold a piece of the group label's column
        before it: "理 求缴纳费用、行政机关不再处")."""
        if sum(1 for ch in text if is_cjk(ch)) < 6 or self.scanner.within_label(text):
            return False
        piece = _LEFT_COLUMN_PIECE.match(text)
        return piece is None or not self.scanner.within_label(text[piece.end():])

    def _row(self, cells: list[tuple[str, int | None, bool]], page: int | None, grid: int | None,
             block: int | None = None, row: int = -1) -> None:
        """One printed row: (text, grid column, is-continuation) per cell;
        `block` and `row` say where it is in the document (a row of cells, or
        row `row` of a grid)."""
        index = grid if grid is not None else block

        def span(col: int | None, start: int, end: int) -> Span | None:
            return Span(index, start, end, row, -1 if col is None else col) if index is not None else None

        # Value cells hold no label: only text cells are scanned.
        scanned = [(self.scanner.scan(text) if text and not looks_like_value(text) else [], text, col, cont)
                   for text, col, cont in cells]
        if not self.evidence.started and all(self._opening(p, in_table=True) is None for p, _, _, _ in scanned):
            return
        self._close()
        row_mark: Mark | None = None
        label = ""
        unknown: list[str] = []  # label cells that match no row
        tokens: list[Token] = []
        damage: Damage = {}
        # In a row with a label, blank cells before it are the blank corners
        # of merged label columns; a row of values alone (table 四) keeps them.
        labelled = any(pieces for pieces, _, _, _ in scanned)
        for pieces, text, col, cont in scanned:
            if not text or cont:
                if row_mark is not None or tokens or not labelled:
                    tokens.append(Token("", blank=True, column=col, span=span(col, 0, 0)))
                continue
            if not pieces:
                tokens.append(Token(text, column=col, span=span(col, 0, len(text))))
                continue
            for i, piece in enumerate(pieces):
                if piece.mark and piece.mark.kind == "row":
                    row_mark, label = piece.mark, text
                    tokens = []  # values belong after the (most specific) label
                elif piece.mark:
                    self._note_mark(piece.mark, page)
                elif piece.values:
                    tokens.extend(Token(v, column=col, span=span(col, a, b))
                                  for v, (a, b) in zip(piece.values, piece.spans, strict=True))
                elif i + 1 < len(pieces) and pieces[i + 1].values and _DIGITS_ONLY.fullmatch(piece.text):
                    damage.setdefault(NUMBER_BROKEN, text[:30])  # "18651. 06": digits that are no value, then values
            if row_mark is None and not tokens and not any(p.mark for p in pieces):
                mark = self.scanner.fuzzy_row(text, self.table)
                if mark:
                    row_mark, label = mark, text
                else:
                    unknown.append(text)
        if row_mark is not None:
            self.table = row_mark.table
        if row_mark is None and not any(text for text, _, _ in cells):
            # A row of blank cells: table 四's data row printed blank (a blank
            # form: table 四 has no row labels) under its header; elsewhere a
            # spacer.
            if not (self.table == "review_litigation" and self.review_header_seen):
                return
            tokens = [Token("", blank=True, column=col, span=span(col, 0, 0)) for _, col, _ in cells]
        if row_mark is None and (not tokens or (self.table == "review_litigation" and not self.review_header_seen)):
            return
        # A row whose label cells are all unknown words (no piece of a
        # template label among them) is a row the agency added. Trailing
        # blanks after the last value are kept: the solver decides whether
        # they are cells or padding.
        extra = row_mark is None and bool(unknown) and all(self._added_row(t, numbered=False) for t in unknown)
        self.units.append(Unit(table=self.table, mark=row_mark, label=label or " ".join(unknown), tokens=tokens,
                               exact=True, page=page, grid=grid, extra=extra, damage=damage))
        self._note_page(page)

    def _grid(self, grid: Grid, index: int) -> None:
        for r, row in enumerate(grid.rows):
            page = grid.page_of(r)
            cells: list[tuple[str, int | None, bool]] = []
            last_origin = None
            printed = not all(cell.missing for cell in row)
            for c, cell in enumerate(row):
                if cell.missing and printed:
                    continue  # the row printed no cell here: not a blank cell (damage: row_short)
                if cell.origin == last_origin:
                    continue  # the same merged cell spanning columns
                last_origin = cell.origin
                continuation = cell.origin[0] != r and cell.origin[0] >= 0
                # A merged label cell repeats down its rows; a merged value
                # cell belongs to its first row only.
                if continuation and looks_like_value(cell.text):
                    cells.append(("", c, True))
                else:
                    cells.append((cell.text, c, False))
            count = len(self.units)
            self._row(cells, page=page, grid=index, row=r)
            if len(self.units) == count:
                continue  # no row unit was read from it (a page's other tables): no damage to mark
            if damage := grid_row_damage(row, page, self.unread_pages):
                for unit in self.units[count:]:
                    if unit.grid == index:
                        unit.damage.update(damage)
            if any(cell.ocr for cell in row):
                for unit in self.units[count:]:
                    for token in unit.tokens if unit.grid == index else ():
                        if token.column is not None:
                            token.ocr = row[token.column].ocr
        self.evidence.column_maps[index] = self._column_map(grid)

    def _column_map(self, grid: Grid) -> dict[int, str]:
        """Grid column -> applications column key, read from the header rows
        (the rows above the first data row)."""
        found: dict[int, str] = {}
        for row in grid.rows:
            if any(looks_like_value(c.text) and c.text for c in row):
                break
            for c, cell in enumerate(row):
                for piece in self.scanner.scan(cell.text) if cell.text else []:
                    m = piece.mark
                    if (m and m.kind == "header" and m.table in ("applications", None)
                            and m.key not in ("structure", "title", "marker")):
                        found[c] = m.key
        return found

    # -- marks and tokens -----------------------------------------------------

    def _added_row(self, text: str, numbered: bool = True) -> bool:
        """Does this text label a row the agency added to table 二 or 三? It
        names something (two Chinese characters at least), is not a piece of
        a template label (wrapped labels leave such pieces), and, in running
        text, starts with a row's numbering ("(八)", "9.")."""
        if self.table not in ("proactive", "applications"):
            return False
        number, rest = split_numbering(text)
        if numbered and number is None:
            return False
        return sum(1 for ch in rest if is_cjk(ch)) >= 2 and not self.scanner.is_fragment(rest, strict=numbered)

    def _opening(self, pieces: list[Piece], in_table: bool) -> int | None:
        """Where this text opens the table zone, if it does: a section-2..4
        heading, a 第二十条 marker, or a row label inside a real table row.
        Narrative before it (crawlers glue a whole page into one line) is
        not table text."""
        for i, piece in enumerate(pieces):
            m = piece.mark
            if not m:
                continue
            if (m.kind == "section" and m.key in _TABLE_OF_SECTION) or (
                m.kind == "header" and m.key in ("marker", *_TABLE_STARTS)
            ) or (m.kind == "row" and m.key in _TABLE_STARTS) or (in_table and m.kind in ("row", "header")):
                self.evidence.started = True
                return i
        return None

    def _mark(self, mark: Mark, text: str, page: int | None) -> None:
        if mark.kind == "header" and mark.table is None:
            return  # 总计/其他: printed by several tables, and inside long labels
        if mark.kind == "row":
            self._close()
            self.table = mark.table
            self.current = Unit(table=mark.table, mark=mark, label=text, page=page)
            self._note_page(page)
            return
        self._close()
        self._note_mark(mark, page)

    def _note_mark(self, mark: Mark, page: int | None) -> None:
        if mark.kind == "section":
            if mark.key in _END_SECTIONS:
                self.done = True
            elif mark.key in _TABLE_OF_SECTION:
                self.table = _TABLE_OF_SECTION[mark.key]
        elif mark.kind == "header" and mark.table:
            self.table = mark.table
            self.evidence.headers.setdefault(mark.table, set()).add(mark.key)
            if mark.table == "review_litigation" and mark.key in _REVIEW_COLUMNS:
                self.review_header_seen = True

    def _append(self, tokens: list[Token], page: int | None) -> None:
        if self.table == "review_litigation" and not self.review_header_seen and self.current is None:
            return  # numbers after 行政复议 in running text, before the table's header
        if self.current is None:
            self.current = Unit(table=self.table, mark=None, page=page)
        self.current.tokens.extend(tokens)
        self._review_read = self._review_read or self.table == "review_litigation"
        self._note_page(page)

    def _close(self) -> None:
        if self.current is not None and (self.current.mark is not None or self.current.tokens):
            if self.current.mark is not None and not self.current.tokens and not self.current.exact:
                self._take_values_printed_before(self.current)
            self.units.append(self.current)
        self.current = None

    def _take_values_printed_before(self, row: Unit) -> None:
        """A row label with no value after it, under a line of values the
        row before does not need: the values are this row's, printed on the
        line before its label (a text laid out as the page was, pdftotext's
        layout: a row's values on the line at the middle of its cell, which
        for a label wrapped over lines or set low may come before the label's
        line). The line is a line of values alone (two or more), and either
        no label precedes it (after a group label or a heading) or the row
        before has its values on an earlier line already."""
        if not self.units:
            return
        before = self.units[-1]
        if before.table != row.table or before.exact or before.extra or not before.tokens \
                or any(t.span is None or t.blank for t in before.tokens):
            return
        lines: list[list[Token]] = []
        for token in before.tokens:
            if lines and lines[-1][-1].span.block == token.span.block:  # type: ignore[union-attr]
                lines[-1].append(token)
            else:
                lines.append([token])
        last = lines[-1]
        if len(last) < 2 or not self._values_only(last[0].span.block):  # type: ignore[union-attr]
            return
        if before.mark is None and len(lines) == 1:
            row.tokens = before.tokens
            row.damage.update(before.damage)
            self.units.pop()
        elif before.mark is not None and len(lines) >= 2 and len(lines[0]) >= 2:
            row.tokens = last
            before.tokens = before.tokens[:-len(last)]

    def _values_only(self, block: int) -> bool:
        """Is the document's block a line of values and nothing else?"""
        b = self._blocks[block] if 0 <= block < len(self._blocks) else None
        # (A line of a table's values is short: a glued dump's whole table is not read again.)
        return isinstance(b, Paragraph) and len(b.text) <= _VALUES_LINE_CHARS and bool(b.text.strip()) \
            and all(kind == "values" for kind, _, _ in split_value_runs(b.text))

    def _mark_damage(self, count: int, damage: Damage, row: bool) -> None:
        """Mark the units a damaged block added to: the text lost there may
        have been any of their values (or the open unit's, when the block's
        text was dropped). A row of cells makes one unit of its own."""
        if row:
            touched = [u for u in self.units[count:] if u.exact]
        else:
            # The unit open before the block is among these: still open, or
            # closed by it and appended.
            touched = [*self.units[count:], *([self.current] if self.current is not None else [])]
        for unit in touched:
            for code, seen in damage.items():
                unit.damage.setdefault(code, seen)

    def _note_page(self, page: int | None) -> None:
        if page is not None and self.table:
            self.evidence.pages.setdefault(self.table, set()).add(page)


def _join_vertical(blocks: list[Block]) -> list[tuple[int, Block]]:
    """The blocks with their index in the document, headers printed one
    character per line (结/果/维/持) joined back into one paragraph (at the
    index of its first character), so that they can be recognised."""
    out: list[tuple[int, Block]] = []
    run: list[tuple[int, Paragraph]] = []

    def flush() -> None:
        if len(run) >= 2:
            out.append((run[0][0], Paragraph("".join(p.text for _, p in run), run[0][1].page)))
        else:
            out.extend(run)
        run.clear()

    for index, block in enumerate(blocks):
        if isinstance(block, Paragraph) and len(block.text) == 1 and is_cjk(block.text):
            run.append((index, block))
            continue
        if run:  # (most blocks follow no such run)
            flush()
        out.append((index, block))
    flush()
    return out


def _join_wrapped(blocks: list[tuple[int, Block]], scanner: Scanner,
                  joined: dict[int, list[tuple[int, int]]]) -> list[tuple[int, Block]]:
    """Lines a page broke inside a template label or header (结果 / 维持,
    "…行政诉讼结果" / "维持结果纠正…") joined back into one paragraph: the
    end of one line and the start of the next make a whole label, which
    neither line holds there; or the next line, a few characters alone, goes
    on with the label the line ends with the start of (a label a narrow cell
    wrapped over several lines). `joined` gets where each joined line starts."""
    out: list[tuple[int, Block]] = []
    for index, block in blocks:
        if out and isinstance(block, Paragraph) and isinstance(prev := out[-1][1], Paragraph) and (
                scanner.label_across(prev.text, block.text) or scanner.label_goes_on(prev.text, block.text)):
            first = out[-1][0]
            joined.setdefault(first, []).append((len(prev.text), index))
            out[-1] = (first, Paragraph(prev.text + block.text, prev.page, prev.source))
            continue
        out.append((index, block))
    return out


def build_units(doc: Document, scanner: Scanner) -> tuple[list[Unit], Evidence]:
    return UnitBuilder(scanner).build(doc)

