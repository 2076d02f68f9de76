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
from dataclasses import dataclass
from itertools import combinations

from .units import Token
from .values import parse_cell

# Enumeration stops here; a row with more readings than this is left unresolved.
MAX_CANDIDATES = 4000


@dataclass(frozen=True, slots=True)
class CellOut:
    value: int | float | None
    raw: str
    inferred: bool = False  # the cell's text was lost and the value comes from an identity
    lost: bool = False  # the cell left no token in the source

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
    how: str  # "direct" | "padding" | "glued" | "vanished" | "none"
    note: str = ""
    truncated: bool = False  # enumeration hit MAX_CANDIDATES


def sums_hold(cells: Candidate, shape: RowShape) -> bool:
    return all(_close(cells[t].as_number, sum(cells[a].as_number for a in adds)) for t, adds in shape.sums)


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6


def read_row(tokens: list[Token], shape: RowShape, exact: bool) -> RowReading:
    n = shape.n
    if exact:
        tokens = _trim_padding(tokens, n)
    if len(tokens) == n:
        cells = tuple(_cell(t) for t in tokens)
        return RowReading([cells], "direct")
    if len(tokens) > n:
        return _drop_blanks(tokens, shape)
    if not exact and any(_splittable(t) for t in tokens):
        reading = _glued(tokens, shape)
        if reading.candidates:
            return reading
    return _vanished(tokens, shape)


def _cell(token: Token) -> CellOut:
    if token.blank:
        return CellOut(None, "")
    return CellOut(parse_cell(token.text).value, token.text)


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
    for drop in combinations(blanks, extra):
        cells = tuple(_cell(t) for i, t in enumerate(tokens) if i not in drop)
        if cells not in seen and sums_hold(cells, shape):
            seen.add(cells)
            out.append(cells)
    return RowReading(out, "padding", "blank cells beyond the row's width")


_DIGITS = re.compile(r"^([+-]?)(\d[\d.]*?)(\s?(?:万元|元|件|条|项|批次|个|次|家|人|%)?(?:\([^()]*\))?)$")


def _splittable(token: Token) -> bool:
    if token.blank or not token.glued:
        return False
    m = _DIGITS.match(token.text)
    return bool(m) and len(m.group(2).replace(".", "")) > 1


def _glued(tokens: list[Token], shape: RowShape) -> RowReading:
    """Fewer tokens than cells, some of them digit runs: split the runs so
    that the row has exactly its width, no part has a leading zero, a sign
    only starts a signed cell and a decimal point stays inside a money cell.
    Sums are checked as soon as their last cell is placed, which keeps long
    runs (table 四's 15 cells in one string) fast."""
    n = shape.n
    # The sums whose last member is cell i: checked once i is placed.
    closing: dict[int, list[tuple[int, tuple[int, ...]]]] = {}
    for total, adds in shape.sums:
        closing.setdefault(max(total, *adds), []).append((total, adds))
    parsed = []
    for token in tokens:
        m = _DIGITS.match(token.text) if _splittable(token) else None
        parsed.append((token, m))
    # How many cells the runs after token k can take beyond one each.
    spare_after = [0] * (len(parsed) + 1)
    for k in range(len(parsed) - 1, -1, -1):
        m = parsed[k][1]
        spare_after[k] = spare_after[k + 1] + (len(m.group(2).replace(".", "")) - 1 if m else 0)
    out: list[Candidate] = []
    truncated = False
    cells: list[CellOut] = []

    def fits(cell: CellOut) -> bool:
        i = len(cells)
        text = cell.raw
        if text.startswith(("-", "+")) and i not in shape.signed:
            return False
        if "." in text.split("(")[0] and i not in shape.money:
            return False
        cells.append(cell)
        ok = all(_close(cells[t].as_number, sum(cells[a].as_number for a in adds)) for t, adds in closing.get(i, ()))
        cells.pop()
        return ok

    def token_step(k: int) -> None:
        nonlocal truncated
        if len(out) >= MAX_CANDIDATES:
            truncated = True
            return
        if k == len(parsed):
            if len(cells) == n:
                out.append(tuple(cells))
            return
        # Each token still to come takes at least one cell.
        if len(cells) + (len(parsed) - k) > n:
            return
        token, m = parsed[k]
        if m is None:
            cell = _cell(token)
            if fits(cell):
                cells.append(cell)
                token_step(k + 1)
                cells.pop()
            return
        cut(k, m.group(1), m.group(2), m.group(3), 0, first=True)

    def cut(k: int, sign: str, digits: str, suffix: str, start: int, first: bool) -> None:
        room = n - len(cells) - (len(parsed) - k - 1)
        if room <= 0:
            return
        # Cells this run must still fill, beyond the piece cut now, so that
        # the later runs (at their longest split) can complete the row.
        must = room - 1 - spare_after[k + 1]
        for end in range(start + 1, len(digits) + 1):
            if len(digits) - end < must:
                break  # too few digits left for the cells still to fill
            piece = digits[start:end]
            if piece[0] == "0" and len(piece) > 1 and piece[1] != ".":
                break  # a leading zero: only "0" itself (or 0.x) is a cell
            last = end == len(digits)
            if not last and room == 1:
                continue  # this run must end in the one cell left to it
            if not _well_formed(piece):
                continue
            text = (sign if first else "") + piece + (suffix if last else "")
            cell = CellOut(int(text), text) if text.isdigit() else CellOut(parse_cell(text).value, text)
            if not fits(cell):
                continue
            cells.append(cell)
            if last:
                token_step(k + 1)
            else:
                cut(k, sign, digits, suffix, end, first=False)
            cells.pop()

    token_step(0)
    note = "glued digits split so that the row adds up" if shape.sums else "glued digits split by position"
    return RowReading(out, "glued", note, truncated)


def _well_formed(piece: str) -> bool:
    if piece.startswith(".") or piece.endswith(".") or piece.count(".") > 1:
        return False
    whole = piece.split(".")[0]
    return whole == "0" or not whole.startswith("0")


def _signs_fit(cells: Candidate, shape: RowShape) -> bool:
    for i, cell in enumerate(cells):
        text = cell.raw
        if text.startswith(("-", "+")) and i not in shape.signed:
            return False
        if "." in text.split("(")[0] and i not in shape.money:
            return False
    return True


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
        cells[i] = CellOut(value, "", inferred=True, lost=True)
    return cells if all(_close(cells[t].as_number, sum(cells[a].as_number for a in adds))
                        for t, adds in shape.sums) else None
