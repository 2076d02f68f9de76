"""Turning positioned table cells into a `Grid`: shared by the HTML, Word and
PDF readers.

Each reader finds where its cells sit (HTML by rowspan/colspan slotting, Word
by gridSpan/vMerge, PDF by ruling lines) and hands them over as `Placed`
cells. Here a merged cell is expanded over every slot it covers, each copy
keeping the origin of the cell it came from, so that a merged value is not
counted twice downstream.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import ExtractError
from ..model import Cell, OcrRead, Source
from ..normalize import normalize

_CJK = re.compile(r"[\u4e00-\u9fff]")
# Spans beyond this are damaged markup, not tables.
MAX_SPAN = 200
# Slots (rows x columns) of one table beyond this are not a report's table
# (the largest hold a few thousand) but damaged or hostile markup: the grid
# and everything read from it grow with them (a 10,000-row table with one
# 10,000-cell row took 3 GB before failing; a million cells, 14 s and 900 MB).
MAX_GRID_CELLS = 250_000


@dataclass(slots=True, unsafe_hash=True)  # a value, never changed once made; not frozen: see model.py
class Placed:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    source: Source | None = None
    ocr: OcrRead | None = None  # read by OCR (see `Cell`)
    damage: str | None = None  # (see `Cell`)


def build_rows(cells: Iterable[Placed], n_rows: int) -> list[list[Cell]]:
    """The n_rows x width grid of the cells: merged cells repeated with the
    origin of their first slot, slots no cell covers left blank and marked
    missing. Blank rows are kept, so that an origin is always the index of a
    row of the grid."""
    cells = list(cells)
    width = max((cell.col + _clipped(cell.colspan) for cell in cells), default=0)
    if n_rows * width > MAX_GRID_CELLS:
        raise ExtractError(f"a table of {n_rows:,} rows and {width:,} columns is larger than any report's "
                           f"({MAX_GRID_CELLS:,} cells at most): the markup is damaged or hostile", code="too_large")
    grid: list[list[Cell | None]] = [[None] * width for _ in range(n_rows)]
    for cell in cells:
        value = Cell(cell.text, origin=(cell.row, cell.col), source=cell.source, ocr=cell.ocr,
                     damage=cell.damage)
        row, col = cell.row, cell.col
        rowspan = min(_clipped(cell.rowspan), n_rows - row)
        colspan = _clipped(cell.colspan)
        if rowspan == colspan == 1 and row >= 0 and col >= 0:  # most cells
            grid[row][col] = value
            continue
        # (rows and columns before the first are not the grid's: rowspan
        # stops at the last row, and the width holds every cell's columns)
        for r in range(max(row, 0), row + rowspan):
            for c in range(max(col, 0), col + colspan):
                grid[r][c] = value
    return [[value if value is not None else Cell("", origin=(r, c), missing=True) for c, value in enumerate(slots)]
            for r, slots in enumerate(grid)]


def _clipped(span: int) -> int:
    """A span of 1 to MAX_SPAN (most are 1: no min() and max() for them)."""
    return span if 1 <= span <= MAX_SPAN else min(max(span, 1), MAX_SPAN)


def join_lines(lines: Iterable[str]) -> str:
    """A cell's lines as one text: no space between Chinese characters (labels
    are wrapped, or printed one character per line), one space between other
    words."""
    # A page's own indentation splits a cell into many blank lines: skip them
    # before normalising (a blank line normalises to nothing).
    kept = [x for x in lines if x and not x.isspace()]
    if len(kept) == 1:  # most cells: one line among the indentation
        return normalize(kept[0])
    out = ""
    for line in map(normalize, kept):
        if not line:
            continue
        if out and not (_CJK.match(out[-1]) or _CJK.match(line[0]) or out[-1] in "(" or line[0] in ")"):
            out += " "
        out += line
    return out
