"""The `extract` command.

    extract REPORT [-o OUT] [--format json|csv|wide] [--strict]

One report in (HTML, PDF, Word or text), its data out: JSON by default, CSV
(one row per cell) or wide CSV (one row per report) when asked or when OUT
ends in .csv. Exit status: 0 extracted, 1 extracted but not valid under
--strict, 2 the file could not be read as a report.
"""

from __future__ import annotations

import json
import sys
import traceback
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .errors import ExtractError
from .export.csv_out import long_csv, wide_csv

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE, EXIT_INTERNAL = 0, 1, 2, 3


class OutputFormat(StrEnum):
    json = "json"
    csv = "csv"
    wide = "wide"


single = typer.Typer(add_completion=False, rich_markup_mode=None,
                     help=__doc__.split("\n\n", 2)[2] if __doc__ else None)


def fail(message: str, code: int = EXIT_UNREADABLE) -> typer.Exit:
    typer.echo(f"extract: {message}", err=True)
    return typer.Exit(code)


def emit(text: str, output: Path | None, prog: str = "extract") -> None:
    """Write a command's result to the output file (its folder made as
    needed) or to stdout; a file that cannot be written is exit 2."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        typer.echo(f"{prog}: {output}: cannot write ({exc.strerror or exc})", err=True)
        raise typer.Exit(EXIT_UNREADABLE) from None


def render(doc: dict, fmt: OutputFormat) -> str:
    if fmt is OutputFormat.csv:
        return long_csv([doc])
    if fmt is OutputFormat.wide:
        return wide_csv([doc])
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def summary(doc: dict) -> str:
    report = doc["report"]
    cells = sum(len(cols) for t in doc["tables"].values() for cols in t["rows"].values())
    failed = [c["id"] for c in doc["checks"] if not c["ok"]]
    who = " ".join(str(x) for x in (report["agency"], report["year"]) if x) or "report"
    parts = [f"{who} (template {report['template']})", f"{cells} cells",
             f"{len(doc['checks']) - len(failed)}/{len(doc['checks'])} checks hold",
             f"{len(doc['warnings'])} warnings", "valid" if doc["valid"] else "NOT valid"]
    return ", ".join(parts)


def _size(text: str) -> int:
    from .source import parse_size

    try:
        return parse_size(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a size (e.g. 500MB or 2GB)") from None


@single.command()
def extract(
    report: Annotated[Path, typer.Argument(help="The report: .html, .pdf, .docx, .doc or .txt/.md")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout")] = None,
    fmt: Annotated[OutputFormat | None, typer.Option(
        "--format", "-f", help="json, csv (one row per cell) or wide (one row per report); "
                               "default from the output's suffix, else json")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when the report is not valid")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary line on stderr")] = False,
    max_size: Annotated[int | None, typer.Option("--max-size", parser=_size, metavar="SIZE",
                                                 help="Largest input read, e.g. 500MB or 2GB (default 200MB)")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on internal errors")] = False,
) -> None:
    """Extract one report. Other commands: `extract batch`, `extract compare`, `extract eval`
    (run them with --help)."""
    from .pipeline import extract_file
    from .source import DEFAULT_MAX_SIZE

    if fmt is None:
        fmt = OutputFormat.csv if output is not None and output.suffix.lower() == ".csv" else OutputFormat.json
    try:
        doc = extract_file(report, max_size=max_size or DEFAULT_MAX_SIZE)
    except ExtractError as exc:
        raise fail(f"{report}: {exc}") from None
    except Exception as exc:
        if debug:
            traceback.print_exc()
        raise fail(f"{report}: internal error ({type(exc).__name__}: {exc}); "
                   "please report it with the file (--debug shows the traceback)", EXIT_INTERNAL) from None
    emit(render(doc, fmt), output)
    if not quiet:
        typer.echo(f"{report.name}: {summary(doc)}" + (f" -> {output}" if output else ""), err=True)
    if strict and not doc["valid"]:
        raise typer.Exit(EXIT_INVALID)


# Subcommands live in their own modules and register here.
SUBCOMMANDS: dict[str, str] = {
    "eval": "extractor.eval_cli",
    "batch": "extractor.batch.cli",
    "compare": "extractor.compare.cli",
}


def main() -> None:
    argv = sys.argv[1:]
    if argv and argv[0] in SUBCOMMANDS:
        module = __import__(SUBCOMMANDS[argv[0]], fromlist=["app"])
        module.app(args=argv[1:], prog_name=f"extract {argv[0]}")
        return
    single(args=argv, prog_name="extract")


if __name__ == "__main__":
    main()
