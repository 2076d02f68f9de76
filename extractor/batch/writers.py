"""Streaming writers for the dataset's files: rows go out in small batches,
so memory stays flat however many reports there are.

Every table is written to Parquet with a fixed schema (typed, and the same
even when empty) and loaded into `dataset.duckdb` from there; the CSV files
are written beside them from the same rows.
"""

from __future__ import annotations

import csv
import errno
import os
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..codebook import COLUMNS as CODEBOOK_COLUMNS
from ..export.csv_out import LONG_HEADER
from . import cross_year
from .background import Background
from .rows import arrow_text

_S, _I, _F, _B = pa.string(), pa.int32(), pa.float64(), pa.bool_()

# Table name -> columns. `cells` is the long CSV shape (docs/output.md).
SCHEMAS: dict[str, pa.Schema] = {
    "reports": pa.schema([
        ("report_id", _S), ("source", _S), ("sha256", _S), ("format", _S), ("title", _S), ("agency", _S),
        ("agency_key", _S), ("year", _I), ("published", _S), ("template", _S), ("valid", _B), ("primary", _B),
        ("fee_yuan", _F), ("fee_raw", _S), ("proactive_status", _S), ("applications_status", _S),
        ("review_litigation_status", _S), ("cells", _I), ("undetermined_cells", _I), ("inferred_cells", _I),
        ("checks", _I), ("checks_failed", _I), ("warnings", _I), ("cross_year_failed", _I),
        ("extractor_version", _S)]),
    "cells": pa.schema([
        ("source", _S), ("agency", _S), ("year", _I), ("template", _S), ("table", _S), ("row", _S),
        ("column", _S), ("value", _F), ("raw", _S), ("inferred", _B), ("report_id", _S), ("page", _I),
        ("locator", _S)]),
    "checks": pa.schema([("report_id", _S), ("source", _S), ("check_id", _S), ("ok", _B), ("message", _S)]),
    "sections": pa.schema([("report_id", _S), ("source", _S), ("number", _I), ("key", _S), ("title", _S),
                           ("text", _S)]),
    "warnings": pa.schema([("report_id", _S), ("source", _S), ("code", _S), ("message", _S), ("location", _S)]),
    "indicators": pa.schema([("report_id", _S), ("source", _S), ("agency", _S), ("year", _I), ("indicator", _S),
                             ("value", _F), ("numerator", _F), ("denominator", _F), ("blank_cells", _I),
                             ("note", _S)]),
    "codebook": pa.schema([(name, _S) for name in CODEBOOK_COLUMNS]),
    "errors": pa.schema([("source", _S), ("report_id", _S), ("sha256", _S), ("code", _S), ("message", _S)]),
    "inputs": pa.schema([("source", _S), ("report_id", _S), ("sha256", _S), ("status", _S), ("duplicate_of", _S)]),
    "cross_year": pa.schema([
        ("agency", _S), ("agency_key", _S), ("year", _I), ("prev_year", _I), ("check_id", _S), ("result", _S),
        ("actual", _F), ("expected", _F), ("message", _S), ("report_id", _S), ("source", _S),
        ("prev_report_id", _S), ("prev_source", _S)]),
}
assert SCHEMAS["cells"].names[: len(LONG_HEADER)] == LONG_HEADER
assert SCHEMAS["cross_year"].names == list(cross_year.COLUMNS)

# Rows held before a flush: small rows in large batches; the sections table
# carries whole section texts (kilobytes each), so its batches are short.
_BATCH_ROWS = {"sections": 1_000, "warnings": 5_000, "cross_year": 5_000, "checks": 20_000}
_DEFAULT_BATCH_ROWS = 50_000
# DuckDB keeps what it loads in memory up to this limit, then writes it out.
DUCKDB_MEMORY_LIMIT = "128MB"


class ParquetTable:
    """Rows appended as text (rows.arrow_text, or cells.csv's lines for
    `cells`) and written in row groups of `batch_rows`. The text is parsed by
    pyarrow's CSV reader, in C++ and without the pandas import that turning
    Python objects into Arrow arrays costs (0.2 to 0.9 s a run)."""

    def __init__(self, path: Path, schema: pa.Schema, batch_rows: int = _DEFAULT_BATCH_ROWS, *,
                 quoted_strings: bool = True, background: Background | None = None) -> None:
        self.path, self.schema, self.batch_rows = path, schema, batch_rows
        # With `background`, parsing and writing run on its thread (close() then returns before
        # the file is complete: the caller waits for the thread).
        self._background = background
        self._writer = pq.ParquetWriter(path, schema, compression="zstd")
        self._read = pacsv.ReadOptions(column_names=schema.names, use_threads=False)
        self._parse = pacsv.ParseOptions(newlines_in_values=True)
        # Quoted strings (arrow_text): an empty field is None in every column. cells.csv's
        # lines quote only where they must: there an empty string is "" and only typed columns are null.
        self._convert = pacsv.ConvertOptions(column_types=schema, null_values=[""], true_values=["true"],
                                             false_values=["false"], strings_can_be_null=quoted_strings,
                                             quoted_strings_can_be_null=False)
        self._text: list[str] = []
        self._pending = 0  # rows in _text
        self._carry: pa.Table | None = None  # parsed rows short of a row group
        self.count = 0

    def add(self, row: list) -> None:
        self.add_text(arrow_text([row]), 1)

    def add_text(self, text: str, rows: int) -> None:
        if not rows:
            return
        self._text.append(text)
        self._pending += rows
        self.count += rows
        if self._pending >= self.batch_rows:
            self._flush(final=False)

    def _flush(self, final: bool) -> None:
        data = "".join(self._text).encode() if self._text else None
        self._text, self._pending = [], 0
        self._run(self._write, data, final)

    def _run(self, fn: Callable[..., None], *args: object) -> None:
        if self._background is None:
            fn(*args)
        else:
            self._background.submit(fn, *args)

    def _write(self, data: bytes | None, final: bool) -> None:
        """Parse `data` and write the whole row groups (with `final`, the rest too)."""
        if data is not None:
            table = pacsv.read_csv(pa.py_buffer(data), read_options=self._read, parse_options=self._parse,
                                   convert_options=self._convert)
            self._carry = table if self._carry is None else pa.concat_tables([self._carry, table])
        carry = self._carry
        if carry is None:
            return
        # Row groups as rows were always written: batch_rows each, the rest last.
        start = 0
        while carry.num_rows - start >= self.batch_rows or (final and start < carry.num_rows):
            size = min(self.batch_rows, carry.num_rows - start)
            self._writer.write_table(carry.slice(start, size).combine_chunks())
            start += size
        self._carry = carry.slice(start) if start < carry.num_rows else None

    def close(self) -> None:
        self._flush(final=True)
        self._run(self._close, self.count == 0)

    def _close(self, empty: bool) -> None:
        if empty:
            self._writer.write_table(pa.Table.from_batches([], schema=self.schema))
        self._writer.close()


class CsvTable:
    def __init__(self, path: Path, header: list[str], encoding: str = "utf-8") -> None:
        # Characters GB18030 cannot hold are none (it covers Unicode); replace guards other codecs.
        self._file = path.open("w", encoding=encoding, errors="replace", newline="")
        self._writer = csv.writer(self._file, lineterminator="\n")
        self._writer.writerow(header)

    def add(self, row: list[str]) -> None:
        self._writer.writerow(row)

    def write(self, text: str) -> None:
        """Lines already in the file's form (rows.csv_text)."""
        self._file.write(text)

    def close(self) -> None:
        self._file.close()


def table_writer(folder: Path, name: str, background: Background | None = None) -> ParquetTable:
    return ParquetTable(folder / f"{name}.parquet", SCHEMAS[name], _BATCH_ROWS.get(name, _DEFAULT_BATCH_ROWS),
                        quoted_strings=name != "cells", background=background)


def load_duckdb(db_path: Path, parquet: dict[str, Path], on_table: Callable[[], None] = lambda: None) -> None:
    """Build the database from the Parquet files (DuckDB streams them), in one
    connection whose memory limit bounds what it caches (a connection per
    table, each checkpointed, took 2.5 times as long)."""
    import duckdb

    tmp = db_path.with_name(db_path.name + ".partial")
    for stale in (tmp, Path(str(tmp) + ".wal")):
        stale.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp), config={"memory_limit": DUCKDB_MEMORY_LIMIT, "threads": 1})
        try:
            for name, path in parquet.items():
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM read_parquet(?)', [str(path)])
                on_table()
            con.execute("CHECKPOINT")
        finally:
            con.close()
    except (duckdb.IOException, duckdb.PermissionException, duckdb.OutOfMemoryException,
            duckdb.FatalException) as exc:
        # A full disk, a file size limit, no memory: the machine, not the data (DuckDB
        # reports a failed write during a checkpoint as fatal).
        message = str(exc).strip()
        code = next((e for e in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) if os.strerror(e) in message), errno.EIO)
        raise OSError(code, message, str(tmp)) from exc
    os.replace(tmp, db_path)
