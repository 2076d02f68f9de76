"""What the table rebuilder hands to the checks and the export."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .solve import CellOut

if TYPE_CHECKING:
    from .units import Token, Unit


@dataclass(frozen=True, slots=True)
class ReportWarning:
    code: str
    message: str
    where: str | None = None

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "where": self.where}


@dataclass(slots=True)
class TableResult:
    table: str
    layout: str | None  # "2021" | "2019" | None when the table was not found
    status: str  # "complete" | "partial" | "missing"
    # row -> column -> cell; a cell is None where its value could not be
    # determined (ambiguous or unreadable); rows never read are absent.
    rows: dict[str, dict[str, CellOut | None]] = field(default_factory=dict)
    # raw text kept for cells that could not be determined
    unresolved_raw: dict[tuple[str, str], str] = field(default_factory=dict)
    pages: list[int] = field(default_factory=list)
    # rows the agency added (label, cell texts): read, but in no template
    extra_rows: list[tuple[str, list[str]]] = field(default_factory=list)
    # row -> the unit its cells were read from (tables 二 and 三)
    sources: dict[str, Unit] = field(default_factory=dict)
    # table 四: every token its one row was read from
    tokens: list[Token] = field(default_factory=list)

    @property
    def unresolved(self) -> list[tuple[str, str]]:
        return [(r, c) for r, cols in self.rows.items() for c, cell in cols.items() if cell is None]
