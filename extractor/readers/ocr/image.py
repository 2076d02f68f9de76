"""A scanned page as pixels: rendered, its ink found, straightened.

The page is rendered at 200 dpi, or at the resolution of its scan when that
is higher, but never into more than MAX_PIXELS pixels: a page too large for
that (a poster, a page of 200 by 200 inches) is rendered at the resolution
that fits, and the page says so (`PageImage.lowered`), so that the memory
one page takes is bounded whatever its size. Ink is read from the red channel, the seal's own ink made paper:
a red seal stamped over a table or a signature disappears, while black print
under it stays dark.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium

from .scope import scan_resolution

DPI = 200
# A scan finer than this is still rendered at it: more pixels read no better.
MAX_DPI = 300
# The most pixels a page is rendered into (an A4 page at 200 dpi is 3.9
# million; at this cap the arrays of a page take some 0.9 GB at their peak).
MAX_PIXELS = 40_000_000
# How much a pixel is lightened by its redness (red minus green), in 16ths:
# enough to make a seal's ink paper.
_REDDISH = 5
# The skew searched for, in degrees either way; a smaller one is not corrected.
MAX_SKEW = 4.0
_FINE = 0.01
# A page fewer pixels across than this is not straightened (nothing on it is read).
_LEAST_SKEWED = 16
_ROWS = 512


@dataclass(slots=True)
class PageImage:
    rgb: np.ndarray  # the page, straightened
    grey: np.ndarray  # the page as grey, without a red seal (`seal_free`)
    ink: np.ndarray  # 255 where `grey` has ink, 0 elsewhere
    # Ink of the red channel alone, for the ruling lines: the seal is light
    # there, and a line under it is not broken where JPEG bled the seal's
    # colour into it.
    line_ink: np.ndarray
    dpi: float
    skew: float  # the rotation that straightened the scan (degrees, anticlockwise positive)
    # Quarter turns anticlockwise (np.rot90's k) that stood a page scanned sideways upright.
    turn: int = 0
    # The resolution the page would have been read at, when MAX_PIXELS made it lower.
    lowered: float | None = None

    @property
    def scale(self) -> float:
        """Pixels per point."""
        return self.dpi / 72


def render(page: pdfium.PdfPage) -> tuple[np.ndarray, float, float | None]:
    """The page as RGB pixels, the resolution it was rendered at, and the
    one it was meant for if MAX_PIXELS made it lower (else None)."""
    found = scan_resolution(page) or 0
    wanted = min(round(found), MAX_DPI) if found > 1.05 * DPI else DPI
    dpi, lowered = fitting(page.get_size(), wanted)
    try:
        bitmap = page.render(scale=dpi / 72, rev_byteorder=True, may_draw_forms=True)
        pixels = bitmap.to_numpy()
        rgb = np.ascontiguousarray(pixels[:, :, :3])
    except (pdfium.PdfiumError, MemoryError) as exc:
        reason = "out of memory" if isinstance(exc, MemoryError) else why(exc)
        raise UnreadablePage(f"pdfium could not render it ({reason})") from exc
    if rgb.size == 0:
        raise UnreadablePage("pdfium rendered it as no pixels")
    return rgb, dpi, lowered


def lowered(number: int, size: tuple[float, float], dpi: float, wanted: float) -> str:
    """The warning of a page read at `dpi` rather than `wanted` (MAX_PIXELS)."""
    width, height = (abs(v) / 72 for v in size)
    pixels = width * height * wanted**2
    return (f"page {number} is {width:.4g} by {height:.4g} inches: read by OCR at {dpi:g} dpi, not {wanted:g} (that "
            f"would be {pixels / 1e6:,.0f} million pixels, more than the {MAX_PIXELS / 1e6:g} million a page is "
            "rendered into); small print may not be read")


class UnreadablePage(Exception):
    """A scanned page that cannot be read by OCR: pdfium does not render it,
    or its image cannot be processed. The page is left out, with a warning."""


def why(exc: BaseException) -> str:
    """An exception in a few words: its message's last line (OpenCV's own
    messages run to several), or its type."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else type(exc).__name__


def fitting(size: tuple[float, float], dpi: float) -> tuple[float, float | None]:
    """The resolution at which a page of `size` (points) fits in MAX_PIXELS:
    `dpi` if it does (and None), else the highest that does (two significant
    figures below it) and `dpi`."""
    width, height = (max(abs(v), 1.0) / 72 for v in size)
    if width * dpi * height * dpi <= MAX_PIXELS:
        return dpi, None
    most = math.sqrt(MAX_PIXELS / (width * height))
    digits = 1 - math.floor(math.log10(most))
    return math.floor(most * 10**digits) / 10**digits, dpi


def seal_free(rgb: np.ndarray) -> np.ndarray:
    """The page as grey with no red seal: the red channel (red ink is nearly
    as light as paper there), lightened where a pixel is redder than grey,
    by its redness (the seal's own ink becomes paper). Black print under a
    seal stays black: it is no redder than grey."""
    out = np.empty(rgb.shape[:2], np.uint8)
    # A band of rows at a time: the arrays of wider integers stay small
    # whatever the page's size.
    for top in range(0, rgb.shape[0], _ROWS):
        band = rgb[top:top + _ROWS]
        red = band[:, :, 0].astype(np.int16)
        redness = np.clip(red - band[:, :, 1], 0, None)
        out[top:top + _ROWS] = np.clip(red + (redness * _REDDISH) // 16, 0, 255)
    return out


def ink_mask(grey: np.ndarray, dpi: float) -> np.ndarray:
    """Ink as 255: pixels clearly darker than the paper around them (grey or
    uneven paper and shading are not ink)."""
    block = max(int(dpi / 4) | 1, 3)
    # Darker than the local mean by a margin well above scanner noise.
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 40)


def skew_angle(ink: np.ndarray) -> float:
    """The rotation (degrees, anticlockwise positive) that straightens the
    page: the one that makes the horizontal projection of the ink sharpest
    (lines of text and rulings then fall on few rows)."""
    if min(ink.shape) < _LEAST_SKEWED:
        return 0.0
    small = cv2.resize(ink, (ink.shape[1] // 4, ink.shape[0] // 4), interpolation=cv2.INTER_AREA)
    if not small.any():
        return 0.0

    def sharpness(angle: float, image: np.ndarray) -> float:
        h, w = image.shape
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        turned = cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR)
        rows = turned.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.25), key=lambda a: sharpness(a, small))
    half = cv2.resize(ink, (ink.shape[1] // 2, ink.shape[0] // 2), interpolation=cv2.INTER_AREA)
    for step in (0.05, 0.01):
        best = max(best + step * np.arange(-5, 6), key=lambda a: sharpness(a, half))
    return round(float(best), 2)


def straighten(rgb: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < _FINE / 2:
        return rgb
    h, w = rgb.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    paper = [int(v) for v in np.median(rgb[: max(h // 50, 1), :, :].reshape(-1, 3), axis=0)]
    return cv2.warpAffine(rgb, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=paper)


def page_image(page: pdfium.PdfPage, upright: Callable[[np.ndarray, float], int] | None = None) -> PageImage:
    """The page rendered, stood upright (`upright`: the quarter turns the
    rendered page needs, np.rot90's k) and straightened."""
    rgb, dpi, lowered = render(page)
    turn = upright(rgb, dpi) % 4 if upright else 0
    if turn:
        rgb = np.ascontiguousarray(np.rot90(rgb, turn))
    angle = skew_angle(ink_mask(np.ascontiguousarray(rgb[:, :, 0]), dpi))
    if angle:
        rgb = straighten(rgb, angle)
    grey = seal_free(rgb)
    line_ink = ink_mask(np.ascontiguousarray(rgb[:, :, 0]), dpi)
    return PageImage(rgb=rgb, grey=grey, ink=ink_mask(grey, dpi), line_ink=line_ink, dpi=dpi, skew=angle,
                     lowered=lowered, turn=turn)


def crop(image: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    h, w = image.shape[:2]
    return image[max(y0, 0):min(y1, h), max(x0, 0):min(x1, w)]

