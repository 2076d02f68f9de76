"""The matrix: which variants, deterministically from a seed.

Each variant belongs to one family of variation (what it varies on purpose);
fonts and sizes vary in every family, as they do between producers. The
label sets are taken in turn, so every family covers every layout.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

from .cells import CellStyle
from .docxgen import Variant
from .labelsets import LabelSet, label_sets

# Debian's free CJK fonts stand in for 宋体/仿宋/黑体/楷体; the last names are
# those producers' files ask for, absent here: LibreOffice substitutes them.
FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "AR PL UMing CN", "AR PL UKai CN",
         "宋体", "仿宋_GB2312", "黑体", "方正小标宋简体")
BODY_SIZES = (10.5, 12.0, 14.0, 16.0)  # 五号, 小四, 四号, 三号
TABLE_SIZES = (9.0, 10.0, 10.5, 12.0)
# (name, width mm, height mm)
PAGES = (("A4", 210.0, 297.0), ("Letter", 215.9, 279.4), ("B5", 176.0, 250.0), ("16K", 184.0, 260.0),
         ("A5", 148.0, 210.0), ("Legal", 215.9, 355.6))


def _background(rng: random.Random) -> dict:
    return {"body_font": rng.choice(FONTS), "table_font": rng.choice(FONTS), "heading_font": rng.choice(FONTS),
            "body_size": rng.choice(BODY_SIZES), "table_size": rng.choice(TABLE_SIZES[:3])}


def _font(rng: random.Random, i: int) -> dict:
    font = FONTS[i % len(FONTS)]
    return {"body_font": font, "table_font": font, "heading_font": font,
            "body_size": BODY_SIZES[i % len(BODY_SIZES)], "table_size": TABLE_SIZES[(i // 2) % len(TABLE_SIZES)]}


def _page(rng: random.Random, i: int) -> dict:
    _, width, height = PAGES[i % len(PAGES)]
    margins = tuple(round(rng.uniform(10, 38), 1) for _ in range(4))
    return {"page_mm": (width, height), "margins_mm": margins}


def _break_sweep(repeat: bool) -> Callable[[random.Random, int], dict]:
    """Table 三 starts a page, after a blank that grows variant by variant:
    the page ends on each of its rows in turn."""

    def make(rng: random.Random, i: int) -> dict:
        # A4 with 25.4 mm margins leaves 697 pt; the table is 550 to 650 pt
        # tall: blanks of 60 to 610 pt move the page's end over every row.
        return {"t3_new_page": True, "t3_offset_pt": round(60 + (i % BREAK_STEPS) * 11.0, 1),
                "repeat_header": repeat, "cant_split": rng.random() < 0.5,
                "table_size": 10.0, "margins_mm": (25.4, 25.0, 25.4, 25.0)}

    return make


BREAK_STEPS = 50


def _landscape(rng: random.Random, i: int) -> dict:
    _, width, height = PAGES[i % 4]
    return {"landscape": True, "page_mm": (width, height), "margins_mm": (20.0, 25.0, 20.0, 25.0)}


def _cells(**style) -> Callable[[random.Random, int], dict]:
    def make(rng: random.Random, i: int) -> dict:
        return {"cells": CellStyle(**style)}

    return make


def _null_marker(rng: random.Random, i: int) -> dict:
    return {"cells": CellStyle(null_marker=("/", "—", "-", "无")[i % 4])}


def _combined(rng: random.Random, i: int) -> dict:
    """Everything at once, drawn at random: a producer's whole house style."""
    out = {**_page(rng, rng.randrange(len(PAGES))), "landscape": rng.random() < 0.2,
           "borders": rng.choice(("grid", "grid", "frame", "none")), "shading": rng.random() < 0.5,
           "cover": rng.random() < 0.3, "page_numbers": rng.random() < 0.7, "running_header": rng.random() < 0.4,
           "red_head": rng.random() < 0.3, "seal": rng.random() < 0.5, "repeat_header": rng.random() < 0.5,
           "t4_own_page": rng.random() < 0.2,
           "cells": CellStyle(null_marker=rng.choice(("", "", "/", "—")), units=rng.choice((0, 0, 0.5)),
                              notes=rng.choice((0, 0, 0.1)), thousands=rng.random() < 0.5,
                              signed=rng.random() < 0.5)}
    return out


# family -> (number of variants, what it sets, the label sets it applies to)
FAMILIES: dict[str, tuple[int, Callable[[random.Random, int], dict], Callable[[LabelSet], bool]]] = {
    "fonts": (27, _font, lambda s: True),
    "page_size_margins": (24, _page, lambda s: True),
    "t3_break": (BREAK_STEPS, _break_sweep(False), lambda s: True),
    "t3_break_repeated_header": (BREAK_STEPS, _break_sweep(True), lambda s: True),
    "t4_own_page": (12, lambda r, i: {"t4_own_page": True}, lambda s: True),
    "borders_frame": (20, lambda r, i: {"borders": "frame", "shading": i % 2 == 0}, lambda s: True),
    "borders_none": (24, lambda r, i: {"borders": "none", "shading": i % 2 == 0}, lambda s: True),
    "landscape": (12, _landscape, lambda s: True),
    "cover_page": (10, lambda r, i: {"cover": True}, lambda s: True),
    "page_numbers": (10, lambda r, i: {"page_numbers": True}, lambda s: True),
    "running_header": (10, lambda r, i: {"running_header": True}, lambda s: True),
    "red_head": (10, lambda r, i: {"red_head": True}, lambda s: True),
    "seal": (10, lambda r, i: {"seal": True}, lambda s: True),
    "cell_units": (12, _cells(units=0.6), lambda s: True),
    "cell_notes": (12, _cells(notes=0.15), lambda s: True),
    "cell_signed": (6, _cells(signed=True), lambda s: s.layout == "2019"),
    "cell_thousands": (12, _cells(thousands=True),
                       lambda s: any(isinstance(v, int | float) and abs(v) >= 1000 for v in s.cells.values())),
    "null_markers": (12, _null_marker, lambda s: any(v is None for v in s.cells.values())),
    "combined": (30, _combined, lambda s: True),
}


def matrix(seed: int = 11, families: list[str] | None = None) -> list[Variant]:
    """Every variant of the matrix, the same for the same seed."""
    sets = label_sets()
    out: list[Variant] = []
    for f_index, (family, (count, make, applies)) in enumerate(FAMILIES.items()):
        if families and family not in families:
            continue
        rng = random.Random(f"{seed}:{family}")
        eligible = [s for s in sets if applies(s)]
        for i in range(count):
            labels = eligible[(i + 7 * f_index) % len(eligible)]
            fields = {**_background(rng), **make(rng, i)}
            variant = Variant(id=f"{family}-{i:02d}", family=family, label_set=labels.name,
                              seed=rng.randrange(1 << 30))
            out.append(replace(variant, **fields))
    return out
