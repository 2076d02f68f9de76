"""Random tables that satisfy the national identities, and the damage real
pages do to them (synthetic, for property-based tests and the recovery
benchmark)."""

from __future__ import annotations

import random
import re

from hypothesis import strategies as st
from synth import (
    APPLICATION_COLUMNS,
    OUTCOME_ROWS,
    PROACTIVE_COLUMNS,
    REVIEW_BLOCKS,
    REVIEW_COLUMNS,
    STYLES,
    Cells,
)

APPLICANTS = APPLICATION_COLUMNS[:-1]


def random_table(rng: random.Random, blank_share: float = 0.0, big: bool = False) -> Cells:
    """A complete set of cells for the 2021 template whose identities hold.
    With blank_share > 0, some zero cells are printed blank (None), as many
    agencies do; the identities still hold when blank counts as 0."""
    top = 500 if big else 30

    def count() -> int:
        return rng.choice([0, 0, 0, rng.randint(0, top)])

    cells: Cells = {}
    for row, columns in PROACTIVE_COLUMNS.items():
        for column in columns:
            cells[f"proactive.{row}.{column}"] = (round(rng.uniform(0, 9999), 2) if row == "fees"
                                                  else rng.randint(0, 5000))
    per_column: dict[str, dict[str, int]] = {}
    for column in APPLICANTS:
        outcomes = {row: count() for row in OUTCOME_ROWS}
        processed = sum(outcomes.values())
        carried_over = count() if rng.random() < 0.3 else 0
        forward = count() if rng.random() < 0.3 else 0
        new = processed + forward - carried_over
        if new < 0:
            carried_over += new
            new = 0
        per_column[column] = {**outcomes, "new_received": new, "carried_over": carried_over,
                              "total_processed": processed, "carried_forward": forward}
    for row in per_column[APPLICANTS[0]]:
        values = [per_column[c][row] for c in APPLICANTS]
        for column, value in zip(APPLICANTS, values, strict=True):
            cells[f"applications.{row}.{column}"] = value
        cells[f"applications.{row}.total"] = sum(values)
    for block in REVIEW_BLOCKS:
        parts = [count() for _ in REVIEW_COLUMNS[:-1]]
        for column, value in zip(REVIEW_COLUMNS, [*parts, sum(parts)], strict=True):
            cells[f"review_litigation.{block}.{column}"] = value
    if blank_share:
        for key, value in cells.items():
            if value == 0 and not key.startswith("proactive") and rng.random() < blank_share:
                cells[key] = None
    return cells


def with_units(text: str, rng: random.Random) -> str:
    """Some numbers printed with a unit (件)."""
    return re.sub(r"(?m)^(\d+)$", lambda m: m.group(1) + ("件" if rng.random() < 0.3 else ""), text)


def with_padding(text: str, rng: random.Random) -> str:
    """Cells padded with spaces and full-width spaces."""
    return re.sub(r"(?m)^(\d+)$", lambda m: rng.choice(["", " ", "\u3000"]) + m.group(1) + rng.choice(["", "  "]),
                  text)


def truncated(text: str, rng: random.Random) -> str:
    """The text ends somewhere inside table 三."""
    start = text.index("一、本年新收")
    end = text.index("四、结转下年度继续办理")
    return text[: rng.randint(start + 10, end)]


DAMAGE = {
    "none": lambda text, rng: text,
    "units": with_units,
    "padding": with_padding,
    "truncated": truncated,
}


@st.composite
def damaged_reports(draw: st.DrawFn) -> tuple[str, str, Cells, str]:
    """(style, damage, true cells, rendered text)."""
    seed = draw(st.integers(0, 2**32 - 1))
    style = draw(st.sampled_from(sorted(STYLES)))
    damage = draw(st.sampled_from(sorted(DAMAGE)))
    blanks = draw(st.sampled_from([0.0, 0.0, 0.3, 1.0]))
    rng = random.Random(seed)
    cells = random_table(rng, blank_share=blanks, big=draw(st.booleans()))
    text = DAMAGE[damage](STYLES[style](cells), rng)
    return style, damage, cells, text
