"""OCR accuracy and speed on scans of the corpus's real PDFs. Every page of
each labelled PDF the OCR tests use (tests/test_ocr.py `REPORTS`) is scanned
under each condition of tests/scans.py (200 dpi clean, 200 dpi degraded,
150 dpi degraded: seal, grey paper, rotation, blur, noise, JPEG 60; seeded,
so every run reads the same bytes), extracted, and scored cell by cell
against its label with the rules of `extract eval` (extractor.evaluate, the
rules the tests' `score` follows). The same scans are then timed: one after
another in one process (2 threads, as `extract` runs; and 1 thread), in two
processes of one thread each, and as `extract batch -j 2`. Writes
bench/OCR.md.

    .venv/bin/python bench/ocr.py                 # everything: some 12 minutes on 2 cores
    .venv/bin/python bench/ocr.py --no-speed      # accuracy only (one pass, some 3 minutes)
    .venv/bin/python bench/ocr.py --reports hzq2024 --conditions 150dpi-degraded --out /tmp/OCR.md

The timed runs need the machine to themselves: other work on it shows in
the figures (the load average when the run started is written with them).
Needs the `ocr` extra.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from scans import CONDITIONS, Condition, scan  # noqa: E402
from test_ocr import REPORTS, SEED  # noqa: E402

from extractor.evaluate import flagged, same, score  # noqa: E402

# The measure is tables 三 and 四; table 二 is scored too ("all").
MEASURE = ("applications", "review_litigation")
ALL = ("proactive", *MEASURE)
TABLE_NAMES = {"proactive": "二", "applications": "三", "review_litigation": "四"}
PACKAGES = ("rapidocr-onnxruntime", "onnxruntime", "opencv-python", "numpy", "pypdfium2")
BAR_RIGHT = 0.99  # at 200 dpi: at least 99% of the cells of tables 三 and 四 right, and none silent


# -- the scans ---------------------------------------------------------------------


@dataclass(slots=True)
class Scanned:
    report: str
    condition: Condition
    path: Path
    pages: int


def make_scans(work: Path, reports: list[str], conditions: list[Condition]) -> list[Scanned]:
    import pypdfium2 as pdfium

    work.mkdir(parents=True, exist_ok=True)
    out = []
    for name in reports:
        report = REPORTS[name]
        for condition in conditions:
            path = work / f"{name}-{condition.name}.pdf"
            path.write_bytes(scan(report.data, condition, seed=SEED))
            pdf = pdfium.PdfDocument(path.read_bytes())
            out.append(Scanned(name, condition, path, len(pdf)))
            pdf.close()
    return out


# -- extraction in worker processes, timed ----------------------------------------------


@dataclass(slots=True)
class Done:
    path: str
    seconds: float
    doc: dict | None
    error: str | None
    cpu: float = 0.0  # the worker's CPU time (every thread) over the file


def _start(threads: int, profile: bool) -> None:
    """A worker: its OCR threads, the engine loaded before any timing, and
    (when profiling) the OCR's steps timed."""
    os.environ["EXTRACTOR_OCR_THREADS"] = str(threads)
    os.environ["EXTRACTOR_OCR"] = "auto"
    import numpy as np

    from extractor.readers.ocr.engine import Segment, Strip, engine

    # Loaded, and run once on a little paper: onnxruntime's first runs are slower.
    paper = np.full((96, 640, 3), 250, np.uint8)
    engine().detect(paper)
    engine().read([Strip([Segment(paper[:40, :200])])])
    if profile:
        _install_phases()


def _ready(pause: float) -> int:
    time.sleep(pause)
    return os.getpid()


def _extract(path: str) -> Done:
    from extractor.errors import ExtractError
    from extractor.pipeline import extract_file

    start, cpu = time.perf_counter(), time.process_time()
    try:
        doc, error = extract_file(Path(path)), None
    except ExtractError as exc:
        doc, error = None, f"{exc.code}: {exc}"
    return Done(path, time.perf_counter() - start, doc, error, time.process_time() - cpu)


# Seconds spent in each step of the OCR of a page (in one worker), and the
# steps being timed now (innermost last).
_TOTALS: dict[str, float] = defaultdict(float)
_INSIDE: list[str] = []


def _phases() -> dict[str, float]:
    return dict(_TOTALS)


def _install_phases() -> None:
    from extractor.readers.ocr import engine, image, page

    _wrap(page, "read_scanned_page", "ocr")
    _wrap(image, "render", "render")
    _wrap(page, "page_image", "page_image")
    _wrap(page, "line_masks", "rulings")
    _wrap(page, "grids", "rulings")
    _wrap(page, "_without_rulings", "cells")
    _wrap(page, "table_ink", "cells")
    _wrap(page, "_text_boxes", "detect")
    _wrap(page, "_cell_texts", "reread")
    _wrap(engine.Engine, "read", "recognise", count=True)


def _wrap(owner: object, name: str, phase: str, count: bool = False) -> None:
    original: Callable = getattr(owner, name)

    def timed(*args: object, **kwargs: object) -> object:
        key = phase
        if count:
            # Engine.read(self, strips): the strips read, and the cells and lines in them;
            # within the re-reading of doubtful cells, counted apart (its time is the re-reading's).
            strips = args[1]
            again = "_again" if "reread" in _INSIDE else ""
            _TOTALS["strips" + again] += len(strips)  # type: ignore[arg-type]
            _TOTALS["segments" + again] += sum(len(s.segments) for s in strips)  # type: ignore[attr-defined,union-attr]
            key = phase + again
        _INSIDE.append(phase)
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            _TOTALS[f"{key}_s"] += time.perf_counter() - start
            _INSIDE.pop()

    setattr(owner, name, timed)


def machine_busy() -> float:
    """CPU seconds every core of the machine has been busy since boot (/proc/stat: all but idle and iowait),
    0 where there is no /proc."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except (OSError, IndexError):
        return 0.0
    ticks = [int(v) for v in fields[:8]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


@dataclass(slots=True)
class Run:
    name: str
    processes: int
    threads: int
    wall: float = 0.0
    cpu: float = 0.0  # CPU seconds of the workers over the files
    machine: float = 0.0  # CPU seconds the whole machine was busy meanwhile
    done: list[Done] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)


def run_pool(name: str, files: list[Path], processes: int, threads: int, profile: bool = False) -> Run:
    """The files extracted by `processes` fresh workers of `threads` threads
    each, every worker up (engine loaded) before the clock starts; the wall
    time from the first file handed out to the last one done."""
    run = Run(name, processes, threads)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_start, initargs=(threads, profile)) as pool:
        while len(set(pool.map(_ready, [1.0] * processes))) < processes:
            pass
        start, busy = time.perf_counter(), machine_busy()
        run.done = list(pool.map(_extract, [str(f) for f in files]))
        run.wall = time.perf_counter() - start
        run.machine = machine_busy() - busy
        run.cpu = sum(d.cpu for d in run.done)
        if profile:
            run.phases = pool.submit(_phases).result()
    return run


def run_batch(files: list[Path], work: Path, jobs: int) -> Run:
    """`extract batch -j N` over the files (a folder of them): its own
    extraction time (summary.json `extract_seconds`), and the command's."""
    run = Run(f"`extract batch -j {jobs}`", jobs, 1)
    source, out = work / "batch-in", work / "batch-out"
    for folder in (source, out):
        if folder.exists():
            for path in sorted(folder.rglob("*"), reverse=True):
                path.rmdir() if path.is_dir() else path.unlink()
            folder.rmdir()
    source.mkdir(parents=True)
    for path in files:
        (source / path.name).symlink_to(path)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start, busy = time.perf_counter(), machine_busy()
    proc = subprocess.run([sys.executable, "-m", "extractor", "batch", str(source), "-o", str(out), "-j", str(jobs),
                           "-q", "--ocr", "auto"], capture_output=True, text=True, timeout=3600,
                          env={k: v for k, v in os.environ.items() if k != "EXTRACTOR_OCR_THREADS"})
    command = time.perf_counter() - start
    run.machine = machine_busy() - busy
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The command's processes, its workers and their start and the dataset's build included.
    run.cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"extract batch failed ({proc.returncode}): {proc.stderr.strip()}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    run.wall = float(summary["extract_seconds"])
    run.phases = {"command_s": command}
    # Each report as the batch wrote it (reports/<the first 16 hex digits of the file's SHA-256>.json).
    for path in files:
        written = out / "reports" / f"{hashlib.sha256(path.read_bytes()).hexdigest()[:16]}.json"
        doc = json.loads(written.read_text(encoding="utf-8")) if written.is_file() else None
        run.done.append(Done(str(path), 0.0, doc, None if doc else "not in the batch's reports"))
    return run


# -- scoring ------------------------------------------------------------------------


@dataclass(slots=True)
class Miss:
    key: str
    want: object
    value: object
    raw: str | None
    doubt: str | None
    flagged: bool
    why: str  # what flags it


def flag_reason(doc: dict, table: str, row: str, column: str) -> str:
    """What in the output flags the cell, by the rules of extractor.evaluate.flagged."""
    tab = (doc.get("tables") or {}).get(table) or {}
    if tab.get("status") != "complete":
        return f"the table is {tab.get('status')}"
    if (((tab.get("rows") or {}).get(row) or {}).get(column) or {}).get("inferred"):
        return "inferred"
    for check in doc.get("checks", []):
        if check.get("ok") is False and table in (text := json.dumps(check, ensure_ascii=False)) and (
                row in text or column in text):
            return f"check {check.get('id')} fails"
    for warning in doc.get("warnings", []):
        text = json.dumps(warning, ensure_ascii=False)
        if table in text and (row in text or column in text):
            message = warning["message"]
            return f"`{warning['code']}`: {message if len(message) <= 160 else message[:160] + '…'}"
    return ""


@dataclass(slots=True)
class Scored:
    scanned: Scanned
    measure: dict[str, int]  # tables 三 and 四: cells, right, flagged, silent
    every: dict[str, int]  # tables 二, 三 and 四
    misses: list[Miss]
    error: str | None = None


def _counts(doc: dict | None, label: dict, tables: tuple[str, ...]) -> dict[str, int]:
    cells = {k: v for k, v in label["cells"].items() if k.split(".", 1)[0] in tables}
    s = score(doc, {"cells": cells})
    return {"cells": s.cells, "right": s.right, "flagged": s.flagged, "silent": s.silent + s.failed}


def score_scan(scanned: Scanned, done: Done) -> Scored:
    label = REPORTS[scanned.report].label
    doc = done.doc
    misses = []
    for key, want in label["cells"].items():
        table, row, column = key.split(".", 2)
        if table not in ALL:
            continue
        got = ((((doc or {}).get("tables") or {}).get(table) or {}).get("rows") or {}).get(row, {}).get(column)
        value = got.get("value") if isinstance(got, dict) else None
        if isinstance(got, dict) and same(value, want):
            continue
        said = bool(doc) and flagged(doc, table, row, column)
        misses.append(Miss(key, want, value, got.get("raw") if got else None, got.get("ocr_doubt") if got else None,
                           said, flag_reason(doc, table, row, column) if said and doc else ""))
    return Scored(scanned, _counts(doc, label, MEASURE), _counts(doc, label, ALL), misses, done.error)


# -- the report ---------------------------------------------------------------------


def share(right: int, cells: int) -> str:
    return f"{100 * right / cells:.1f}%" if cells else "—"


def table(header: list[str], rows: list[list[str]], words: int = 1) -> list[str]:
    """A Markdown table, its first `words` columns left-aligned and the figures after them right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if i >= words else "---"
                                                           for i in range(len(header))) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _add(total: dict[str, int], part: dict[str, int]) -> None:
    for k, v in part.items():
        total[k] = total.get(k, 0) + v


def accuracy_section(scored: list[Scored], conditions: list[Condition]) -> tuple[list[str], list[str]]:
    """The accuracy tables, and the bar's verdicts (one line each)."""
    header = ["file", "condition", "pages", "三+四 cells", "right", "flagged", "silent", "right %",
              "二+三+四 cells", "right", "flagged", "silent", "right %"]
    rows = []
    totals: dict[str, tuple[dict[str, int], dict[str, int]]] = {}
    for s in sorted(scored, key=lambda s: (conditions.index(s.scanned.condition), s.scanned.report)):
        m, e = s.measure, s.every
        rows.append([s.scanned.report, s.scanned.condition.name, str(s.scanned.pages), str(m["cells"]),
                     str(m["right"]), str(m["flagged"]), str(m["silent"]), share(m["right"], m["cells"]),
                     str(e["cells"]), str(e["right"]), str(e["flagged"]), str(e["silent"]),
                     share(e["right"], e["cells"])])
        mt, et = totals.setdefault(s.scanned.condition.name, ({}, {}))
        _add(mt, m)
        _add(et, e)
    summary = []
    verdicts = []
    for condition in conditions:
        if condition.name not in totals:
            continue
        m, e = totals[condition.name]
        summary.append([f"**{condition.name}**", str(m["cells"]), str(m["right"]), str(m["flagged"]),
                        str(m["silent"]), f"**{share(m['right'], m['cells'])}**", str(e["cells"]), str(e["right"]),
                        str(e["flagged"]), str(e["silent"]), share(e["right"], e["cells"])])
        if condition.dpi >= 200:
            ok = m["silent"] == 0 and m["right"] >= BAR_RIGHT * m["cells"]
            bar = "at least 99% of the cells of tables 三 and 四 right and none silent"
        else:
            ok = m["silent"] == 0
            bar = "no cell of tables 三 and 四 silent"
        verdicts.append(f"- {condition.name}: {'meets' if ok else '**misses**'} the bar ({bar}): "
                        f"{m['right']}/{m['cells']} right ({share(m['right'], m['cells'])}), "
                        f"{m['flagged']} flagged, {m['silent']} silent.")
    body = ["### By condition (all files)", "",
            *table(["condition", "三+四 cells", "right", "flagged", "silent", "right %", "二+三+四 cells", "right",
                    "flagged", "silent", "right %"], summary), "",
            "### By file and condition", "", *table(header, rows, words=2), ""]
    return body, verdicts


def misses_section(scored: list[Scored], conditions: list[Condition]) -> list[str]:
    out = ["### Every cell not read right", "",
           "Each cell that is not the label's value: the label, what the output holds (its value and, for a cell "
           "OCR read, the raw text and `ocr_doubt`), and what in the output flags it (a warning or a failed check "
           "naming its row or column, the table not complete: the rules of `extract eval`), or **silent**.", ""]
    rows = []
    for s in sorted(scored, key=lambda s: (conditions.index(s.scanned.condition), s.scanned.report)):
        if s.error:
            rows.append([s.scanned.report, s.scanned.condition.name, "(the whole file)", "", "", s.error, "failed"])
        for miss in s.misses:
            table_name = TABLE_NAMES.get(miss.key.split(".", 1)[0], "")
            rows.append([s.scanned.report, s.scanned.condition.name, f"{table_name} `{miss.key}`", _shown(miss.want),
                         _shown(miss.value) + (f" (raw `{miss.raw}`)" if miss.raw not in (None, "") else ""),
                         miss.doubt or "", miss.why.replace("|", "/") if miss.flagged else "**silent**"])
    if not rows:
        return [*out, "None: every cell of tables 二, 三 and 四 is right under every condition.", ""]
    return [*out, *table(["file", "condition", "cell", "label", "read", "ocr_doubt", "flagged by"], rows, words=7), ""]


def _shown(value: object) -> str:
    return "null" if value is None else str(value)


def speed_section(runs: list[Run], scans: list[Scanned]) -> list[str]:
    pages = sum(s.pages for s in scans)
    rows = []
    for run in runs:
        rows.append([run.name, f"{run.processes} × {run.threads}", f"{run.wall:.1f}", f"{run.wall / pages:.2f}",
                     f"{pages / run.wall:.3f}", f"{run.cpu:.0f}", f"{run.cpu / run.wall:.2f}",
                     f"{max(run.machine - run.cpu, 0):.0f}" if run.machine else "—"])
    counts = sorted({s.pages for s in scans})
    each = " or ".join(str(n) for n in counts)
    return [f"{len(scans)} file{'s' if len(scans) > 1 else ''}, {pages} scanned A4 pages ({each} a file, every "
            "page a scan), each configuration timed once over all of them.", "",
            *table(["run", "processes × threads", "seconds", "s/page", "pages/s", "CPU s", "CPU / wall",
                    "other work, CPU s"], rows, words=2), "",
            "CPU s is the CPU time the run's processes used (all their threads; for `extract batch` the whole "
            "command: its start, its workers and the dataset's build); CPU / wall is how many cores it kept busy "
            "on average. *Other work* is the CPU time the rest of the machine used meanwhile (every core's busy "
            "time in /proc/stat, less the run's): where it is more than a few seconds, the run shared the cores "
            "and its times are longer than this machine's own.", ""]


def _describe_runs(runs: list[Run]) -> list[str]:
    out = []
    for run in runs:
        if run.name.startswith("`extract batch"):
            command = run.phases.get("command_s")
            out.append(f"- {run.name}: the batch's own extraction time (`summary.json` `extract_seconds`); the "
                       f"whole command, with its start and the dataset's build, took {command:.1f} s.")
    return out


def phases_section(run: Run, pages: int) -> list[str]:
    p = run.phases
    total = sum(d.seconds for d in run.done)
    ocr = p.get("ocr_s", 0.0)
    render = p.get("render_s", 0.0)
    steps = [
        ("render the page (pdfium)", render),
        ("stand a sideways page upright, straighten, take out the seal, find the ink (`page_image`)",
         p.get("page_image_s", 0.0) - render),
        ("ruling lines and grids", p.get("rulings_s", 0.0)),
        ("each cell's lines of ink", p.get("cells_s", 0.0)),
        ("text detection outside the tables (whole-page detector, at 100 dpi)", p.get("detect_s", 0.0)),
        ("recognition: every table row as one strip, and the running text's lines", p.get("recognise_s", 0.0)),
        ("recognition: doubtful cells read again alone (two framings each)", p.get("reread_s", 0.0)),
    ]
    steps.append(("the rest of the OCR of a page (layout, crops, labels)", ocr - sum(s for _, s in steps)))
    steps.append(("the rest of the extraction (PDF text layer, tables, checks, metadata, JSON)", total - ocr))
    rows = [[name, f"{seconds:.1f}", f"{seconds / pages:.2f}", f"{100 * seconds / total:.0f}%"]
            for name, seconds in steps]
    rows.append(["**all**", f"**{total:.1f}**", f"**{total / pages:.2f}**", "100%"])
    strips, segments = int(p.get("strips", 0)), int(p.get("segments", 0))
    again = int(p.get("strips_again", 0))
    return [f"In the run with one process of one thread ({pages} pages), each step's time summed over the pages:", "",
            *table(["step", "seconds", "s/page", "share"], rows), "",
            f"The recogniser read {strips} strips ({strips / pages:.0f} a page) holding {segments} cells and lines "
            f"of text, and {again} strips again alone ({again // 2} doubtful cells, two framings each).", ""]


def environment(load: float, commit_paths: list[str]) -> list[str]:
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except OSError:
            return ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no", "--", *commit_paths):
        commit += " with local changes"
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} not installed")
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        cpuinfo = []
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
               platform.processor() or "unknown CPU")
    return [f"- Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit `{commit}`.",
            f"- Machine: {cpu}, {os.cpu_count()} cores, load average {load:.2f} when the run started, "
            f"{platform.system()} {platform.release()}; Python {platform.python_version()}.",
            f"- Versions: {', '.join(versions)}."]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", help=f"comma-separated, of {', '.join(REPORTS)} (default: all)")
    parser.add_argument("--conditions", help=f"comma-separated, of {', '.join(c.name for c in CONDITIONS)} "
                                              "(default: all)")
    parser.add_argument("--no-speed", action="store_true", help="accuracy only: one pass, not timed")
    parser.add_argument("--work", type=Path, help="where the scans are written (default: a temporary folder)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "OCR.md")
    args = parser.parse_args(argv)
    reports = args.reports.split(",") if args.reports else list(REPORTS)
    names = {c.name: c for c in CONDITIONS}
    conditions = [names[n] for n in args.conditions.split(",")] if args.conditions else list(CONDITIONS)
    if unknown := [r for r in reports if r not in REPORTS]:
        parser.error(f"unknown report {unknown[0]!r}")

    load = os.getloadavg()[0]  # other work on the machine shows in the figures: say how much there was
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="extractor-ocr-") as temporary:
        work = args.work or Path(temporary)
        print(f"scanning {len(reports)} reports under {len(conditions)} conditions into {work} ...", file=sys.stderr)
        scans = make_scans(work, reports, conditions)
        files = [s.path for s in scans]
        pages = sum(s.pages for s in scans)
        by_path = {str(s.path): s for s in scans}
        # Accuracy from the run `extract` does alone: one process on every core.
        print(f"one process, {os.cpu_count()} threads: {pages} pages ...", file=sys.stderr)
        first = run_pool(f"one process, one file after another (as `extract` runs: {os.cpu_count()} threads)",
                         files, 1, os.cpu_count() or 1)
        scored = [score_scan(by_path[d.path], d) for d in first.done]
        for s in scored:
            print(f"  {s.scanned.report} {s.scanned.condition.name}: 三+四 {s.measure['right']}/{s.measure['cells']} "
                  f"right, {s.measure['flagged']} flagged, {s.measure['silent']} silent", file=sys.stderr)
        runs = [first]
        same_output = True
        if not args.no_speed:
            print("one process, 1 thread, profiled ...", file=sys.stderr)
            single = run_pool("one process, one file after another, 1 thread", files, 1, 1, profile=True)
            print("two processes, 1 thread each ...", file=sys.stderr)
            # The largest files first, so that neither process is left alone with a long one at the end.
            order = sorted(files, key=lambda f: -by_path[str(f)].pages)
            pair = run_pool("two processes (ProcessPoolExecutor(2)), 1 thread each", order, 2, 1)
            print("extract batch -j 2 ...", file=sys.stderr)
            batch = run_batch(order, work, 2)
            runs += [single, pair, batch]
            values = {d.path: _values(d.doc) for d in first.done}
            same_output = all(_values(d.doc) == values[d.path] for run in (single, pair, batch) for d in run.done)
    minutes = (time.perf_counter() - started) / 60

    accuracy, verdicts = accuracy_section(scored, conditions)
    body = ["# OCR: accuracy and speed on scans of the corpus's real PDFs", "",
            "Written by `python bench/ocr.py` (needs the `ocr` extra); run it again to measure your machine.", "",
            *environment(load, ["extractor", "tests/scans.py", "tests/test_ocr.py", "bench/ocr.py"]),
            f"- The run took {minutes:.0f} minutes.", "",
            "The files: every page of the labelled real PDFs the OCR tests use "
            f"({', '.join(f'`{REPORTS[r].path.relative_to(ROOT)}`' for r in reports)}), rendered and scanned by "
            "`tests/scans.py` (seed 7) under each condition: 200 dpi clean (JPEG 92), 200 dpi degraded and 150 dpi "
            "degraded (a red seal over the largest table, grey uneven paper, a rotation of 0.5° to 1.5°, blur, "
            "noise, JPEG 60), one JPEG a page and no text layer. Each scan is extracted with `--ocr auto` and its "
            "tables scored against the report's label: a cell is *right* (the label's value), *flagged* (wrong or "
            "missing, and the output says so: an `ocr_uncertain` warning or a failed check naming its row or "
            "column, or the table not complete) or *silent* (wrong and nothing says so). Tables 三 and 四 are the "
            "issue's measure; 二+三+四 adds table 二. (tests/test_ocr.py asserts the bar on the same reports with "
            "only their table pages scanned; here every page is.)", "",
            "## Accuracy", "", "The bar: at 200 dpi, clean and degraded, at least 99% of the cells of tables 三 and "
            "四 right and none silent; at 150 dpi degraded, none silent.", "", *verdicts, "", *accuracy,
            *misses_section(scored, conditions)]
    if not args.no_speed:
        body += ["## Speed", "", *speed_section(runs, scans), *_describe_runs(runs),
                 "- Each run's worker processes load the recogniser (about 0.5 s a process) and run it once before "
                 "the clock starts; a file's time is its whole extraction, OCR and all.",
                 "- Two processes take the files one at a time each (a batch runs one file per worker), the "
                 "largest first; the last file may leave one process idle at the end.",
                 f"- The values read are the same in every run: {'yes' if same_output else '**no**'}.", "",
                 "### Where the time goes", "", *phases_section(runs[1], pages)]
    text = "\n".join(body)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {args.out}", file=sys.stderr)
    return 0


def _values(doc: dict | None) -> dict:
    if not doc:
        return {}
    return {t: {r: {c: cell.get("value") for c, cell in cols.items()} for r, cols in tab.get("rows", {}).items()}
            for t, tab in doc.get("tables", {}).items()}


if __name__ == "__main__":
    sys.exit(main())
