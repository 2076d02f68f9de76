"""Reading one printed row into its cells, when the tokens do not map one to
one: glued digits, vanished blank cells, padding.

A row reading is the list of every assignment of the tokens to the row's
cells that the printed order and the row's own identities allow. The table
solver (`assemble`) then narrows the candidates with the column identities.
Nothing is guessed here: one candidate means the row is certain, several
mean it is not, none means the tokens cannot be this row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, pairwise
from math import comb

from ..model import OcrRead, Span
from .units import Token
from .values import parse_cell

# Enumeration stops here; a row with more readings than this is left unresolved.
MAX_CANDIDATES = 4000
# Steps (pieces of a digit run tried) the split of one row may take, and of
# all the rows of one document; beyond them a row is left unresolved, as
# beyond MAX_CANDIDATES. The work grows as a high power of a run's length and
# the readings found need not reach MAX_CANDIDATES, so the steps themselves
# are bounded: a step takes 1 to 5 µs. Damaged random tables
# (bench/damage_recovery.py) take at most about 120,000 steps a row and
# 290,000 a document.
MAX_SPLIT_STEPS = 300_000
MAX_DOCUMENT_SPLIT_STEPS = 1_000_000


@dataclass(slots=True)
class _Document:
    """What the rows of one document share: the steps of splitting left, and
    the readings of the rows read so far (a table printed a thousand times
    is read once)."""

    steps_left: int
    readings: dict[tuple, tuple[RowReading, list[Token]]] = field(default_factory=dict)


_document: ContextVar[_Document | None] = ContextVar("document_rows", default=None)


@contextmanager
def split_budget() -> Iterator[None]:
    """Within this, the rows read are one document's: they share
    MAX_DOCUMENT_SPLIT_STEPS steps of splitting, and a row printed again
    is not read again."""
    token = _document.set(_Document(MAX_DOCUMENT_SPLIT_STEPS))
    try:
        yield
    finally:
        _document.reset(token)


@dataclass(slots=True, unsafe_hash=True)  # a value, never changed once made; not frozen: see model.py
class CellOut:
    value: int | float | None
    raw: str
    inferred: bool = False  # the cell's text was lost and the value comes from an identity
    lost: bool = False  # the cell left no token in the source
    ocr: OcrRead | None = None  # how OCR read it (scanned pages only)
    # Provenance, not part of what a cell is (readings that agree on a cell
    # agree whatever token it came from): where its text is; the whole token
    # a split cut it from; for an inferred cell, the cells of its row it was
    # computed from (indices).
    span: Span | None = field(default=None, compare=False)
    token: Span | None = field(default=None, compare=False)
    basis: tuple[int, ...] = field(default=(), compare=False)

    @property
    def as_number(self) -> float:
        """The value in an identity: blank counts as 0."""
        return 0 if self.value is None else self.value


@dataclass(frozen=True, slots=True)
class RowShape:
    """What the solver needs to know about a row: its width, which cells are
    sums of which, and which cells may be negative or decimal."""

    n: int
    sums: tuple[tuple[int, tuple[int, ...]], ...] = ()  # (total index, addend indices)
    signed: frozenset[int] = frozenset()
    money: frozenset[int] = frozenset()


Candidate = tuple[CellOut, ...]


@dataclass(slots=True)
class RowReading:
    candidates: list[Candidate]
    how: str  # "direct" | "padding" | "glued" | "joined" | "vanished" | "none"
    note: str = ""
    truncated: bool = False  # enumeration hit MAX_CANDIDATES


def sums_hold(cells: Candidate, shape: RowShape) -> bool:
    return all(_close(cells[t].as_number, sum(cells[a].as_number for a in adds)) for t, adds in shape.sums)


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6


def read_row(tokens: list[Token], shape: RowShape, exact: bool) -> RowReading:
    document = _document.get()
    if document is None or not any(t.glued for t in tokens) or _direct(tokens, shape.n, exact):
        # Only glued digits are costly to read (their splits are searched);
        # moving a row's cells to where it is printed again costs more than
        # reading separated values, or a token per cell, afresh.
        return _read_row(tokens, shape, exact)
    # (Where the tokens outnumber the cells, the lines they stand on count too: see _rejoined.)
    key = (tuple((t.text, t.blank, t.glued) for t in tokens), shape, exact,
           _line_breaks(tokens) if len(tokens) > shape.n else ())
    cached = document.readings.get(key)
    if cached is None:
        cached = document.readings[key] = (_read_row(tokens, shape, exact), tokens)
    reading, first = cached
    candidates = list(reading.candidates) if first is tokens else _moved(reading.candidates, first, tokens)
    return RowReading(candidates, reading.how, reading.note, reading.truncated)


def _direct(tokens: list[Token], n: int, exact: bool) -> bool:
    """Does the row print one token per cell (read directly, no search)?"""
    if len(tokens) == n:
        return True
    return exact and len(tokens) > n and len(_trim_padding(tokens, n)) == n


def _moved(candidates: list[Candidate], before: list[Token], now: list[Token]) -> list[Candidate]:
    """A row read before, printed again: its cells' spans moved from the
    tokens it was read from to the same tokens printed here."""
    # (block, start, end, row, column) of each token read before, and its span now.
    pairs = [(*b.span, n.span) for b, n in zip(before, now, strict=True) if b.span is not None and n.span is not None]
    if not pairs:
        return list(candidates)

    moved: dict[Span, Span] = {}  # candidates share their cells' spans

    def move(span: Span) -> Span:
        found = span
        block, start, end, row, column = span
        for old_block, old_start, old_end, old_row, old_column, new in pairs:
            if block == old_block and row == old_row and column == old_column \
                    and old_start <= start and end <= old_end:
                # new.part(start - old_start, end - old_start), without the call
                found = Span(new.block, new.start + (start - old_start), new.start + (end - old_start),
                             new.row, new.column)
                break
        moved[span] = found
        return found

    # Candidates share cells: each moved once. CellOut built directly, by
    # position (its fields' order): dataclasses.replace costs several times as
    # much. (Inline, not a function per cell: a glued dump moves thousands.)
    cells: dict[int, CellOut] = {}
    out: list[Candidate] = []
    for cand in candidates:
        row_cells = []
        for c in cand:
            cell = cells.get(id(c))
            if cell is None:
                span, token = c.span, c.token
                if span is not None:
                    span = moved.get(span) or move(span)
                if token is not None:
                    token = moved.get(token) or move(token)
                cell = cells[id(c)] = CellOut(c.value, c.raw, c.inferred, c.lost, c.ocr, span, token, c.basis)
            row_cells.append(cell)
        out.append(tuple(row_cells))
    return out


def _read_row(tokens: list[Token], shape: RowShape, exact: bool) -> RowReading:
    reading = _read(tokens, shape, exact)
    if reading.truncated:
        # Readings left unlisted could disagree with every listed one: no
        # cell of the row can be trusted.
        if len(reading.candidates) >= MAX_CANDIDATES:
            return RowReading([], reading.how, f"more than {MAX_CANDIDATES} possible readings")
        document = _document.get()
        if document is not None and document.steps_left <= 0:
            return RowReading([], reading.how, f"the {MAX_DOCUMENT_SPLIT_STEPS:,} steps the document may take "
                                               "to split glued digits are spent")
        return RowReading([], reading.how, f"more ways to split its digits than the {MAX_SPLIT_STEPS:,} tried")
    return reading


def _read(tokens: list[Token], shape: RowShape, exact: bool) -> RowReading:
    n = shape.n
    if exact:
        tokens = _trim_padding(tokens, n)
    if len(tokens) == n:
        cells = tuple(_cell(t) for t in tokens)
        return RowReading([cells], "direct")
    if len(tokens) > n:
        if not exact and (rejoined := _rejoined(tokens, shape)) is not None:
            return rejoined
        return _drop_blanks(tokens, shape)
    if not exact and any(_splittable(t) for t in tokens):
        reading = _glued(tokens, shape)
        if reading.candidates or reading.truncated:
            return reading
    return _vanished(tokens, shape)


# The ways of choosing which line breaks join two pieces of a number that
# a row may try (C(breaks, extra tokens)).
_MAX_JOINS = 500


def _line_breaks(tokens: list[Token]) -> tuple[int, ...]:
    """The positions i where tokens i and i + 1 are digits alone on two
    different lines (the last of one, the first of the next)."""
    return tuple(i for i, (a, b) in enumerate(pairwise(tokens)) if a.span is not None and b.span is not None
                 and a.span.block != b.span.block and a.text.isdigit() and b.text.isdigit())


def _rejoined(tokens: list[Token], shape: RowShape) -> RowReading | None:
    """More values than cells, on several lines, in a row with sums: a
    number a narrow cell broke over two lines (a PDF's text, "15" / "1" for
    151). Every way of joining as many pieces across line breaks as the row
    has values too many, that gives well-formed numbers and rows whose sums
    hold; None where no such reading is there (the row is read as before)."""
    extra = len(tokens) - shape.n
    breaks = _line_breaks(tokens)
    if not shape.sums or extra > len(breaks) or comb(len(breaks), extra) > _MAX_JOINS:
        return None
    out: list[Candidate] = []
    seen: set[Candidate] = set()
    for joins in combinations(breaks, extra):
        groups: list[list[Token]] = []
        for i, token in enumerate(tokens):
            if groups and i - 1 in joins:
                groups[-1].append(token)
            else:
                groups.append([token])
        cells = tuple(_cell(g[0]) if len(g) == 1 else _joined_cell(g) for g in groups)
        if any(c is None for c in cells):
            continue
        if cells not in seen and sums_hold(cells, shape) and _signs_fit(cells, shape):  # type: ignore[arg-type]
            seen.add(cells)  # type: ignore[arg-type]
            out.append(cells)  # type: ignore[arg-type]
    if not out:
        return None
    return RowReading(out, "joined", "a number broken over two lines read as one")


def _joined_cell(pieces: list[Token]) -> CellOut | None:
    """The number pieces on consecutive lines make (its source: the first
    piece's); None where it would begin with a 0."""
    text = "".join(t.text for t in pieces)
    if text[0] == "0":
        return None
    return CellOut(int(text), text, span=pieces[0].span)


def _cell(token: Token) -> CellOut:
    if token.blank:
        return CellOut(None, "", ocr=token.ocr, span=token.span)
    return CellOut(parse_cell(token.text).value, token.text, ocr=token.ocr, span=token.span, token=token.whole)


def _trim_padding(tokens: list[Token], n: int) -> list[Token]:
    """A printed row may carry empty cells beyond its last column (markdown
    and '||' padding): drop trailing, then leading, blanks beyond the width."""
    tokens = list(tokens)
    while len(tokens) > n and tokens[-1].blank:
        tokens.pop()
    while len(tokens) > n and tokens[0].blank:
        tokens.pop(0)
    return tokens


def _drop_blanks(tokens: list[Token], shape: RowShape) -> RowReading:
    """More tokens than cells: some bare '|' or empty cells did not stand for
    cells. Try every way of dropping just enough of them."""
    n = shape.n
    blanks = [i for i, t in enumerate(tokens) if t.blank]
    extra = len(tokens) - n
    if extra > len(blanks):
        return RowReading([], "none", f"{len(tokens) - len(blanks)} values for {n} cells")
    out: list[Candidate] = []
    seen: set[Candidate] = set()
    for cells in _blanks_kept(tokens, len(blanks) - extra):
        if cells not in seen and sums_hold(cells, shape):
            seen.add(cells)
            out.append(cells)
    return RowReading(out, "padding", "blank cells beyond the row's width")


def _blanks_kept(tokens: list[Token], keep: int) -> list[Candidate]:
    """Every row made by keeping `keep` of the blank tokens as cells. Which
    blanks of one run between two values stay does not change the row, only
    how many: at most C(n, values) rows, where trying every set of blanks to
    drop never ends on hundreds of bare '|'. The rows come in the order in
    which `combinations(blanks, extra)` of the dropped blanks first reaches
    each: fewest kept in the first run first."""
    values: list[CellOut] = []
    runs = [0]  # blanks before the first value, between values, after the last
    for token in tokens:
        if token.blank:
            runs[-1] += 1
        else:
            values.append(_cell(token))
            runs.append(0)
    blank = CellOut(None, "")
    out: list[Candidate] = []

    def place(r: int, left: int, cells: tuple[CellOut, ...]) -> None:
        if r == len(values):
            if left <= runs[r]:
                out.append(cells + (blank,) * left)
            return
        for kept in range(min(left, runs[r]) + 1):
            place(r + 1, left - kept, cells + (blank,) * kept + (values[r],))

    place(0, keep, ())
    return out


_DIGITS = re.compile(r"^([+-]?)(\d[\d.]*?)(\s?(?:万元|元|件|条|项|批次|个|次|家|人|%)?(?:\([^()]*\))?)$")


def _splittable(token: Token) -> bool:
    if token.blank or not token.glued:
        return False
    m = _DIGITS.match(token.text)
    return bool(m) and len(m.group(2).replace(".", "")) > 1


def _glued(tokens: list[Token], shape: RowShape) -> RowReading:
    """Fewer tokens than cells, some of them digit runs: split the runs so
    that the row has exactly its width, no part has a leading zero, a sign
    only starts a signed cell and a decimal point stays inside a money cell,
    and the row's sums hold."""
    search = _SplitSearch(shape)
    n = shape.n
    last_total = any(total == n - 1 for total, _ in shape.sums)
    if last_total and tokens:
        # The row ends with its total: take it first, as each possible tail of
        # the last run, so the addends are split under a known sum.
        *head, last = tokens
        for tail_text, rest in _tails(last):
            total = CellOut(parse_cell(tail_text).value, tail_text, span=_part(last, len(last.text) - len(tail_text),
                                                                               len(last.text)),
                            token=(last.whole or last.span) if rest is not None else last.whole)
            if total.value is None:
                continue
            search.run(head + ([rest] if rest else []), n - 1, total)
    else:
        search.run(tokens, n, None)
    note = "glued digits split so that the row adds up" if shape.sums else "glued digits split by position"
    if not search.out and not search.truncated and shape.sums and _cut_by_print(tokens):
        # No split adds up. If the digits can be cut into the row's cells in
        # one way only, that is what the report prints: read it as printed
        # (its sums then fail as checks; identities are checked, not repaired).
        only = _SplitSearch(RowShape(n=n, signed=shape.signed, money=shape.money), limit=2)
        only.run(tokens, n, None)
        if len(only.out) == 1:
            return RowReading(only.out, "glued", "the only split of the digits; the row's sums do not hold")
    return RowReading(search.out, "glued", note, search.truncated)


def _cut_by_print(tokens: list[Token]) -> bool:
    """Do the tokens themselves say that they hold several cells? One run of
    digits for the whole row does ("280000028"), and so does a run that is
    no number ("00", "03"). A well-formed number beside other tokens ("258"
    in "258 12 1 1") is more likely one cell with blank cells lost around it."""
    return len(tokens) == 1 or all(
        t.text[:1] == "0" for t in tokens if _splittable(t) and len(_DIGITS.match(t.text).group(2)) > 1)


def _tails(token: Token) -> list[tuple[str, Token | None]]:
    """(text of the last cell, what is left of the token) for each way the
    token can end: a fixed token is one cell; a digit run ends in any of its
    well-formed suffixes (with its unit or note)."""
    if not _splittable(token):
        return [(token.text, None)]
    m = _DIGITS.match(token.text)
    assert m
    sign, digits, suffix = m.group(1), m.group(2), m.group(3)
    out: list[tuple[str, Token | None]] = []
    for cut in range(len(digits)):
        tail, rest = digits[cut:], digits[:cut]
        if not _well_formed(tail):
            continue
        if cut == 0:
            out.append((sign + tail + suffix, None))
        elif not rest.endswith("."):
            out.append((tail + suffix, Token(sign + rest, glued=True, span=_part(token, 0, len(sign) + cut),
                                             whole=token.whole or token.span)))
    return out


def _part(token: Token, start: int, end: int) -> Span | None:
    """Characters start:end of a token's text, where the token has a span."""
    return token.span.part(start, end) if token.span is not None else None


class _SplitSearch:
    """Depth-first splitting of digit runs into cells, pruned by the row's
    sums as soon as they can be judged."""

    def __init__(self, shape: RowShape, limit: int | None = None) -> None:
        self.shape = shape
        self.limit = MAX_CANDIDATES if limit is None else limit
        self.out: list[Candidate] = []
        self.truncated = False
        self.steps = 0
        self.document = _document.get()
        self.step_limit = MAX_SPLIT_STEPS if self.document is None else min(MAX_SPLIT_STEPS, self.document.steps_left)

    def run(self, tokens: list[Token], width: int, total: CellOut | None) -> None:
        shape = self.shape
        parsed = [(t, _DIGITS.match(t.text) if _splittable(t) else None) for t in tokens]
        # How many cells the runs after token k can take beyond one each, and
        # how many digits they print.
        spare_after = [0] * (len(parsed) + 1)
        digits_after = [0] * (len(parsed) + 1)
        for k in range(len(parsed) - 1, -1, -1):
            t, m = parsed[k]
            spare_after[k] = spare_after[k + 1] + (len(m.group(2).replace(".", "")) - 1 if m else 0)
            digits_after[k] = digits_after[k + 1] + (len(m.group(2)) if m else len(t.text))
        closing, opening = _sum_order(shape, width, total is not None)
        cells: list[CellOut] = []
        # For each cell cut from a run, (token, start, end, whole token): its
        # spans, made only for the rows that come out (most cuts fail).
        places: list[tuple[Token, int, int, Span | None] | None] = []

        nums: list[int | float] = []  # each cell's value in the sums (blank: 0), beside `cells`
        total_number = total.as_number if total is not None else 0

        def fits(cell: CellOut, digits_left: int) -> bool:
            """Can the cell come next? When it can, its number is left in
            `nums` for the caller to take out with the cell."""
            i = len(cells)
            if not _sign_fits(cell, i, shape):
                return False
            nums.append(0 if cell.value is None else cell.value)
            if sums_allow(i, digits_left):
                return True
            nums.pop()
            return False

        def sums_allow(i: int, digits_left: int) -> bool:
            for t, adds in closing.get(i, ()):
                if not _close(nums[t], sum(nums[a] for a in adds)):
                    return False
            for t, adds in opening.get(i, ()):
                partial = sum(nums[a] for a in adds if a <= i)
                if total is not None and t == width:
                    left = total_number - partial
                    if left < 0 or (i == max(adds) and not _close(left, 0)):
                        return False
                    # The cells still to come must be able to make up the rest.
                    cells_left = width - i - 1
                    if cells_left and left >= cells_left * 10 ** max(digits_left - cells_left + 1, 0):
                        return False
                elif partial and partial >= 10 ** max(digits_left - (width - i - 2), 0):
                    return False  # the total still to come is too short
            return True

        def token_step(k: int) -> None:
            if len(self.out) >= self.limit or self.steps > self.step_limit:
                self.truncated = True
                return
            if k == len(parsed):
                if len(cells) == width:
                    placed = [c if at is None else CellOut(c.value, c.raw, span=_part(at[0], at[1], at[2]), token=at[3])
                              for c, at in zip(cells, places, strict=True)]
                    self.out.append((*placed, total) if total is not None else tuple(placed))
                return
            if len(cells) + (len(parsed) - k) > width:
                return  # each token still to come takes a cell at least
            token, m = parsed[k]
            if m is None:
                cell = _cell(token)
                if fits(cell, digits_after[k + 1]):
                    cells.append(cell)
                    places.append(None)
                    token_step(k + 1)
                    cells.pop()
                    places.pop()
                    nums.pop()
                return
            cut(k, m.group(1), m.group(2), m.group(3), 0, True)

        def cut(k: int, sign: str, digits: str, suffix: str, start: int, first: bool) -> None:
            room = width - len(cells) - (len(parsed) - k - 1)
            if room <= 0:
                return
            # Cells this run must still fill beyond the piece cut now, so that
            # the later runs (at their longest split) can complete the row.
            must = room - 1 - spare_after[k + 1]
            dotted = "." in digits  # a run of digits alone: every piece past the leading-zero test is well formed
            token = parsed[k][0]
            for end in range(start + 1, len(digits) + 1):
                self.steps += 1
                if self.steps > self.step_limit:
                    self.truncated = True
                    return
                if len(digits) - end < must:
                    break  # too few digits left for the cells still to fill
                piece = digits[start:end]
                if piece[0] == "0" and len(piece) > 1 and piece[1] != ".":
                    break  # a leading zero: only "0" itself (or 0.x) is a cell
                last = end == len(digits)
                if not last and room == 1:
                    continue  # this run must end in the one cell left to it
                if dotted and not _well_formed(piece):
                    continue
                text = (sign if first else "") + piece + (suffix if last else "")
                cell = CellOut(int(text), text) if text.isdigit() else CellOut(parse_cell(text).value, text)
                if not fits(cell, len(digits) - end + digits_after[k + 1]):
                    continue
                cells.append(cell)
                places.append((token, 0 if first else len(sign) + start, len(sign) + end + (len(suffix) if last else 0),
                               token.whole or (token.span if not (first and last) else None)))
                if last:
                    token_step(k + 1)
                else:
                    cut(k, sign, digits, suffix, end, False)
                cells.pop()
                places.pop()
                nums.pop()

        before = self.steps
        try:
            token_step(0)
        finally:
            # The nested functions hold each other (a reference cycle, with
            # the row's cells and spans): unbound here, they are freed at
            # once, not left for the cycle collector (a glued dump's rows
            # leave thousands of such objects).
            token_step = cut = fits = sums_allow = None  # type: ignore[assignment]
        if self.document is not None:
            self.document.steps_left -= self.steps - before


SumsAt = dict[int, list[tuple[int, tuple[int, ...]]]]


@lru_cache(maxsize=256)
def _sum_order(shape: RowShape, width: int, with_total: bool) -> tuple[SumsAt, SumsAt]:
    """The sums closed by cell i (all members placed), and the sums cell i
    opens, of a row split into `width` cells (the total taken first: one
    more). The same for every row of a shape: worked out once."""
    closing: SumsAt = {}
    opening: SumsAt = {}
    for t, adds in shape.sums:
        if with_total and t == width:
            for a in adds:
                opening.setdefault(a, []).append((t, adds))
            continue
        closing.setdefault(max(t, *adds), []).append((t, adds))
        for a in adds:
            if a < t:
                opening.setdefault(a, []).append((t, adds))
    return closing, opening


def _well_formed(piece: str) -> bool:
    if piece.startswith(".") or piece.endswith(".") or piece.count(".") > 1:
        return False
    whole = piece.split(".")[0]
    return whole == "0" or not whole.startswith("0")


def _sign_fits(cell: CellOut, i: int, shape: RowShape) -> bool:
    """A sign only starts a signed cell, a decimal point only stands in a money cell."""
    text = cell.raw
    if text.startswith(("-", "+")) and i not in shape.signed:
        return False
    return "." not in text.split("(")[0] or i in shape.money


def _signs_fit(cells: Candidate, shape: RowShape) -> bool:
    return all(_sign_fits(cell, i, shape) for i, cell in enumerate(cells))


def _vanished(tokens: list[Token], shape: RowShape) -> RowReading:
    """Fewer tokens than cells and no glued digits: blank cells left no token.
    Try every placement of the printed tokens, in order, among the cells; a
    lost cell that an identity determines is inferred, the others stay blank."""
    n = shape.n
    present = [_cell(t) for t in tokens]
    out: list[Candidate] = []
    seen: set[Candidate] = set()
    for positions in combinations(range(n), len(present)):
        cells: list[CellOut] = [CellOut(None, "", lost=True)] * n
        for pos, cell in zip(positions, present, strict=True):
            cells[pos] = cell
        resolved = _infer(cells, shape)
        if resolved is None:
            continue
        cand = tuple(resolved)
        if cand not in seen and _signs_fit(cand, shape):
            seen.add(cand)
            out.append(cand)
        if len(out) >= MAX_CANDIDATES:
            return RowReading(out, "vanished", "", truncated=True)
    note = f"{n - len(present)} of {n} cells left no text"
    return RowReading(out, "vanished", note)


def _infer(cells: list[CellOut], shape: RowShape) -> list[CellOut] | None:
    """Make the row's sums hold by computing lost cells, where exactly one
    lost cell takes part in a failing sum; None when the sums cannot hold."""
    cells = list(cells)
    for total, adds in shape.sums:
        members = (total, *adds)
        if _close(cells[total].as_number, sum(cells[a].as_number for a in adds)):
            continue
        lost = [i for i in members if cells[i].lost and not cells[i].inferred]
        if len(lost) != 1:
            return None
        i = lost[0]
        if i == total:
            value = sum(cells[a].as_number for a in adds)
        else:
            value = cells[total].as_number - sum(cells[a].as_number for a in adds if a != i)
        if value < 0:
            return None
        cells[i] = CellOut(value, "", inferred=True, lost=True, basis=tuple(m for m in members if m != i))
    return cells if all(_close(cells[t].as_number, sum(cells[a].as_number for a in adds))
                        for t, adds in shape.sums) else None
