"""A scanned page as pixels: rendered, its ink found, straightened.

The page is rendered at 200 dpi, or at the resolution of its scan when that
is higher. Ink is read from the red channel, the seal's own ink made paper:
a red seal stamped over a table or a signature disappears, while black print
under it stays dark.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium

from .scope import scan_resolution

DPI = 200
# A scan finer than this is still rendered at it: more pixels read no better.
MAX_DPI = 300
# How much a pixel is lightened by its redness (red minus green), in 16ths:
# enough to make a seal's ink paper.
_REDDISH = 5
# The skew searched for, in degrees either way; a smaller one is not corrected.
MAX_SKEW = 4.0
_FINE = 0.01


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

    @property
    def scale(self) -> float:
        """Pixels per point."""
        return self.dpi / 72


def render(page: pdfium.PdfPage) -> tuple[np.ndarray, float]:
    """The page as RGB pixels, and the resolution it was rendered at."""
    found = scan_resolution(page) or 0
    dpi = min(round(found), MAX_DPI) if found > 1.05 * DPI else DPI
    bitmap = page.render(scale=dpi / 72, rev_byteorder=True, may_draw_forms=True)
    pixels = bitmap.to_numpy()
    return np.ascontiguousarray(pixels[:, :, :3]), dpi


def seal_free(rgb: np.ndarray) -> np.ndarray:
    """The page as grey with no red seal: the red channel (red ink is nearly
    as light as paper there), lightened where a pixel is redder than grey,
    by its redness (the seal's own ink becomes paper). Black print under a
    seal stays black: it is no redder than grey."""
    red = rgb[:, :, 0].astype(np.int16)
    redness = np.clip(red - rgb[:, :, 1], 0, None)
    return np.clip(red + (redness * _REDDISH) // 16, 0, 255).astype(np.uint8)


def ink_mask(grey: np.ndarray, dpi: float) -> np.ndarray:
    """Ink as 255: pixels clearly darker than the paper around them (grey or
    uneven paper and shading are not ink)."""
    block = int(dpi / 4) | 1
    # Darker than the local mean by a margin well above scanner noise.
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 40)


def skew_angle(ink: np.ndarray) -> float:
    """The rotation (degrees, anticlockwise positive) that straightens the
    page: the one that makes the horizontal projection of the ink sharpest
    (lines of text and rulings then fall on few rows)."""
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


def page_image(page: pdfium.PdfPage) -> PageImage:
    rgb, dpi = render(page)
    angle = skew_angle(ink_mask(np.ascontiguousarray(rgb[:, :, 0]), dpi))
    if angle:
        rgb = straighten(rgb, angle)
    grey = seal_free(rgb)
    line_ink = ink_mask(np.ascontiguousarray(rgb[:, :, 0]), dpi)
    return PageImage(rgb=rgb, grey=grey, ink=ink_mask(grey, dpi), line_ink=line_ink, dpi=dpi, skew=angle)


def crop(image: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    h, w = image.shape[:2]
    return image[max(y0, 0):min(y1, h), max(x0, 0):min(x1, w)]

