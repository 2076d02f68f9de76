"""How a labelled value is printed in a cell: the text variants producers
use. Every variant prints text the extractor must read back as the label
(the number; null for a blank, "/", "—", "-" or "无" cell)."""

from __future__ import annotations

import random
from dataclasses import dataclass

# What a null cell prints.
NULL_MARKERS = ("", "/", "—", "-", "无")
# Notes real cells carry after their number (full-width brackets, digits inside).
NOTES = ("（含转办{k}件）", "（其中修订{k}件）", "（含自然失效{k}件）", "（注{k}）", "（另有{k}件延期）")
# Units per column kind.
COUNT_UNIT = "件"


@dataclass(frozen=True, slots=True)
class CellStyle:
    """The text variant of a document's cells. units/notes/thousands/signed
    each apply to a seeded share of the cells they can apply to."""

    null_marker: str = ""
    units: float = 0.0  # share of count cells printed "5件", money "3.2万元"/"251000元"
    notes: float = 0.0  # share of numeric cells followed by a note in brackets
    thousands: bool = False  # numbers of 1,000 and more with separators
    signed: bool = False  # the 2019 本年增/减 column with explicit signs (+3, -2, 减少2)


def number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _grouped(value: int | float) -> str:
    text = number(value)
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = f"{int(whole):,}"
    return sign + groups + ("." + frac if frac else "")


def cell_text(key: str, value: int | float | None, style: CellStyle, rng: random.Random) -> str:
    """The printed text of one cell (key is table.row.column)."""
    if value is None:
        return style.null_marker
    column = key.rsplit(".", 1)[-1]
    text = _grouped(value) if style.thousands and abs(value) >= 1000 else number(value)
    if column == "change" and style.signed:
        if value > 0:
            text = "+" + text
        elif value < 0:
            text = rng.choice(["-" + text.lstrip("-"), "减少" + text.lstrip("-"), "－" + text.lstrip("-")])
    if style.units and rng.random() < style.units:
        if column == "amount_10k_yuan":
            text += "万元"
        elif column == "amount":  # 2019 procurement, labelled in yuan
            text = _ten_thousands(value) or text + "元"
        elif column != "change":
            text += COUNT_UNIT
    if style.notes and rng.random() < style.notes:
        text += rng.choice(NOTES).format(k=rng.randint(1, 9))
    return text


def _ten_thousands(value: int | float) -> str | None:
    """251000 yuan as "25.1万元", where that is exact."""
    if value and (value * 100) % 100 == 0 and value % 100 == 0:
        return number(round(value / 10000, 2)) + "万元"
    return None
