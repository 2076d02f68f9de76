"""The report's identities (docs/keys.md), evaluated on the numbers as printed.

A check is never a repair: it says whether the identity holds and, when it
does not, what the sum should have been. A blank cell counts as 0 and the
message says so; an identity that involves a cell the rebuilder could not
determine is not evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .tables.result import TableResult
from .tables.solve import CellOut
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


def _evaluate(identity: Identity, check_id: str, names: tuple[str, ...], left: list[CellOut | None],
              right: list[CellOut | None]) -> Check | None:
    """names: of the cells of left, then right (table.row.column); left/right:
    their CellOut, None for undetermined. None when a cell is undetermined or absent."""
    for cell in left:
        if cell is None:
            return None
    for cell in right:
        if cell is None:
            return None
    lvalues = [cell.value for cell in left]  # type: ignore[union-attr]
    rvalues = [cell.value for cell in right]  # type: ignore[union-attr]
    # (CellOut.as_number, inline: thousands of cells per report)
    lnums = [0 if v is None else v for v in lvalues]
    rnums = [0 if v is None else v for v in rvalues]
    lsum, rsum = sum(lnums), sum(rnums)
    ok = abs(lsum - rsum) < 1e-6

    if ok:
        message = f"{identity.describe}: {number_text(lsum)} = {number_text(rsum)}"
    else:
        k = len(left)

        def side(side_names: tuple[str, ...], nums: list) -> str:
            return f"{' + '.join(side_names)} = {' + '.join(number_text(n) for n in nums)}"

        message = (f"{identity.describe} fails: {side(names[:k], lnums)} = {number_text(lsum)}, "
                   f"but {side(names[k:], rnums)} = {number_text(rsum)} "
                   f"(expected {number_text(lsum)}, a difference of {number_text(rsum - lsum)})")
    if None in lvalues or None in rvalues:
        blanks = [name for name, v in zip(names, [*lvalues, *rvalues], strict=True) if v is None]
        message += f"; blank cells counted as 0: {', '.join(blanks)}"
    return Check(check_id, ok, message, names)


@lru_cache(maxsize=4096)
def _names(table: str, rows: tuple[str, ...], columns: tuple[str, ...]) -> tuple[str, ...]:
    """table.row.column of the cells an identity adds up, rows along columns
    (the same for every report: made once)."""
    return tuple([f"{table}.{r}.{c}" for r in rows for c in columns])


def _column_checks(identity: Identity, table: TableResult, templates: Templates) -> list[Check]:
    out: list[Check] = []
    if table.layout is None:
        return out
    first = next(iter(table.rows.values()))
    layout = templates.layout(table.table, table.layout)
    right_rows = (tuple(r.key for r in layout.rows if r.outcome) if identity.right == "@outcome"
                  else tuple(identity.right))
    rows = table.rows
    if not all(r in rows for r in (*identity.left, *right_rows)):
        return out
    for column in first:
        left = [rows[r].get(column) for r in identity.left]
        right = [rows[r].get(column) for r in right_rows]
        names = _names(table.table, (*identity.left, *right_rows), (column,))
        check = _evaluate(identity, f"{table.table}.{identity.id}.{column}", names, left, right)
        if check:
            out.append(check)
    return out


def _row_checks(identity: Identity, table: TableResult) -> list[Check]:
    out = []
    assert isinstance(identity.right, tuple)
    columns = (*identity.left, *identity.right)
    for row, cells in table.rows.items():
        if not all(c in cells for c in columns):
            continue
        left = [cells[c] for c in identity.left]
        right = [cells[c] for c in identity.right]
        check = _evaluate(identity, f"{table.table}.{identity.id}.{row}", _names(table.table, (row,), columns),
                          left, right)
        if check:
            out.append(check)
    return out
