"""Time and peak memory of `extract` against input size, for each hostile
shape of tests/hostile.py (huge, repetitive, nested or compressed inputs),
and the start-up time of the command beside `python -c pass`.

    python bench/scaling.py [--only SHAPE] [--timeout 120] [--out bench/SCALING.md]

Each input is written to a temporary file and extracted by a fresh
`python -m extractor FILE -q -o out.json` process; the time is its wall
time, the memory its peak resident set (hostile.run_extract). A bounded
shape grows about linearly in time, stays flat or linear in memory, and
either gives a result or refuses in one line (exit 2).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import hostile  # noqa: E402

MB = 1 << 20
# (name, what it is, suffix, [(size label, builder)])
SHAPES: list[tuple[str, str, str, list[tuple[str, Callable[[], bytes]]]]] = [
    ("table3_copies", "table 三 printed N times (text)", ".txt",
     [(f"{n} copies", lambda n=n: hostile.table3_copies(n)) for n in (100, 200, 400, 800, 2000)]),
    ("zero_lines", "N lines of `0` inside table 三 (text)", ".txt",
     [(f"{n:,} lines", lambda n=n: hostile.zero_lines(n)) for n in (100_000, 300_000, 1_000_000, 3_000_000)]),
    ("blank_cells", "N bare `|` blank cells after one row (text)", ".txt",
     [(f"{n:,} cells", lambda n=n: hostile.blank_cells(n)) for n in (30, 1_000, 100_000)]),
    ("long_page", "a portal page padded with paragraphs (HTML)", ".html",
     [(f"{n} MB", lambda n=n: hostile.long_page(n * MB)) for n in (1, 3, 10, 30)]),
    ("long_line", "a crawler dump: the tables glued on one line, repeated (text)", ".txt",
     [(f"{n} MB", lambda n=n: hostile.long_line(n * MB)) for n in (1, 3, 10)]),
    ("glued_adds_up", "one 7-cell glued row of N digits that adds up (text)", ".txt",
     [(f"{n} digits", lambda n=n: hostile.glued_row(n, adds_up=True)) for n in (30, 40, 60, 200)]),
    ("glued_random", "one 7-cell glued row of N random digits (text)", ".txt",
     [(f"{n} digits", lambda n=n: hostile.glued_row(n, adds_up=False)) for n in (30, 40, 60, 200)]),
    ("nested_html", "the tables N <div>s deep (HTML)", ".html",
     [(f"depth {n}", lambda n=n: hostile.nested_html(n)) for n in (200, 300, 5_000)]),
    ("html_table", "a table of N cells (HTML)", ".html",
     [(f"{n:,} cells", lambda n=n: hostile.html_table(n)) for n in (10_000, 100_000, 240_000, 1_000_000)]),
    ("docx_inflating", "document.xml inflating to N (Word)", ".docx",
     [(f"{n} MB", lambda n=n: hostile.docx_inflating(n * MB)) for n in (10, 100, 1024)]),
    ("docx_gridspan", "one w:gridSpan of N (Word)", ".docx",
     [(f"{n:,}", lambda n=n: hostile.docx_span("gridSpan", n)) for n in (1_000, 2_000_000_000)]),
    ("docx_gridbefore", "one w:gridBefore of N (Word)", ".docx",
     [(f"{n:,}", lambda n=n: hostile.docx_span("gridBefore", n)) for n in (1_000, 2_000_000_000)]),
    ("pdf_inflating", "a content stream inflating to N (PDF)", ".pdf",
     [(f"{n} MB", lambda n=n: hostile.pdf_inflating(n * MB)) for n in (10, 100, 1024)]),
    ("pdf_characters", "N pages of 30,000 characters (PDF)", ".pdf",
     [(f"{n} pages", lambda n=n: hostile.pdf_characters(n)) for n in (3, 10, 30, 100)]),
]


def measure(path: Path, out: Path, timeout: float) -> tuple[float, float, int | None, str]:
    """One extraction: wall seconds, peak resident MB, exit status (None when
    killed at the timeout) and the last line it printed on stderr."""
    run = hostile.run_extract(path, "-q", "-o", out, timeout=timeout)
    lines = run.stderr.strip().splitlines()
    return run.seconds, run.peak_mb, run.code, (lines[-1] if lines else "")


def startup(runs: int) -> list[tuple[str, float]]:
    """Median wall time of `python -c pass`, `extract --version` and the
    extraction of the bundled sample, each in a fresh process."""
    sample = ROOT / "samples" / "chaoyang-commerce-2023.txt"
    with tempfile.TemporaryDirectory() as tmp:
        # Compiled modules cached, as in an installed package (this machine
        # may forbid writing them: PYTHONDONTWRITEBYTECODE).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        commands = [
            ("`python -c pass`", [sys.executable, "-c", "pass"]),
            ("`extract --version`", [sys.executable, "-m", "extractor", "--version"]),
            ("`extract sample.txt -o out.json`",
             [sys.executable, "-m", "extractor", str(sample), "-q", "-o", str(Path(tmp) / "out.json")]),
        ]
        out = []
        for label, command in commands:
            subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)  # warm-up: caches
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)
                times.append(time.perf_counter() - start)
            out.append((label, statistics.median(times)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", action="append", help="measure only this shape (repeatable)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds before a run is killed")
    ap.add_argument("--runs", type=int, default=9, help="runs of each start-up command (median)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "SCALING.md")
    args = ap.parse_args()
    rows = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, what, suffix, sizes in SHAPES:
            if args.only and name not in args.only:
                continue
            for label, make in sizes:
                path = folder / f"{name}{suffix}"
                data = make()
                path.write_bytes(data)
                seconds, peak, code, said = measure(path, folder / "out.json", args.timeout)
                result = "killed at the timeout" if code is None else f"exit {code}"
                if code == 2:
                    result += f": {said.split(': ', 2)[-1]}"
                row = (name, what, label, len(data), seconds, peak, result)
                print(f"{name:16} {label:>14} {len(data) / MB:9.2f} MB {seconds:7.2f} s {peak:7.0f} MB  {result}",
                      flush=True)
                rows.append(row)
                path.unlink()
    boot = [] if args.only else startup(args.runs)
    if args.only:
        return
    write(args.out, rows, boot, (load_before, os.getloadavg()[0]))


def write(out: Path, rows: list, boot: list[tuple[str, float]], load: tuple[float, float]) -> None:
    lines = [
        "# Scaling: time and memory against input size",
        "",
        "`python bench/scaling.py` writes this file. Each hostile input (built by `tests/hostile.py`) is",
        "extracted by a fresh `python -m extractor FILE -q -o out.json`; *seconds* is its wall time, *peak*",
        "its peak resident memory. Every shape must grow about linearly in time, and end with a result",
        "(exit 0) or a one-line refusal (exit 2).",
        "",
        "| shape | size | input MB | seconds | s/MB | peak MB | result |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, what, label, size, seconds, peak, result in rows:
        per = seconds / (size / MB)
        what = what.replace("|", "\\|")  # a | would end the table's cell
        lines.append(f"| {name}: {what} | {label} | {size / MB:.2f} | {seconds:.2f} | {per:.1f} | {peak:.0f} "
                     f"| {result} |")
    lines += ["", "Before the bounds (the same shapes on the code of 2026-12-01, measured once): table 三 800 times",
              "48 s (2,000 times: minutes); one glued row of 60 random digits 35 s; 40 bare `|` after a row 23 s",
              "(100,000: never ends); 1,000,000 HTML cells in one table 14 s and 900 MB, 10,000 x 10,000 a",
              "MemoryError (exit 3) at 3 GB; a Word document.xml or a PDF content stream inflating to 1 GiB,",
              "2.1 GB; one gridSpan of 2,000,000,000, 3 GB and more than a minute; 254 nested divs, every",
              "table lost (exit 0, no warning); `/dev/zero` read until memory ran out; a named pipe, blocked",
              "for ever."]
    if boot:
        lines += ["", "## Start-up", "",
                  "Median wall time of a fresh process (the whole command, start to exit; compiled modules",
                  "cached). Before: 0.55 s for the sample (typer importing pydantic and rich, 1,200 wide",
                  "character classes compiled by the scanner).", "",
                  "| command | seconds |", "|---|---|"]
        lines += [f"| {label} | {seconds:.3f} |" for label, seconds in boot]
    lines += ["", f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; load average "
              f"{load[0]:.1f} at the start and {load[1]:.1f} at the end (above 0, other work shared the cores "
              "and the times are that much longer)."]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
