"""Characters into lines of text.

Characters are grouped into lines by their vertical position and read left
to right. Spaces come from the gaps between glyphs, never from how the PDF
cut its text into runs: digits printed as separate runs ("2" "0") are one
number, and only a gap as wide as a column separates two numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from ..grid import join_lines
from .parse import Char

_CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_NUMERIC = set("0123456789.,０１２３４５６７８９．，")
# Gaps (in character heights) that make a space: between two Chinese
# characters only a column gap does (justified lines spread them), between
# digits of one number only a column gap does, between Chinese and other
# text more than Word's automatic quarter-em spacing, elsewhere a word gap.
_GAP_CJK = 1.0
_GAP_DIGITS = 1.0
_GAP_MIXED = 0.5
_GAP_WORD = 0.25
# Digits whose type sizes differ by more than this share are not one number.
_SIZE_CHANGE = 0.25
# A gap this wide inside a line means the line is a row of columns.
_GAP_COLUMN = 2.0
# "- 4 -", "第4页", "第 4 页 共 6 页", "4/6", "Page 4 of 6": page furniture
# wherever it stands.
PAGE_NUMBER = re.compile(
    r"^(?:-\s?\d{1,4}\s?-|第\s?\d{1,4}\s?页(?:\s?[,/共]?\s?共?\s?\d{1,4}\s?页)?|\d{1,4}\s?/\s?\d{1,4}"
    r"|page\s?\d{1,4}(?:\s?of\s?\d{1,4})?)$", re.I)


@dataclass(slots=True)
class Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # the type size: the width of a Chinese character, else the glyph height
    tabular: bool  # the line has column gaps: a table row, not running text
    # Left to right: where its text is (provenance); none for a line read by OCR.
    chars: list[Char] = field(default_factory=list)


def group_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters in lines, top to bottom, each line left to right. A
    character joins a line when its centre lies within the line's first
    character's height."""
    if len(chars) < 2:  # (a cell of one digit, or a blank one: nothing to sort)
        return [list(chars)] if chars else []
    lines: list[list[Char]] = []
    top = bottom = 0.0
    # Sorted by top + bottom (twice the centre), stable: the keys computed
    # once, the sort done on them in C.
    keys = [ch.top + ch.bottom for ch in chars]
    for i in sorted(range(len(chars)), key=keys.__getitem__):
        ch = chars[i]
        cy = keys[i] / 2
        if lines and top <= cy <= bottom:
            lines[-1].append(ch)
        else:
            lines.append([ch])
            top, bottom = ch.top, ch.bottom
    for line in lines:
        if len(line) > 1:
            line.sort(key=_LEFT)
    return lines


_LEFT = attrgetter("x0")


def line_text(chars: list[Char], in_cell: bool) -> tuple[str, bool]:
    """The text of one line (characters sorted left to right) and whether it
    has column gaps. Inside a table cell digits are never split: a cell holds
    one number."""
    if not chars:
        return "", False
    # (Per character pair, the hottest loop of the reader: the heights and
    # the kind of the character before kept from the step before, min and
    # max written out as they compute.)
    prev = chars[0]
    prev_height = prev.bottom - prev.top
    before_numeric, before_cjk = _kind(prev.text)
    out = [prev.text]
    tabular = False
    for ch in chars[1:]:
        height = ch.bottom - ch.top
        size = height if height < prev_height else prev_height
        if size < 1.0:
            size = 1.0
        text = ch.text
        if text == prev.text and abs(ch.x0 - prev.x0) < 0.3 * size:
            continue  # the same glyph printed twice (fake bold)
        gap = ch.x0 - prev.x1
        if gap > _GAP_COLUMN * size:
            tabular = True
        # A space where the gap (in character heights) is wide enough for
        # the two characters (inline: once per character pair).
        gap /= size
        numeric, cjk = _kind(text)
        if before_numeric and numeric:
            # A footnote mark beside a number is not one of its digits.
            space = (abs(prev_height - height) > _SIZE_CHANGE * (height if height > prev_height else prev_height)
                     or (not in_cell and gap > _GAP_DIGITS))
        else:
            space = gap > _GAPS[before_cjk + cjk]
        if space:
            out.append(" ")
        out.append(text)
        prev, prev_height, before_numeric, before_cjk = ch, height, numeric, cjk
    return "".join(out), tabular


_GAPS = (_GAP_WORD, _GAP_MIXED, _GAP_CJK)  # by the number of Chinese characters of the two


@lru_cache(maxsize=8192)
def _is_cjk(text: str) -> bool:
    return bool(_CJK.match(text))


@lru_cache(maxsize=8192)
def _kind(text: str) -> tuple[bool, bool]:
    """Is the character part of a number, is it Chinese (full-width digits are both)."""
    return text in _NUMERIC, _is_cjk(text)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def make_lines(chars: list[Char], in_cell: bool = False, groups: list[list[Char]] | None = None) -> list[Line]:
    """The characters' lines (`groups`: the characters grouped, where known:
    each becomes a line's `chars`)."""
    out = []
    for group in group_lines(chars) if groups is None else groups:
        text, tabular = line_text(group, in_cell)
        top, x1, bottom = min([c.top for c in group]), max([c.x1 for c in group]), max([c.bottom for c in group])
        out.append(Line(text, group[0].x0, top, x1, bottom, _size(group), tabular, group))
    return out


def _size(chars: list[Char]) -> float:
    """Chinese glyphs are square, so their width is the type size whatever
    the font's ascent and descent; other glyphs give their height."""
    widths = [c.x1 - c.x0 for c in chars if _is_cjk(c.text)]
    return _median(widths) if widths else _median([c.height for c in chars])


def reading_order(chars: list[Char]) -> list[Char]:
    """A cell's characters in the order its text reads them: line by line."""
    groups = group_lines(chars)
    return groups[0] if len(groups) == 1 else [ch for group in groups for ch in group]


def cell_lines(chars: list[Char], one_row: bool = True) -> list[str]:
    """The lines of a table cell. A number the cell wrapped over two lines
    (digits in the same type size) is put back together, but only in a cell
    of one row: numbers stacked in a cell that spans rows are the values of
    rows whose border between them is missing, and stay apart."""
    if not chars:
        return []  # (a blank cell: no line)
    groups = group_lines(chars)
    if len(groups) == 1:  # most cells: one line, nothing to put together
        return [line_text(groups[0], True)[0]]
    texts: list[str] = []
    sizes: list[float] = []
    for group in groups:
        text = line_text(group, True)[0]
        if one_row and texts and texts[-1][-1:].isdigit() and text[:1].isdigit():
            size = _size(group)
            if abs(sizes[-1] - size) <= _SIZE_CHANGE * max(sizes[-1], size):
                texts[-1] += text
                continue
        texts.append(text)
        sizes.append(_size(group))
    return texts


def join_cell_parts(first: str, second: str) -> str:
    """A cell's text from two pieces (its lines on two pages): digits split
    at the break are one number, as in `cell_lines`."""
    if first[-1:].isdigit() and second[:1].isdigit():
        return first + second
    return join_lines([first, second])
