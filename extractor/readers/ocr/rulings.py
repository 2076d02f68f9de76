"""The ruling lines of a straightened scan, as the PDF reader's edges.

Long thin runs of ink are kept by a morphological opening along each axis
(text strokes are much shorter than the shortest border of a cell) and each
run becomes an `Edge` in points, so that the PDF reader's table finder cuts the cells, merges spans
and closes a table cut by a page break exactly as for a PDF's own lines.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..pdf.parse import Edge
from ..pdf.rulings import PageTable, find_tables

# In inches: the shortest run that is a ruling line (a cell border of a
# narrow column is longer; a stroke of a 12 pt character is shorter) and the
# thickest. Pieces of a line broken by noise are joined by the table finder.
_MIN_LENGTH = 0.28
_MAX_THICKNESS = 0.05
# One piece of a table's lines spans at least this share of its width and height.
_SPAN = 0.8


def line_masks(ink: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """The horizontal and the vertical ruling lines of the ink (255)."""
    length = max(int(_MIN_LENGTH * dpi), 9)
    out = []
    for along in ((length, 1), (1, length)):
        out.append(cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, along)))
    return out[0], out[1]


def edges(horizontal: np.ndarray, vertical: np.ndarray, dpi: float) -> list[Edge]:
    """Each run of the line masks as an edge, in points."""
    thickest = max(_MAX_THICKNESS * dpi, 3)
    points = 72 / dpi
    out: list[Edge] = []
    for mask, is_horizontal in ((horizontal, True), (vertical, False)):
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for x, y, w, h, area in stats[1:count]:
            long, thick = (w, h) if is_horizontal else (h, w)
            # A ruling is thin along its whole length (a residual skew of a
            # few hundredths of a degree thickens a long one a little).
            if area / max(long, 1) > thickest:
                continue
            if is_horizontal:
                out.append(Edge(True, (y + thick / 2) * points, x * points, (x + w) * points))
            else:
                out.append(Edge(False, (x + thick / 2) * points, y * points, (y + h) * points))
    return out


def grids(horizontal: np.ndarray, vertical: np.ndarray, dpi: float) -> list[PageTable]:
    """The ruled tables of the page. A table's lines cross one another: the
    grid is one piece of ink spanning the table. The strokes of large bold
    characters (a title) are long and straight too, but each character's
    strokes form a piece of their own, so such a "table" is dropped."""
    tables = find_tables(edges(horizontal, vertical, dpi))
    if not tables:
        return []
    _count, labels, stats, _ = cv2.connectedComponentsWithStats(cv2.bitwise_or(horizontal, vertical), connectivity=8)
    scale = dpi / 72
    out = []
    for table in tables:
        x0, y0, x1, y1 = (v * scale for v in table.bbox)
        inside = labels[int(y0):int(y1) + 1, int(x0):int(x1) + 1]
        pieces = np.unique(inside[inside > 0])
        spans = [(stats[p, cv2.CC_STAT_WIDTH], stats[p, cv2.CC_STAT_HEIGHT]) for p in pieces]
        if any(w >= _SPAN * (x1 - x0) and h >= _SPAN * (y1 - y0) for w, h in spans):
            out.append(table)
    return out
