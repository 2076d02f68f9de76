"""`extract compare`: the figures journalists quote, one row per agency or agency-year."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..cli import emit
from ..export.csv_out import csv_encoding
from .figures import COLUMNS, CompareError, load_rows, select, sort_rows
from .render import to_csv, to_html, to_markdown

app = typer.Typer(add_completion=False, rich_markup_mode=None)


class By(StrEnum):
    agency = "agency"
    agency_year = "agency-year"


class Format(StrEnum):
    csv = "csv"
    md = "md"
    html = "html"


_SUFFIX_FORMAT = {".csv": Format.csv, ".md": Format.md, ".markdown": Format.md, ".html": Format.html,
                  ".htm": Format.html}


@app.command()
def compare(
    dataset: Annotated[Path, typer.Argument(help="A dataset folder written by `extract batch`")],
    by: Annotated[By, typer.Option("--by", help="agency-year: a row per agency and year; agency: a row per "
                                                "agency (the --year asked, else its latest year)")]
        = By.agency_year,
    year: Annotated[int | None, typer.Option("--year", help="Only this report year")] = None,
    agency: Annotated[list[str] | None, typer.Option("--agency", help="Only this agency, matched by normalised "
                                                                      "name (repeatable)")] = None,
    sort: Annotated[str | None, typer.Option("--sort", help=f"Sort by a figure: {', '.join(COLUMNS)}")] = None,
    ascending: Annotated[bool, typer.Option("--asc", help="Sort smallest first (default with --sort: largest "
                                                          "first)")] = False,
    fmt: Annotated[Format | None, typer.Option("--format", "-f", help="csv, md or html; default from -o's "
                                                                      "suffix, else md")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout")] = None,
    excel: Annotated[bool, typer.Option("--excel", help="CSV as UTF-8 with a byte-order mark, for Excel")] = False,
    encoding: Annotated[str, typer.Option("--encoding", help="CSV's encoding: utf-8 (default), utf-8-sig or "
                                                             "gb18030")] = "utf-8",
) -> None:
    """Line agencies up side by side: applications received (and by applicant type), the shares
    granted in full, partly granted, refused and not held, carried forward, administrative
    reviews and lawsuits with the share corrected, the fee collected, and whether the report's
    own numbers add up. One row per agency-year (or per agency), from the dataset's best read
    report for each."""
    if fmt is None:
        suffix = output.suffix.lower() if output else ""
        if suffix and suffix not in _SUFFIX_FORMAT:
            typer.echo(f"extract compare: {output}: cannot write {suffix} files; the output is "
                       f"{', '.join(_SUFFIX_FORMAT)} (or name the format with --format csv|md|html)", err=True)
            raise typer.Exit(2)
        fmt = _SUFFIX_FORMAT.get(suffix, Format.md)
    try:
        codec = csv_encoding("excel" if excel else encoding) if fmt is Format.csv else "utf-8"
    except ValueError as exc:
        typer.echo(f"extract compare: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        rows = select(load_rows(dataset), by=by.value, year=year, agencies=agency or [])
        rows = sort_rows(rows, sort, descending=not ascending)
    except CompareError as exc:
        typer.echo(f"extract compare: {exc}", err=True)
        raise typer.Exit(2) from None
    if not rows:
        typer.echo(f"extract compare: {dataset}: no report with an agency and a year to compare", err=True)
        raise typer.Exit(1)
    title = _title(rows, by, year, agency or [])
    text = {Format.csv: to_csv, Format.md: lambda r: to_markdown(r, title), Format.html: lambda r: to_html(r, title)}[
        fmt](rows)
    emit(text, output, prog="extract compare", encoding=codec)
    if output is not None:
        typer.echo(f"extract compare: {len(rows)} rows -> {output}", err=True)


def _title(rows: list[dict], by: By, year: int | None, agencies: list[str]) -> str:
    if agencies:
        names = "、".join(dict.fromkeys(r["agency"] for r in rows))
        return f"{names} 政府信息公开年度报告 历年对比"
    if year is not None:
        return f"{year}年度 政府信息公开年度报告 各机关对比"
    return "政府信息公开年度报告 各机关对比" + ("（各机关最近年度）" if by is By.agency else "")


if __name__ == "__main__":
    app(sys.argv[1:])
