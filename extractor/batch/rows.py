"""One report's share of the dataset's tables, rendered once and then only
copied: in the worker that extracted it (so that the rendering overlaps the
extraction instead of following it), or by the build for a report stored
by an earlier run.

Each table comes as text: the CSV file's lines as the csv module writes them
and, for the Parquet tables, lines in the form `writers.ParquetTable` parses
(arrow_text). What only the whole dataset decides (an agency's unified key,
the report standing for its year, the cross-year warnings) is left to the
build, which fills it into `report` and `wide` (see reports_row).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from ..agency import agency_key
from ..export.csv_out import WIDE_IDENTITY, format_value, long_rows, wide_row
from ..indicators import compute, document_cells
from ..templates import TABLES
from . import cross_year

WIDE_WARNINGS = WIDE_IDENTITY.index("warnings")  # the wide row's count of warnings, cross-year ones included


@dataclass(slots=True)
class ReportRows:
    report_id: str
    source: str
    stored_path: str  # the source path in the stored JSON (the build renames it to `source` if they differ)
    warnings: list[dict]  # the stored document's warnings
    cells_csv: str  # cells.csv's lines
    cells_arrow: str  # the same rows for cells.parquet (cells_csv itself unless a value holds a lone \r)
    cells: int
    indicators_csv: str
    indicators_arrow: str
    indicators: int
    checks_arrow: str
    checks: int
    sections_arrow: str
    sections: int
    report: list  # the reports table's row; agency_key, primary and the warning counts filled in by reports_row
    wide: list[str]  # reports.csv's row; its count of warnings filled in by wide_line
    agency_key: str | None  # as the agency reads, before the dataset's agencies are unified
    valid: bool
    template: str
    facts: cross_year.Facts | None  # None once the batch holds them apart (spool.Spool)


def render(rid: str, doc: dict, source: str) -> ReportRows:
    """`doc`'s rows, named `source` (the input as this run names it)."""
    stored_path = doc["source"]["path"]
    doc["source"]["path"] = source
    report = doc["report"]
    long = list(long_rows(doc))
    cells_csv = csv_text(long)
    cells = [c for t in TABLES for cols in doc["tables"][t]["rows"].values() for c in cols.values()]
    tables = doc["tables"]
    failed = sum(1 for c in doc["checks"] if not c["ok"])
    indicators = [[rid, source, report["agency"], report["year"], key, r.value, _number(r.numerator),
                   _number(r.denominator), r.blank_cells, r.note or None]
                  for key, r in compute(document_cells(doc)).items()]
    key = agency_key(report["agency"])
    row = [rid, source, doc["source"]["sha256"], doc["source"]["format"], report["title"], report["agency"],
           None, report["year"], report["published"], report["template"], doc["valid"],
           None, _number(doc["fees"]["information_processing_fee_yuan"]), doc["fees"]["raw"],
           tables["proactive"]["status"], tables["applications"]["status"], tables["review_litigation"]["status"],
           len(long), sum(1 for c in cells if cross_year.undetermined_cell(c)), sum(1 for c in cells if c["inferred"]),
           len(doc["checks"]), failed, None, None, (doc.get("extractor") or {}).get("version")]
    return ReportRows(
        report_id=rid, source=source, stored_path=stored_path, warnings=doc["warnings"],
        cells_csv=cells_csv, cells_arrow=cells_csv if "\r" not in cells_csv else _cells_arrow(long), cells=len(long),
        indicators_csv=csv_text([format_value(v) for v in r] for r in indicators),
        indicators_arrow=arrow_text(indicators), indicators=len(indicators),
        checks_arrow=arrow_text([rid, source, c["id"], c["ok"], c["message"]] for c in doc["checks"]),
        checks=len(doc["checks"]),
        sections_arrow=arrow_text([rid, source, s["number"], s["key"], s["title"], s["text"]]
                                  for s in doc["sections"]),
        sections=len(doc["sections"]),
        report=row, wide=wide_row(doc), agency_key=key, valid=bool(doc["valid"]),
        template=report["template"] or "none", facts=cross_year.facts(rid, doc))


def reports_row(rows: ReportRows, key: str | None, primary: bool, warnings: list[dict]) -> list:
    """The reports table's row once the dataset has decided what `rows` leaves open."""
    row = list(rows.report)
    row[6], row[11] = key, primary
    row[22] = len(warnings)
    row[23] = sum(1 for w in warnings if w["code"] == cross_year.WARNING_CODE)
    return row


def wide_line(rows: ReportRows, warnings: list[dict]) -> str:
    wide = list(rows.wide)
    wide[WIDE_WARNINGS] = str(len(warnings))
    return csv_text([wide])


def csv_text(rows: Iterable[list[str]]) -> str:
    """Lines as csv.writer writes them to the dataset's CSV files. Most rows
    need no quoting, and joining them is twice as fast as the writer; a row
    with a comma, quote or line break in a field, or a field that is not a
    string, goes to the writer."""
    lines = []
    for row in rows:
        try:
            line = ",".join(row)
        except TypeError:
            line = None
        if line is None or line.count(",") != len(row) - 1 or len(row) < 2 or '"' in line or "\n" in line \
                or "\r" in line:
            line = _written(row)
        else:
            line += "\n"
        lines.append(line)
    return "".join(lines)


def _written(row: list) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(row)
    return buffer.getvalue()


def arrow_text(rows: Iterable[list]) -> str:
    """Lines that pyarrow's CSV reader turns back into exactly these values:
    every string quoted (so that no string, not even "", reads as null), None
    an empty field, numbers as Python prints them (repr: the same float when
    read back)."""
    return "".join(",".join([_field(v) for v in row]) + "\n" for row in rows)


def _field(value: object) -> str:
    kind = type(value)
    if kind is str:
        return '"' + value.replace('"', '""') + '"'  # type: ignore[attr-defined]
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        return repr(value)
    raise TypeError(f"no table column holds a {kind.__name__}: {value!r}")


def _cells_arrow(long: list[list[str]]) -> str:
    """cells.csv's rows for Parquet when a value holds a lone carriage return,
    which the csv module leaves unquoted and pyarrow would take for a line
    end: the strings quoted; year, value, inferred and page as they are."""
    typed = (2, 7, 9, 11)
    return "".join(",".join([v if i in typed else _field(v) for i, v in enumerate(row)]) + "\n" for row in long)


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
