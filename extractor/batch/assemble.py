"""Building the dataset's tables from every report's rows (rows.py): those
the workers rendered while extracting, and those of reports stored by an
earlier run, rendered here from their documents. Two passes:
1. gather what the cross-year checks need from every report, and run them;
2. add each report's cross-year warnings (to its document too), and copy
   its rows into every table (CSV, Parquet); then load DuckDB from the
   Parquet files.

The order of every table is the order of the inputs (sorted paths), so the
same inputs give byte-identical CSV files whichever engine extracted them
and however many runs it took.
"""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..agency import unify
from ..codebook import COLUMNS as CODEBOOK_COLUMNS
from ..codebook import codebook_csv, codebook_rows
from ..export.csv_out import LONG_HEADER, WIDE_IDENTITY, format_value, wide_columns
from . import cross_year
from .background import Background
from .jsontext import replace_top_value
from .progress import Status
from .rows import ReportRows, arrow_text, render, reports_row, wide_line
from .spool import SPOOL_NAME, Spool
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
          csv_encoding: str = "utf-8", spool: Spool | None = None) -> BuildStats:
    """Every table of the dataset; its CSV files in `csv_encoding` (a Python
    codec). `spool`: the rows of the reports this run extracted (the others'
    are rendered here from their stored documents); closed here."""
    status = status or Status(enabled=False)
    root = dataset.root
    staging = root / ".staging.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    spool = spool or Spool(root / SPOOL_NAME)
    try:
        return _build(dataset, entries, status, csv_encoding, spool, staging)
    finally:
        spool.close()


def _build(dataset: Dataset, entries: list[Entry], status: Status, csv_encoding: str, spool: Spool,
           staging: Path) -> BuildStats:
    # Parsing the rows' text and writing Parquet run on a thread of their own, beside this one's Python work.
    background = Background()
    try:
        parquet = {name: table_writer(staging, name, background) for name in SCHEMAS}
        return _tables(dataset, entries, status, csv_encoding, spool, staging, background, parquet)
    finally:
        background.close()


def _tables(dataset: Dataset, entries: list[Entry], status: Status, csv_encoding: str, spool: Spool,
            staging: Path, background: Background, parquet: dict[str, ParquetTable]) -> BuildStats:
    stats = BuildStats()
    reports = [e for e in entries if e.status == "report"]
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
    # A report stored by an earlier run is rendered here, into the spool.
    status.step("building dataset: cross-year checks", len(reports))
    all_facts = []
    for e in reports:
        rid = e.report_id
        assert rid is not None
        if rid not in spool:
            spool.add(render(rid, dataset.load_report(rid), e.source))
        all_facts.append(spool.facts[rid])
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

    # Pass 2: every table, one report at a time, in the order of the inputs.
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
        rows = spool.get(rid)  # type: ignore[arg-type]
        assert rows is not None
        warnings = [w for w in rows.warnings if w["code"] != cross_year.WARNING_CODE] + extra_warnings.get(rid, [])
        if warnings != rows.warnings or rows.stored_path != entry.source:
            _update_report(dataset, rid, rows, entry.source, warnings)  # type: ignore[arg-type]
        key = groups.get(rows.agency_key, rows.agency_key)  # type: ignore[arg-type]
        cells_csv.write(rows.cells_csv)
        parquet["cells"].add_text(rows.cells_arrow, rows.cells)
        parquet["reports"].add(reports_row(rows, key, rid in primary, warnings))
        parquet["checks"].add_text(rows.checks_arrow, rows.checks)
        parquet["sections"].add_text(rows.sections_arrow, rows.sections)
        parquet["warnings"].add_text(arrow_text([rid, rows.source, w["code"], w["message"], w.get("where")]
                                                for w in warnings), len(warnings))
        reports_csv.write(wide_line(rows, warnings))
        parquet["indicators"].add_text(rows.indicators_arrow, rows.indicators)
        indicators_csv.write(rows.indicators_csv)
        stats.reports += 1
        stats.cells += rows.cells
        stats.valid += rows.valid
        stats.templates[rows.template] += 1

    for table in (*parquet.values(), cells_csv, reports_csv, indicators_csv, errors_csv, cross_csv):
        table.close()
    status.step("building dataset: dataset.duckdb", len(parquet))
    background.wait()
    load_duckdb(staging / "dataset.duckdb", {name: t.path for name, t in parquet.items()}, on_table=status.advance)
    dataset.publish(staging, list(BUILT))
    shutil.rmtree(staging, ignore_errors=True)
    return stats


def _update_report(dataset: Dataset, rid: str, rows: ReportRows, source: str, warnings: list[dict]) -> None:
    """The stored document with `warnings` and named `source`. Where only the
    warnings change, they are replaced in its text (the same text as
    decoding, changing and encoding it again, in a sixth of the time)."""
    if rows.stored_path == source:
        text = replace_top_value(dataset.load_report_json(rid), "warnings", rows.warnings, warnings)
        if text is not None:
            dataset.save_report_json(rid, text)
            return
    doc = dataset.load_report(rid)
    doc["warnings"] = warnings
    doc["source"]["path"] = source
    dataset.save_report(rid, doc)
