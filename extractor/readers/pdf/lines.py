"""Characters into lines of text.

Characters are grouped into lines by their vertical position and read left
to right. Spaces come from the gaps between glyphs, never from how the PDF
cut its text into runs: digits printed as separate runs ("2" "0") are one
number, and only a gap as wide as a column separates two numbers.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

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


@dataclass(slots=True)
class Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # the type size: the width of a Chinese character, else the glyph height
    tabular: bool  # the line has column gaps: a table row, not running text


def group_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters in lines, top to bottom, each line left to right. A
    character joins a line when its centre lies within the line's first
    character's height."""
    lines: list[list[Char]] = []
    bands: list[tuple[float, float]] = []
    for ch in sorted(chars, key=lambda c: c.cy):
        if lines and bands[-1][0] <= ch.cy <= bands[-1][1]:
            lines[-1].append(ch)
        else:
            lines.append([ch])
            bands.append((ch.top, ch.bottom))
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def line_text(chars: list[Char], in_cell: bool) -> tuple[str, bool]:
    """The text of one line (characters sorted left to right) and whether it
    has column gaps. Inside a table cell digits are never split: a cell holds
    one number."""
    out: list[str] = []
    tabular = False
    prev: Char | None = None
    for ch in chars:
        if prev is not None:
            size = max(min(prev.height, ch.height), 1.0)
            gap = ch.x0 - prev.x1
            if ch.text == prev.text and abs(ch.x0 - prev.x0) < 0.3 * size:
                continue  # the same glyph printed twice (fake bold)
            if gap > _GAP_COLUMN * size:
                tabular = True
            if _space(prev, ch, gap / size, in_cell):
                out.append(" ")
        out.append(ch.text)
        prev = ch
    return "".join(out), tabular


def _space(a: Char, b: Char, gap: float, in_cell: bool) -> bool:
    if a.text in _NUMERIC and b.text in _NUMERIC:
        if abs(a.height - b.height) > _SIZE_CHANGE * max(a.height, b.height):
            return True  # a footnote mark beside a number is not one of its digits
        return not in_cell and gap > _GAP_DIGITS
    cjk = bool(_CJK.match(a.text)) + bool(_CJK.match(b.text))
    return gap > (_GAP_WORD, _GAP_MIXED, _GAP_CJK)[cjk]


def make_lines(chars: list[Char], in_cell: bool = False) -> list[Line]:
    out = []
    for group in group_lines(chars):
        text, tabular = line_text(group, in_cell)
        out.append(Line(text=text, x0=group[0].x0, top=min(c.top for c in group), x1=max(c.x1 for c in group),
                        bottom=max(c.bottom for c in group), size=_size(group), tabular=tabular))
    return out


def _size(chars: list[Char]) -> float:
    """Chinese glyphs are square, so their width is the type size whatever
    the font's ascent and descent; other glyphs give their height."""
    widths = [c.x1 - c.x0 for c in chars if _CJK.match(c.text)]
    return statistics.median(widths) if widths else statistics.median(c.height for c in chars)


def cell_lines(chars: list[Char], one_row: bool = True) -> list[str]:
    """The lines of a table cell. A number the cell wrapped over two lines
    (digits in the same type size) is put back together, but only in a cell
    of one row: numbers stacked in a cell that spans rows are the values of
    rows whose border between them is missing, and stay apart."""
    lines: list[Line] = []
    for line in make_lines(chars, in_cell=True):
        prev = lines[-1] if lines else None
        if (one_row and prev is not None and prev.text[-1:].isdigit() and line.text[:1].isdigit()
                and abs(prev.size - line.size) <= _SIZE_CHANGE * max(prev.size, line.size)):
            prev.text += line.text
        else:
            lines.append(line)
    return [line.text for line in lines]


def join_cell_parts(first: str, second: str) -> str:
    """A cell's text from two pieces (its lines on two pages): digits split
    at the break are one number, as in `cell_lines`."""
    if first[-1:].isdigit() and second[:1].isdigit():
        return first + second
    return join_lines([first, second])
