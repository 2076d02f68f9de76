"""The ink of each table cell: none (a blank cell), or its lines of text as
crops for the recogniser.

A cell's inside is its box less the ruling lines around it. Ink there is
ink of the cell once specks (noise, dust, JPEG ringing) are dropped; a
cell with none is blank, and is not sent to the recogniser at all. The
cell's lines are found from the rows that hold ink: a line ends where a
row of paper runs across the whole cell. A character whose strokes leave
paper rows inside it (三, 二) is put back together by size.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import cv2
import numpy as np

from ..pdf.rulings import PageTable

# In inches: the paper kept inside a cell's borders, and the side of the
# smallest speck that is ink (a dash or the dot of a decimal is larger).
_INSET = 0.015
_SPECK = 0.025
# A thin band with less than this share of the ink of the cell's main line is dust.
_DUST = 0.15


@dataclass(slots=True)
class CellInk:
    row: int
    col: int
    rowspan: int
    colspan: int
    # The cell's lines of ink as boxes (x0, y0, x1, y1) in page pixels, top to bottom.
    lines: list[tuple[int, int, int, int]]


def table_ink(table: PageTable, ink: np.ndarray, rulings: np.ndarray, scale: float, dpi: float) -> list[CellInk]:
    """Every cell of the table with the boxes of its lines of ink."""
    inset = max(int(_INSET * dpi), 2)
    speck = max(int((_SPECK * dpi) ** 2), 4)
    # The ruling lines widened a little, so that their blurred edges are not read as ink.
    lines = cv2.dilate(rulings, np.ones((5, 5), np.uint8))
    clean = cv2.bitwise_and(ink, cv2.bitwise_not(lines))
    out: list[CellInk] = []
    areas: list[list[int]] = []
    for cell in table.cells:
        x0 = int(table.xs[cell.col] * scale) + inset
        x1 = int(table.xs[cell.col + cell.colspan] * scale) - inset
        y0 = int(table.ys[cell.row] * scale) + inset
        y1 = int(table.ys[cell.row + cell.rowspan] * scale) - inset
        bands = _ink_boxes(clean[y0:y1, x0:x1], speck) if x1 > x0 and y1 > y0 else []
        out.append(CellInk(cell.row, cell.col, cell.rowspan, cell.colspan,
                           [(bx0 + x0, by0 + y0, bx1 + x0, by1 + y0) for (bx0, by0, bx1, by1), _ in bands]))
        areas.append([area for _, area in bands])
    _drop_dust(out, areas)
    _rejoin_characters(out)
    return out


def _drop_dust(cells: list[CellInk], areas: list[list[int]]) -> None:
    """A band much thinner than a line of text and with little ink beside
    the cell's text (a speck of a seal, a stroke of the next row) is dust."""
    line = _line_height(cells)
    for cell, inks in zip(cells, areas, strict=True):
        if len(cell.lines) < 2:
            continue
        most = max(inks)
        kept = [box for box, ink in zip(cell.lines, inks, strict=True)
                if not (box[3] - box[1] < 0.5 * line and ink < _DUST * most)]
        cell.lines = kept or cell.lines


def _line_height(cells: list[CellInk]) -> float:
    heights = [y1 - y0 for cell in cells for _, y0, _, y1 in cell.lines]
    return statistics.median(heights) if heights else 0.0


def _ink_boxes(inside: np.ndarray, speck: int) -> list[tuple[tuple[int, int, int, int], int]]:
    """The boxes of the bands of rows holding ink (specks dropped), in cell
    pixels, with the ink of each."""
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(inside, connectivity=8)
    keep = [i for i in range(1, count) if stats[i, cv2.CC_STAT_AREA] >= speck]
    if not keep:
        return []
    rows = np.zeros(inside.shape[0], bool)
    for i in keep:
        y, h = stats[i, cv2.CC_STAT_TOP], stats[i, cv2.CC_STAT_HEIGHT]
        rows[y:y + h] = True
    boxes = []
    y = 0
    while y < len(rows):
        if not rows[y]:
            y += 1
            continue
        end = y
        while end < len(rows) and rows[end]:
            end += 1
        members = [i for i in keep if stats[i, cv2.CC_STAT_TOP] >= y and stats[i, cv2.CC_STAT_TOP] < end]
        bx0 = min(stats[i, cv2.CC_STAT_LEFT] for i in members)
        bx1 = max(stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH] for i in members)
        ink = int(sum(stats[i, cv2.CC_STAT_AREA] for i in members))
        boxes.append(((int(bx0), y, int(bx1), end), ink))
        y = end
    return boxes


def _rejoin_characters(cells: list[CellInk]) -> None:
    """Bands much thinner than a line of the table's text, close to another
    band, are pieces of one character: joined to it."""
    line = _line_height(cells)
    for cell in cells:
        bands = cell.lines
        changed = True
        while changed and len(bands) > 1:
            changed = False
            thinnest = min(range(len(bands)), key=lambda i: bands[i][3] - bands[i][1])
            if bands[thinnest][3] - bands[thinnest][1] >= 0.6 * line:
                break
            gaps = []
            for other in (thinnest - 1, thinnest + 1):
                if 0 <= other < len(bands):
                    a, b = sorted((bands[thinnest], bands[other]), key=lambda box: box[1])
                    gap = b[1] - a[3]
                    if gap <= 0.5 * line and b[3] - a[1] <= 1.4 * line:
                        gaps.append((gap, other))
            if gaps:
                _, other = min(gaps)
                a, b = bands[thinnest], bands[other]
                merged = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                lo = min(thinnest, other)
                bands[lo:lo + 2] = [merged]
                changed = True
        cell.lines = bands
