"""`extract batch`: many reports into one dataset."""

from __future__ import annotations

import errno
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..cli import OCR_HELP
from ..export.csv_out import csv_encoding
from ..readers.ocr import set_mode
from .engines import EngineError
from .inputs import InputError, Inputs, collect, outside
from .progress import Status
from .runner import Options, Outcome, default_jobs, run_held
from .store import Dataset, DatasetError


class OcrMode(StrEnum):
    auto = "auto"
    never = "never"
    always = "always"


app = typer.Typer(add_completion=False, rich_markup_mode=None)

EXIT_OK, EXIT_NOTHING_EXTRACTED, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


@app.command()
def batch(
    inputs: Annotated[list[str] | None, typer.Argument(
        help="Folders (searched recursively for .html/.pdf/.docx/.doc/.txt/.md), globs (quote them: "
             "'downloads/**/*.html'), report files, or a text file listing one path a line")] = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="The dataset folder to write")] = Path("dataset"),
    jobs: Annotated[int | None, typer.Option("-j", "--jobs", min=1,
                                             help="Worker processes (default: the core count)")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Keep what an earlier run of this dataset did; "
                                                          "extract only inputs whose bytes are new")] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Start the dataset folder over")] = False,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="With --resume: try the failed files "
                                                                      "again (e.g. after an upgrade)")] = False,
    files_from: Annotated[list[Path] | None, typer.Option("--files-from", help="A file listing inputs, one a line "
                                                                               "(- for stdin)")] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help="Skip paths or names matching this glob "
                                                                        "(repeatable)")] = None,
    engine: Annotated[str, typer.Option("--engine", help="local (worker processes) or dask (a local Dask "
                                                         "cluster, or the one given by --scheduler)")] = "local",
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="A Dask scheduler address, "
                                                                      "e.g. tcp://host:8786")] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0, help="Give up on a file after this many seconds "
                                                                    "(recorded as failed; 0: no limit)")] = 600,
    excel: Annotated[bool, typer.Option("--excel", help="Write the CSV files as UTF-8 with a byte-order mark, "
                                                        "so that Excel reads the Chinese right")] = False,
    encoding: Annotated[str, typer.Option("--encoding", help="The CSV files' encoding: utf-8 (default), utf-8-sig "
                                                             "or gb18030")] = "utf-8",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress line and no summary")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error")] = False,
    ocr: Annotated[OcrMode, typer.Option("--ocr", help=OCR_HELP)] = OcrMode.auto,
    explain: Annotated[bool, typer.Option("--explain", help="Also write each report's review page (as `extract "
                                                            "explain` does) to explain/<id>.html, listed in "
                                                            "explain/index.html with the files not read")] = False,
) -> None:
    """Extract every report named by INPUTS into one dataset folder: a JSON per report
    (reports/<id>.json), cells.csv (one row per cell), reports.csv (one row per report),
    indicators.csv, cross_year.csv, errors.csv, codebook.csv, a Parquet file per table and
    dataset.duckdb (tables reports, cells, indicators, checks, sections, warnings, errors,
    inputs, cross_year, codebook). A file that cannot be read is recorded in errors.csv and
    the run goes on."""
    # The workers inherit the mode with the environment.
    set_mode(ocr.value)
    if engine not in ("local", "dask"):
        raise _fail(f"--engine must be local or dask, not {engine!r}")
    try:
        codec = csv_encoding("excel" if excel else encoding)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    if scheduler:
        engine = "dask"
    lists = [Path("/dev/stdin") if str(p) == "-" else p for p in files_from or []]
    status = Status(enabled=not quiet)
    dataset = Dataset(output)
    # The folder is held from the start: a second run on it is refused before it scans anything.
    with _errors_reported(output, debug, status), dataset.held():
        status.step("scanning inputs...", transient=True)
        found = collect(inputs or [], lists, exclude or [])
        status.close()
        # The dataset folder may sit inside the inputs (downloads/dataset/): never read it as input.
        inside = output.resolve()
        found.files = outside(found.files, inside)
        found.failed = {f: e for f, e in found.failed.items() if not Path(f).resolve().is_relative_to(inside)}
        if not found.files:
            raise _fail(_nothing_found(inputs or [], files_from or [], found))
        for missing in found.missing:
            typer.echo(f"extract batch: {missing}: no such file or folder (or the glob matches nothing)", err=True)
        options = Options(inputs=found.files, output=output, jobs=jobs or default_jobs(), resume=resume,
                          overwrite=overwrite, retry_failed=retry_failed, engine=engine, scheduler=scheduler,
                          progress=not quiet, timeout=timeout, csv_encoding=codec, explain=explain)
        outcome = run_held(dataset, options, found.files, found.failed, status)
    for note in outcome.notes:
        typer.echo(f"extract batch: note: {note}", err=True)
    if not quiet:
        typer.echo(summary_text(outcome, options), err=True)
    if outcome.stats is not None and outcome.stats.reports == 0:
        typer.echo("extract batch: no input could be read as a report (see errors.csv)", err=True)
        raise typer.Exit(EXIT_NOTHING_EXTRACTED)


def _nothing_found(inputs: list[str], files_from: list[Path], found: Inputs) -> str:
    """One line: what was named, and why it gave no file."""
    why = [f"{m}: no such file or folder, nor a glob that matches a file" for m in found.missing]
    why += [f"{path}: {error['message']}" for path, error in found.failed.items()]
    if why:
        what = why[0] + (f" (and {len(why) - 1} more)" if len(why) > 1 else "")
    else:
        what = "nothing in " + (" ".join([*inputs, *map(str, files_from)]) or "(no arguments)")
    return f"no input files found: {what}; give folders, globs or files (report formats: .html .htm .pdf " \
           ".docx .doc .txt .md)"


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"extract batch: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def _errors_reported(output: Path, debug: bool, status: Status) -> Iterator[None]:
    """Every error is one line on stderr (with --debug, the traceback first):
    exit 2 for what the user or the machine can fix, 3 for a bug."""
    try:
        yield
    except typer.Exit:
        raise
    except (Exception, KeyboardInterrupt) as exc:
        status.close()  # the message starts a line of its own
        if debug and not isinstance(exc, KeyboardInterrupt):
            traceback.print_exc()
        raise _exit_for(exc, output) from None


def _exit_for(exc: BaseException, output: Path) -> typer.Exit:
    if isinstance(exc, InputError | DatasetError | EngineError):
        return _fail(str(exc))
    if isinstance(exc, KeyboardInterrupt):
        typer.echo(f"extract batch: interrupted; what was done is kept in {output}/, "
                   f"run the same command with --resume to finish", err=True)
        return typer.Exit(EXIT_INTERRUPTED)
    if isinstance(exc, OSError):  # the output folder: a full disk, a file size limit, no permission
        return _fail(_cannot_write(exc, output))
    return _fail(f"internal error ({type(exc).__name__}: {exc}); please report it (--debug shows the traceback)",
                 EXIT_INTERNAL)


def _cannot_write(exc: OSError, output: Path) -> str:
    where = exc.filename or f"{output}/"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        fix = "make room"
    elif exc.errno == errno.EFBIG:
        fix = "raise the file size limit (ulimit -f)"
    else:
        fix = "fix that"
    return (f"cannot write {where}: {exc.strerror or exc}; what was done is kept in {output}/: {fix} and run the same "
            "command with --resume to finish")


def summary_text(outcome: Outcome, options: Options) -> str:
    from .runner import summary_record

    s = summary_record(outcome, options)
    rate = outcome.rate  # the bar's: files finished per second since the extraction started
    where = (f"on the Dask cluster at {options.scheduler}" if options.scheduler
             else f"{options.jobs} {'Dask ' if options.engine == 'dask' else ''}workers")
    speed = f" ({rate:.1f} files/s, {where})" if s["extracted_now"] else ""
    lines = [f"{s['files']} files in {outcome.seconds:.1f} s: {s['extracted_now']} extracted now{speed}, "
             f"{s['already_done']} already done, {s['duplicates']} duplicates"]
    if not outcome.built:
        lines.append(f"nothing changed since the last build: {options.output}/ is up to date")
        return "\n".join(lines)
    by_template = ", ".join(f"{k} {v}" for k, v in s["reports_by_template"].items())
    lines.append(f"reports: {s['reports']} ({by_template}); {s['valid']} valid, {s['not_valid']} not valid; "
                 f"{s['cells']} cells")
    if s["failed_files"]:
        reasons = ", ".join(f"{k} {v}" for k, v in s["failed_by_reason"].items())
        lines.append(f"failed files: {s['failed_files']} ({reasons}); see {options.output / 'errors.csv'}")
    else:
        lines.append("failed files: 0")
    checks = ", ".join(f"{k} {v}" for k, v in s["cross_year_checks"].items()) or "none"
    lines.append(f"cross-year: {s['cross_year_pairs']} pairs of consecutive years; checks: {checks}")
    if s["reports_not_compared_across_years"]:
        lines.append(f"{s['reports_not_compared_across_years']} reports are not compared across years "
                     "(no agency or year, or free-form without the national tables)")
    if outcome.pruned:
        lines.append(f"removed {outcome.pruned} stored reports of inputs not given this time")
    lines.append(f"dataset: {options.output}/ built in {outcome.build_seconds:.1f} s (cells.csv, reports.csv, "
                 "indicators.csv, cross_year.csv, errors.csv, codebook.csv, a Parquet file per table, "
                 "dataset.duckdb, reports/*.json)")
    if options.explain:
        lines.append(f"review pages: {options.output / 'explain' / 'index.html'} (one per report)")
    return "\n".join(lines)


if __name__ == "__main__":
    app(sys.argv[1:])
