"""The warnings that name the table rows read from damaged text (see
`damage`): one per kind of damage and table."""

from __future__ import annotations

from ..templates import Templates
from .damage import (
    ACROSS_BORDER,
    MARKUP,
    NUMBER_BROKEN,
    OCR_UNSURE,
    OVERPRINTED,
    PAGE_UNREAD,
    SHORT,
    UNDECODABLE,
    Damage,
)
from .result import ReportWarning, TableResult
from .units import Unit


def damage_warnings(tables: dict[str, TableResult], units: list[Unit],
                    templates: Templates) -> list[ReportWarning]:
    """One warning per kind of damage and table, naming the rows read from
    damaged text (table 四, one printed row, by all its blocks)."""
    out: list[ReportWarning] = []
    for name, result in tables.items():
        if name == "review_litigation":
            layout = templates.layout(name, "2021")
            marked = [u for u in units if u.table == name and u.damage]
            width = sum(len(spec.columns) for spec in layout.rows)
            printed = sum(len(u.tokens) for u in units if u.table == name)
            rows = [spec.key for spec in layout.rows] if result.rows else []
            found = [(rows, u.damage, printed < width) for u in marked]
        else:
            if result.layout is None:
                continue
            layout = templates.layout(name, result.layout)
            found = [([key], unit.damage, len(unit.tokens) < len(layout.row(key).columns))
                     for key, unit in result.sources.items() if unit.damage and key in result.rows]
        out += _warnings(name, found)
    return out


def _warnings(table: str, found: list[tuple[list[str], Damage, bool]]) -> list[ReportWarning]:
    by_code: dict[str, tuple[list[str], list[str]]] = {}
    for rows, damage, short in found:
        for code, seen in damage.items():
            if code == SHORT and not short:
                continue  # every cell of the row is still printed
            keys, evidence = by_code.setdefault(code, ([], []))
            keys += [r for r in rows if r not in keys]
            if seen not in evidence:
                evidence.append(seen)
    out = []
    for code in sorted(by_code):
        keys, evidence = by_code[code]
        if not keys:
            continue
        rows = ", ".join(keys)
        quoted = (UNDECODABLE, MARKUP, NUMBER_BROKEN, ACROSS_BORDER, OVERPRINTED)
        seen = "; ".join(f"'{e}'" if code in quoted else e for e in evidence[:3])
        out.append(ReportWarning(code, f"{table} ({rows}): {_WHY[code]} ({seen}); {_RISK[code]}",
                                 f"{table}.{keys[0]}" if len(keys) == 1 else table))
    return out


_WHY = {
    UNDECODABLE: "read from text holding characters that could not be decoded",
    MARKUP: "a cell holds HTML markup as text, where a cell boundary was damaged",
    PAGE_UNREAD: "read from a page on which some text could not be read",
    SHORT: "the row is printed with fewer cells than the table has columns",
    OCR_UNSURE: "read by OCR from a scan, and the reading of a cell is not sure",
    NUMBER_BROKEN: "digits that read as no number stand between the row's label and its values",
    ACROSS_BORDER: "a cell's text runs on across the cell's border in the PDF (it overflowed the cell)",
    OVERPRINTED: "a digit of a cell is printed over other text in the PDF",
}
_RISK = {
    UNDECODABLE: "a value there may be lost or wrong",
    MARKUP: "its values may be merged, shifted or lost",
    PAGE_UNREAD: "a value there may be blank or shifted",
    SHORT: "the place of each value in the row is uncertain",
    OCR_UNSURE: "check the value against the scan",
    NUMBER_BROKEN: "a number may be broken (18651. 06) and a value read from a piece of it",
    ACROSS_BORDER: "a number may be cut in two, a piece of it read into the next cell",
    OVERPRINTED: "the characters cannot be told apart in order: a number may be misread",
}
