"""One pass over a PDF page with pdfium: its characters and its ruling lines.

pdfium (through pypdfium2, which pdfplumber itself depends on) reads a page
several times faster than pdfminer, so every page is parsed exactly once
here and everything downstream works on the plain records below. All
coordinates are in points, x to the right and y downwards from the top-left
corner of the page as it is displayed.
"""

from __future__ import annotations

import ctypes
import math
import re
import struct
import sys
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from ...model import Box, Frame
from .bounds import check_page_chars, check_page_objects

# A filled shape at most this thick is a drawn line (Word and browsers draw
# table borders as thin filled rectangles); thicker fills are cell shading.
MAX_LINE_THICKNESS = 2.0
# Shorter strokes are glyph parts, bullets or underline dashes, not rulings.
MIN_EDGE_LENGTH = 3.0
_FORM_DEPTH = 8
# Text turned by more than this (as a share of its scale: about 5 degrees)
# from the axes is diagonal (a watermark); text turned less is level, or a
# tilted page read straightened (a crooked scan is often 2-4 degrees off).
_SKEW = 0.09
# A page whose text objects are turned by a small angle (a crooked page
# scanned and OCR'd, the OCR placing its text along the tilted lines, or a
# vector page placed slightly rotated) is read turned back, so that its
# lines run level and its rulings come back. Below this tilt (degrees) the
# drift across a page is under a point: left as it is.
_LEAST_TILT = 0.1
# The objects' angles that differ by at most this (degrees) are one tilt (an
# OCR program's lines are fitted one by one: their angles differ a little).
_TILT_SPREAD = 0.25
# The share of a page's text objects that must share a tilt for the page to
# be turned back: a page whose objects disagree is read as it is.
_TILT_QUORUM = 0.75


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Edge:
    """A ruling line: horizontal at y=pos from start to end (x), or vertical
    at x=pos from start to end (y)."""

    horizontal: bool
    pos: float
    start: float
    end: float


@dataclass(slots=True)
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    chars: list[Char]
    edges: list[Edge]
    images: int  # image objects on the page
    unmapped: int  # characters whose font gives no Unicode value
    unmeasured: int = 0  # text objects left out of the text for want of font metrics
    lost: int = 0  # of the unmapped, those that are not private-use symbols (bullets): lost text
    # Text objects set at an angle, left out of the text (a watermark, or a
    # page turned too far to be read straightened).
    diagonal: int = 0
    frame: Frame = (0.0, 0.0, 0.0, 0.0, 0)  # the page's box in user space and its rotation
    # The images' boxes on the displayed page (x0, top, x1, bottom).
    image_boxes: list[Box] = field(default_factory=list)

    @property
    def text_lost(self) -> bool:
        """Is text missing from what the text layer gives: most of the page
        unmapped, or any unmapped glyph that is not a private-use symbol?"""
        return self.unmapped > len(self.chars) or self.lost > 0


# A 2x3 affine matrix (a, b, c, d, e, f): x' = a x + c y + e, y' = b x + d y + f.
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


class PageView:
    """From PDF user space to the displayed page: rotation applied, origin at
    the top-left corner, y downwards."""

    tilted = False  # (TiltedView: the page's content turned back first)

    def __init__(self, page: pdfium.PdfPage, rotation: int | None = None) -> None:
        """`rotation`: the page's own (its /Rotate) where None."""
        self.left, self.bottom, self.right, self.top = page.get_bbox()
        self.rotation = (page.get_rotation() if rotation is None else rotation) % 360
        w, h = self.right - self.left, self.top - self.bottom
        self.width, self.height = (h, w) if self.rotation in (90, 270) else (w, h)

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.rotation == 90:
            return y - self.bottom, x - self.left
        if self.rotation == 180:
            return self.right - x, y - self.bottom
        if self.rotation == 270:
            return self.top - y, self.right - x
        return x - self.left, self.top - y

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        ax, ay = self.point(x0, y0)
        bx, by = self.point(x1, y1)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


class TiltedView(PageView):
    """A PageView of a page whose content is turned by a small angle
    (`tilt`, degrees anticlockwise in user space): every point is first
    turned back by it about the page's centre. (A subclass, so that the
    level pages' points pay nothing for it.)"""

    tilted = True

    def __init__(self, page: pdfium.PdfPage, rotation: int, tilt: float) -> None:
        super().__init__(page, rotation)
        self.cos, self.sin = math.cos(math.radians(tilt)), math.sin(math.radians(tilt))
        self.cx, self.cy = (self.left + self.right) / 2, (self.bottom + self.top) / 2

    def level(self, x: float, y: float) -> tuple[float, float]:
        """A point of user space turned back by the tilt (still user space)."""
        x, y = x - self.cx, y - self.cy
        return self.cx + x * self.cos + y * self.sin, self.cy - x * self.sin + y * self.cos

    def point(self, x: float, y: float) -> tuple[float, float]:
        return super().point(*self.level(x, y))

    def char_box(self, x0: float, y0: float, x1: float, y1: float, origin: tuple[float, float] | None,
                 size: float) -> tuple[float, float, float, float]:
        """A character's displayed box from its loose box in user space (the
        box around its turned glyph) and, for upright text, its origin: the
        glyph's own box turned back."""
        width, height = _unturned(x1 - x0, y1 - y0, abs(self.cos), abs(self.sin))
        cx, cy = self.level((x0 + x1) / 2, (y0 + y1) / 2)
        if origin is None:
            low, high = cy - height / 2, cy + height / 2
        else:  # (as on a level page: the vertical extent from the baseline and the type size)
            baseline = self.level(*origin)[1]
            low, high = baseline - 0.2 * size, baseline + 0.8 * size
        # (PageView's own mapping: the box is level already.)
        ax, ay = PageView.point(self, cx - width / 2, low)
        bx, by = PageView.point(self, cx + width / 2, high)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _unturned(width: float, height: float, cos: float, sin: float) -> tuple[float, float]:
    """The sides of a box turned by a small angle (|cos|, |sin|), from the
    sides of the level box around it (which is wider by about height * sin,
    taller by about width * sin)."""
    det = cos * cos - sin * sin
    w, h = (width * cos - height * sin) / det, (height * cos - width * sin) / det
    # (A box too thin for the angle: its level box's sides are the best left.)
    return (w if w > 0 else width), (h if h > 0 else height)


def user_box(frame: Frame, x0: float, top: float, x1: float, bottom: float) -> Box:
    """A box of the displayed page (origin top-left, y downwards) in PDF user
    space (origin bottom-left, y upwards, before the page's rotation): the
    inverse of PageView."""
    left, low, right, high, rotation = frame
    if rotation == 90:  # displayed (x, y) = (y - low, x - left)
        return left + top, low + x0, left + bottom, low + x1
    if rotation == 180:  # (right - x, y - low)
        return right - x1, low + top, right - x0, low + bottom
    if rotation == 270:  # (high - y, right - x)
        return right - bottom, high - x1, right - top, high - x0
    return left + x0, high - bottom, left + x1, high - top


def read_page(page: pdfium.PdfPage, number: int) -> PageContent:
    view = PageView(page)
    chars, unmapped, lost, read = _chars(page, view)
    shapes = Counter(read.values())  # (a page's objects share a few shapes: counted in C)
    turned = _turned_view(page, view, shapes)
    if turned is not None:
        # (Known only from the first read: only such pages are read twice.)
        view = turned
        chars, unmapped, lost, read = _chars(page, view)
    edges: list[Edge] = []
    counts = _objects(page, view, edges, read)
    return PageContent(number=number, width=view.width, height=view.height, chars=chars, edges=edges,
                       images=counts.images, unmapped=unmapped, unmeasured=counts.unmeasured, lost=lost,
                       image_boxes=counts.image_boxes,
                       diagonal=sum(n for shape, n in shapes.items() if shape and shape[3] is None),
                       # (A tilted page's boxes stay in its straightened frame, as
                       # a scan's do (ocr/page): within the tilt of the page.)
                       frame=(view.left, view.bottom, view.right, view.top, view.rotation))


def _turned_view(page: pdfium.PdfPage, view: PageView, shapes: Mapping[Shape | None, int]) -> PageView | None:
    """The view a page is read through where it is not its own (`shapes`:
    how many of its text objects have each shape, read through `view`):
    a page whose text runs sideways as displayed (a landscape page put onto
    a portrait one, its content turned, not the page) is read turned
    upright, as a viewer's "rotate" shows it; text turned by a small angle
    is read turned back. None for a page read as it is displayed."""
    turn, tilt = _sideways(shapes, view.rotation), _tilt(shapes)
    if not (turn or tilt):
        return None
    rotation = view.rotation + turn
    return TiltedView(page, rotation, tilt) if tilt else PageView(page, rotation)


def reading_view(page: pdfium.PdfPage) -> PageView:
    """The view read_page reads the page through (its characters read once
    to know it): what turns user space into the page as it was read."""
    view = PageView(page)
    read = _chars(page, view)[3]
    return _turned_view(page, view, Counter(read.values())) or view


def _unchecked(function, restype=ctypes.c_int):
    """A copy of a pypdfium2 function that converts none of its arguments
    (the caller passes them as C expects them: a c_void_p handle, an int
    index, byref buffers): a ctypes call through argtypes costs twice as much,
    and per character that is most of a page's time."""
    copy = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    copy.restype = restype
    return copy


_HAS_MAP_ERROR = _unchecked(raw.FPDFText_HasUnicodeMapError)
# The object's address as an int: a dictionary key.
_TEXT_OBJECT = _unchecked(raw.FPDFText_GetTextObject, ctypes.c_void_p)
_CHAR_ORIGIN = _unchecked(raw.FPDFText_GetCharOrigin)
_LOOSE_BOX = _unchecked(raw.FPDFText_GetLooseCharBox)
_MATRIX = _unchecked(raw.FPDFText_GetMatrix)
_FONT_SIZE = _unchecked(raw.FPDFText_GetFontSize, ctypes.c_double)
# FS_MATRIX: a, b, c, d and f (e not read), floats.
_MATRIX_ABCDF = struct.Struct("=4f4xf")
# What those two write: the origin (x, y: doubles), then the loose box
# (FS_RECTF: left, top, right, bottom: floats), read in one call.
_PLACE = struct.Struct("=8xd4f")  # x not read
_LOOSE = struct.Struct("=4f")  # the loose box alone (at offset 16)
_ORIGIN = struct.Struct("=2d")  # the origin alone (x, y)
_BLANKS = (0xA0, 0x3000, 0xFEFF)


# A UTF-16 unit is half of a surrogate pair where its high byte is this
# (searched for over the high bytes, in C).
_SURROGATE = re.compile(rb"[\xd8-\xdf]")
_HIGH_BYTE = 1 if sys.byteorder == "little" else 0


def _codes(handle, count: int) -> list[int]:
    """Every character's Unicode value in one call (pdfium writes one UTF-16
    unit per character); one call per character where a value lies outside
    the basic plane (two units for one character)."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(handle, 0, count, buffer)
    codes = list(buffer[:count])
    if written != count + 1 or _SURROGATE.search(bytes(buffer)[_HIGH_BYTE::2]):
        codes = [raw.FPDFText_GetUnicode(handle, i) for i in range(count)]
    return codes


def _chars(page: pdfium.PdfPage, view: PageView) -> tuple[list[Char], int, int, Mapping[int | None, Shape | None]]:
    # (The text page as pdfium's own handle, not pypdfium2's PdfTextPage:
    # opened and closed here, its bookkeeping, a tenth of the page's own
    # loading, is not needed.)
    handle = raw.FPDFText_LoadPage(page.raw)
    if not handle:
        raise pdfium.PdfiumError("Failed to load text page.")
    try:
        count = raw.FPDFText_CountChars(handle)
        check_page_chars(count)
        return _read_chars(handle, count, view) if count > 0 else ([], 0, 0, {})
    finally:
        raw.FPDFText_ClosePage(handle)


def _read_chars(handle, count: int, view: PageView) -> tuple[list[Char], int, int, Mapping[int | None, Shape | None]]:
    """The page's characters, the number of those with no Unicode value,
    of those the ones that are lost text (not private-use symbols), and the
    text objects (addresses) whose characters the text layer holds, with
    their shapes (_shape_of)."""
    address = ctypes.cast(handle, ctypes.c_void_p)
    place = (ctypes.c_char * _PLACE.size)()
    at_x, at_y, at_box = ctypes.byref(place, 0), ctypes.byref(place, 8), ctypes.byref(place, 16)
    matrix = raw.FS_MATRIX()
    at_matrix = ctypes.byref(matrix)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    unpack_box, unpack_place = _LOOSE.unpack_from, _PLACE.unpack_from
    # (Called once or more per character: local names, not module lookups.)
    has_map_error, text_object, origin_of, loose_box = _HAS_MAP_ERROR, _TEXT_OBJECT, _CHAR_ORIGIN, _LOOSE_BOX
    matrix_of, font_size, unpack_matrix, shape_of = _MATRIX, _FONT_SIZE, _MATRIX_ABCDF.unpack_from, _shape_of
    blanks = _BLANKS
    tilted = view.tilted
    turn, dx, dy = view.rotation != 0 or tilted, view.left, view.top
    out: list[Char] = []
    append = out.append
    unmapped = lost = 0
    # (upright, turned, font size) of each text object: its characters
    # share its matrix and size, read once (pdfium calls per character
    # are most of a page's time).
    objects: dict[int | None, Shape | None] = {}
    current: int | None = -1  # the text object of the last character (an object's characters come in a run)
    shape: tuple[bool, bool, float] | None = None
    # The baseline of the current object's last character and the vertical
    # extent of its loose box: a character of the same object whose loose box
    # spans the same heights sits on the same baseline (the box is the
    # baseline moved by the font's descent and ascent), so its origin is not read.
    baseline = low = high = None
    # The current object's matrix's f (where its matrix was read): the height
    # of its characters' origins in horizontal writing, not in vertical
    # writing. Which one a character is, the distance from its loose box to
    # its origin tells: it is its font's descent at its size, the same for
    # every character of that font and size. Those distances (with the type
    # size) seen where an origin was read: a character whose box lies as far
    # from its object's f has its origin there (1 call fewer for most).
    line_y: float | None = None
    descents: set[tuple[float, float]] = set()
    for i, code in enumerate(_codes(handle, count)):
        if code <= 0x20 or code in blanks:
            # pdfium generates only spaces and line breaks; a control code
            # it did not generate is a glyph's own code left where its
            # font gives no Unicode value (a damaged ToUnicode map): lost
            # text, not spacing. Spaces are read from the geometry.
            if code < 0x20 and code not in (0x09, 0x0A, 0x0D) and not raw.FPDFText_IsGenerated(handle, i):
                unmapped += 1
                lost += 1
            continue
        if 0xD800 <= code <= 0xF8FF or code == 0xFFFD or has_map_error(address, i):
            # No Unicode value (a surrogate, U+FFFD, or a private-use one):
            # the glyph's meaning is unknown.
            unmapped += 1
            lost += not 0xE000 <= code <= 0xF8FF
            continue
        key = text_object(address, i)
        if key != current or not key:
            current, baseline, line_y = key, None, None
            shape = objects.get(key) if key else None
            if shape is None:  # (once per text object, inline: most hold a character or two)
                if matrix_of(address, i, at_matrix):
                    a, b, c, d, line_y = unpack_matrix(matrix)
                    shape = shape_of(a, b, c, d, font_size(address, i))
                if key and shape is not None:
                    objects[key] = shape
        if shape is None:
            continue
        upright, turned, size, _, _ = shape
        if not (upright or turned):
            continue  # diagonal text: a watermark, never table content
        if not loose_box(address, i, at_box):
            continue
        x0, y1, x1, y0 = unpack_box(place, 16)
        if upright and (baseline is None or y0 != low or y1 != high):
            if line_y is not None and not tilted and (size, y0 - line_y) in descents:
                baseline = line_y
            elif origin_of(address, i, at_x, at_y):
                baseline = unpack_place(place)[0]
                descents.add((size, y0 - baseline))
            else:
                continue
            # (On a tilted page a character's baseline turned back depends on
            # its x as well: every origin is read.)
            low, high = (None if tilted else y0), y1
        if not size > 0:
            size = y1 - y0
        w, h = x1 - x0, y1 - y0
        # (max(w, h), as max computes it)
        if (h if h > w else w) > 1.5 * size and raw.FPDFText_GetCharBox(handle, i, left, right, bottom, top):
            # pdfium's loose box is wrong for some vertical-writing
            # fonts; the glyph's ink box is not.
            x0, y0, x1, y1 = left.value, bottom.value, right.value, top.value
        if not turn:  # most pages: the box needs no turning
            if upright:
                # The vertical extent from the baseline and the type size:
                # the same for every glyph of a line, whatever its shape.
                y0, y1 = baseline - 0.2 * size, baseline + 0.8 * size
            x0, y0, x1, y1 = x0 - dx, dy - y1, x1 - dx, dy - y0
        elif tilted:
            x0, y0, x1, y1 = view.char_box(x0, y0, x1, y1, _ORIGIN.unpack_from(place) if upright else None, size)
        else:
            if upright:
                y0, y1 = baseline - 0.2 * size, baseline + 0.8 * size
            x0, y0, x1, y1 = view.box(x0, y0, x1, y1)
        if x1 - x0 <= 0 or y1 - y0 <= 0:
            continue
        append(Char(chr(code), x0, y0, x1, y1))
    return out, unmapped, lost, objects


@lru_cache(maxsize=4096)
def _shape_of(a: float, b: float, c: float, d: float, font_size: float) -> Shape:
    """Whether a text object of this matrix (a, b, c, d) and font size is
    upright, turned a quarter, its type size on the page, the way it runs in
    user space (0, 90, 180, 270 degrees anticlockwise; None for diagonal
    text) and how far (degrees anticlockwise) its baseline is turned from
    that way (0.0 for level text). (Most text objects of a page share their
    scale: computed once.)"""
    skew = _SKEW * max(abs(a), abs(b), abs(c), abs(d))
    upright, turned = abs(b) <= skew and abs(c) <= skew, abs(a) <= skew and abs(d) <= skew
    runs = (0 if a > 0 else 180) if upright else (90 if b > 0 else 270) if turned else None
    tilt = 0.0 if runs is None or not b else (math.degrees(math.atan2(b, a)) - runs + 180) % 360 - 180
    return upright, turned, font_size * math.sqrt(abs(a * d - b * c)), runs, tilt


Shape = tuple[bool, bool, float, int | None, float]
# Fewer text objects than this running one way are a page's sideways notes
# (a margin note, a vertical label), not its text.
_FEW_OBJECTS = 3


def _sideways(shapes: Mapping[Shape | None, int], rotation: int) -> int:
    """How far (degrees) most of a page's text objects (`shapes`: how many
    have each shape) run from upright as the page is displayed (0 when most
    are upright)."""
    # (A page's /Rotate turns it clockwise for display: text running r degrees
    # anticlockwise on a page turned by R runs r - R as displayed.)
    runs: Counter[int] = Counter()
    for shape, count in shapes.items():
        if shape and shape[3] is not None:
            runs[(shape[3] - rotation) % 360] += count
    if not runs:
        return 0
    way, count = runs.most_common(1)[0]
    return way if way and count > runs[0] and count >= _FEW_OBJECTS else 0


def _tilt(shapes: Mapping[Shape | None, int]) -> float:
    """The small angle (degrees anticlockwise) by which most of a page's
    text objects (`shapes`: how many have each shape) are turned from the
    axes; 0.0 for a level page, and for one whose objects disagree."""
    angles = [(shape[4], count) for shape, count in shapes.items() if shape and shape[3] is not None]
    if all(abs(angle) <= _LEAST_TILT for angle, _ in angles):
        return 0.0  # (almost every page: nothing turned)
    angles.sort()
    total = sum(count for _, count in angles)
    # The most objects whose angles lie within _TILT_SPREAD of each other.
    best, start, held = (0, 0, 0), 0, 0
    for end, (angle, count) in enumerate(angles):
        held += count
        while angle - angles[start][0] > _TILT_SPREAD:
            held -= angles[start][1]
            start += 1
        best = max(best, (held, start, end + 1))
    held, start, end = best
    if held < _FEW_OBJECTS or held < _TILT_QUORUM * total:
        return 0.0
    tilt = sum(angle * count for angle, count in angles[start:end]) / held
    return tilt if abs(tilt) > _LEAST_TILT else 0.0


@dataclass(slots=True)
class _Counts:
    images: int = 0
    unmeasured: int = 0
    objects: int = 0
    image_boxes: list[Box] = field(default_factory=list)


# The calls per drawing object and per path segment, unchecked as well
# (objects and segments are passed as the pointers pdfium returned).
# (Objects as addresses, ints: looked up among the text objects read, then
# passed on as c_void_p.)
_PAGE_OBJECT = _unchecked(raw.FPDFPage_GetObject, ctypes.c_void_p)
_FORM_OBJECT = _unchecked(raw.FPDFFormObj_GetObject, ctypes.c_void_p)
_FORM_OBJECTS = _unchecked(raw.FPDFFormObj_CountObjects)
_OBJECT_TYPE = _unchecked(raw.FPDFPageObj_GetType)
_OBJECT_BOUNDS = _unchecked(raw.FPDFPageObj_GetBounds)
_OBJECT_MATRIX = _unchecked(raw.FPDFPageObj_GetMatrix)
_DRAW_MODE = _unchecked(raw.FPDFPath_GetDrawMode)
_SEGMENTS = _unchecked(raw.FPDFPath_CountSegments)
_SEGMENT = _unchecked(raw.FPDFPath_GetPathSegment, raw.FPDFPath_GetPathSegment.restype)
_SEGMENT_POINT = _unchecked(raw.FPDFPathSegment_GetPoint)
_SEGMENT_TYPE = _unchecked(raw.FPDFPathSegment_GetType)
_SEGMENT_CLOSE = _unchecked(raw.FPDFPathSegment_GetClose)
_FLOATS = struct.Struct("=4f")
_TEXT, _PATH, _IMAGE, _FORM = (raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE,
                                raw.FPDF_PAGEOBJ_FORM)


class _Buffers:
    """What pdfium writes per object, reused over a page: bounds (four
    floats), a point, the draw mode."""

    def __init__(self) -> None:
        self.bounds = (ctypes.c_float * 4)()
        self.at_bounds = tuple(ctypes.byref(self.bounds, 4 * k) for k in range(4))  # left, bottom, right, top
        self.point = (ctypes.c_float * 2)()
        self.at_point = (ctypes.byref(self.point, 0), ctypes.byref(self.point, 4))
        self.mode = (ctypes.c_int * 2)()
        self.at_mode = (ctypes.byref(self.mode, 0), ctypes.byref(self.mode, 4))  # fill, stroke

    def read_bounds(self, obj) -> tuple[float, float, float, float] | None:
        """The object's bounds (left, bottom, right, top), None where pdfium has none."""
        if not _OBJECT_BOUNDS(obj, *self.at_bounds):
            return None
        return _FLOATS.unpack_from(self.bounds)

    @staticmethod
    def read_matrix(obj) -> Matrix:
        """The object's matrix (zeros where pdfium has none)."""
        m = raw.FS_MATRIX()
        _OBJECT_MATRIX(obj, ctypes.byref(m))
        return m.a, m.b, m.c, m.d, m.e, m.f


def _objects(page: pdfium.PdfPage, view: PageView, edges: list[Edge], read: Collection[int | None] = ()) -> _Counts:
    """Collect the ruling lines of every path on the page (form XObjects
    included); count the images, and the text objects pdfium could not
    measure (`read`: the text objects whose characters the text layer
    holds, measured)."""
    counts = _Counts()
    buffers = _Buffers()

    def walk(count: int, get, owner, matrix: Matrix, depth: int) -> None:
        """The `count` objects get(owner, i) of the page or of a form."""
        counts.objects += count
        check_page_objects(counts.objects, count)
        at_bounds, bounds = buffers.at_bounds, buffers.bounds
        for i in range(count):
            address = get(owner, i)
            if address in read:
                continue  # (most objects of a page: no call made for them)
            obj = ctypes.c_void_p(address)
            kind = _OBJECT_TYPE(obj)
            # (The kinds in the order of how many a page has: text first.)
            if kind == _TEXT:
                # A text object of no width: pdfium has no metrics for its
                # font (neither embedded nor installed) and leaves its text
                # out of the text layer.
                if _OBJECT_BOUNDS(obj, *at_bounds) and bounds[2] - bounds[0] <= 0.01:
                    counts.unmeasured += 1
            elif kind == _PATH:
                _path_edges(obj, matrix, view, edges, buffers)
            elif kind == _IMAGE:
                counts.images += 1
                if (box := _displayed_bounds(obj, matrix, view, buffers)) is not None:
                    counts.image_boxes.append(box)
            elif kind == _FORM and depth < _FORM_DEPTH:
                inner = _compose(buffers.read_matrix(obj), matrix)
                walk(_FORM_OBJECTS(obj), _FORM_OBJECT, obj, inner, depth + 1)

    handle = page.raw
    walk(raw.FPDFPage_CountObjects(handle), _PAGE_OBJECT, handle, _IDENTITY, 0)
    walk = None  # type: ignore[assignment]  # (it holds itself: freed now, not by the cycle collector)
    return counts


def _displayed_bounds(obj, outer: Matrix, view: PageView, buffers: _Buffers) -> Box | None:
    """The object's bounds on the displayed page (x0, top, x1, bottom), its
    form's matrix `outer` applied; None where pdfium has none."""
    bounds = buffers.read_bounds(obj)
    if bounds is None:
        return None
    left, bottom, right, top = bounds
    corners = [view.point(*_apply(outer, x, y)) for x in (left, right) for y in (bottom, top)]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _path_edges(obj, outer: Matrix, view: PageView, edges: list[Edge], buffers: _Buffers) -> None:
    if not _DRAW_MODE(obj, *buffers.at_mode):
        return
    fill, stroke = buffers.mode
    if not stroke:
        if not fill:
            return  # a clipping or invisible path
        # A filled shape: a line when it is thin, shading otherwise. Its
        # bounds are enough to tell (on a tilted page the bounds of the
        # turned shape are not: its points turned back are).
        box = _points_box(obj, outer, view, buffers) if view.tilted else _displayed_bounds(obj, outer, view, buffers)
        if box is not None:
            _add_box(*box, edges)
        return
    # A stroked path: every axis-aligned straight segment is a line. (Its
    # points read inline, not by _path_points: most of a page's segments.)
    matrix = _compose(buffers.read_matrix(obj), outer)
    xy, at_x, at_y = buffers.point, *buffers.at_point
    xy[0] = xy[1] = 0.0  # (what a point pdfium fails to give reads as)
    start = current = None
    for s in range(_SEGMENTS(obj)):
        seg = _SEGMENT(obj, s)
        _SEGMENT_POINT(seg, at_x, at_y)
        point = view.point(*_apply(matrix, *xy))
        kind = _SEGMENT_TYPE(seg)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = current = point
            continue
        if kind == raw.FPDF_SEGMENT_LINETO and current is not None:
            _add_segment(current, point, edges)
        current = point
        if _SEGMENT_CLOSE(seg) and start is not None:
            _add_segment(current, start, edges)
            current = start


def _path_points(obj, outer: Matrix, view: PageView, buffers: _Buffers) -> list[tuple[float, float]]:
    """The points of the path's segments on the displayed page (the path's
    matrix and its form's `outer` applied)."""
    matrix = _compose(buffers.read_matrix(obj), outer)
    xy, at_x, at_y = buffers.point, *buffers.at_point
    xy[0] = xy[1] = 0.0  # (what a point pdfium fails to give reads as)
    points = []
    for s in range(_SEGMENTS(obj)):
        _SEGMENT_POINT(_SEGMENT(obj, s), at_x, at_y)
        points.append(view.point(*_apply(matrix, *xy)))
    return points


def _points_box(obj, outer: Matrix, view: PageView, buffers: _Buffers) -> Box | None:
    """The box of the path's points on the displayed page (x0, top, x1,
    bottom); None for a path of none."""
    points = _path_points(obj, outer, view, buffers)
    if not points:
        return None
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _add_segment(p: tuple[float, float], q: tuple[float, float], edges: list[Edge]) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) <= 0.5 and abs(x1 - x0) >= MIN_EDGE_LENGTH:
        edges.append(Edge(True, (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) <= 0.5 and abs(y1 - y0) >= MIN_EDGE_LENGTH:
        edges.append(Edge(False, (x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _add_box(x0: float, top: float, x1: float, bottom: float, edges: list[Edge]) -> None:
    w, h = x1 - x0, bottom - top
    if math.isnan(w) or math.isnan(h):
        return
    if h <= MAX_LINE_THICKNESS and w >= MIN_EDGE_LENGTH:
        edges.append(Edge(True, (top + bottom) / 2, x0, x1))
    elif w <= MAX_LINE_THICKNESS and h >= MIN_EDGE_LENGTH:
        edges.append(Edge(False, (x0 + x1) / 2, top, bottom))
