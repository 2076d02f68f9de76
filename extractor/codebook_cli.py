"""`extract codebook`: every key of both templates and every indicator, as CSV."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .cli import emit
from .codebook import codebook_csv
from .export.csv_out import csv_encoding

app = typer.Typer(add_completion=False, rich_markup_mode=None)


@app.command()
def codebook(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout")] = None,
    excel: Annotated[bool, typer.Option("--excel", help="UTF-8 with a byte-order mark, for Excel")] = False,
    encoding: Annotated[str, typer.Option("--encoding", help="utf-8 (default), utf-8-sig or gb18030")] = "utf-8",
) -> None:
    """The codebook (docs/codebook.csv): every cell key of the 2021 and 2019 templates with its
    table, the templates it is in, its Chinese label as printed, an English label, its unit and
    the identities it takes part in; then every indicator with its formula."""
    try:
        codec = csv_encoding("excel" if excel else encoding)
    except ValueError as exc:
        typer.echo(f"extract codebook: {exc}", err=True)
        raise typer.Exit(2) from None
    emit(codebook_csv(), output, prog="extract codebook", encoding=codec)


if __name__ == "__main__":
    app(sys.argv[1:])
