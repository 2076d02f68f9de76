"""The CSV forms of a report document: long (one row per cell) and wide
(one row per report, one column per cell)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import cache

from ..tables.values import number_text
from ..templates import TABLES, load

LONG_HEADER = ["source", "agency", "year", "template", "table", "row", "column", "value", "raw", "inferred"]
WIDE_IDENTITY = ["source", "agency", "year", "published", "template", "valid", "fee_yuan",
                 "checks_failed", "warnings"]


def format_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(value)
    return str(value)


def long_rows(doc: dict) -> Iterable[list[str]]:
    report = doc["report"]
    head = [doc["source"]["path"], report["agency"] or "", format_value(report["year"]), report["template"] or ""]
    for table in TABLES:
        for row, cols in doc["tables"][table]["rows"].items():
            for column, cell in cols.items():
                yield [*head, table, row, column, format_value(cell["value"]), cell["raw"],
                       format_value(cell["inferred"])]


@cache
def wide_columns() -> list[str]:
    """Every cell of both templates, 2021 first: the same columns for every
    report, so that reports of both templates fit in one sheet."""
    templates = load()
    seen: dict[str, None] = {}
    for name in ("2021", "2019"):
        for table in TABLES:
            for row in templates.layout(table, name).rows:
                for column in row.columns:
                    seen[f"{table}.{row.key}.{column}"] = None
    return list(seen)


def wide_row(doc: dict) -> list[str]:
    report = doc["report"]
    cells = {
        f"{table}.{row}.{column}": cell["value"]
        for table in TABLES
        for row, cols in doc["tables"][table]["rows"].items()
        for column, cell in cols.items()
    }
    failed = sum(1 for c in doc["checks"] if not c["ok"])
    identity = [doc["source"]["path"], report["agency"] or "", format_value(report["year"]),
                report["published"] or "", report["template"] or "", format_value(doc["valid"]),
                format_value(doc["fees"]["information_processing_fee_yuan"]), str(failed),
                str(len(doc["warnings"]))]
    return identity + [format_value(cells.get(c)) for c in wide_columns()]


def to_csv(rows: Iterable[list[str]], header: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def long_csv(docs: Iterable[dict]) -> str:
    return to_csv((r for doc in docs for r in long_rows(doc)), LONG_HEADER)


def wide_csv(docs: Iterable[dict]) -> str:
    return to_csv((wide_row(doc) for doc in docs), WIDE_IDENTITY + wide_columns())
