"""The CSV forms of a report document: long (one row per cell) and wide
(one row per report, one column per cell)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import cache

from ..tables.values import number_text
from ..templates import TABLES, load

# docs/output.md's long form, then the report's id (the first 16 hex digits of the
# file's SHA-256, the id batch datasets use) to join on, then where the cell was
# read: its page (paged inputs) and its source in one line (docs/output.md, "Provenance").
LONG_HEADER = ["source", "agency", "year", "template", "table", "row", "column", "value", "raw", "inferred",
               "report_id", "page", "locator"]
WIDE_IDENTITY = ["report_id", "source", "agency", "year", "published", "template", "valid", "fee_yuan",
                 "checks_failed", "warnings"]
# The encodings CSV files can be written in: UTF-8; UTF-8 with a byte-order
# mark, which Excel needs to see UTF-8 (--excel); GB18030, which older Chinese
# software expects.
CSV_ENCODINGS = {"utf-8": "utf-8", "excel": "utf-8-sig", "utf-8-sig": "utf-8-sig", "gb18030": "gb18030"}


def csv_encoding(name: str) -> str:
    """The Python codec for an encoding a user names; ValueError for another."""
    codec = CSV_ENCODINGS.get(name.strip().lower().replace("_", "-"))
    if codec is None:
        raise ValueError(f"CSV encoding {name!r} is not one of {', '.join(sorted(set(CSV_ENCODINGS) - {'excel'}))}")
    return codec


def report_id(doc: dict) -> str:
    return doc["source"]["sha256"][:16]


def format_value(value: object) -> str:
    # The common types first: a batch formats every value of every table.
    kind = type(value)
    if kind is str:
        return value  # type: ignore[return-value]
    if value is None:
        return ""
    if kind is int:
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(value)
    return str(value)


def long_rows(doc: dict) -> Iterable[list[str]]:
    report = doc["report"]
    head = [doc["source"]["path"], report["agency"] or "", format_value(report["year"]), report["template"] or ""]
    rid = report_id(doc)
    for table in TABLES:
        for row, cols in doc["tables"][table]["rows"].items():
            for column, cell in cols.items():
                where = cell.get("source")
                yield [*head, table, row, column, format_value(cell["value"]), cell["raw"],
                       "true" if cell["inferred"] else "false", rid,
                       format_value(where.get("page")) if where else "", locator(where)]


_FORMATS = ("text", "html", "docx", "pdf")


def locator(source: dict | None) -> str:
    """A cell's source in one line of `name=value` pairs, in the JSON's terms
    ("line=10 start=1853 end=1854 token=7000007 split=7/0/0/0/0/0/7")."""
    if not source:
        return ""
    parts = []
    for name, value in source.items():
        kind = type(value)
        if kind is int or kind is str:  # most of a source: line, offsets, row and column, xpath
            if name != "kind" or value not in _FORMATS:  # the report's format: the same for every cell
                parts.append(f"{name}={value}")
            continue
        if name == "printed":
            value = ";".join(locator(p) for p in value)
        elif name == "from":
            value = ",".join(value)
        elif isinstance(value, list):
            value = ",".join(number_text(v) for v in value)
        parts.append(f"{name}={format_value(value)}")
    return " ".join(parts)


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
    identity = [report_id(doc), doc["source"]["path"], report["agency"] or "", format_value(report["year"]),
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
