"""The Python API: `extract` one report, `read_dataset` a batch dataset.

    from extractor import extract, read_dataset

    report = extract("report.pdf")          # a path (str or Path), or bytes with filename=
    report.valid, report.report["agency"]   # the JSON document's parts, as attributes
    report.cells()                          # one record per cell (the long CSV's columns)
    report.to_pandas()                      # the same as a DataFrame (pandas installed)

    with read_dataset("dataset/") as ds:    # a folder written by `extract batch`
        ds.table("reports")                 # a DataFrame
        ds.query("select agency, year from reports")
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ExtractError
from .export.csv_out import LONG_HEADER, long_rows
from .indicators import Result, compute, document_cells

PathLike = str | os.PathLike[str]


@dataclass(frozen=True, slots=True)
class Report:
    """One extracted report: the JSON document (`to_dict()`), with its parts as attributes."""

    document: dict[str, Any]

    @property
    def valid(self) -> bool:
        return bool(self.document["valid"])

    @property
    def report(self) -> dict[str, Any]:
        """title, agency, year, published, template, metadata_sources"""
        return self.document["report"]

    @property
    def tables(self) -> dict[str, Any]:
        return self.document["tables"]

    @property
    def sections(self) -> list[dict[str, Any]]:
        return self.document["sections"]

    @property
    def checks(self) -> list[dict[str, Any]]:
        return self.document["checks"]

    @property
    def warnings(self) -> list[dict[str, Any]]:
        return self.document["warnings"]

    @property
    def fee_yuan(self) -> float | int | None:
        return self.document["fees"]["information_processing_fee_yuan"]

    def value(self, key: str) -> float | int | None:
        """One cell's value by its key, "table.row.column" (None when blank, unread or absent)."""
        table, row, column = key.split(".", 2)
        cell = self.tables[table]["rows"].get(row, {}).get(column)
        return None if cell is None else cell["value"]

    def indicators(self) -> dict[str, Result]:
        """Every indicator of docs/output.md (grant rate, refusal shares …) for this report."""
        return compute(document_cells(self.document))

    def to_dict(self) -> dict[str, Any]:
        """The JSON document (docs/output.md)."""
        return self.document

    def cells(self) -> list[dict[str, Any]]:
        """One record per cell, with the long CSV's columns; values typed (number or None)."""
        records = []
        for row in long_rows(self.document):
            record = dict(zip(LONG_HEADER, row, strict=True))
            record["year"] = self.report["year"]
            record["value"] = self.value(f"{record['table']}.{record['row']}.{record['column']}")
            record["inferred"] = record["inferred"] == "true"
            record["page"] = int(record["page"]) if record["page"] else None
            records.append(record)
        return records

    def to_pandas(self) -> Any:
        """The cells as a pandas DataFrame (needs pandas)."""
        try:
            import pandas as pd
        except ImportError as exc:
            raise ImportError("Report.to_pandas() needs pandas: pip install pandas") from exc
        return pd.DataFrame(self.cells(), columns=LONG_HEADER)


def extract(source: PathLike | bytes, *, filename: str | None = None) -> Report:
    """Extract one report from a file path, or from its bytes (give `filename`
    so that its format can be told by its suffix where its bytes do not tell
    it). Raises ExtractError when the input cannot be read as a report."""
    from .pipeline import extract_bytes, extract_file

    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        return Report(extract_bytes(data, Path(filename or "report")))
    return Report(extract_file(Path(source)))


class Dataset:
    """A batch dataset folder, read-only: its DuckDB tables as DataFrames or SQL."""

    def __init__(self, folder: PathLike) -> None:
        import duckdb

        self.folder = Path(folder)
        db = self.folder / "dataset.duckdb"
        if not db.is_file():
            raise ExtractError(f"{self.folder}: no dataset.duckdb here (write one with `extract batch`)",
                               code="no_dataset")
        self.connection = duckdb.connect(str(db), read_only=True)

    @property
    def tables(self) -> list[str]:
        return [name for (name,) in self.connection.execute("SHOW TABLES").fetchall()]

    def table(self, name: str) -> Any:
        """One table as a pandas DataFrame: reports, cells, indicators, checks, sections, warnings,
        errors, inputs, cross_year, codebook."""
        if name not in self.tables:
            raise KeyError(f"no table {name!r}; the dataset has {', '.join(self.tables)}")
        return self.connection.execute(f'SELECT * FROM "{name}"').df()

    def query(self, sql: str, params: list | None = None) -> Any:
        """A SQL query's result as a pandas DataFrame."""
        return self.connection.execute(sql, params or []).df()

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Dataset:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_dataset(folder: PathLike) -> Dataset:
    """Open a dataset folder written by `extract batch`."""
    return Dataset(folder)

