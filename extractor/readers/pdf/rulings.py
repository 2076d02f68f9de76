"""Tables from ruling lines: the cells a page's lines enclose.

Lines are snapped and joined (drawings repeat a border per cell, a hair
apart), grouped into tables (lines that touch), and each table is cut into
slots by its distinct line positions. Two neighbouring slots with no line
between them belong to one merged cell. A table whose first or last row lost
its border (a browser print of a table continued on the next page) is closed
where its vertical lines end.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from .parse import Char, Edge

# Lines this close are one line (double borders, per-cell segments).
SNAP = 3.0
# Collinear pieces this close are joined into one line.
JOIN = 3.0
# A line borders a slot when it covers this share of the slot's side.
COVER = 0.6


@dataclass(slots=True)
class TableCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    chars: list[Char] = field(default_factory=list)


@dataclass(slots=True)
class PageTable:
    """A ruled table on one page: slot boundaries and the merged cells."""

    xs: list[float]  # column boundaries, left to right
    ys: list[float]  # row boundaries, top to bottom
    cells: list[TableCell]
    slot_cell: list[list[int]]  # [row][col] -> index into cells

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def cell_at(self, x: float, y: float) -> TableCell | None:
        xs, ys = self.xs, self.ys
        if not (xs[0] <= x <= xs[-1] and ys[0] <= y <= ys[-1]):
            return None
        # The slot whose boundaries hold the point; (min and max written
        # out: a call per character of a table).
        col = bisect_right(xs, x) - 1
        if col < 0:
            col = 0
        if col > len(xs) - 2:
            col = len(xs) - 2
        row = bisect_right(ys, y) - 1
        if row < 0:
            row = 0
        if row > len(ys) - 2:
            row = len(ys) - 2
        return self.cells[self.slot_cell[row][col]]


def find_tables(edges: list[Edge]) -> list[PageTable]:
    """The ruled tables of a page, top to bottom: at least two columns of
    slots (a ruled box around a paragraph is not a table; one row is, as the
    last row of a table carried over to the next page)."""
    horizontal = _merge([e for e in edges if e.horizontal])
    vertical = _merge([e for e in edges if not e.horizontal])
    horizontal += _closing_lines(horizontal, vertical)
    horizontal = _merge(horizontal)
    tables = []
    for hs, vs in _groups(horizontal, vertical):
        table = _table(hs, vs)
        if table is not None:
            tables.append(table)
    tables.sort(key=lambda t: t.ys[0])
    return tables


def _merge(edges: list[Edge]) -> list[Edge]:
    """Snap lines at nearly the same position to one position, then join the
    collinear pieces that touch or nearly touch."""
    out: list[Edge] = []
    ordered = sorted(edges, key=lambda e: e.pos)
    i = 0
    while i < len(ordered):
        j = i + 1
        while (j < len(ordered) and ordered[j].pos - ordered[j - 1].pos <= SNAP
               and ordered[j].pos - ordered[i].pos <= 2 * SNAP):
            j += 1
        group = sorted(ordered[i:j], key=lambda e: e.start)
        pos = sum(e.pos for e in group) / len(group)
        cur = Edge(group[0].horizontal, pos, group[0].start, group[0].end)
        for e in group[1:]:
            if e.start <= cur.end + JOIN:
                cur.end = max(cur.end, e.end)
            else:
                out.append(cur)
                cur = Edge(e.horizontal, pos, e.start, e.end)
        out.append(cur)
        i = j
    return out


def _closing_lines(horizontal: list[Edge], vertical: list[Edge]) -> list[Edge]:
    """Horizontal lines where at least two vertical lines end together on no
    horizontal line: the lost top (or bottom) border of a row."""
    loose: dict[float, list[Edge]] = {}
    for v in vertical:
        for y in (v.start, v.end):
            if not any(abs(h.pos - y) <= SNAP and h.start - SNAP <= v.pos <= h.end + SNAP for h in horizontal):
                key = next((k for k in loose if abs(k - y) <= SNAP), y)
                loose.setdefault(key, []).append(v)
    out = []
    for y, vs in loose.items():
        if len(vs) >= 2:
            out.append(Edge(True, y, min(v.pos for v in vs), max(v.pos for v in vs)))
    return out


def _finder(parent: list[int]):
    """The root lookup of a union-find forest (with path halving)."""

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    return find


def _groups(horizontal: list[Edge], vertical: list[Edge]) -> list[tuple[list[Edge], list[Edge]]]:
    """Lines that touch, directly or through other lines, form one table."""
    parent = list(range(len(horizontal) + len(vertical)))
    find = _finder(parent)
    # Each pair touches where each line reaches the other (within SNAP):
    # the reach of each line worked out once, not once per pair.
    reach = [(len(horizontal) + j, v.pos, v.start - SNAP, v.end + SNAP) for j, v in enumerate(vertical)]
    for i, h in enumerate(horizontal):
        lo, hi, pos = h.start - SNAP, h.end + SNAP, h.pos
        for j, v_pos, v_lo, v_hi in reach:
            if lo <= v_pos <= hi and v_lo <= pos <= v_hi:
                a, b = find(i), find(j)
                if a != b:
                    parent[a] = b
    groups: dict[int, tuple[list[Edge], list[Edge]]] = {}
    for i, h in enumerate(horizontal):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        groups.setdefault(find(len(horizontal) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _positions(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= SNAP:
            continue
        out.append(v)
    return out


def _covered(lines: list[Edge], pos: float, lo: float, hi: float) -> bool:
    """Is there a line at pos covering the middle of the span lo..hi?"""
    margin = (hi - lo) * (1 - COVER) / 2
    return any(abs(e.pos - pos) <= SNAP and e.start <= lo + margin + SNAP and e.end >= hi - margin - SNAP
               for e in lines)


def _table(horizontal: list[Edge], vertical: list[Edge]) -> PageTable | None:
    top = min(v.start for v in vertical)
    bottom = max(v.end for v in vertical)
    left = min(h.start for h in horizontal)
    right = max(h.end for h in horizontal)
    # Tables open at the sides (no outer vertical border) end where their
    # horizontal lines end.
    xs = _positions([left, right, *(v.pos for v in vertical if left - SNAP <= v.pos <= right + SNAP)])
    ys = _positions([h.pos for h in horizontal if top - SNAP <= h.pos <= bottom + SNAP])
    if len(xs) < 3 or len(ys) < 2:
        return None
    rows, cols = len(ys) - 1, len(xs) - 1
    # The lines at each boundary, found once (not once per slot beside it).
    at_x = [[e for e in vertical if abs(e.pos - x) <= SNAP] for x in xs]
    at_y = [[e for e in horizontal if abs(e.pos - y) <= SNAP] for y in ys]
    parent = list(range(rows * cols))
    find = _finder(parent)
    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not _covered(at_x[c + 1], xs[c + 1], ys[r], ys[r + 1]):
                parent[find(r * cols + c + 1)] = find(r * cols + c)
            if r + 1 < rows and not _covered(at_y[r + 1], ys[r + 1], xs[c], xs[c + 1]):
                parent[find((r + 1) * cols + c)] = find(r * cols + c)
    spans: dict[int, list[int]] = {}  # root -> [min row, min col, max row, max col]
    for r in range(rows):
        for c in range(cols):
            root = find(r * cols + c)
            s = spans.get(root)
            if s is None:
                spans[root] = [r, c, r, c]
                continue
            # (Rows come in order: the first is the least, this one the greatest.)
            s[2] = r
            if c < s[1]:
                s[1] = c
            elif c > s[3]:
                s[3] = c
    cells: list[TableCell] = []
    index: dict[int, int] = {}
    for root, (r0, c0, r1, c1) in sorted(spans.items(), key=lambda kv: (kv[1][0], kv[1][1])):
        index[root] = len(cells)
        cells.append(TableCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1))
    slot_cell = [[index[find(r * cols + c)] for c in range(cols)] for r in range(rows)]
    return PageTable(xs=xs, ys=ys, cells=cells, slot_cell=slot_cell)
