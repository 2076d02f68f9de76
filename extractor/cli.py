"""The `extract` command.

    extract REPORT [-o OUT] [--format json|csv|wide] [--strict]

One report in (HTML, PDF, Word or text), its data out: JSON by default, CSV
(one row per cell) or wide CSV (one row per report) when asked or when OUT
ends in .csv. Exit status: 0 extracted, 1 extracted but not valid under
--strict, 2 the file could not be read as a report (or the command line is
wrong), 3 an internal error.

The single-file command parses its arguments with argparse: typer (which
the subcommands use) imports pydantic and rich, which took most of the
command's start-up time.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, TypeVar

from . import __version__
from .errors import ExtractError

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE, EXIT_INTERNAL = 0, 1, 2, 3
T = TypeVar("T")
FORMATS = ("json", "csv", "wide")
# Output suffixes and the format each means when --format is not given.
SUFFIX_FORMATS = {".json": "json", ".csv": "csv"}
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# Seconds one extraction may take. Every stage is bounded in its work, so no
# input comes near this; it is the last guard for what no bound foresaw.
DEFAULT_TIMEOUT = 300.0
# Scanned PDF pages (the `ocr` extra): `extract --ocr` and `extract batch --ocr`.
OCR_MODES = ("auto", "never", "always")
OCR_HELP = ("Scanned PDF pages: auto (read by OCR when the ocr extra is installed), never, "
            "or always (every page by OCR)")


class CommandError(Exception):
    """A one-line error of a command: its message and exit status."""

    def __init__(self, message: str, code: int = EXIT_UNREADABLE) -> None:
        super().__init__(message)
        self.code = code


def emit(text: str, output: Path | None, prog: str = "extract", encoding: str = "utf-8") -> None:
    """Write a command's result to the output file (its folder made as
    needed) or to stdout, in `encoding` (a Python codec); a file that cannot
    be written is exit 2."""
    if output is None:
        if encoding == "utf-8":
            sys.stdout.write(text)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode(encoding, errors="replace"))
            sys.stdout.buffer.flush()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding=encoding, errors="replace")
    except OSError as exc:
        print(f"{prog}: {output}: cannot write ({exc.strerror or exc})", file=sys.stderr)
        raise SystemExit(EXIT_UNREADABLE) from None


def render(doc: dict, fmt: str) -> str:
    if fmt in ("csv", "wide"):
        from .export.csv_out import long_csv, wide_csv

        return long_csv([doc]) if fmt == "csv" else wide_csv([doc])
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary(doc: dict) -> str:
    report = doc["report"]
    cells = sum(len(cols) for t in doc["tables"].values() for cols in t["rows"].values())
    failed = [c["id"] for c in doc["checks"] if not c["ok"]]
    who = " ".join(str(x) for x in (report["agency"], report["year"]) if x) or "report"
    held = len(doc["checks"]) - len(failed)
    parts = [f"{who} (template {report['template']})", plural(cells, "cell"),
             f"{held}/{len(doc['checks'])} {'check holds' if held == 1 else 'checks hold'}",
             plural(len(doc["warnings"]), "warning"), "valid" if doc["valid"] else "NOT valid"]
    return ", ".join(parts)


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (exit 2), as every other error."""

    def error(self, message: str) -> NoReturn:
        raise CommandError(f"{message} (see `{self.prog} --help`)")


def _size(text: str) -> int:
    from .source import parse_size

    try:
        return parse_size(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size (e.g. 500MB or 2GB)") from None


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="extract", allow_abbrev=False, formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="extract REPORT [-o OUT] [--format json|csv|wide] [--strict] [options]\n"
              "       extract explain|batch|compare|eval|codebook ... (run them with --help)",
        description="Extract one government information-disclosure annual report (政府信息公开工作年度报告).\n\n"
                    + __doc__.split("\n\n")[2],
    )
    # A string, not a Path: a Path would fold the "//" of a URL.
    p.add_argument("report", metavar="REPORT", help="The report: .html, .pdf, .docx, .doc or .txt/.md")
    p.add_argument("-o", "--output", type=Path, metavar="OUT",
                   help="Write here instead of stdout (.json, or .csv for --format csv or wide)")
    p.add_argument("-f", "--format", dest="fmt", choices=FORMATS,
                   help="json, csv (one row per cell) or wide (one row per report); default from the output's "
                        "suffix, else json")
    p.add_argument("--excel", action="store_true",
                   help="CSV output as UTF-8 with a byte-order mark, so that Excel reads the Chinese right")
    p.add_argument("--encoding", default=None, metavar="ENCODING",
                   help="CSV output's encoding: utf-8 (default), utf-8-sig or gb18030")
    p.add_argument("--strict", action="store_true", help="Exit 1 when the report is not valid")
    p.add_argument("-q", "--quiet", action="store_true", help="No summary line on stderr")
    add_reading_options(p)
    p.add_argument("--version", action="version", version=f"extract {__version__}")
    return p


def add_reading_options(p: argparse.ArgumentParser) -> None:
    """How one report is read: the options `extract` and `extract explain` share."""
    p.add_argument("--max-size", type=_size, metavar="SIZE", default=None,
                   help="Largest input read, e.g. 500MB or 2GB (default 200MB)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"Give up after this many seconds (default {DEFAULT_TIMEOUT:.0f}; 0: never)")
    p.add_argument("--ocr", choices=OCR_MODES, default="auto", help=OCR_HELP)
    p.add_argument("--debug", action="store_true", help="Show a traceback on internal errors")


def _output_format(output: Path | None, fmt: str | None) -> str:
    """The format asked, else the one the output's suffix names (none: JSON).
    A suffix this command does not write (.xlsx, .parquet) is refused rather
    than filled with JSON."""
    if fmt is not None:
        return fmt
    suffix = output.suffix.lower() if output is not None else ""
    if not suffix:
        return "json"
    if suffix not in SUFFIX_FORMATS:
        known = " or ".join(SUFFIX_FORMATS)
        raise CommandError(f"{output}: cannot write {suffix} files; the output is {known} "
                           "(or name the format with --format json|csv|wide)")
    return SUFFIX_FORMATS[suffix]


def _csv_codec(args: argparse.Namespace, fmt: str) -> str:
    """The codec of the output: --excel or --encoding for CSV; JSON is UTF-8."""
    if not (args.excel or args.encoding):
        return "utf-8"
    if fmt == "json":
        raise CommandError("--excel and --encoding apply to CSV output (--format csv or wide, or -o FILE.csv); "
                           "JSON is always UTF-8")
    from .export.csv_out import csv_encoding

    try:
        return csv_encoding("excel" if args.excel else args.encoding)
    except ValueError as exc:
        raise CommandError(str(exc)) from None


def extract_command(argv: list[str]) -> int:
    """Run `extract REPORT ...`; the exit status. Errors are one line on stderr."""
    try:
        args = parser().parse_args(argv)
        return _extract(args)
    except CommandError as exc:
        print(f"extract: {exc}", file=sys.stderr)
        return exc.code


def _extract(args: argparse.Namespace) -> int:
    if _URL.match(args.report):
        raise CommandError(f"{args.report}: this tool reads files, it does not fetch URLs; download the report "
                           "first (e.g. `curl -o report.html URL`) and extract the file")
    report = Path(args.report)
    fmt = _output_format(args.output, args.fmt)
    codec = _csv_codec(args, fmt)
    from .pipeline import extract_file
    from .readers.ocr import set_mode
    from .source import DEFAULT_MAX_SIZE

    set_mode(args.ocr)

    doc = guarded(report, args.timeout, args.debug,
                  lambda: extract_file(report, max_size=args.max_size or DEFAULT_MAX_SIZE))
    emit(render(doc, fmt), args.output, encoding=codec)
    if not args.quiet:
        print(f"{report.name}: {summary(doc)}" + (f" -> {args.output}" if args.output else ""), file=sys.stderr)
    return EXIT_INVALID if args.strict and not doc["valid"] else EXIT_OK


def guarded(report: Path, timeout: float, debug: bool, work: Callable[[], T]) -> T:
    """work() within the time limit, its errors one line each (CommandError):
    not a report exits 2, anything else 3 (with the traceback under --debug)."""
    try:
        with _time_limit(timeout):
            return work()
    except _TimeUp:
        raise CommandError(f"{report}: gave up after {timeout:g} s (--timeout): the file takes longer than "
                           "any report") from None
    except ExtractError as exc:
        raise CommandError(f"{report}: {exc}") from None
    except Exception as exc:
        if debug:
            traceback.print_exc()
        raise CommandError(f"{report}: internal error ({type(exc).__name__}: {exc}); please report it with the "
                           "file (--debug shows the traceback)", EXIT_INTERNAL) from None


class _TimeUp(BaseException):
    """The time limit passed (a BaseException: no reader's error handling catches it)."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _TimeUp after `seconds` (0: never), where a timer signal can be
    had (the main thread, on Unix)."""
    if not seconds > 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def time_up(signum, frame) -> None:
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, time_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# Subcommands live in their own modules and register here.
SUBCOMMANDS: dict[str, str] = {
    "eval": "extractor.eval_cli",
    "batch": "extractor.batch.cli",
    "compare": "extractor.compare.cli",
    "codebook": "extractor.codebook_cli",
    "explain": "extractor.explain.cli",
}


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in SUBCOMMANDS:
        module = __import__(SUBCOMMANDS[argv[0]], fromlist=["app"])
        module.app(args=argv[1:], prog_name=f"extract {argv[0]}")
        return
    sys.exit(extract_command(argv))


if __name__ == "__main__":
    main()
