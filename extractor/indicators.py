"""Indicators researchers compute from the tables (grant rate, refusal shares
by reason, applicant mix, correction rates …), defined once in
`templates/indicators.json` and computed here for one report's cells.

The blank-versus-zero rule: a blank cell counts as 0, as in the report's own
identities (the national form leaves a cell blank for none), and each result
says how many of its cells were blank. An indicator is null when a cell it
uses is not in the report or could not be read, or when its denominator is 0.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from .templates import data_file

_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Indicator:
    key: str
    zh: str
    en: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    denominator_minus: tuple[str, ...] = ()

    @property
    def cells(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.numerator, *self.denominator, *self.denominator_minus)))

    def definition(self) -> str:
        den = " + ".join(self.denominator) + "".join(f" − {c}" for c in self.denominator_minus)
        return f"100 × ({' + '.join(self.numerator)}) ÷ ({den})"


@dataclass(frozen=True, slots=True)
class Result:
    value: float | None  # a percentage, rounded to 0.1
    numerator: float | None
    denominator: float | None
    blank_cells: int  # cells it used that were blank (counted as 0)
    note: str  # why there is no value, or ""


@cache
def indicators() -> tuple[Indicator, ...]:
    data = data_file("indicators.json")
    groups = data["groups"]

    def expand(keys: list[str]) -> tuple[str, ...]:
        return tuple(cell for key in keys for cell in (groups[key] if key.startswith("@") else [key]))

    return tuple(Indicator(i["key"], i["zh"], i["en"], expand(i["numerator"]), expand(i["denominator"]),
                           expand(i.get("denominator_minus", []))) for i in data["indicators"])


def compute(cells: Mapping[str, Mapping]) -> dict[str, Result]:
    """Every indicator of a report, from its cells keyed table.row.column
    (each {"value", "raw", ...} as in the JSON document)."""
    return {ind.key: _compute(ind, cells) for ind in indicators()}


def _compute(ind: Indicator, cells: Mapping[str, Mapping]) -> Result:
    values: dict[str, float] = {}
    blank = 0
    for key in ind.cells:
        cell = cells.get(key)
        if cell is None:
            return Result(None, None, None, 0, f"{key} is not in the report")
        if cell["value"] is None:
            if _DIGIT.search(cell.get("raw") or ""):
                return Result(None, None, None, 0, f"{key} could not be read ({cell['raw']})")
            blank += 1
        values[key] = cell["value"] or 0
    numerator = sum(values[k] for k in ind.numerator)
    denominator = sum(values[k] for k in ind.denominator) - sum(values[k] for k in ind.denominator_minus)
    if not denominator:
        return Result(None, numerator, denominator, blank, "its denominator is 0")
    return Result(round(100 * numerator / denominator, 1), numerator, denominator, blank, "")


def document_cells(doc: Mapping) -> dict[str, Mapping]:
    """A report document's cells keyed table.row.column."""
    return {f"{table}.{row}.{column}": cell for table, t in doc["tables"].items()
            for row, cols in t["rows"].items() for column, cell in cols.items()}
