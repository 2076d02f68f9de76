"""Indicators researchers compute from the tables (grant rate, refusal shares
by reason, applicant mix, correction rates …), defined once in
`templates/indicators.json` and computed here for one report's cells.

The blank-versus-zero rule: a blank cell counts as 0 where its row shows that
it is one: the whole row is blank (the form leaves a row blank for none), or
the row's own total holds with the blank taken as 0 (10 | 2 | blank … | 12).
Elsewhere a blank is unknown (a report that leaves its 总计 column blank has
not said the total is 0). An indicator is null when a cell it uses is not in
the report, could not be read or is an unknown blank, or when its denominator
is 0; each result says how many blanks it counted as 0.
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
    reason: str = ""  # "" | "absent" | "unread" | "blank_unknown" (of `cell`) | "zero_denominator"
    cell: str | None = None  # the cell that gave no number


@cache
def indicators() -> tuple[Indicator, ...]:
    data = data_file("indicators.json")
    groups = data["groups"]

    def expand(keys: list[str]) -> tuple[str, ...]:
        return tuple(cell for key in keys for cell in (groups[key] if key.startswith("@") else [key]))

    return tuple(Indicator(i["key"], i["zh"], i["en"], expand(i["numerator"]), expand(i["denominator"]),
                           expand(i.get("denominator_minus", []))) for i in data["indicators"])


@dataclass(frozen=True, slots=True)
class Number:
    """A cell as a number for an indicator or a figure."""

    value: float | None
    reason: str  # "" | "blank_zero" (a blank counted as 0) | "absent" | "unread" | "blank_unknown"


def compute(cells: Mapping[str, Mapping]) -> dict[str, Result]:
    """Every indicator of a report, from its cells keyed table.row.column
    (each {"value", "raw", ...} as in the JSON document)."""
    rows = row_index(cells)
    return {ind.key: _compute(ind, cells, rows) for ind in indicators()}


RowIndex = dict[str, dict[str, Mapping]]


def row_index(cells: Mapping[str, Mapping]) -> RowIndex:
    """The cells grouped by row ("table.row." -> its cells), built once per report."""
    rows: RowIndex = {}
    for key, cell in cells.items():
        rows.setdefault(key[: key.rindex(".") + 1], {})[key] = cell
    return rows


_WHY = {"absent": "is not in the report", "unread": "could not be read",
        "blank_unknown": "is blank in a row that does not show it is 0"}


def cell_number(cells: Mapping[str, Mapping], key: str, rows: RowIndex | None = None) -> Number:
    """The number a cell gives under the blank-versus-zero rule (`rows`: the
    report's row_index, when many cells of one report are asked)."""
    cell = cells.get(key)
    if cell is None:
        return Number(None, "absent")
    if cell["value"] is not None:
        return Number(cell["value"], "")
    if _DIGIT.search(cell.get("raw") or ""):
        return Number(None, "unread")
    return Number(0, "blank_zero") if _blank_is_zero(cells, key, rows) else Number(None, "blank_unknown")


def _blank_is_zero(cells: Mapping[str, Mapping], key: str, rows: RowIndex | None) -> bool:
    table, row, _ = key.split(".", 2)
    prefix = f"{table}.{row}."
    members = (rows.get(prefix, {}) if rows is not None else
               {k: c for k, c in cells.items() if k.startswith(prefix)})
    if all(c["value"] is None and not _DIGIT.search(c.get("raw") or "") for c in members.values()):
        return True  # the whole row is blank
    sums = _row_sums(table)
    return bool(sums) and all(_holds(members, prefix, total, addends) for total, addends in sums)


def _holds(members: Mapping[str, Mapping], prefix: str, total: str, addends: tuple[str, ...]) -> bool:
    """The row's sum holds with its blanks taken as 0 (and every cell of it is there and read)."""
    row_cells = [members.get(prefix + c) for c in (total, *addends)]
    if any(c is None or (c["value"] is None and _DIGIT.search(c.get("raw") or "")) for c in row_cells):
        return False
    values = [c["value"] or 0 for c in row_cells]  # type: ignore[index]
    return abs(values[0] - sum(values[1:])) <= 1e-6


@cache
def _row_sums(table: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(total column, addend columns) of each identity that holds along a row of the table."""
    from .templates import load

    return tuple((i.left[0], tuple(i.right)) for i in load().identities
                 if i.table == table and i.each == "row" and isinstance(i.right, tuple) and len(i.left) == 1)


def _compute(ind: Indicator, cells: Mapping[str, Mapping], rows: RowIndex) -> Result:
    values: dict[str, float] = {}
    blank = 0
    for key in ind.cells:
        number = cell_number(cells, key, rows)
        if number.value is None:
            return Result(None, None, None, 0, f"{key} {_WHY[number.reason]}", number.reason, key)
        blank += number.reason == "blank_zero"
        values[key] = number.value
    numerator = sum(values[k] for k in ind.numerator)
    denominator = sum(values[k] for k in ind.denominator) - sum(values[k] for k in ind.denominator_minus)
    if not denominator:
        return Result(None, numerator, denominator, blank, "its denominator is 0", "zero_denominator")
    return Result(round(100 * numerator / denominator, 1), numerator, denominator, blank, "")


def document_cells(doc: Mapping) -> dict[str, Mapping]:
    """A report document's cells keyed table.row.column."""
    return {f"{table}.{row}.{column}": cell for table, t in doc["tables"].items()
            for row, cols in t["rows"].items() for column, cell in cols.items()}
