"""One scanned page into the PDF reader's page layout: its ruled tables,
cell by cell, and its lines of running text.

A page scanned sideways is first stood upright (`quarter_turn`); a page that
reads as almost nothing is read again turned over (scanned upside down). The
tables are found from the ruling lines of the straightened page. Each
cell's lines of ink are cropped and read, every cell of the page in one
call of the recogniser (a cell with no ink is blank and not read). The text
outside the tables is found by the detector, on the bands of the page
between the tables only, and read in the same call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium

from ...model import OcrRead, Source
from ..grid import Placed
from ..pdf.layout import PageLayout, TablePart, TextLine, _furniture, _margins
from ..pdf.lines import Line
from ..pdf.parse import user_box
from .cells import CellInk, table_ink
from .engine import Engine, Reading, Segment, Strip
from .image import PageImage, UnreadablePage, crop, lowered, page_image, why
from .rulings import grids, line_masks
from .values import BLANK, CellText, cell_text, confirm, lines_text

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
# 〇 read for a printed 0 among running text ("处理费〇元"), not as the
# Chinese numeral of a date (二〇二三年).
_ZERO = re.compile(r"(?<![一二三四五六七八九十〇零])〇(?![一二三四五六七八九十〇零])")
# Margin around a line's ink in its crop, as a share of the line's height.
_MARGIN = 0.25
# Bands of the page thinner than this (inches) hold no line of text.
_MIN_BAND = 0.1
_DETECT_DPI = 100
_TABLE_EDGE = 0.02  # inches
_BAND_MARGIN = 0.3  # inches
# A doubtful cell is read again alone: (paper kept around its ink, as a share
# of its height; paper at the strip's ends, recogniser pixels) of each try.
_ALONE = ((0.1, 4), (0.25, 8))
# Paper between the characters of a vertical label laid across (recogniser pixels).
_LETTER_GAP = 4
# Rows of pixels worked on at a time where a whole page would need arrays of wider integers.
_ROWS = 512


@dataclass(slots=True)
class _Box:
    x0: int
    y0: int
    x1: int
    y1: int


def read_scanned_page(page: pdfium.PdfPage, number: int, engine: Engine,
                      warnings: list[tuple[str, str]]) -> PageLayout:
    """The page's layout; a page read at a lower resolution than meant (too
    large, `image.MAX_PIXELS`) says so in `warnings`. UnreadablePage when
    the page cannot be rendered or its image processed."""
    try:
        image = page_image(page, lambda rgb, dpi: quarter_turn(rgb, dpi, engine))
        layout, sureness = _read(page, number, engine, image)
        if sureness < _UNSURE:
            # It reads as almost nothing: the page may be upside down (fed
            # into the scanner turned over). Its reading turned over is kept
            # where the recogniser is surer of it.
            over = page_image(page, lambda rgb, dpi: image.turn + 2)
            turned, turned_sureness = _read(page, number, engine, over)
            if turned_sureness > sureness + _SURER_TURNED:
                image, layout = over, turned
    except cv2.error as exc:
        raise UnreadablePage(f"its image could not be processed ({why(exc)})") from exc
    except MemoryError as exc:
        raise UnreadablePage("there was not memory enough to read its image") from exc
    if image.lowered:
        warnings.append(("ocr_resolution_lowered", lowered(number, page.get_size(), image.dpi, image.lowered)))
    return layout


def _read(page: pdfium.PdfPage, number: int, engine: Engine, image: PageImage) -> tuple[PageLayout, float]:
    """The page's layout, and how sure the recogniser is of what it read
    (its mean confidence over the lines and cells read)."""
    horizontal, vertical = line_masks(image.line_ink, image.dpi)
    tables = grids(horizontal, vertical, image.dpi)
    rulings = cv2.bitwise_or(horizontal, vertical)
    plain = _without_rulings(image.grey, rulings)
    cells = [table_ink(table, image.ink, rulings, image.scale, image.dpi) for table in tables]
    segments = [[[Segment(_line_crop(plain, box), box[3] - box[1]) for box in cell.lines] for cell in found]
                for found in cells]
    text_boxes = _text_boxes(image, tables, engine)
    # One call of the recogniser for the page: the tables' strips, then each
    # line of running text.
    strips, place = _table_strips(cells, segments)
    readings = engine.read(strips + [Strip([_text_segment(image.rgb, b)]) for b in text_boxes])
    texts = _cell_texts(cells, segments, readings[:len(strips)], place, engine)
    read = [r.confidence for strip in readings for r in strip]
    sureness = sum(read) / len(read) if read else 1.0  # (nothing to read: nothing to doubt)
    items: list[tuple[float, TextLine | TablePart]] = []
    left, bottom, right, top = page.get_bbox()
    # (A quarter turn anticlockwise of the rendered page is a /Rotate 90 less:
    # the boxes read on the turned page map back to the same user space.)
    frame = (left, bottom, right, top, (page.get_rotation() - 90 * image.turn) % 360)
    for table, found, found_texts in zip(tables, cells, texts, strict=True):
        xs, ys = table.xs, table.ys
        # Provenance: the grid cell on the page (the straightened scan's
        # lines, in points: within the skew of the paper).
        placed = [Placed(cell.row, cell.col, text.text, cell.rowspan, cell.colspan,
                         source=Source(page=number, box=_ink_box(frame, cell, image.scale),
                                       cell_box=user_box(frame, xs[cell.col], ys[cell.row],
                                                         xs[cell.col + cell.colspan], ys[cell.row + cell.rowspan])),
                         ocr=OcrRead(text.confidence, text.doubt))
                  for cell, text in zip(found, found_texts, strict=True)]
        if any(p.text for p in placed):
            part = TablePart(page=number, xs=table.xs, rows=len(table.ys) - 1, cells=placed, top=table.ys[0])
            items.append((part.top, part))
    # (of the page as read: (width, height), their sides swapped by a quarter turn)
    height = page.get_size()[(1 + image.turn) % 2]
    lines = [line for line in _text_lines(text_boxes, [r[0] for r in readings[len(strips):]], image)
             if line.text and not _furniture(line, height)]
    left_margin, right_margin = _margins(lines)
    items += [(line.top, TextLine(line, number, left_margin, right_margin, frame)) for line in lines]
    items.sort(key=lambda kv: kv[0])
    return PageLayout(number, height, [item for _, item in items]), sureness


# -- a page scanned sideways or upside down ------------------------------------

# The detector sees the whole page at this resolution to tell which way its
# lines run (a 10 pt line is some 10 pixels high: found, and four times
# cheaper than at the resolution the text is read at).
_ORIENT_DPI = 48
# A page fewer pixels across than this at _ORIENT_DPI is not looked at.
_LEAST_ORIENTED = 32
# Fewer lines standing taller than wide are a page's vertical labels.
_FEW_LINES = 5
# The longest of them, read turned both ways to tell which way is up.
_PROBE_LINES = 8
# A page the recogniser is less sure of than this (its mean confidence) may
# be upside down; read turned over, it must be surer by this much.
_UNSURE = 0.5
_SURER_TURNED = 0.25


def quarter_turn(rgb: np.ndarray, dpi: float, engine: Engine) -> int:
    """0 for a page whose lines of text run across; for a page scanned
    sideways (most of the lines the detector finds stand taller than wide),
    the quarter turns anticlockwise (1 or 3) under which the recogniser is
    surer of its longest lines: text read upside down reads as nothing."""
    if min(rgb.shape[:2]) * _ORIENT_DPI / dpi < _LEAST_ORIENTED:
        return 0  # (a sliver of a page: nothing to judge, nor for the detector to look at)
    boxes = engine.detect(rgb, _ORIENT_DPI / dpi)
    tall = [b for b in boxes if b[3] - b[1] > 2 * (b[2] - b[0])]
    wide = sum(1 for b in boxes if b[2] - b[0] > 2 * (b[3] - b[1]))
    if len(tall) < _FEW_LINES or len(tall) <= wide:
        return 0
    longest = sorted(tall, key=lambda b: b[3] - b[1], reverse=True)[:_PROBE_LINES]
    crops = [crop(rgb, b) for b in longest]
    return max((1, 3), key=lambda turn: _sureness(engine, crops, turn))


def _sureness(engine: Engine, crops: list[np.ndarray], turn: int) -> float:
    """How sure the recogniser is of the crops turned `turn` quarters (the sum of its confidences)."""
    readings = engine.read([Strip([Segment(np.ascontiguousarray(np.rot90(c, turn)))]) for c in crops])
    return sum(r[0].confidence for r in readings if r)


def _ink_box(frame: tuple[float, float, float, float, int], cell: CellInk, scale: float
             ) -> tuple[float, float, float, float] | None:
    """The box of a cell's ink in PDF user space (its lines are in page pixels)."""
    if not cell.lines:
        return None
    x0, y0 = min(b[0] for b in cell.lines) / scale, min(b[1] for b in cell.lines) / scale
    x1, y1 = max(b[2] for b in cell.lines) / scale, max(b[3] for b in cell.lines) / scale
    return user_box(frame, x0, y0, x1, y1)


# Where the reading of a cell's line is: (strip, segment) for each line of
# each cell of each table.
_Place = list[list[list[tuple[int, int]]]]


def _table_strips(cells: list[list[CellInk]], segments: list[list[list[Segment]]]) -> tuple[list[Strip], _Place]:
    """A table row's cells side by side: the first line of each cell in one
    strip, their second lines in the next, and so on. A cell printed one
    character a line (三、本年度办理结果 down a merged cell) is a strip of its
    own, read across, as the line it is."""
    strips: list[Strip] = []
    index: dict[tuple[int, ...], int] = {}
    place: _Place = []
    for t, found in enumerate(cells):
        place.append([])
        for cell, lines in zip(found, segments[t], strict=True):
            where = []
            if _vertical(cell):
                strips.append(Strip(lines, gap=_LETTER_GAP))
                where = [(len(strips) - 1, k) for k in range(len(lines))]
            else:
                for k, segment in enumerate(lines):
                    key = (t, cell.row, k)
                    if key not in index:
                        index[key] = len(strips)
                        strips.append(Strip([]))
                    where.append((index[key], len(strips[index[key]].segments)))
                    strips[index[key]].segments.append(segment)
            place[t].append(where)
    return strips, place


def _cell_texts(cells: list[list[CellInk]], segments: list[list[list[Segment]]], readings: list[list[Reading]],
                place: _Place, engine: Engine) -> list[list[CellText]]:
    """Each cell's text. A one-line cell whose reading in its row is not
    sure is read again on its own (a faint digit among sharp ones is
    sometimes skipped in the row's line, and read alone)."""
    out: list[list[CellText]] = []
    again: list[tuple[int, int]] = []
    for t, found in enumerate(cells):
        out.append([])
        for c, cell in enumerate(found):
            lines = [readings[s][k] for s, k in place[t][c]]
            if _vertical(cell):
                lines = [Reading("".join(r.text for r in lines), min(r.confidence for r in lines), "", 0.0)]
            text = lines_text(lines) if lines else BLANK
            out[t].append(text)
            if text.doubt and len(cell.lines) == 1:
                again.append((t, c))
    if again:
        # Each alone, in two framings (the recogniser's reading of a lone
        # faint digit changes with the paper around it).
        strips = [Strip([_reframed(segments[t][c][0], margin)], end=end) for t, c in again
                  for margin, end in _ALONE]
        alone = engine.read(strips)
        for k, (t, c) in enumerate(again):
            tries = alone[k * len(_ALONE):(k + 1) * len(_ALONE)]
            out[t][c] = confirm(out[t][c], [cell_text(r[0]) for r in tries])
    return out


def _reframed(segment: Segment, margin: float) -> Segment:
    """The segment with only `margin` (a share of its ink's height) of paper
    kept around its ink."""
    image, ink = segment.image, segment.ink or segment.image.shape[0]
    keep = max(int(margin * ink), 1)
    h, w = image.shape[:2]
    # Segments are cut with _MARGIN of paper around the ink.
    cut = max(int(_MARGIN * ink), 2) - keep
    if cut <= 0:
        return segment
    return Segment(image[min(cut, h // 3):h - min(cut, h // 3), min(cut, w // 3):w - min(cut, w // 3)], segment.ink)


def _without_rulings(grey: np.ndarray, rulings: np.ndarray) -> np.ndarray:
    """The page as the table cells are read: grey without the seal, the
    ruling lines painted over with paper (a border beside a digit is not a
    1). Grey: each crop is made RGB for the recogniser (`_line_crop`)."""
    grey = grey.copy()
    grey[cv2.dilate(rulings, np.ones((5, 5), np.uint8)) > 0] = int(np.median(grey[::8, ::8]))
    return grey


def _vertical(cell: CellInk) -> bool:
    """Is the cell's text printed one character a line? Three lines at
    least, each about as wide as it is high."""
    return len(cell.lines) >= 3 and all(x1 - x0 <= 1.5 * (y1 - y0) for x0, y0, x1, y1 in cell.lines)


def _line_crop(grey: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """A line of a cell with a margin of paper, as RGB."""
    x0, y0, x1, y1 = box
    margin = max(int(_MARGIN * (y1 - y0)), 2)
    return cv2.cvtColor(crop(grey, (x0 - margin, y0 - margin, x1 + margin, y1 + margin)), cv2.COLOR_GRAY2RGB)


def _text_segment(image: np.ndarray, box: _Box) -> Segment:
    """A detected line of text, with the height of its ink (its rows much
    darker than its paper), so that it is read at the scale of the cells."""
    piece = crop(image, (box.x0, box.y0, box.x1, box.y1))
    dark = piece.min(axis=2) < 0.6 * np.percentile(piece.min(axis=2), 90)
    share = dark.mean(axis=1)
    # A row dark across most of the box is a ruling or an underline, not text.
    rows = np.flatnonzero((share > 0) & (share < 0.6))
    return Segment(piece, int(rows[-1] - rows[0] + 1) if len(rows) else None)


def _text_boxes(image: PageImage, tables: list, engine: Engine) -> list[_Box]:
    """The detector's lines of text outside the tables: it runs on each band
    of the page above, between and below the tables (and beside a table
    narrower than the page)."""
    h, w = image.ink.shape
    covered = [(int(t.bbox[1] * image.scale), int(t.bbox[3] * image.scale), int(t.bbox[0] * image.scale),
                int(t.bbox[2] * image.scale)) for t in tables]
    # The detector sees the page at this resolution (a 10 pt line of text is
    # some 14 pixels high there: found as well as at 200 dpi, four times faster).
    scale = min(_DETECT_DPI / image.dpi, 1.0)
    regions: list[tuple[int, int, int, int]] = []  # x0, y0, x1, y1
    top = 0
    edge = int(_TABLE_EDGE * image.dpi)  # the table's border and its blur
    for y0, y1, x0, x1 in sorted(covered):
        if y0 - edge > top:
            regions.append((0, top, w, y0 - edge))
        # Beside the table: text printed in its margins.
        if x0 > 0.15 * w:
            regions.append((0, y0, x0, y1))
        if x1 < 0.85 * w:
            regions.append((x1, y0, w, y1))
        top = max(top, y1 + edge)
    regions.append((0, top, w, h))
    out: list[_Box] = []
    for x0, y0, x1, y1 in regions:
        if y1 - y0 < _MIN_BAND * image.dpi or x1 - x0 < _MIN_BAND * image.dpi:
            continue
        if not image.ink[y0:y1, x0:x1].any() and not _has_colour(image.rgb[y0:y1, x0:x1]):
            continue
        # The detector misses lines at the very edge of a thin band: it gets
        # the band with a margin of paper.
        pad = int(_BAND_MARGIN * image.dpi)
        band = cv2.copyMakeBorder(image.rgb[y0:y1, x0:x1], pad, pad, pad, pad, cv2.BORDER_CONSTANT,
                                  value=[int(v) for v in np.median(image.rgb[y0:y1:8, x0:x1:8].reshape(-1, 3), axis=0)])
        for bx0, by0, bx1, by1 in engine.detect(band, scale):
            out.append(_Box(max(bx0 - pad, 0) + x0, max(by0 - pad, 0) + y0, min(bx1 - pad, x1 - x0) + x0,
                            min(by1 - pad, y1 - y0) + y0))
    return out


def _has_colour(rgb: np.ndarray) -> bool:
    """Red print (a red heading) leaves no ink in the red channel."""
    # Red less green, saturated at 0, a band of rows at a time: no page-sized
    # arrays of wider integers.
    for top in range(0, rgb.shape[0], _ROWS):
        band = rgb[top:top + _ROWS]
        if (cv2.subtract(np.ascontiguousarray(band[:, :, 0]), np.ascontiguousarray(band[:, :, 1])) > 80).any():
            return True
    return False


def _text_lines(boxes: list[_Box], readings: list[Reading], image: PageImage) -> list[Line]:
    """The detector's boxes grouped into lines (boxes side by side), in points."""
    points = 72 / image.dpi
    order = sorted(range(len(boxes)), key=lambda i: (boxes[i].y0 + boxes[i].y1) / 2)
    groups: list[list[int]] = []
    for i in order:
        b = boxes[i]
        centre = (b.y0 + b.y1) / 2
        if groups and (first := boxes[groups[-1][0]]).y0 <= centre <= first.y1:
            groups[-1].append(i)
        else:
            groups.append([i])
    out = []
    for group in groups:
        group.sort(key=lambda i: boxes[i].x0)
        texts = [(boxes[i], readings[i].text.strip()) for i in group if readings[i].text.strip()]
        if not texts:
            continue
        height = float(np.median([b.y1 - b.y0 for b, _ in texts]))
        # The detector's box pads the glyphs by about a fifth of their height each way.
        size = 0.7 * height * points
        text = ""
        tabular = False
        prev: _Box | None = None
        for box, piece in texts:
            if prev is not None:
                gap = (box.x0 - prev.x1) * points
                tabular = tabular or gap > 2 * size
                if gap > 0.5 * size or not (_CJK.match(text[-1]) or _CJK.match(piece[0])):
                    text += " "
            text += piece
            prev = box
        pad = 0.15 * height
        text = _ZERO.sub("0", text)
        out.append(Line(text=text, x0=texts[0][0].x0 * points, top=(min(b.y0 for b, _ in texts) + pad) * points,
                        x1=texts[-1][0].x1 * points, bottom=(max(b.y1 for b, _ in texts) - pad) * points,
                        size=size, tabular=tabular))
    return out
