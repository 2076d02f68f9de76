"""What the recogniser read in a table cell: a number (and how sure), a
label, or ink it could not read.

A cell is read twice from one pass of the recogniser: freely, and with only
the characters a number prints (`engine`). A label is the free reading; a
number is the number reading, flagged where the free reading saw something
else (。 for a small 0, 】 for a 1: look-alikes) or where a digit is not
sure; ink that reads as no number at all is flagged and given no value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...normalize import normalize
from ...tables.values import parse_cell
from ..grid import join_lines
from .engine import EQUIVALENTS, LOOKALIKES, Reading, same_number
from .labels import snap

# Below this the recogniser is not sure of a character of a number.
LOW_CONFIDENCE = 0.9
# A number read alone, where the cell's row read none, is taken (flagged) from this confidence on.
_LIKELY = 0.5
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class CellText:
    text: str  # what the rebuilder reads ("" for no value)
    confidence: float | None  # None: the cell has no ink
    doubt: str = ""  # why the value may be wrong ("" when it is sure)


BLANK = CellText("", None)


def cell_text(reading: Reading) -> CellText:
    """The text of a one-line cell from its reading: a label as read freely;
    a number as read with the characters of numbers only, flagged where the
    free reading saw something else (a look-alike) or where the recogniser
    is not sure of a digit; ink that reads as no number, flagged and empty."""
    free = normalize(reading.text)
    if _is_label(free):
        return CellText(snap(free), round(reading.confidence, 3))
    digits = normalize(reading.digits)
    confidence = round(reading.digits_confidence, 3)
    if digits and parse_cell(digits).kind in ("number", "dash"):
        if not same_number(free, digits):
            return CellText(digits, confidence, f"'{free}' read as {digits}")
        if confidence < LOW_CONFIDENCE:
            return CellText(digits, confidence, f"'{digits}' read with confidence {confidence:.2f}")
        return CellText(digits, confidence)
    shown = f" ('{free}')" if free else ""
    return CellText("", round(reading.confidence, 3), f"ink not read as a number{shown}")


def _is_label(text: str) -> bool:
    """Words, not a number: two Chinese characters at least, or one with no
    digit (a header wrapped over lines leaves 业 alone on its line). A
    number's look-alikes (〇, 丨) are no words, and neither is one character
    read beside digits (a stain read as 號 after 88283)."""
    words = sum(1 for ch in text if _CJK.match(ch) and ch not in LOOKALIKES and ch not in EQUIVALENTS and ch != "无")
    if parse_cell(text).kind != "text" or not words:
        return False
    return words >= 2 or not any(ch.isdigit() for ch in text)


def lines_text(readings: list[Reading]) -> CellText:
    """The text of a cell of several lines: a label wrapped over lines, or
    numbers stacked in a cell that spans rows (their border lost), kept
    apart as the PDF reader keeps them."""
    if len(readings) == 1:
        return cell_text(readings[0])
    cells = [cell_text(r) for r in readings]
    if all(not c.text or parse_cell(c.text).kind != "text" for c in cells):
        numbers = [c.text for c in cells if c.text]
        # Rows run together where the scan lost the border between them: the
        # grid has fewer rows than the table prints.
        stacked = [f"{len(numbers)} numbers stacked in one cell ({' '.join(numbers)}): a border between rows "
                   "may be lost"] if len(numbers) > 1 else []
        doubts = "; ".join([*stacked, *(c.doubt for c in cells if c.doubt)])
        return CellText(" ".join(numbers), _least(cells), doubts)
    return CellText(snap(join_lines(normalize(r.text) for r in readings)), _least(cells))


def _least(cells: list[CellText]) -> float | None:
    known = [c.confidence for c in cells if c.confidence is not None]
    return min(known) if known else None


def confirm(in_row: CellText, alone: list[CellText]) -> CellText:
    """A doubtful cell read again on its own (in several framings). A sure
    reading alone that agrees with the one in the row makes the cell sure.
    A sure reading alone that differs, or any number read alone where the
    row read none, is used, still flagged: the readings differ. Otherwise
    the reading in the row stands, with its doubt. A label read alone (a
    stain read as 主) is never taken for a cell that read as a number."""
    numbers = [a for a in alone if a.text and parse_cell(a.text).kind != "text"]
    sure = [a for a in numbers if not a.doubt]
    if agreeing := [a for a in sure if a.text == in_row.text]:
        return max(agreeing, key=lambda a: a.confidence or 0)
    # A number barely read (a blot read as W, mapped to 1) does not make up
    # for ink the row read as no number.
    likely = [a for a in numbers if (a.confidence or 0) >= _LIKELY]
    if sure or (likely and not in_row.text):
        best = max(sure or likely, key=lambda a: a.confidence or 0)
        doubt = "; ".join(d for d in (in_row.doubt, best.doubt) if d)
        return CellText(best.text, best.confidence, f"{doubt}; read alone as {best.text}")
    return in_row
