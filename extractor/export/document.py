"""The report document: the JSON shape of docs/output.md."""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from ..checks import Check
from ..metadata import Metadata
from ..model import Document
from ..sections import Section
from ..tables.damage import CELL_DAMAGE
from ..tables.result import ReportWarning, TableResult
from ..tables.values import parse_cell
from ..templates import TABLES
from .provenance import Locator, table_sources

SCHEMA_VERSION = "1"


def report_template(tables: dict[str, TableResult]) -> str:
    """"2021", "2019", "hybrid" (2021 table 二 with a 2019 table 三) or
    "freeform" when the report has none of the national tables."""
    layouts = {t.layout for name, t in tables.items() if name != "review_litigation" and t.layout}
    if not layouts:
        return "2021" if tables["review_litigation"].rows else "freeform"
    if len(layouts) == 1:
        return layouts.pop()
    return "hybrid"


def _cell(cell, raw_if_unresolved: str) -> dict:
    if cell is None:
        return {"value": None, "raw": raw_if_unresolved, "inferred": False}
    value = cell.value
    if isinstance(value, float) and value.is_integer() and "." not in cell.raw:
        value = int(value)
    out = {"value": value, "raw": cell.raw, "inferred": cell.inferred}
    if cell.ocr is not None:
        out["ocr"] = True
        out["confidence"] = cell.ocr.confidence
        if cell.ocr.doubt:
            out["ocr_doubt"] = cell.ocr.doubt
    return out


def table_dict(table: TableResult, locator: Locator | None = None) -> dict:
    unresolved = table.unresolved_raw
    rows = {row: {col: _cell(cell, unresolved.get((row, col), "")) for col, cell in cols.items()}
            for row, cols in table.rows.items()}
    if locator is not None:
        for (row, col), source in table_sources(locator, table).items():
            rows[row][col]["source"] = source
    out = {"status": table.status, "rows": rows, "layout": table.layout, "pages": table.pages,
           "extra_rows": [{"label": label, "cells": [{"value": parse_cell(t).value, "raw": t} for t in texts]}
                          for label, texts in table.extra_rows]}
    if table.table == "review_litigation" and table.rows and out["layout"] is None:
        out["layout"] = "2021"
    return out


def build_document(*, path: Path, sha256: str, fmt: str, meta: Metadata, sections: list[Section],
                   tables: dict[str, TableResult], checks: list[Check],
                   warnings: list[ReportWarning], template: str | None, doc: Document | None = None) -> dict:
    complete = all(tables[t].status == "complete" for t in TABLES)
    unresolved = any(tables[t].unresolved for t in TABLES)
    blank = any(w.code == "blank_form" for w in warnings)
    # A cell read from damaged text (undecodable, markup, an unread page, a
    # short row) cannot be vouched for, even where the identities hold.
    damaged = any(w.code in CELL_DAMAGE for w in warnings)
    valid = complete and not unresolved and not blank and not damaged and all(c.ok for c in checks)
    locator = Locator(doc) if doc is not None else None
    return {
        "schema_version": SCHEMA_VERSION,
        "source": {"path": str(path), "sha256": sha256, "format": fmt},
        "report": {
            "title": meta.title,
            "agency": meta.agency,
            "year": meta.year,
            "published": meta.published,
            "template": template,
            "metadata_sources": dict(meta.sources),
        },
        "sections": [s.as_dict() for s in sections],
        "tables": {t: table_dict(tables[t], locator) for t in TABLES},
        "fees": {"information_processing_fee_yuan": meta.fee_yuan, "raw": meta.fee_raw},
        "checks": [c.as_dict() for c in checks],
        "warnings": [w.as_dict() for w in warnings],
        "valid": valid,
        "extractor": {"version": __version__},
    }
