"""The report's identities (docs/keys.md), evaluated on the numbers as printed.

A check is never a repair: it says whether the identity holds and, when it
does not, what the sum should have been. A blank cell counts as 0 and the
message says so; an identity that involves a cell the rebuilder could not
determine is not evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass

from .tables.result import TableResult
from .tables.values import number_text
from .templates import Identity, Templates


@dataclass(frozen=True, slots=True)
class Check:
    id: str
    ok: bool
    message: str
    cells: tuple[str, ...] = ()  # the cells it adds up (table.row.column), left side first

    def as_dict(self) -> dict:
        return {"id": self.id, "ok": self.ok, "message": self.message, "cells": list(self.cells)}


def run_checks(tables: dict[str, TableResult], templates: Templates) -> list[Check]:
    checks: list[Check] = []
    for identity in templates.identities:
        table = tables.get(identity.table)
        if table is None or not table.rows:
            continue
        if identity.each == "column":
            checks.extend(_column_checks(identity, table, templates))
        else:
            checks.extend(_row_checks(identity, table))
    return checks


def _evaluate(identity: Identity, check_id: str, left: list[tuple[str, object]],
              right: list[tuple[str, object]]) -> Check | None:
    """left/right: (cell name, CellOut or None for undetermined). None when a
    cell is undetermined or absent."""
    both = left + right
    for _, cell in both:
        if cell is None:
            return None
    blanks = [name for name, cell in both if cell.value is None]  # type: ignore[union-attr]
    lsum = sum([cell.as_number for _, cell in left])  # type: ignore[union-attr]
    rsum = sum([cell.as_number for _, cell in right])  # type: ignore[union-attr]
    ok = abs(lsum - rsum) < 1e-6

    def side(items: list[tuple[str, object]]) -> str:
        names = " + ".join(name for name, _ in items)
        values = " + ".join(number_text(cell.as_number) for _, cell in items)  # type: ignore[union-attr]
        return f"{names} = {values}"

    if ok:
        message = f"{identity.describe}: {number_text(lsum)} = {number_text(rsum)}"
    else:
        message = (f"{identity.describe} fails: {side(left)} = {number_text(lsum)}, "
                   f"but {side(right)} = {number_text(rsum)} "
                   f"(expected {number_text(lsum)}, a difference of {number_text(rsum - lsum)})")
    if blanks:
        message += f"; blank cells counted as 0: {', '.join(blanks)}"
    return Check(check_id, ok, message, tuple([name for name, _ in both]))


def _column_checks(identity: Identity, table: TableResult, templates: Templates) -> list[Check]:
    out: list[Check] = []
    if table.layout is None:
        return out
    first = next(iter(table.rows.values()))
    layout = templates.layout(table.table, table.layout)
    right_rows = ([r.key for r in layout.rows if r.outcome] if identity.right == "@outcome"
                  else list(identity.right))
    if not all(r in table.rows for r in (*identity.left, *right_rows)):
        return out
    for column in first:
        left = [(f"{table.table}.{r}.{column}", table.rows[r].get(column)) for r in identity.left]
        right = [(f"{table.table}.{r}.{column}", table.rows[r].get(column)) for r in right_rows]
        check = _evaluate(identity, f"{table.table}.{identity.id}.{column}", left, right)
        if check:
            out.append(check)
    return out


def _row_checks(identity: Identity, table: TableResult) -> list[Check]:
    out = []
    assert isinstance(identity.right, tuple)
    for row, cells in table.rows.items():
        if not all(c in cells for c in (*identity.left, *identity.right)):
            continue
        left = [(f"{table.table}.{row}.{c}", cells[c]) for c in identity.left]
        right = [(f"{table.table}.{row}.{c}", cells[c]) for c in identity.right]
        check = _evaluate(identity, f"{table.table}.{identity.id}.{row}", left, right)
        if check:
            out.append(check)
    return out

