"""Tables printed without ruling lines between their cells (no borders, or
only an outer frame): the grid rebuilt from where the text stands.

Values (numbers, dashes) that line up in columns over several lines make a
table; lines of long words across those columns (a heading, a header row,
running text) end it. Its columns are the clusters of its values' centres
(and of the short header words above them, for columns no row fills). Each
line of values is a row; the row labels to its left are cut into blocks (a
block goes on over the lines a label wraps to), and a block belongs to the
row whose values lie within its height (cells are centred, or set at the
top, never outside their row); a numbered block with no values in its
height is a row printed blank. What cannot be placed stays running text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import pairwise

from ...model import Source
from ...normalize import normalize
from ...tables.values import parse_cell
from ...templates.labels import is_cjk
from ..grid import Placed, join_lines
from .lines import PAGE_NUMBER, group_lines, line_text
from .parse import Char

# A gap this wide (in character heights) between two characters of a line
# separates two words.
_WORD_GAP = 0.8
# Before a digit after other text, a gap this wide (in character heights)
# separates two words (Word's automatic spacing is a quarter).
_NUMBER_GAP = 0.5
# Lines of values at least this many line heights apart are not one row.
_SAME_LINE = 0.5
# A non-value word this long across the value columns ends a table.
_BLOCKER_CHARS = 4
_ROW_NUMBERING = re.compile(
    r"^(?:\d{1,2}\s?[.、．]|[(（][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)")
# A row label's own numbering within its group ("2." after "1."): the one
# numbering that says which row comes next.
_SUB_NUMBER = re.compile(r"^(\d{1,2})\s?[.、．]")


@dataclass(slots=True)
class Word:
    chars: list[Char]
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    value: bool
    # A value over several lines (a wrapped note): the top of its first
    # line and the bottom of its last.
    span: tuple[float, float] | None = None

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class UnruledTable:
    xs: list[float]
    rows: int
    cells: list[Placed]
    top: float
    chars: list[Char] = field(default_factory=list)  # every character the table holds
    columns: list[float] = field(default_factory=list)  # the value columns' centres


def words_of(chars: list[Char], groups: list[list[Char]] | None = None) -> list[Word]:
    """The words of the characters (`groups`: their lines, where known)."""
    return _pieces(chars, _WORD_GAP, groups)


def _pieces(chars: list[Char], gap: float, groups: list[list[Char]] | None = None) -> list[Word]:
    """The characters' words: runs of a line with no gap wider than `gap`
    character heights."""
    out: list[Word] = []
    number_gap = min(gap, _NUMBER_GAP)
    for line in group_lines(chars) if groups is None else groups:
        # (Per character pair: heights kept from the step before, min and
        # max written out.)
        prev = line[0]
        prev_height = prev.bottom - prev.top
        current: list[Char] = [prev]
        for ch in line[1:]:
            height = ch.bottom - ch.top
            size = height if height < prev_height else prev_height
            if size < 1.0:
                size = 1.0
            # A number starts a word after a gap of half a character
            # (the next narrow cell's "0（注" after "0（其"), not only
            # after a word gap.
            apart = ch.x0 - prev.x1 > (number_gap if ch.text.isdigit() and not prev.text.isdigit() else gap) * size
            if apart or abs((ch.top + ch.bottom) / 2 - (prev.top + prev.bottom) / 2) > 0.3 * size:
                out.append(_word(current))
                current = []
            current.append(ch)
            prev, prev_height = ch, height
        out.append(_word(current))
    return out


def _word(chars: list[Char]) -> Word:
    text = normalize(line_text(chars, True)[0])
    kind = parse_cell(text).kind
    return Word(chars, text, min([c.x0 for c in chars]), max([c.x1 for c in chars]), min([c.top for c in chars]),
                max([c.bottom for c in chars]), max([c.bottom - c.top for c in chars]), kind in ("number", "dash"))


_NOTE_OPEN = re.compile(r"^[\d,.]+\D*[(（][^)）]*$")
_BROKEN_NUMBER = re.compile(r"^\d{1,3}(?:,\d{1,3})*$")
_CELL_CHARS = 12


def _join_cell_lines(words: list[Word]) -> list[Word]:
    """The lines of a value a narrow cell wrapped, as one word: a note
    ("0（含" over "转办6" over "件）", or a number with the note on the lines
    below it: "0" over "（含…）") and a number cut inside its digit groups
    ("3,11" over "9（注1）"). Each next line stands right below the last,
    across its width; the word is where its first line is (its column)."""
    short = sorted((w for w in words if len(w.text) <= _CELL_CHARS), key=lambda w: w.cy)
    cys = [w.cy for w in short]
    used: set[int] = set()
    out: dict[int, Word] = {}
    blocks: list[list[Word]] = []
    for head in short:
        if id(head) in used:
            continue
        lines = [head]
        text = head.text
        while True:
            last = lines[-1]
            window = short[bisect_right(cys, last.cy + 0.5 * last.size):bisect_right(cys, last.cy + 2.0 * last.size)]
            below = [w for w in window if id(w) not in used and w.x0 < last.x1 and w.x1 > last.x0
                     and abs(w.cx - head.cx) < 1.5 * head.size]
            nxt = min(below, key=lambda w: w.cy, default=None)
            if nxt is None:
                break
            opened = text.count("(") > text.count(")")
            if opened or (len(lines) == 1 and parse_cell(text).kind == "number" and nxt.text[:1] == "(") or (
                    len(lines) == 1 and _BROKEN_NUMBER.match(text) and parse_cell(text).kind != "number"
                    and nxt.text[:1].isdigit()):
                lines.append(nxt)
                text += nxt.text
                if text.count("(") <= text.count(")") and not _BROKEN_NUMBER.match(text):
                    break
                continue
            break
        if len(lines) == 1 or text.count("(") != text.count(")") or parse_cell(text).kind != "number":
            continue
        used.update(id(w) for w in lines)
        blocks.append(lines)
        out[id(head)] = Word([ch for w in lines for ch in w.chars], text, head.x0, head.x1, head.top, head.bottom,
                             max(w.size for w in lines), True, (head.top, lines[-1].bottom))
    # Each at the height of its row: the line of it beside most of the other
    # values (a cell centred on its row, or set at its top), else its middle.
    values = [w.cy for w in words if w.value and id(w) not in used]
    for lines in blocks:
        word = out[id(lines[0])]
        beside = [sum(abs(v - w.cy) < 0.5 * w.size for v in values) for w in lines]
        if max(beside) and beside.count(max(beside)) == 1:
            at = lines[beside.index(max(beside))]
            word.top, word.bottom = at.top, at.bottom
        else:
            middle, half = (lines[0].top + lines[-1].bottom) / 2, (lines[0].bottom - lines[0].top) / 2
            word.top, word.bottom = middle - half, middle + half
    return [out.get(id(w), w) for w in words if id(w) not in used or id(w) in out]


def _value_lines(values: list[Word]) -> list[list[Word]]:
    lines: list[list[Word]] = []
    for w in sorted(values, key=lambda w: w.cy):
        if lines and w.cy - lines[-1][0].cy <= _SAME_LINE * w.size:
            lines[-1].append(w)
        else:
            lines.append([w])
    for line in lines:
        line.sort(key=lambda w: w.x0)
    return lines


def _tabular(line: list[Word], others: list[tuple[float, Word]]) -> bool:
    """Values set apart as cells: a column gap before the first and between
    each two (not numbers inside running text). `others`: the words that
    are no values, each with its height (cy)."""
    first = line[0]
    for a, b in pairwise(line):
        # (Less beside a value of several lines: the head of a wrapped note
        # fills its narrow cell.)
        if b.x0 - a.x1 < (0.3 if a.span or b.span else 1.0) * a.size:
            return False
    before = [w for cy, w in others if abs(cy - first.cy) < 0.5 * first.size and w.x1 <= first.x0]
    return all(first.x0 - w.x1 >= 0.8 * first.size for w in before)


def find_unruled(chars: list[Char], above: list[float] | None = None, groups: list[list[Char]] | None = None
                 ) -> tuple[list[UnruledTable], list[Char]]:
    """The unruled tables among a page's loose characters, and the
    characters left for running text (`chars` itself where there is no
    table). `above`: the value columns of the table the page before ended
    with, which the first table here may go on with (its header left above
    the page break). `groups`: the characters' lines, where known (read,
    not changed)."""
    if groups is None:
        groups = group_lines(chars)
    if not _has_columns(groups):
        return [], chars  # running text only: no line with cells apart
    words = _join_cell_lines(words_of(chars, groups))
    values = [w for w in words if w.value]
    if len(values) < 4:
        return [], chars
    # The words that are no values, with their heights (read for every line of values).
    others = [(w.cy, w) for w in words if not w.value]
    lines = [line for line in _value_lines(values) if _tabular(line, others)]
    tables: list[UnruledTable] = []
    for i, pieces in enumerate(_segments(lines, others)):
        # The whole table, or where it does not settle, each of its pieces.
        hint = above if i == 0 else None
        table = _table([ln for piece in pieces for ln in piece], words, hint)
        if table is not None:
            tables.append(table)
        elif len(pieces) > 1:
            tables += [t for j, piece in enumerate(pieces)
                       if _enough(piece) and (t := _table(piece, words, hint if j == 0 else None)) is not None]
    if not tables:
        return [], chars
    taken = {id(ch) for t in tables for ch in t.chars}
    return tables, [ch for ch in chars if id(ch) not in taken]


def _has_columns(groups: list[list[Char]]) -> bool:
    """Is there a line with a gap wider than a character and a half (cells
    apart)? Pages of running text have none, and are not searched further."""
    for line in groups:
        # (Every character pair of the page: min and max written out.)
        a_height = line[0].bottom - line[0].top
        a_right = line[0].x1
        for b in line[1:]:
            b_height = b.bottom - b.top
            size = b_height if b_height < a_height else a_height
            if size < 1.0:
                size = 1.0
            if b.x0 - a_right > 1.5 * size:
                return True
            a_height, a_right = b_height, b.x1
    return False


def _segments(lines: list[list[Word]], others: list[tuple[float, Word]]) -> list[list[list[list[Word]]]]:
    """The lines of values cut into tables: each a list of pieces, cut where
    rows printed blank stand between (their labels alone, left of the
    values, no line more than 6 line heights from the next), which go on
    with the table but may be the end of one and the start of another.
    `others`: the words that are no values, each with its height (cy)."""
    out: list[list[list[list[Word]]]] = []
    for line in lines:
        if out:
            pieces = out[-1]
            last = pieces[-1][-1]
            left = min(w.x0 for piece in pieces for ln in piece for w in ln)
            right = max(w.x1 for piece in pieces for ln in piece for w in ln)
            size = last[0].size
            between = [w for cy, w in others if last[0].cy + 0.3 * size < cy < line[0].cy - 0.3 * size]
            if not any(_blocks(w) and w.x1 > left and w.x0 < right for w in between):
                if line[0].cy - last[0].cy < 6 * size:
                    pieces[-1].append(line)
                    continue
                steps = [last[0].cy, *sorted(w.cy for w in between if w.x1 <= left), line[0].cy]
                if all(b - a < 6 * size for a, b in pairwise(steps)):
                    pieces.append([line])
                    continue
        out.append([[line]])
    return [pieces for pieces in out if _enough([ln for piece in pieces for ln in piece])]


def _enough(lines: list[list[Word]]) -> bool:
    """Enough values for a table: two lines of them, or five on one line."""
    return len(lines) >= 2 or len(lines[0]) >= 5


def _blocks(w: Word) -> bool:
    """A word that ends a table where it crosses its columns: long, and no
    piece of a cell (a wrapped note holds digits: "7（含自然失效8")."""
    return len(w.text) >= _BLOCKER_CHARS and not any(ch.isdigit() for ch in w.text)


def _clusters(centres: list[float], gap: float) -> list[list[float]]:
    out: list[list[float]] = []
    for x in sorted(centres):
        if out and x - out[-1][-1] <= gap:
            out[-1].append(x)
        else:
            out.append([x])
    return out


def _split_at_columns(labels: list[Word], size: float) -> list[Word]:
    """Words cut where they cross the left edge of a label column (many
    words start there): a group label and a row label printed side by side
    with little space between their cells are two words."""
    starts = [c[0] for c in _clusters([w.x0 for w in labels], 1.5 * size) if len(c) >= 3]
    out: list[Word] = []
    for w in labels:
        piece: list[Char] = []
        for ch in w.chars:
            if piece and ch.x0 - piece[-1].x1 > 0.2 * size and any(abs(ch.x0 - s) <= 1.0 for s in starts):
                out.append(_word(piece))
                piece = []
            piece.append(ch)
        out.append(_word(piece) if len(piece) < len(w.chars) else w)
    return out


def _label_columns(labels: list[Word], size: float) -> list[float]:
    """The left edges of the label columns: where label words start, two
    edges being two columns only where words of both stand side by side on
    a line (a group label beside a row label); labels centred in one
    column start at many places, each on a line of its own."""
    clusters = _clusters([w.x0 for w in labels], 1.5 * size)
    starts = [c[0] for c in clusters]

    def index(w: Word) -> int:
        return max((i for i, s in enumerate(starts) if s <= w.x0 + 0.1), default=0)

    together: set[tuple[int, int]] = set()
    for a in labels:
        for b in labels:
            if a.x1 <= b.x0 + 0.5 * size and abs(a.cy - b.cy) < 0.5 * size and index(a) < index(b):
                together.add((index(a), index(b)))
    # Two edges are two columns, too, where numbered row labels (1. 2.)
    # start at the second and words that start at the first end before it
    # (a group label wrapped a few characters a line beside the row labels,
    # its lines set at other heights than theirs: never side by side). In
    # one column the numbered labels start at its edge, and the lines
    # indented under them are not numbered.
    by_start = [[w for w in labels if index(w) == i] for i in range(len(starts))]
    for i in range(len(starts) - 1):
        short = [w for w in by_start[i] if w.x1 <= starts[i + 1] + 0.1]
        numbered = [w for w in by_start[i + 1] if _SUB_NUMBER.match(w.text)]
        if len(short) >= 2 and len(numbered) >= 2:
            together.add((i, i + 1))
    merged = [starts[0]] if starts else []
    for i in range(1, len(starts)):
        if not any(j < i <= k for j, k in together) and merged:
            continue  # nothing ever stands beside it: the same column
        merged.append(starts[i])
    return merged


def _join_wrapped(anchors: list[dict], column, size: float, own_label) -> None:
    """Numbers a narrow cell wrapped over two lines ("300" over "1"): a line
    of digits right below a row (within two character heights), each under
    a number of that row in its column that is as wide as its column's
    widest (the cell is full), in fewer columns than the row fills, with no
    row label of its own, is the rest of those numbers."""
    widest: dict[int, float] = {}
    for a in anchors:
        for w in a["words"]:
            widest[column(w.cx)] = max(widest.get(column(w.cx), 0.0), w.x1 - w.x0)
    i = 1
    while i < len(anchors):
        above, below = anchors[i - 1], anchors[i]
        uppers: dict[int, Word] = {}
        if (below["words"] and below["cy"] - above["last"] <= 2.0 * size and below["cols"] < above["cols"]
                and not own_label(below["cy"])):
            for w in below["words"]:
                upper = [u for u in above["words"] if column(u.cx) == column(w.cx) and 0 < w.cy - u.cy <= 2.0 * size]
                u = max(upper, key=lambda u: u.cy, default=None)
                if (u is None or not w.text.isdigit() or not u.text[-1:].isdigit() or len(u.text) < 2
                        or u.x1 - u.x0 < widest[column(u.cx)] - 0.3 * size
                        or w.x0 < u.x0 - 0.5 or w.x1 > u.x1 + 0.5):
                    uppers = {}
                    break
                uppers[id(w)] = u
        if not uppers:
            i += 1
            continue
        for w in below["words"]:
            u = uppers[id(w)]
            chars = [*u.chars, *w.chars]
            joined = Word(chars, u.text + w.text, min(u.x0, w.x0), max(u.x1, w.x1), u.top, w.bottom,
                          max(u.size, w.size), True)
            above["words"][above["words"].index(u)] = joined
        above["last"] = below["cy"]
        anchors.pop(i)


# Within a value word, a gap this wide (in character heights) between two
# characters in different columns parts two cells; digits of one number
# stand closer.
_CELL_GAP = 0.25


def _split_across(line: list[Word], column, size: float) -> list[Word]:
    """The line's value words, each cut where two of its characters, apart,
    stand in different value columns (`column`: the column of an x)."""
    out: list[Word] = []
    for w in line:
        if len(w.chars) < 2 or w.span is not None:  # (a note wrapped over lines is one cell)
            out.append(w)
            continue
        pieces = [[w.chars[0]]]
        for prev, ch in pairwise(w.chars):
            if ch.x0 - prev.x1 > _CELL_GAP * size and column((ch.x0 + ch.x1) / 2) != column((prev.x0 + prev.x1) / 2):
                pieces.append([])
            pieces[-1].append(ch)
        out += [w] if len(pieces) == 1 else [_word(piece) for piece in pieces]
    return out


_DIGIT_CHAR = re.compile(r"[0-9０-９]")


def _labels_parted_from_values(segment: list[list[Word]], words: list[Word], column, means: list[float],
                               spacing: float, label_right: float, size: float
                               ) -> tuple[list[list[Word]], list[Word], set[int]]:
    """The segment's lines of values and the page's words, where a word of
    label text runs on into a digit run standing in a value column: the
    word starts in the label column (left of `label_right`), its digits
    are centred on a value column (`column`: the column of an x; `means`,
    its centres, `spacing` apart) and stand on a
    line of values that has none in that column nor left of it (one value a
    row lacks, not a number the label prints). Such a word is two: its label
    part (its identity in the set returned: a label, though it may reach
    into the value's column), and a value on that line."""
    parted: dict[int, tuple[Word, Word, int]] = {}  # id(word) -> (label part, value, line)
    for w in words:
        if w.value or w.span is not None or w.x0 >= label_right or w.x1 <= label_right or len(w.chars) < 2:
            continue
        k = len(w.chars)
        while k > 0 and _DIGIT_CHAR.fullmatch(w.chars[k - 1].text):
            k -= 1
        if k == 0 or k == len(w.chars) or not is_cjk(w.chars[k - 1].text):
            continue
        head, digits = w.chars[:k], w.chars[k:]
        value = _word(digits)
        if not value.value or abs(means[column(value.cx)] - value.cx) > 0.3 * spacing \
                or head[-1].x1 > digits[0].x0 + 0.5 * size:
            continue
        lines = [i for i, line in enumerate(segment) if abs(line[0].cy - w.cy) < 0.3 * size
                 and all(v.x0 > value.x1 for v in line)]
        if len(lines) == 1:
            parted[id(w)] = (_word(head), value, lines[0])
    if not parted:
        return segment, words, set()
    segment = [list(line) for line in segment]
    for _, value, i in parted.values():
        segment[i].insert(0, value)
    return (segment, [parted[id(w)][0] if id(w) in parted else w for w in words],
            {id(head) for head, _, _ in parted.values()})


def _blank_rows_at_page_break(blocks: list[dict], kept: list[dict], inner: int, rows_span: tuple[float, float],
                              size: float, ends: bool, starts: bool) -> list[dict]:
    """Where a page break cuts a table (`ends`: the page ends with its label
    lines, nothing below its last row of values but labels; `starts`: the
    page starts with them, nothing above its first row but labels), the
    label blocks beyond its rows of values (`rows_span`: the first and last
    rows' heights) that are rows printed blank: in the row-label column,
    each numbered on from the row next to it (2. after 1., 3. before 4.)
    and as close to it as the rows are to each other; and the pieces of
    the group labels beside them (the lines a group label wraps to)."""
    def top(b: dict) -> float:
        return min(w.top for w in b["words"])

    def bottom(b: dict) -> float:
        return max(w.bottom for w in b["words"])

    def number(b: dict) -> int | None:
        m = _SUB_NUMBER.match(b["words"][0].text)
        return int(m.group(1)) if m else None

    ids = {id(b) for b in kept}
    rows = sorted((b for b in kept if b["col"] == inner), key=top)
    if not rows or not (ends or starts):
        return []
    # Close: no farther from the row next to it than the rows' usual gap allows.
    gaps = sorted(top(b) - bottom(a) for a, b in pairwise(rows))
    close = max(2.5 * size, 1.5 * gaps[len(gaps) // 2]) if gaps else 2.5 * size
    left = [b for b in blocks if id(b) not in ids and b["col"] == inner]
    added: list[dict] = []
    for step, wanted in ((1, ends), (-1, starts)):
        if not wanted:
            continue
        # (Outward from the table: down from its last row, up from its first.)
        beyond = (sorted((b for b in left if min(w.cy for w in b["words"]) > rows_span[1]), key=top) if step == 1
                  else sorted((b for b in left if max(w.cy for w in b["words"]) < rows_span[0]), key=bottom,
                              reverse=True))
        chained: list[dict] = []
        last = rows[-1] if step == 1 else rows[0]
        for b in beyond:
            n, next_to = number(b), number(last)
            gap = top(b) - bottom(last) if step == 1 else top(last) - bottom(b)
            if n is None or next_to is None or n != next_to + step or not 0 <= gap < close:
                break
            chained.append(b)
            last = b
        if chained:
            low, high = min(top(b) for b in chained), max(bottom(b) for b in chained)
            added += chained + [b for b in blocks if id(b) not in ids and b["col"] < inner
                                and low - (0.3 if step == 1 else 1.5) * size <= top(b)
                                and bottom(b) <= high + (1.5 if step == 1 else 0.3) * size]
    return added


def _table(segment: list[list[Word]], words: list[Word], above: list[float] | None = None) -> UnruledTable | None:
    size = sorted(w.size for line in segment for w in line)[len([w for line in segment for w in line]) // 2]
    value_words = [w for line in segment for w in line]
    top_cy, bottom_cy = segment[0][0].cy, segment[-1][0].cy
    centres = [w.cx for w in value_words]
    clusters = _clusters(centres, 0.9 * size)
    if len(clusters) < 1:
        return None
    means = [sum(c) / len(c) for c in clusters]
    spacing = min((b - a for a, b in pairwise(means)), default=4 * size)
    value_left = min(w.x0 for w in value_words)
    value_right = max(w.x1 for w in value_words)
    # Short header words just above the first row: columns no row fills.
    # Headers of narrow columns stand close together: cut at small gaps.
    zone = [ch for w in words if not w.value and top_cy - 8 * size < w.cy < top_cy - 0.6 * size
            for ch in w.chars]
    # Not the header of the label column (words on the rows' lines below it,
    # left of the values), which stands within half a spacing of the first
    # value column where a blank column widens the spacing.
    row_words = [w for w in words if not w.value and w.x1 <= value_left
                 and top_cy - 0.5 * size <= w.cy <= bottom_cy + 0.5 * size]
    candidates = [w for w in _pieces(zone, 0.3) if w.x1 - w.x0 <= 0.9 * spacing
                  and not any(r.x0 < w.x1 and r.x1 > w.x0 for r in row_words)]
    header = [w for w in candidates if value_left - spacing / 2 <= w.cx <= value_right + spacing / 2]
    # Columns printed blank at either end (table 四's last five): their
    # headers go on at the columns' spacing past the values.
    left, right = min(centres), max(centres)
    # (Words are told apart by identity: comparing them as dataclasses
    # compares their characters.)
    in_header = {id(w) for w in header}
    grown = True
    while grown:
        grown = False
        for w in candidates:
            if id(w) not in in_header and (right < w.cx <= right + 1.5 * spacing
                                           or left - 1.5 * spacing <= w.cx < left):
                header.append(w)
                in_header.add(id(w))
                left, right, grown = min(left, w.cx), max(right, w.cx), True
    hinted = False
    if header:
        clusters = _clusters(centres + [w.cx for w in header], 0.9 * size)
        means = [sum(c) / len(c) for c in clusters]
    elif above and len(above) >= len(means) and all(
            min(abs(m - c) for c in above) <= 0.3 * min((b - a for a, b in pairwise(above)), default=size)
            for m in means):
        # No header: the table the page before ended with goes on here,
        # every column of the values one of its columns.
        means, hinted = list(above), True
    step = min((b - a for a, b in pairwise(means)), default=0.0)
    if not hinted and len(means) > 2 and all(abs(b - a - round((b - a) / step) * step) <= 0.15 * step
                                             for a, b in pairwise(means)):
        # The columns evenly spaced, some printed blank in every row with no
        # header word of theirs above (a page break between the header and
        # the rows, or through it): they stand where a gap is a multiple of
        # the spacing.
        filled = [means[0]]
        for a, b in pairwise(means):
            k = round((b - a) / step)
            filled += [a + (b - a) * j / k for j in range(1, k)]
            filled.append(b)
        means = filled
    if len(means) > 1:
        spacing = min(b - a for a, b in pairwise(means))
    bounds = [means[0] - spacing / 2, *((a + b) / 2 for a, b in pairwise(means)),
              means[-1] + spacing / 2]
    label_right = min(bounds[0], value_left) - 0.2 * size

    mids = [(a + b) / 2 for a, b in pairwise(means)]

    def column(x: float) -> int:
        """The value column whose centre is nearest x."""
        return bisect_left(mids, x)

    # A value word whose characters stand in two columns, apart, is two
    # cells the word gap did not part (narrow columns set close together).
    segment = [_split_across(line, column, size) for line in segment]
    # A label line touching the first value beside it is one word
    # ("确认或重新出具0": narrow columns set close): its digits in a value
    # column that the values on its line leave empty are that line's value.
    segment, words, parted = _labels_parted_from_values(segment, words, column, means, spacing, label_right, size)
    # Rows: each line of values; two lines closer than a line whose columns
    # do not overlap are one row (a cell set at the top beside centred ones).
    anchors: list[dict] = []
    for line in segment:
        cols = {column(w.cx) for w in line}
        if anchors and line[0].cy - anchors[-1]["cy"] < 0.9 * size and not cols & anchors[-1]["cols"]:
            anchors[-1]["words"] += line
            anchors[-1]["cols"] |= cols
            anchors[-1]["last"] = line[0].cy
            continue
        anchors.append({"cy": line[0].cy, "words": list(line), "cols": cols, "labels": []})
        anchors[-1]["last"] = line[0].cy
    # Label words: left of the values, from just above the first row to
    # just below the last, not across a blocking line.
    lo, hi = top_cy - 3 * size, bottom_cy + 3 * size
    blockers = [w for w in words if not w.value and _blocks(w) and w.x1 > value_left
                and w.x0 < value_right and lo < w.cy < hi and not top_cy <= w.cy <= bottom_cy]
    for b in blockers:
        if b.cy < top_cy:
            lo = max(lo, b.bottom)
        else:
            hi = min(hi, b.top)
    # Nothing but label lines (and a page number) under the last row: the
    # page ends with the table, and the labels to the page's end are read
    # (rows printed blank, cut by the page break from the rows that follow);
    # the same above the first row of a page that starts with the table.
    page_ends = not any(w.cy > bottom_cy + 0.5 * size and w.x1 > label_right + 0.5 * size
                        and not PAGE_NUMBER.match(w.text) for w in words)
    page_starts = not any(w.cy < top_cy - 0.5 * size and w.x1 > label_right + 0.5 * size
                          and not PAGE_NUMBER.match(w.text) for w in words)
    if page_ends:
        hi = max(hi, max(w.bottom for w in words) + size)
    if page_starts:
        lo = min(lo, min(w.top for w in words) - size)
    labels = [w for w in words if not w.value and (w.x1 <= label_right + 0.5 * size or id(w) in parted)
              and lo < w.cy < hi]
    labels = _split_at_columns(labels, size)
    # Words in the value columns that are not values: the wrapped end of
    # the cell above (a note "（含转办" / "3件）").
    in_labels = {id(w) for w in labels}
    tails = [w for w in words if not w.value and w.x0 >= label_right and top_cy - 0.5 * size < w.cy < hi
             and id(w) not in in_labels and len(w.text) < _BLOCKER_CHARS and not _NOTE_OPEN.match(w.text)]
    starts = _label_columns(labels, size)

    def subcol(w: Word) -> int:
        return max((i for i, s in enumerate(starts) if s <= w.x0 + 0.1), default=0)

    def own_cols(w: Word) -> set[int]:
        """The columns of the values printed on this word's own line."""
        return {c for a in anchors if abs(a["cy"] - w.cy) < 0.3 * size for c in a["cols"]}

    rights = [max((w.x1 for w in labels if subcol(w) == i), default=0.0) for i in range(len(starts))]
    # The gap between a label's lines: the closest lines of a label column,
    # where they are closer than rows of values (a wide line spacing).
    tops = sorted((subcol(w), w.top) for w in labels)
    pitch = min((b[1] - a[1] for a, b in pairwise(tops) if a[0] == b[0] and b[1] - a[1] > 0.5 * size),
                default=None)
    rows_apart = min((b["cy"] - a["cy"] for a, b in pairwise(anchors)), default=None)
    line_gap = 0.9 * size
    if pitch is not None and rows_apart is not None and pitch < 0.8 * rows_apart:
        line_gap = max(line_gap, pitch - size + 0.3 * size)

    def continues(k: Word, w: Word) -> bool:
        """Can label line w be the wrapped end of line k above it: k fills
        its column, or w starts (or is centred) where k does and is no wider
        (a group label printed a few characters a line)?"""
        i = subcol(w)
        return subcol(k) == i and 0 < w.cy - k.cy <= 2.0 * size and (k.x1 >= rights[i] - 2 * size or (
            (abs(w.x0 - k.x0) < 0.5 * size or abs(w.cx - k.cx) < 0.5 * size) and w.x1 - w.x0 <= k.x1 - k.x0 + 0.5))

    def own_label(cy: float) -> bool:
        """Does a label start on this line (a line that is not the wrapped
        end of the label above it in its column)?"""
        return any(abs(w.cy - cy) < 0.5 * size and (_ROW_NUMBERING.match(w.text) or not any(
            continues(k, w) for k in labels)) for w in labels)

    _join_wrapped(anchors, column, size, own_label)
    blocks: list[dict] = []
    for i in range(len(starts)):
        column_words = sorted((w for w in labels if subcol(w) == i), key=lambda w: w.top)
        for w in column_words:
            prev = blocks[-1] if blocks and blocks[-1]["col"] == i else None
            last = prev["words"][-1] if prev is not None else None
            # A wrapped line fills the line above it and starts where it
            # starts (or is centred where it is centred).
            wrapped = last is not None and last.x1 >= rights[i] - 2 * size and (
                abs(w.x0 - last.x0) < 0.5 * size or abs(w.cx - last.cx) < 0.5 * size)
            # A line with values of its own is a row of its own when the
            # label above has values in the same columns on its lines (a
            # cell set at the top beside centred ones is not).
            separate = prev is not None and bool(own_cols(w) & {c for x in prev["words"] for c in own_cols(x)})
            if (prev is not None and wrapped and not separate and w.top - prev["words"][-1].bottom < line_gap
                    and not _ROW_NUMBERING.match(w.text)):
                prev["words"].append(w)
            else:
                blocks.append({"col": i, "words": [w]})
    # Label lines above the first row or below the last belong to the table
    # only as part of a row's label (its first or last lines).
    kept = [b for b in blocks if any(top_cy - 0.5 * size <= w.cy <= bottom_cy + 0.5 * size for w in b["words"])
            or any(top_cy - 0.5 * size <= a["cy"] <= bottom_cy + 0.5 * size and min(x.top for x in b["words"])
                   - 0.4 * size <= a["cy"] <= max(x.bottom for x in b["words"]) + 0.4 * size for a in anchors)]
    kept += _blank_rows_at_page_break(blocks, kept, len(starts) - 1, (top_cy, bottom_cy), size, page_ends,
                                      page_starts)
    blocks = kept
    labels = [w for b in blocks for w in b["words"]]
    # Row labels (the innermost column) first: a group label beside them
    # joins a row, a row label with no values in its height is a row.
    spans: list[tuple[int, float, float]] = []
    valued = list(anchors)

    def narrow(block: dict) -> bool:
        return block["col"] < len(starts) - 1 and max(w.x1 for w in block["words"]) <= starts[block["col"] + 1]

    for block in sorted(blocks, key=lambda b: -b["col"]):
        top = min(w.top for w in block["words"])
        bottom = max(w.bottom for w in block["words"])
        cy = (top + bottom) / 2
        inside = [a for a in valued if top - 0.4 * size <= a["cy"] <= bottom + 0.4 * size]
        beside = any(col > block["col"] and t < bottom and b > top for col, t, b in spans)
        # A group label: printed beside row labels, or a few characters a
        # line in a label column before the last (三、本 / 年度办 / 理结果:
        # lines not reaching the next column, the lower ones not numbered;
        # a row label there spans the columns, or is numbered).
        block["group"] = beside or (narrow(block) and any(
            other is not block and other["col"] == block["col"] and narrow(other) and (
                (abs(min(w.top for w in other["words"]) - bottom) < 2.0 * size
                 and not _ROW_NUMBERING.match(other["words"][0].text))
                or (abs(top - max(w.bottom for w in other["words"])) < 2.0 * size
                    and not _ROW_NUMBERING.match(block["words"][0].text))) for other in blocks))
        if inside:
            target = min(inside, key=lambda a: abs(a["cy"] - cy))
        elif not block["group"] and (_ROW_NUMBERING.match(block["words"][0].text) or block["col"] == len(starts) - 1):
            target = {"cy": cy, "words": [], "cols": set(), "labels": []}
            anchors.append(target)
        else:
            target = min(anchors, key=lambda a: abs(a["cy"] - cy))
        target["labels"].append(block)
        spans.append((block["col"], top, bottom))
    # Values with no label of their own, within the height of a row whose
    # other columns they complete: that row's cells set at another height.
    def row_labels(anchor: dict) -> list[dict]:
        return [b for b in anchor["labels"] if not b["group"]]

    def extent(words: list[Word]) -> tuple[float, float]:
        """From the top of the words' first lines to the bottom of their last."""
        return (min((w.span or (w.top, w.bottom))[0] for w in words),
                max((w.span or (w.top, w.bottom))[1] for w in words))

    def within(anchor: dict, a: dict) -> bool:
        """Is the anchor within the height of row a: of a block of its label,
        or of a value of several lines in either?"""
        if any(min(w.top for w in b["words"]) - 0.4 * size <= anchor["cy"] <= max(w.bottom for w in b["words"])
               + 0.4 * size for b in row_labels(a)):
            return True
        tall = [w for w in a["words"] + anchor["words"] if w.span is not None]
        if not tall:
            return False
        top, bottom = extent(tall)
        return top - 0.4 * size <= anchor["cy"] <= bottom + 0.4 * size and any(
            top - 0.4 * size <= (min(w.top for w in b["words"]) + max(w.bottom for w in b["words"])) / 2
            <= bottom + 0.4 * size for b in row_labels(a))

    for anchor in [a for a in anchors if not row_labels(a) and a["words"]]:
        rows = [a for a in anchors if row_labels(a) and not a["cols"] & anchor["cols"] and within(anchor, a)]
        if rows:
            row = min(rows, key=lambda a: abs(a["cy"] - anchor["cy"]))
            row["words"] += anchor["words"]
            row["cols"] |= anchor["cols"]
            row["labels"] += anchor["labels"]
            anchors.remove(anchor)
    anchors.sort(key=lambda a: a["cy"])
    # What the positions do not settle leaves the table to the running
    # text's reading, which flags what it cannot place: a row of values with
    # no label beside a labelled column, two values in one cell of a row.
    if starts and any(a["words"] and not a["labels"] for a in anchors):
        return None
    for a in anchors:
        cols = [column(w.cx) for w in a["words"]]
        if len(cols) != len(set(cols)):
            return None
    # Two rows close together whose values fill disjoint columns: one row's
    # cells at two heights, or two rows; the positions do not say which.
    filled = {c for a in anchors for c in a["cols"]}
    for a, b in pairwise([a for a in anchors if a["words"]]):
        if not a["cols"] & b["cols"] and (b["cy"] - a["cy"] < 2.0 * size or a["cols"] | b["cols"] == filled):
            return None
    width = len(starts) + len(means)
    cells: list[Placed] = []
    taken: list[Char] = []
    for r, anchor in enumerate(anchors):
        texts = [""] * width
        held: list[list[Char]] = [[] for _ in range(width)]  # each cell's characters, in reading order
        for block in sorted(anchor["labels"], key=lambda b: min(w.top for w in b["words"])):
            i = block["col"]
            texts[i] = join_lines([texts[i], *(w.text for w in block["words"])])
            held[i] += [ch for w in block["words"] for ch in w.chars]
        for w in anchor["words"]:
            i = len(starts) + column(w.cx)
            texts[i] = f"{texts[i]} {w.text}".strip()
            held[i] += w.chars
        for chars in held:
            taken += chars
        # A row label with blank label columns after it spans them (as a
        # merged cell of the printed table does): they are no value cells.
        c = 0
        while c < width:
            span = 1
            if c < len(starts) and texts[c]:
                while c + span < len(starts) and not texts[c + span]:
                    span += 1
            cells.append(Placed(r, c, texts[c], colspan=span, source=Source(chars=held[c]) if held[c] else None))
            c += span
    for w in tails:
        above = [(i, c) for i, c in enumerate(cells) if c.col == len(starts) + column(w.cx) and c.text]
        rows_above = [(i, c) for i, c in above if anchors[c.row]["cy"] < w.cy]
        if rows_above:
            i, c = max(rows_above, key=lambda ic: anchors[ic[1].row]["cy"])
            chars = [*(c.source.chars if c.source is not None and c.source.chars else []), *w.chars]
            cells[i] = Placed(c.row, c.col, c.text + w.text, source=Source(chars=chars))
            taken += w.chars
    # A value in the table's height and columns that no cell took: the
    # grid is not sure, the running text's reading (and its flags) is.
    placed = {id(ch) for ch in taken}
    # (Not a page number, nor running text or a running header reaching out
    # of the values' columns.)
    inside = (value_left - spacing, value_right + spacing)
    if any((w.value or any(ch.isdigit() for ch in w.text)) and id(w.chars[0]) not in placed and lo < w.cy < hi
           and value_left - spacing / 2 <= w.cx <= value_right + spacing / 2 and not PAGE_NUMBER.match(w.text)
           and (len(w.text) <= _CELL_CHARS or (inside[0] <= w.x0 and w.x1 <= inside[1])) for w in words):
        return None
    xs = [*starts, *bounds]
    top = min(a["cy"] for a in anchors) - size
    return UnruledTable(xs=xs, rows=len(anchors), cells=cells, top=top, chars=taken, columns=means)
