"""The matrix sample committed to tests/fixtures/matrix/samples: a few
variants of each failure kind found and of each layout, as LibreOffice made
them (so that the tests need neither LibreOffice nor the fonts)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .labelsets import FIXTURES, by_name

SAMPLES = FIXTURES / "matrix" / "samples"
# variant id -> formats committed (why it is in the sample)
SAMPLE_IDS = {
    "red_head-07": ("pdf",),  # 2019 layout; a row label cut by the page break (禁止公 / 开)
    "cell_notes-04": ("pdf",),  # a number cut by the page break (15 / 4（…）)
    "cell_notes-00": ("pdf", "docx"),  # a note cut by the page break; notes in cells
    "cell_notes-08": ("pdf",),  # several notes cut by the page break in one row (table 四's)
    "fonts-23": ("pdf",),  # a long label's last line alone on the next page
    "page_numbers-02": ("pdf",),  # 2019 layout, - N - page numbers, a label cut by the break
    "t3_break_repeated_header-20": ("pdf",),  # table 三 over two pages under a repeated header
    "t3_break_repeated_header-05": ("pdf",),  # table 二 broken after 规章, the next row printed blank
    "combined-02": ("pdf", "docx", "doc"),  # hybrid layout, a producer's whole house style
    "seal-00": ("pdf", "doc"),  # a seal image over the signature
    "borders_none-04": ("pdf",),  # 2019 layout printed with no ruling lines, blank rows ending a page
    "borders_none-00": ("pdf",),  # no ruling lines: the grid rebuilt from text positions
    "borders_frame-01": ("pdf",),  # an outer frame only
    "borders_none-15": ("pdf",),  # no ruling lines, numbers wrapped in narrow cells (300 / 1), table 四's too
    "borders_frame-02": ("pdf",),  # an outer frame only, table 三 over a page break, rows filling two columns
    "cell_signed-00": ("docx", "doc"),  # signed 2019 本年增/减 cells
    "combined-19": ("pdf",),  # an outer frame only: (六)其他处理 wrapped between the row labels' lines
}


def truth_path(variant: str) -> Path:
    return SAMPLES / f"{variant}.matrix.json"


def copy_samples(work: Path, variants: dict) -> None:
    """Copy the sample's files from a matrix run's work folder, with their
    truth (the label set's values) beside them."""
    SAMPLES.mkdir(parents=True, exist_ok=True)
    for ident, formats in SAMPLE_IDS.items():
        variant = variants[ident]
        for fmt in formats:
            shutil.copyfile(work / fmt / f"{ident}.{fmt}", SAMPLES / f"{ident}.{fmt}")
        labels = by_name(variant.label_set)
        truth = {"synthetic": True, "variant": ident, "family": variant.family, "label_set": labels.name,
                 "layout": labels.layout, "files": [f"{ident}.{fmt}" for fmt in formats], "cells": labels.cells}
        truth_path(ident).write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
