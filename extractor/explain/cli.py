"""`extract explain REPORT [-o review.html]`: the report's data on one page, each
number linked to where it is printed.

Parsed with argparse, as `extract` itself is (fast to start; the same
one-line errors and exit statuses: 0 written, 2 not a report or a wrong
command line, 3 an internal error).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import EXIT_OK, CommandError, _Parser, add_reading_options, emit, guarded, summary


def parser(prog: str) -> argparse.ArgumentParser:
    p = _Parser(prog=prog, allow_abbrev=False,
                description="Write one self-contained HTML page for checking a report by eye: the three "
                            "tables with their Chinese labels, every cell coloured by how it was read and "
                            "linked to where it is printed (a crop of the PDF page, the source lines of a "
                            "text file or web page, the Word table's row), failed checks, warnings and "
                            "where each metadata field came from. No network is needed to view it.")
    p.add_argument("report", metavar="REPORT", help="The report: .html, .pdf, .docx, .doc or .txt/.md")
    p.add_argument("-o", "--output", type=Path, metavar="OUT",
                   help="The page to write (default: REPORT's name with .review.html, in the current folder)")
    p.add_argument("-q", "--quiet", action="store_true", help="No summary line on stderr")
    add_reading_options(p)
    return p


def explain_command(argv: list[str], prog: str = "extract explain") -> int:
    try:
        args = parser(prog).parse_args(argv)
        return _explain(args)
    except CommandError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return exc.code


def _explain(args: argparse.Namespace) -> int:
    from ..readers.ocr import set_mode
    from ..source import DEFAULT_MAX_SIZE
    from . import explain_file

    report = Path(args.report)
    output = args.output or Path(f"{report.stem}.review.html")
    if output.suffix.lower() not in (".html", ".htm"):
        raise CommandError(f"{output}: the page is HTML; name it .html")
    set_mode(args.ocr)
    doc, page = guarded(report, args.timeout, args.debug,
                        lambda: explain_file(report, max_size=args.max_size or DEFAULT_MAX_SIZE))
    emit(page, output, prog="extract explain")
    if not args.quiet:
        print(f"{report.name}: {summary(doc)} -> {output}", file=sys.stderr)
    return EXIT_OK


def app(args: list[str], prog_name: str = "extract explain") -> None:
    """The entry `extract` dispatches subcommands to."""
    sys.exit(explain_command(args, prog_name))
