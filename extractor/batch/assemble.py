"""Building the dataset's tables from the stored report documents.

Two passes over the reports, one document in memory at a time:
1. read what the cross-year checks need from every report, and run them;
2. add each report's cross-year warnings to its document, and stream every
   table (CSV, Parquet) from it; then load DuckDB from the Parquet files.

The order of every table is the order of the inputs (sorted paths), so the
same inputs give byte-identical CSV files whichever engine extracted them
and however many runs it took.
"""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..agency import agency_key, unify
from ..codebook import COLUMNS as CODEBOOK_COLUMNS
from ..codebook import codebook_csv, codebook_rows
from ..export.csv_out import LONG_HEADER, WIDE_IDENTITY, format_value, long_rows, wide_columns, wide_row
from ..indicators import compute, document_cells
from ..templates import TABLES
from . import cross_year
from .progress import Status
from .store import BUILT, Dataset
from .writers import SCHEMAS, CsvTable, ParquetTable, load_duckdb, table_writer

ERROR_COLUMNS = ["source", "report_id", "sha256", "code", "message"]
INDICATOR_COLUMNS = ["report_id", "source", "agency", "year", "indicator", "value", "numerator", "denominator",
                     "blank_cells", "note"]


@dataclass(slots=True)
class Entry:
    """One input of this run and what became of it."""

    source: str
    sha256: str | None  # None: the file could not even be read
    status: str  # "report" | "failed" | "duplicate"
    duplicate_of: str | None = None
    error: dict | None = None  # {"code", "message"} when failed

    @property
    def report_id(self) -> str | None:
        return self.sha256[:16] if self.sha256 else None


@dataclass(slots=True)
class BuildStats:
    reports: int = 0
    cells: int = 0
    valid: int = 0
    templates: Counter = field(default_factory=Counter)
    cross_year: Counter = field(default_factory=Counter)
    pairs: int = 0
    not_compared: int = 0  # no agency, no year or no national tables


def build(dataset: Dataset, entries: list[Entry], status: Status | None = None,
          csv_encoding: str = "utf-8") -> BuildStats:
    """Every table of the dataset; its CSV files in `csv_encoding` (a Python codec)."""
    status = status or Status(enabled=False)
    root = dataset.root
    staging = root / ".staging.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    stats = BuildStats()
    reports = [e for e in entries if e.status == "report"]

    parquet = {name: table_writer(staging, name) for name in SCHEMAS}
    cells_csv = CsvTable(staging / "cells.csv", LONG_HEADER, csv_encoding)
    reports_csv = CsvTable(staging / "reports.csv", WIDE_IDENTITY + wide_columns(), csv_encoding)
    indicators_csv = CsvTable(staging / "indicators.csv", INDICATOR_COLUMNS, csv_encoding)
    errors_csv = CsvTable(staging / "errors.csv", ERROR_COLUMNS, csv_encoding)
    cross_csv = CsvTable(staging / "cross_year.csv", list(cross_year.COLUMNS), csv_encoding)
    (staging / "codebook.csv").write_text(codebook_csv(), encoding=csv_encoding, newline="")
    for entry in codebook_rows():
        parquet["codebook"].add([entry[name] for name in CODEBOOK_COLUMNS])

    # Pass 1: the cross-year checks, written out as they come; only the failures
    # (warnings for pass 2) and the choice of each agency-year's report are kept.
    status.step("building dataset: cross-year checks", len(reports))
    all_facts = []
    for e in reports:
        all_facts.append(cross_year.facts(e.report_id, _load(dataset, e)))  # type: ignore[arg-type]
        status.advance()
    groups = unify(f.key for f in all_facts if f.key)
    for f in all_facts:
        f.key = groups.get(f.key, f.key)  # type: ignore[arg-type]
    extra_warnings: dict[str, list[dict]] = defaultdict(list)
    last_pair = None
    for result in cross_year.check_all(all_facts):
        row = result.row()
        parquet["cross_year"].add(row)
        cross_csv.add([format_value(v) for v in row])
        stats.cross_year[result.result] += 1
        pair = (result.later.report_id, result.earlier.report_id)
        stats.pairs += pair != last_pair  # a pair's results come together
        last_pair = pair
        if result.result == cross_year.FAILED:
            extra_warnings[result.later.report_id].append(result.warning())
    primary = {f.report_id for f in cross_year.primaries(all_facts).values()}
    stats.not_compared = sum(1 for f in all_facts if not cross_year.comparable(f))
    del all_facts

    # Pass 2: every table, one report at a time.
    status.step("building dataset: cells.csv, reports.csv, Parquet tables", len(entries))
    for entry in entries:
        status.advance()
        rid = entry.report_id
        parquet["inputs"].add([entry.source, rid, entry.sha256, entry.status, entry.duplicate_of])
        if entry.status == "failed":
            error = entry.error or {}
            row = [entry.source, rid, entry.sha256, error.get("code"), error.get("message")]
            parquet["errors"].add(row)
            errors_csv.add([format_value(v) for v in row])
        if entry.status != "report":
            continue
        doc = dataset.load_report(rid)  # type: ignore[arg-type]
        warnings = [w for w in doc["warnings"] if w["code"] != cross_year.WARNING_CODE] + extra_warnings.get(rid, [])
        if warnings != doc["warnings"] or doc["source"]["path"] != entry.source:
            doc["warnings"] = warnings
            doc["source"]["path"] = entry.source
            dataset.save_report(rid, doc)  # type: ignore[arg-type]
        key = agency_key(doc["report"]["agency"])
        _add_report(parquet, cells_csv, rid, doc, key=groups.get(key, key), primary=rid in primary,  # type: ignore[arg-type]
                    stats=stats)
        reports_csv.add(wide_row(doc))
        for row in _indicator_rows(rid, doc):
            parquet["indicators"].add(row)
            indicators_csv.add([format_value(v) for v in row])

    for table in (*parquet.values(), cells_csv, reports_csv, indicators_csv, errors_csv, cross_csv):
        table.close()
    status.step("building dataset: dataset.duckdb", len(parquet))
    load_duckdb(staging / "dataset.duckdb", {name: t.path for name, t in parquet.items()}, on_table=status.advance)
    dataset.publish(staging, list(BUILT))
    shutil.rmtree(staging, ignore_errors=True)
    return stats


def _load(dataset: Dataset, entry: Entry) -> dict:
    """The entry's report document, named as this run names the input: the
    stored document keeps the path it was extracted from, and the same bytes
    may be named otherwise now (moved, or given another way). Every table
    names an input as the inputs table does (pass 2 stores the new name)."""
    doc = dataset.load_report(entry.report_id)  # type: ignore[arg-type]
    doc["source"]["path"] = entry.source
    return doc


def _add_report(parquet: dict[str, ParquetTable], cells_csv: CsvTable, rid: str, doc: dict, *, key: str | None,
                primary: bool, stats: BuildStats) -> None:
    source = doc["source"]["path"]
    report = doc["report"]
    n_cells = 0
    for row in long_rows(doc):
        cells_csv.add(row)
        # The typed form of the same row: year int, value number, inferred bool, page int.
        parquet["cells"].add([*row[:2], int(row[2]) if row[2] else None, *row[3:7],
                              float(row[7]) if row[7] else None, row[8], row[9] == "true", rid,
                              int(row[11]) if row[11] else None, row[12]])
        n_cells += 1
    cells = [c for t in TABLES for cols in doc["tables"][t]["rows"].values() for c in cols.values()]
    failed = sum(1 for c in doc["checks"] if not c["ok"])
    cross_failed = sum(1 for w in doc["warnings"] if w["code"] == cross_year.WARNING_CODE)
    tables = doc["tables"]
    parquet["reports"].add([
        rid, source, doc["source"]["sha256"], doc["source"]["format"], report["title"], report["agency"],
        key, report["year"], report["published"], report["template"], doc["valid"],
        primary, _number(doc["fees"]["information_processing_fee_yuan"]), doc["fees"]["raw"],
        tables["proactive"]["status"], tables["applications"]["status"], tables["review_litigation"]["status"],
        n_cells, sum(1 for c in cells if cross_year.undetermined_cell(c)), sum(1 for c in cells if c["inferred"]),
        len(doc["checks"]), failed, len(doc["warnings"]), cross_failed, (doc.get("extractor") or {}).get("version")])
    for check in doc["checks"]:
        parquet["checks"].add([rid, source, check["id"], check["ok"], check["message"]])
    for section in doc["sections"]:
        parquet["sections"].add([rid, source, section["number"], section["key"], section["title"], section["text"]])
    for warning in doc["warnings"]:
        parquet["warnings"].add([rid, source, warning["code"], warning["message"], warning.get("where")])
    stats.reports += 1
    stats.cells += n_cells
    stats.valid += bool(doc["valid"])
    stats.templates[report["template"] or "none"] += 1


def _indicator_rows(rid: str, doc: dict) -> list[list]:
    report = doc["report"]
    return [[rid, doc["source"]["path"], report["agency"], report["year"], key, r.value, _number(r.numerator),
             _number(r.denominator), r.blank_cells, r.note or None]
            for key, r in compute(document_cells(doc)).items()]


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]

